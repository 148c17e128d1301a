"""The rate limits hold under simultaneous requests: counting and adding happen under one lock per key
(12 parallel submissions once stored 4 for one address with a limit of 3, and 12 from one client with 10)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from casebook.base.core.limits import TooMany, count_and_add
from casebook.base.core.links import keyed_hash
from cases.content.submissions import CaseSubmission
from cases.intake.submission import submission_limits

from .factories import MunicipalityFactory, PrefectureFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need connections of their own"),
]


def race(count: int, email, client) -> tuple[int, int]:
    organization = MunicipalityFactory(prefecture=PrefectureFactory())
    start, results = threading.Barrier(count), []

    def one(n):
        try:
            start.wait()
            count_and_add(
                CaseSubmission.objects.all(),
                "created_at",
                submission_limits(email(n), client(n)),
                timezone.now(),
                lambda: CaseSubmission.objects.create(
                    name="田中",
                    department="情報政策課",
                    email=email(n),
                    organization=organization,
                    data={},
                    client_key=keyed_hash(client(n)),
                ),
            )
            results.append("stored")
        except TooMany:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results.count("stored"), results.count("refused")


def test_twelve_simultaneous_submissions_from_one_address_store_three():
    assert race(12, lambda n: "tanaka@example.jp", lambda n: f"198.51.100.{n}") == (3, 9)
    assert CaseSubmission.objects.filter(email="tanaka@example.jp").count() == 3


def test_twelve_simultaneous_submissions_from_one_client_store_ten():
    assert race(12, lambda n: f"user{n}@example.jp", lambda n: "203.0.113.9") == (10, 2)
