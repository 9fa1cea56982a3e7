"""Many app servers: two gunicorn processes on one database and one Redis (CACHE_URL) agree."""

import csv
import io
import re
import uuid

from conftest import PASSWORD, RAD, require_redis
from tptto_monitor.tests.servers import AppServer, Browser, manage, server_env

USERS = f"""
from django.contrib.auth.models import Group, User
from programs.models import Agency, Region, StaffProfile
for name, group, agency in [("officer", "officer", "disnakertrans"), ("verifier", "verifier", "sekretariat"),
                            ("reviewer", "reviewer", None)]:
    user = User.objects.create_user(name, password="{PASSWORD}")
    user.groups.add(Group.objects.get(name=group))
    StaffProfile.objects.create(
        user=user, agency=Agency.objects.get(code=agency, region__code="53.03") if agency else None,
        region=Region.objects.get(code="53.03"),
    )
"""


def redis_keys(url: str, prefix: str) -> list[bytes]:
    import redis

    return list(redis.Redis.from_url(url).scan_iter(match=f"{prefix}:*"))


def pillar1_2018(browser: Browser, server: AppServer) -> str:
    status, _, body = browser.get(server.url + f"{RAD}/dashboard/?csv=pillar-years")
    assert status == 200
    return next(row for row in csv.reader(io.StringIO(body)) if row[:2] == ["Pillar 1", "2018"])[2]


def test_two_app_servers_show_the_same_figures_after_a_write(tmp_path):
    redis_url = require_redis()
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    env = server_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        CACHE_URL=redis_url,
        CACHE_KEY_PREFIX=prefix,
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    manage(env, "migrate", "--no-input")
    manage(env, "load_plan")
    manage(env, "shell", stdin=USERS)
    try:
        with AppServer(env) as a, AppServer(env) as b:
            reviewer = Browser()
            reviewer.sign_in(a, "reviewer", PASSWORD)
            # one session works on both servers, as behind a load balancer without sticky sessions
            assert pillar1_2018(reviewer, a) == "0"
            assert any(key.startswith(f"{prefix}:1:rollup-2:".encode()) for key in redis_keys(redis_url, prefix))
            assert pillar1_2018(reviewer, b) == "0"

            # An officer logs 700 on server B and submits it; the verifier verifies it on server A.
            officer = Browser()
            officer.sign_in(b, "officer", PASSWORD)
            form = {"period": "2018S1", "value": "700", "form_key": str(uuid.uuid4())}  # the form's one-time key
            status, page, _ = officer.post(b.url + f"{RAD}/indicators/1.a.1.1/entries/new/", form)
            entry = re.search(rf"{RAD}/entries/(\d+)/$", page)
            assert status == 200 and entry, page
            officer.post(f"{b.url}{RAD}/entries/{entry[1]}/submit/", {})
            verifier = Browser()
            verifier.sign_in(a, "verifier", PASSWORD)
            status, page, _ = verifier.post(f"{a.url}{RAD}/entries/{entry[1]}/verify/", {})
            assert status == 200 and page.endswith(f"{RAD}/verification/")

            # 700 of 2018's target of 1,000 = 70 %, one of the pillar's 10 indicators due in 2018 → 7 (written whole)
            assert pillar1_2018(reviewer, a) == "7"
            assert pillar1_2018(reviewer, b) == "7"
    finally:
        import redis

        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
