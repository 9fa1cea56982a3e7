"""In headless Chromium: the administrator invites an officer, who sets her password from the e-mail's link
and enters data; an officer without an agency sees what is missing and whom to ask.

With SCREENSHOTS=dir, the pages are saved at 1280 and 412 px wide.
"""

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from conftest import RAD, make_user, sign_in
from indicators.models import ProgressEntry
from indicators.models.roles import OFFICER

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Kefamenanu-sunrise-2026"  # noqa: S105 (a test account)


def shoot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for width in (1280, 412):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def sign_out(page) -> None:
    page.click("nav .dropdown-toggle")
    page.click("nav form[action='/accounts/logout/'] button")
    # the page's script clears the device first, then signs out: wait for the sign-in page
    page.wait_for_url("**/accounts/login/**")


def test_invite_then_the_new_officer_sets_her_password_and_enters_data(browser_page, personas, settings):
    page = browser_page
    settings.SITE_URL = page.base_url
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    sign_in(page, "admin")
    page.goto(page.base_url + f"{RAD}/")
    page.click("nav .dropdown-toggle")
    assert page.locator("nav a[href='/admin/']").is_visible()
    page.click("nav a[href='/people/']")
    page.click("text=Invite a person")
    page.fill("#id_name", "Maria Goreti Tefa")
    page.fill("#id_email", "maria.tefa@example.org")
    page.select_option("#id_role", label="Data-entry officer")  # the role by its name, not its code
    page.select_option("#id_agency", label="Disnakertrans")
    shoot(page, "people-invite")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/people/")
    assert "Maria Goreti Tefa is invited" in page.inner_text("main")
    shoot(page, "people")
    sign_out(page)

    [message] = mail.outbox
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", message.body)[0]
    page.goto(link)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/accounts/password/reset/complete/")

    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "maria.tefa")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"{RAD}/my-work/")  # an officer lands on her own page

    page.goto(page.base_url + f"{RAD}/indicators/1.a.1.1/entries/new/")
    page.select_option("#id_period", "2021S1")
    page.fill("#id_value", "120")
    page.fill("#id_narrative", "Sosialisasi di Kefamenanu.")
    page.click("main form[method='post'] button[type=submit]")
    # the form is sent by the page's script (upload progress, kept on the device offline), then the entry opens
    page.wait_for_url(re.compile(r".*/entries/\d+/$"))
    entry = ProgressEntry.objects.get()
    assert (entry.created_by.username, entry.agency.code, entry.value) == ("maria.tefa", "disnakertrans", 120)
    # the link works once: she has a password now
    page.goto(link)
    assert "The link no longer works" in page.inner_text("main")


def test_an_officer_without_an_agency_is_told_what_is_missing(browser_page, personas):
    make_user("lone", OFFICER, None)
    page = browser_page
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    sign_in(page, "lone")
    assert page.url.endswith(f"{RAD}/my-work/")
    main = page.inner_text("main")
    assert "not linked to an agency" in main
    assert "Whom to ask" in main and "admin@example.org" in main
    assert "403 Forbidden" not in page.content()
    shoot(page, "no-agency")
