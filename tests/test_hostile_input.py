"""Hostile query strings and command arguments never cause a server error.

Hypothesis sends at least 500 generated query strings to every public view: random Unicode, the
views' own parameter names repeated, 5 kB values, quotes, NUL and invalid percent-encoding.
"""

import string
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

# Derandomized examples per view, as many as the profile says (tests/conftest.py: 50, or 200 in CI).
EXAMPLES = settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

PARAMETERS = [
    "measure",
    "prefecture",
    "region",
    "grant",
    "grant_type",
    "tag",
    "year",
    "kind",
    "status",
    "q",
    "sort",
    "page",
    "format",
    "near",
    "within",
    "similar",
    "population",
    "municipality",
    "cases",
    "version",
    "type",
    "fields",
    "limit",
    "offset",
]
NASTY = [
    '"',
    "'",
    "\x00",
    "%",
    "%zz",
    "%E3%81",
    "<script>",
    "../",
    "\\",
    "\ufeff",
    "𠮷",
    "ｱ",
    "１２",
    "-1",
    "1e9",
    "NaN",
]

values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(NASTY),
    st.text(alphabet=string.printable, max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.just("あ" * 5000),
    st.just("x" * 5000),
)
keys = st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=10))


def encode(text):
    """Percent-encode, except that raw NASTY pieces sometimes pass through as they are."""
    return text if text in ("%", "%zz", "%E3%81") else quote(text, safe="")


# A WSGI server hands the query string over as bytes decoded as latin-1, whatever the client sent.
query_strings = st.one_of(
    st.lists(st.tuples(keys, values), max_size=8).map(
        lambda pairs: "&".join(f"{encode(k)}={encode(v)}" for k, v in pairs)
    ),
    st.binary(max_size=200).map(lambda raw: raw.decode("latin-1")),
    st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass").decode("latin-1")),
)

VIEWS = [
    "/",
    "/measures/",
    "/measures/telework/",
    "/cases/",
    "/cases/prefectures/",
    "/search/",
    "/cases/export.csv",
    "/cases/export.json",
    "/cases/export.xlsx",
    "/cases/feed/",
    "/cases/stats/",
    "/cases/compare/",
    "/cases/municipalities.json",
    "/api/v2/pages/",
    "/sitemap.xml",
    "/accessibility/",
    "/alerts/",
    "/cases/submit/",
]


def test_no_alert_sign_up_makes_a_server_error(seeded, client, settings_for_alerts):
    @EXAMPLES
    @given(email=st.text(max_size=300), frequency=values, filters=query_strings)
    def check(email, frequency, filters):
        response = client.post("/alerts/", {"email": email, "frequency": frequency, "filters": filters})
        assert response.status_code in (200, 303, 429), (email, frequency, filters)

    check()


def test_no_submission_makes_a_server_error(seeded, client, settings_for_alerts):
    @EXAMPLES
    @given(fields=st.dictionaries(st.sampled_from(SUBMISSION_FIELDS), st.text(max_size=300), max_size=12))
    def check(fields):
        response = client.post("/cases/submit/", fields)
        assert response.status_code in (200, 303, 429), fields

    check()


SUBMISSION_FIELDS = [
    "organization", "department", "name", "email", "title", "summary", "primary_measure", "other_measures",
    "fiscal_year", "project_cost", "cost_fiscal_year", "grant_programs", "outcome_1_label", "outcome_1_value",
    "source_1_title", "source_1_url", "section_activities", "agree", "website",
]  # fmt: skip


@pytest.fixture
def settings_for_alerts(settings):
    settings.CASEBOOK_ALERT_LIMITS = {"per_address_per_day": 10**6, "per_client_per_hour": 10**6}
    settings.CASEBOOK_SUBMISSION_LIMITS = {"per_address_per_day": 10**6, "per_client_per_hour": 10**6}


@pytest.mark.parametrize("path", VIEWS)
def test_no_query_string_makes_a_server_error(seeded, client, path):
    @EXAMPLES
    @given(query=query_strings)
    def check(query):
        response = client.get(path, QUERY_STRING=query)
        assert response.status_code < 500, (path, query)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)

    check()


@EXAMPLES
@given(username=st.text(max_size=300), group=st.text(max_size=300))
def test_add_to_group_refuses_nonsense_with_a_command_error(db, username, group):
    with pytest.raises(CommandError):
        call_command("add_to_group", username or "x", group or "x")


@settings(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.one_of(st.text(max_size=30), st.integers(max_value=0).map(str), st.just("200001")))
def test_generate_cases_refuses_bad_counts(db, count):
    with pytest.raises(CommandError):
        call_command("generate_cases", "--count", count)


@settings(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.text(max_size=300))
def test_restore_refuses_any_path_that_is_not_a_backup(db, path):
    with pytest.raises(CommandError):
        call_command("restore", path or ".", "--yes")
