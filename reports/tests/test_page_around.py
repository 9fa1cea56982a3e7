"""The page around a dashboard's content is kept per reader, address and language (reports.views.around.render):
the second request renders no template, and still shows the reader's own page, a working CSRF token masked anew, a
message once, the demo banner as the data are, and the language form returning to its own address."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client

from conftest import rad_url
from indicators.tests.factories import entry
from reports.views import around

PAGE = rad_url("reports:overview")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEXT = re.compile(r'name="next" type="hidden" value="([^"]*)"')


def without_tokens(response) -> str:
    return TOKEN.sub("", response.content.decode())


def test_the_second_page_renders_no_template_and_is_the_same_page(client_for, personas):
    client = client_for(personas["reviewer"])
    first = client.get(PAGE)
    second = client.get(PAGE)
    assert first.context is not None  # rendered
    assert second.context is None  # not rendered: the content and the page around it kept
    assert without_tokens(second) == without_tokens(first)
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert around.MARK not in second.content.decode()


def test_the_kept_page_carries_a_csrf_token_that_works(client_for, personas):
    client = client_for(personas["reviewer"])
    client.get(PAGE)
    kept = client.get(PAGE)
    assert kept.context is None
    tokens = TOKEN.findall(kept.content.decode())
    assert len(tokens) == 2 and len(set(tokens)) == 1  # the language form and the sign-out form: one token a page
    assert tokens[0] not in TOKEN.findall(client.get(PAGE).content.decode())  # masked anew on the next page

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas["reviewer"])
    strict.get(PAGE)
    page = strict.get(PAGE)
    assert page.context is None
    token = TOKEN.findall(page.content.decode())[0]
    refused = strict.post("/i18n/setlang/", {"language": "en", "next": PAGE})
    assert refused.status_code == 403  # no token: refused, so the one below is what lets the form through
    switched = strict.post("/i18n/setlang/", {"language": "en", "next": PAGE, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302 and switched.cookies["django_language"].value == "en"


def test_a_message_is_shown_once_and_not_kept(client_for, personas):
    client = client_for(personas["reviewer"])
    client.get(PAGE)  # the page around kept without a message
    response = client.get(PAGE + "?year=1999")  # an ignored filter is said so in a message
    assert 'class="alert alert-warning"' in response.content.decode()
    again = client.get(PAGE + "?year=1999")  # the message's page around was not kept: rendered, and said once more
    assert 'class="alert alert-warning"' in again.content.decode()
    assert 'class="alert alert-warning"' not in client.get(PAGE).content.decode()


def test_a_message_left_by_another_page_is_shown_on_the_kept_page(client_for, personas, rf):
    client = client_for(personas["reviewer"])
    client.get(PAGE)
    assert client.get(PAGE).context is None  # kept
    # a message added by a form on another page before its redirect, in the cookie MessageMiddleware sets
    left = CookieStorage(rf.get("/"))
    left.add(constants.SUCCESS, "Entry saved for the record")
    response = HttpResponse()
    left.update(response)
    client.cookies[left.cookie_name] = response.cookies[left.cookie_name].value
    shown = client.get(PAGE).content.decode()
    assert "Entry saved for the record" in shown
    assert "Entry saved for the record" not in client.get(PAGE).content.decode()  # once


def test_the_demo_banner_follows_the_data(client_for, personas, settings):
    settings.DEMO_MODE = True
    client = client_for(personas["reviewer"])
    assert "Demo data" not in client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    entry("1.a.1.1", "2021S1", value=5, is_demo=True)
    assert "Demo data" in client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_language_form_returns_to_the_page_s_own_address(client_for, personas):
    client = client_for(personas["reviewer"])
    for ask in ("?year=2021", "?year=2020", "?year=2021"):
        page = client.get(PAGE + ask)
        assert NEXT.findall(page.content.decode()) == [PAGE + ask]


def test_a_page_around_that_does_not_show_its_content_once_is_refused(rf, personas):
    request = rf.get(PAGE)
    request.user = personas["reviewer"]
    request._messages = CookieStorage(request)
    with pytest.raises(ValueError, match="base.html must show its title and content once each"):
        around.render(request, "base.html", "a title", "a content")
