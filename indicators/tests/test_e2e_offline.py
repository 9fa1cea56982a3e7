"""Field entry that never loses work (issue 17), in headless Chromium with the server's database as witness.

An officer opens My work once online; offline she saves entries with photos on the device; the browser
is closed and opened again (a persistent profile) and the queue is still there; back online it is sent:
exactly one entry per queued item, each with its photo made smaller on the phone; what the server
refuses comes back with its message and, once fixed, is accepted. Signing out clears the device.
Chromium's own installability check (CDP Page.getInstallabilityErrors) finds no error.

With SCREENSHOTS=<folder>, My work offline with its queue, a refused item and the form are saved there
at 412 px; with TIMINGS=1, the time to save on the device and to send 5 entries with photos on
Chromium's Slow 3G profile are printed.
"""

import contextlib
import os
import re
import time

import pytest
from PIL import Image

from conftest import PASSWORD, RAD, _chromium_path, open_account_menu_on_a_phone
from indicators.models import Evidence, ProgressEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MY_WORK = f"{RAD}/my-work/"
ENTRY_PAGE = re.compile(r".*/entries/\d+/$")  # a saved entry's page (not the form at …/entries/new/)
FORM = f"{RAD}/indicators/1.a.1.1/entries/new/"
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 500 * 1024 / 8, "uploadThroughput": 500 * 1024 / 8}


