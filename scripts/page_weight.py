"""Measures what the dashboard transfers on a first load and on a repeat visit.

Run against a production-like server (DEBUG=0, gunicorn, whitenoise) holding the demo data:

    .venv/bin/python scripts/page_weight.py http://127.0.0.1:8011 [username] [password] [plan-slug]

Without a plan's slug, the plan signing in leads to (the user's regency's only active plan).

It prints the bytes on the wire (compressed), per request, as Chromium's network log reports them.
"""

import re
import sys

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def measure(page, url: str) -> tuple[int, list[tuple[int, str]]]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.responseReceived", lambda event: urls.__setitem__(event["requestId"], event["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
    response = page.goto(url)
    # a redirect (to the sign-in page, or elsewhere) or an error page is not the dashboard: measured, it would lie
    if response is None or response.status != 200 or page.url != url:
        status = response.status if response else "no response"
        raise SystemExit(f"{url} answered {status} at {page.url}: not measured")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    rows = sorted(((size, urls.get(request, "?")) for request, size in sizes.items()), reverse=True)
    return sum(sizes.values()), rows


def main(base: str, username: str = "demo_reviewer", password: str = "demo-tppo-ttu", rad: str = "") -> None:  # noqa: S107
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        sign_in = browser.new_context().new_page()
        sign_in.goto(base + "/accounts/login/")
        sign_in.fill("#id_username", username)
        sign_in.fill("#id_password", password)
        sign_in.click("main button[type=submit]")
        sign_in.wait_for_load_state("networkidle")
        if "/accounts/login/" in sign_in.url:
            raise SystemExit(f"signing in as {username} failed (still at {sign_in.url}): not measured")
        if rad:
            dashboard = f"{base}/rad/{rad}/dashboard/"
        elif re.search(r"/rad/[\w-]+/$", sign_in.url):  # signing in leads to the plan's page, /rad/<slug>/
            dashboard = sign_in.url + "dashboard/"
        else:
            raise SystemExit(f"signing in led to {sign_in.url}, not one plan's page: name the plan's slug")
        context = browser.new_context()  # an empty cache, signed in
        context.add_cookies(sign_in.context.cookies())
        page = context.new_page()
        for label in ("first load", "repeat visit"):
            total, rows = measure(page, dashboard)
            print(f"{label}: {total / 1024:.1f} KB in {len(rows)} requests")
            for size, url in rows:
                print(f"  {size / 1024:8.1f} KB  {url}")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
