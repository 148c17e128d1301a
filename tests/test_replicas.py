"""Read replicas: public GET pages read from a replica; writes, the admin and cache fills use the primary."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

import casebook.base.core.replicas
from casebook.base.core.cache import cached
from casebook.base.core.replicas import PublicReadsMiddleware, ReplicaRouter
from cases.models import CasePage

from .test_production_settings import manage

# The cache's content version is read from the (primary) database.
pytestmark = pytest.mark.django_db

SECRET = "a-long-random-production-secret-key-for-this-test-only-0123456789"


def database_read_during(request) -> str:
    """The alias the router picks for a read made while the request is handled."""
    seen = {}

    def view(request):
        seen["alias"] = ReplicaRouter().db_for_read(CasePage)
        seen["cache fill"] = cached(
            "replica-test", (request.path, request.method), lambda: ReplicaRouter().db_for_read(CasePage)
        )
        return HttpResponse()

    PublicReadsMiddleware(view)(request)
    return seen


@pytest.fixture
def replicas(monkeypatch):
    """Pretend the settings hold these replica aliases (as DATABASE_REPLICA_URLS would make them)."""

    def configure(*aliases):
        monkeypatch.setattr(casebook.base.core.replicas, "replica_aliases", lambda: list(aliases))

    return configure


def test_public_get_reads_from_a_replica(replicas):
    replicas("replica1", "replica2")
    seen = database_read_during(RequestFactory().get("/cases/?measure=telework"))
    assert seen["alias"] in {"replica1", "replica2"}


def test_what_goes_into_the_cache_is_read_from_the_primary(replicas):
    replicas("replica1")
    seen = database_read_during(RequestFactory().get("/cases/"))
    assert seen["alias"] == "replica1"
    assert seen["cache fill"] == "default"


@pytest.mark.parametrize(
    "request_",
    [RequestFactory().post("/cases/"), RequestFactory().get("/admin/pages/3/edit/")],
    ids=["post", "admin"],
)
def test_writes_and_the_admin_read_from_the_primary(replicas, request_):
    replicas("replica1")
    assert database_read_during(request_)["alias"] == "default"


def test_outside_a_request_reads_use_the_primary(replicas):
    replicas("replica1")
    assert ReplicaRouter().db_for_read(CasePage) == "default"
    assert ReplicaRouter().db_for_write(CasePage) == "default"
    assert not ReplicaRouter().allow_migrate("replica1", "cases")


def test_without_replicas_public_reads_stay_on_the_primary():
    assert database_read_during(RequestFactory().get("/cases/"))["alias"] == "default"


def test_replica_urls_from_the_environment_become_aliases_with_router_and_middleware():
    script = (
        "from django.conf import settings as s; "
        "print(sorted(s.DATABASES), s.DATABASES['replica2']['HOST'], s.DATABASES['replica1']['TEST']['MIRROR'], "
        "s.DATABASE_ROUTERS, 'casebook.base.core.replicas.PublicReadsMiddleware' in s.MIDDLEWARE)"
    )
    result = manage(
        "shell",
        "-c",
        script,
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="casebook.example.jp",
        DATABASE_URL="postgres://casebook@db-primary:5432/casebook",
        DATABASE_REPLICA_URLS="postgres://casebook@db-replica-a:5432/casebook, postgres://casebook@db-replica-b:5432/casebook",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "['default', 'replica1', 'replica2'] db-replica-b default ['casebook.base.core.replicas.ReplicaRouter'] True"
    )
