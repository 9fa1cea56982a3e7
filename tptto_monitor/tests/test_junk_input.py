"""No 500 on junk (issue 8, finding 6).

Every URL pattern of the resolver is requested with junk in each path parameter and in the query
string (NUL, year 0, 10,000 characters, other scripts, numbers too big for the database), by every
persona, with GET and POST: each answer is 2xx/3xx, 400, 403, 404 or 405, never a 500. New pages of
any app are walked as soon as their URL pattern exists.
"""

import re
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import RAD
from indicators.tests.entries_helpers import make_entry

JUNK = [
    "\x00",
    "0000S1",
    "0",
    "9" * 25,  # beyond a 64-bit integer
    "x" * 10_000,
    "ᬅᬓ᭄ᬱᬭ ᬩᬮᬶ",  # Balinese script
    "٢٠٢١S١",  # Arabic-Indic digits
    "‮1202",  # a right-to-left override
    "../../etc/passwd",
    "' OR 1=1 --",
]
# Every query parameter a view reads (found in the code) and a few a careless link might carry.
QUERY_NAMES = ["csv", "show", "year", "pillar", "agency", "kecamatan", "unverified", "period", "status", "next", "page"]
# Form fields of the app's POST views, filled with junk too.
FORM_NAMES = [
    "period",
    "date",
    "value",
    "male",
    "female",
    "kecamatan",
    "numerator",
    "denominator",
    "narrative",
    "milestone_status",
    "place",
    "version",
    "form_key",
    "reason",
    "text",
    "note",
    "file",
    "language",
]
PERSONAS = ["officer_a", "verifier", "reviewer", "executive", "admin", "outsider"]  # one of each role, and none
SKIP = {"logout"}  # would end the session the walk goes on with


def patterns(resolver=None, prefix=""):
    """(route, converters, name) of every URL pattern outside the admin site."""
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            if item.app_name == "admin":
                continue
            yield from patterns(item, prefix + str(item.pattern))
        elif isinstance(item, URLPattern):
            yield prefix + str(item.pattern), item.pattern.converters, item.name


def fill(route: str, values: dict) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: values[m[2]], route).lstrip("^").rstrip("$")


def good_values(entry) -> dict:
    """A value for each path parameter that reaches the view (so that the query's junk is read)."""
    return {
        "code": "1.a.1.1",
        "pk": str(entry.pk),
        "number": "1",
        "year": "2021",
        "fmt": "csv",
        "token": str(uuid.uuid4()),
        "uidb64": "MQ",
        "rad": "rad-ttu-2018-2022",
        "rest": "indicators/1.a.1.1/",  # an old address, before plans had their own
        "slug": "rad-ttu-2018-2022",
        "indicator": "1.a.1.1",  # the API's /plans/<code>/indicators/<indicator>
        "entry_id": str(entry.pk),  # the API's /entries/<entry_id>
        # the admin's "view on site" redirect, scoped to the administrator's regency (programs.admin_scope)
        "content_type_id": str(ContentType.objects.get_for_model(entry).pk),
        "object_id": str(entry.pk),
    }


def junk_for(converter) -> list[str]:
    regex = getattr(converter, "regex", "[^/]+")
    return [junk for junk in JUNK if re.fullmatch(regex, junk)] or [junk for junk in JUNK if "/" not in junk][:1]


# The junk that breaks things most often, for the query string and the forms of every page.
QUICK = ["\x00", "0000S1", "9" * 25, "x" * 10_000, "ᬅᬓ᭄ᬱᬭ ᬩᬮᬶ"]


def check(response, what: str) -> None:
    assert response.status_code < 500, f"{response.status_code} for {what}"


@pytest.mark.django_db
@pytest.mark.parametrize("who", PERSONAS)
def test_every_url_with_junk_answers_without_a_server_error(client_for, personas, who, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320)
    client = client_for(personas[who])
    good = good_values(entry)
    for route, converters, name in patterns():
        if name in SKIP:
            continue
        # junk in each path parameter in turn, the others good
        for parameter, converter in converters.items():
            for junk in junk_for(converter):
                url = fill(route, {**good, parameter: junk})
                check(client.get(url), f"GET {name} {parameter}={junk[:20]!r}")
            check(client.post(url, {}), f"POST {name} {parameter}={junk[:20]!r}")
        # junk in the query string and the form
        url = fill(route, good)
        for junk in QUICK:
            query = dict.fromkeys(QUERY_NAMES, junk)
            check(client.get(url, query), f"GET {name} ?{junk[:20]!r}")
            check(client.post(url, dict.fromkeys(FORM_NAMES, junk)), f"POST {name} form {junk[:20]!r}")


# --- the cases of the report, one by one ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [f"{RAD}/indicators/%00/", f"{RAD}/dashboard/indicator/%00/", f"{RAD}/indicators/1.a.1.1/?x=%00", "/rad/%00/"],
)
def test_nul_in_the_address_is_a_bad_request(client_for, personas, url):
    assert client_for(personas["reviewer"]).get(url).status_code == 400


@pytest.mark.django_db
def test_year_0_in_the_entry_forms_is_a_form_error(client_for, personas):
    client = client_for(personas["officer_a"])
    client.cookies["django_language"] = "en"
    data = {"period": "0000S1", "value": "5", "form_key": str(uuid.uuid4())}
    new = client.post(f"{RAD}/indicators/1.a.1.1/entries/new/", data)
    assert new.status_code == 200
    assert "is not a period like 2021, 2021S1 or 2021S2" in new.content.decode()
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320)
    edit = client.post(f"{RAD}/entries/{entry.pk}/edit/", {"period": "0000S1", "value": "5", "version": entry.version})
    assert edit.status_code == 200
    assert "is not a period like 2021, 2021S1 or 2021S2" in edit.content.decode()


@pytest.mark.django_db
def test_year_0_in_an_import_row_names_the_row_and_column(plan, personas):
    from django.utils import translation

    from indicators.intake.progress import import_file
    from indicators.tests.import_helpers import csv_bytes

    with translation.override("en"):
        result = import_file(
            csv_bytes([{"code": "1.a.1.1", "period": "0000S1", "value": 5}]), plan=plan, user=personas["admin"]
        )
    assert not result.ok
    assert result.rows[0].errors == [("period", "“0000S1” is not a period like 2021, 2021S1 or 2021S2.")]
