"""Measures what the dashboard transfers on a first load and on a repeat visit.

Run against a production-like server (DEBUG=0, gunicorn, whitenoise) with the demo data:
    .venv/bin/python scripts/page_weight.py http://127.0.0.1:8011
"""

import sys
from playwright.sync_api import sync_playwright
base = sys.argv[1]
with sync_playwright() as p:
    b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update","--disable-sync"])
    ctx = b.new_context()
    pg = ctx.new_page()
    pg.goto(base + "/accounts/login/")
    pg.fill("#id_username", "demo_reviewer"); pg.fill("#id_password", "demo-tppo-ttu"); pg.click("main button[type=submit]")
    pg.wait_for_load_state("networkidle")
    # fresh cache for the first load: a new context with the same cookies
    cookies = ctx.cookies()
    for label in ("first load", "repeat visit"):
        if label == "first load":
            ctx2 = b.new_context(); ctx2.add_cookies(cookies); page = ctx2.new_page()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        sizes = {}
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
        urls = {}
        cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], (e["response"]["url"], e["response"].get("fromDiskCache"), e["response"]["status"])))
        page.goto(base + "/dashboard/"); page.wait_for_load_state("networkidle"); page.wait_for_timeout(500)
        total = sum(sizes.values())
        print(f"{label}: {total/1024:.1f} KB transferred in {len(sizes)} requests")
        for rid, n in sorted(sizes.items(), key=lambda kv: -kv[1]):
            print(f"   {n/1024:8.1f} KB  {urls.get(rid)}")
    b.close()