@pytest.fixture
def browser(live_server, settings, monkeypatch, tmp_path):
    """launch(): a Chromium with a persistent profile in tmp_path (the same one at each launch)."""
    executable = _chromium_path()
    if executable is None:
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail("Chromium is required for the end-to-end tests (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        contexts = []

        def launch():
            context = playwright.chromium.launch_persistent_context(
                str(tmp_path / "profile"),
                executable_path=executable,
                args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
                viewport={"width": 412, "height": 900},
                locale="en-GB",
            )
            contexts.append(context)
            page = context.pages[0] if context.pages else context.new_page()
            page.base_url = live_server.url
            page.on("dialog", lambda dialog: dialog.accept())
            return context, page

        yield launch
        for context in contexts:
            with contextlib.suppress(Exception):  # closed by the test already
                context.close()
    from django.db import connections

    connections.close_all()


def camera_photo(path, width=4000, height=3000) -> str:
    """A 12 Mpx 'camera photo' of noise (noise compresses badly, as a real photo's detail does)."""
    image = Image.effect_noise((width, height), 64).convert("RGB")
    image.save(path, "JPEG", quality=95)
    return str(path)


def sign_in(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def ready(page) -> None:
    page.wait_for_selector("html[data-offline-ready]", state="attached")


def save_offline(page, *, value: str, male: str, female: str, photo: str | None) -> float:
    """Open the kept form offline, fill it, save; the seconds from the tap on Save to My work's queue."""
    page.goto(page.base_url + FORM)
    ready(page)
    page.fill("#id_value", value)
    page.fill("#id_male", male)
    page.fill("#id_female", female)
    page.fill("#id_narrative", "Sosialisasi di aula kecamatan.")
    if photo:
        page.set_input_files("#id_evidence", photo)
        page.wait_for_selector(".upload-progress-text:has-text('→')")  # made smaller on the phone
    started = time.monotonic()
    page.click("form.entry-form button[type=submit]")
    page.wait_for_url(f"**{MY_WORK}")
    page.wait_for_selector("#device-queue:not([hidden]) .device-queue-item")
    return time.monotonic() - started


def shoot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}-412.png"), full_page=True)


def queue_items(page) -> list[str]:
    return page.locator("#device-queue .device-queue-item").all_inner_texts()


def test_offline_queue_survives_a_restart_and_is_sent_once(browser, personas, tmp_path):
    context, page = browser()
    sign_in(page, "officer_a")
    assert page.url.endswith(MY_WORK)
    ready(page)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_selector("html[data-pages-kept]", state="attached")
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    # Chromium's own installability check: manifest and service worker
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

    context.set_offline(True)
    photo = camera_photo(tmp_path / "IMG_0001.jpg")
    save_offline(page, value="320", male="150", female="170", photo=photo)
    save_offline(page, value="40", male="20", female="20", photo=photo)
    save_offline(page, value="25", male="10", female="10", photo=None)  # 10 + 10 is not 25: refused
    assert page.inner_text("#device-queue .device-queue-count").strip().endswith("3 entries waiting to be sent.")
    shoot(page, "queue-offline")
    assert ProgressEntry.objects.count() == 0  # nothing reached the server

    context.close()  # the browser is closed …
    context, page = browser()  # … and opened again, still without a connection
    context.set_offline(True)
    page.goto(page.base_url + MY_WORK)
    ready(page)
    assert len(queue_items(page)) == 3

    context.set_offline(False)
    # the session ended with the browser: the queue waits for her to sign in again, then sends itself
    page.click("#device-queue .device-queue-send")
    page.wait_for_selector("#device-queue .device-queue-count:has-text('sign in again')")
    assert ProgressEntry.objects.count() == 0
    sign_in(page, "officer_a")
    page.wait_for_selector("#device-queue .device-queue-refused")
    assert len(queue_items(page)) == 1
    assert page.inner_text("#device-queue .device-queue-count").strip() == (
        "Refused by the server, to fix and send again: 1."
    )
    refused = page.inner_text("#device-queue .device-queue-refused")
    assert "Men and women (20) must add up to the number (25)" in refused
    shoot(page, "refused-item")

    # exactly one entry per item sent, each with its photo, made smaller on the phone
    entries = list(ProgressEntry.objects.order_by("value"))
    assert [(e.value, e.male, e.female) for e in entries] == [(40, 20, 20), (320, 150, 170)]
    assert all(e.created_by == personas["officer_a"] for e in entries)
    photos = list(Evidence.objects.order_by("entry__value"))
    assert [p.entry_id for p in photos] == [e.pk for e in entries]
    assert os.path.getsize(photo) > 3_000_000
    assert all(p.size <= 600 * 1024 and p.thumbnail for p in photos)
    with Image.open(photos[0].file.open("rb")) as sent:
        assert max(sent.size) <= 1600  # at most 1600 px (smaller still when 1600 px would weigh over ~500 KB)

    # opening My work again (which sends what waits) sends nothing twice
    page.reload()
    ready(page)
    assert ProgressEntry.objects.count() == 2

    # the refused one, fixed and sent again, is accepted
    page.click("#device-queue .device-queue-refused a")
    page.wait_for_selector("form.entry-form .alert-danger")
    assert page.input_value("#id_value") == "25"
    page.fill("#id_female", "15")
    page.click("form.entry-form button[type=submit]")
    page.wait_for_url(ENTRY_PAGE)
    assert sorted(ProgressEntry.objects.values_list("value", "male", "female")) == [
        (25, 10, 15),
        (40, 20, 20),
        (320, 150, 170),
    ]
    page.goto(page.base_url + MY_WORK)
    ready(page)
    assert queue_items(page) == []

    # signing out with something unsent (here refused) warns (accepted here) and clears the device
    context.set_offline(True)
    save_offline(page, value="5", male="2", female="2", photo=None)
    context.set_offline(False)
    page.click("#device-queue .device-queue-send")
    page.wait_for_selector("#device-queue .device-queue-refused")
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    open_account_menu_on_a_phone(page)
    page.click("nav form[action='/accounts/logout/'] button")
    page.wait_for_url("**/accounts/login/**")
    left = page.evaluate(
        """async () => {
            const names = await caches.keys();
            const request = indexedDB.open('tppo-offline');
            const db = await new Promise((ok) => { request.onsuccess = () => ok(request.result); });
            const items = await new Promise((ok) => {
                const all = db.transaction('queue').objectStore('queue').getAll();
                all.onsuccess = () => ok(all.result.length);
            });
            return {caches: names.filter((n) => n.startsWith('tppo-pages')).length, items};
        }"""
    )
    assert left == {"caches": 0, "items": 0}
    assert dialogs == [
        "1 entry on this device has not been sent yet. Signing out deletes it from this device. Sign out anyway?"
    ]
    assert ProgressEntry.objects.count() == 3


@pytest.mark.skipif(not os.environ.get("TIMINGS"), reason="timings on Slow 3G: TIMINGS=1")
def test_timings_on_slow_3g(browser, personas, tmp_path):
    """On Chromium's Slow 3G profile: saving on the device, one entry with a photo sent at once, and the
    queue of five entries with photos sent when the connection returns (printed; the bounds are loose)."""
    context, page = browser()
    sign_in(page, "officer_a")
    ready(page)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_selector("html[data-pages-kept]", state="attached")
    photo = camera_photo(tmp_path / "IMG_0002.jpg")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")

    # one entry with a photo, online on Slow 3G: from the tap on Save to the entry's page
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    page.goto(page.base_url + FORM, timeout=120_000)
    ready(page)
    page.fill("#id_value", "7")
    page.set_input_files("#id_evidence", photo)
    page.wait_for_selector(".upload-progress-text:has-text('→')")
    started = time.monotonic()
    page.click("form.entry-form button[type=submit]")
    page.wait_for_url(ENTRY_PAGE, timeout=180_000)
    online_save = time.monotonic() - started

    cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "offline": True})
    context.set_offline(True)
    on_device = [save_offline(page, value=str(10 + n), male="", female="", photo=photo) for n in range(5)]
    context.set_offline(False)
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    started = time.monotonic()
    page.click("#device-queue .device-queue-send")
    page.wait_for_selector("#device-queue", state="hidden", timeout=600_000)  # nothing left to show
    sync = time.monotonic() - started
    assert ProgressEntry.objects.count() == 6 and Evidence.objects.count() == 6
    sizes = sorted(Evidence.objects.values_list("size", flat=True))
    print(
        f"\nSlow 3G: online save with a photo {online_save:.1f} s; saved on the device "
        f"{min(on_device):.2f}–{max(on_device):.2f} s; 5 entries with photos sent in {sync:.1f} s; "
        f"photos sent {min(sizes) // 1024}–{max(sizes) // 1024} KB "
        f"from a {os.path.getsize(photo) // 1024} KB camera photo"
    )
    assert max(on_device) < 10
