"""Served speed, measured as a person's browser and many of them at once would see it.

`make loadtest`: fills the database of DATABASE_URL with the plan and the demo data (demo mode, as
`make run`), starts `make serve` (gunicorn, DEBUG=0) on 127.0.0.1:PORT, signs in, and runs wrk
(Debian: apt-get install wrk) at 32 connections against the framework's floor (a 405 through the
same middleware), each dashboard page and the summaries of one plan (`--rad SLUG`, default: the
only plan loaded), at the addresses the URL conf gives them. It prints the rate of right answers
(200; the floor's 405), the median latency, timeouts, errors (socket errors and any other status,
a redirect included) and the ratio to the floor's rate: on a shared machine, the ratio within one
run is the figure to compare. A page that does not answer 200 before the run, or any wrong answer
during it, fails the run (exit status 1, after the table).

`make lighthouse` (or `--lighthouse`): Lighthouse's phone profile (simulated slow 4G, 4x slower CPU)
on every dashboard page, signed in through a cookie header, driving Debian's Chromium; it prints
the performance score, total blocking time and the paints.

Only 127.0.0.1 is ever contacted; every wrk run is bounded in time, and the server is stopped at
the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
USERNAME = "demo_executive"  # reads dashboards and downloads summaries, as the Bupati's office does
READER_ABOVE = "demo_national"  # the country's reviewer reads the province and national pages (seed_demo)
PASSWORD = "demo-tppo-ttu"  # noqa: S105 (the documented demo password; demo data only)
PROXY = {"X-Forwarded-Proto": "https"}  # what the HTTPS reverse proxy adds in production

# (label, path, expected status): the floor answers 405 (LogoutView takes POST only), every page 200
FLOOR = ("a 405 through the same middleware (the floor)", "/accounts/logout/", 405)

# wrk counts only statuses >= 400 as errors: each thread counts every answer but the expected one
# (a redirect to the sign-in page or to a moved page is not the page), and done() adds them up.
WRK_REPORT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) expected = tonumber(args[1]); wrong = 0 end
function response(status, headers, body) if status ~= expected then wrong = wrong + 1 end end
function done(summary, latency, requests)
  local e, unexpected = summary.errors, 0
  for _, thread in ipairs(threads) do unexpected = unexpected + thread:get("wrong") end
  io.write(string.format('WRK-JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"wrong":%d,"timeout":%d,"p50":%d,"p99":%d}\\n', summary.requests, summary.duration, e.connect,
    e.read, e.write, unexpected, e.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


def addresses(plan, year: int | None = None) -> tuple[list[tuple], list[tuple[str, str]]]:
    """The plan's dashboard pages and summaries, as (label, path), reversed from the URL conf; the province and
    national pages as (label, path, username): read by the country's reviewer.

    The indicator is the plan's first and the pillar its pillar; the summaries' year is the plan's
    last but one unless given (2021 for the RAD TTU 2018–2022, as measured before).
    """
    from django.urls import reverse

    indicator = plan.indicators.select_related("activity__program__pillar").first()
    plan = type(plan).objects.select_related("region__parent").get(pk=plan.pk)
    year = year or max(plan.start_year, plan.end_year - 1)
    pages = [
        ("dashboard overview", reverse("reports:overview", args=[plan.code])),
        ("a pillar", reverse("reports:pillar", args=[plan.code, indicator.activity.program.pillar.number])),
        ("an indicator", reverse("reports:indicator", args=[plan.code, indicator.code])),
        ("kecamatan", reverse("reports:kecamatan", args=[plan.code])),
    ]
    if plan.region.parent_id:  # the pages over many plans, read as the country's reviewer
        pages += [
            ("the province", reverse("province:province", args=[plan.region.parent.code]), READER_ABOVE),
            ("the nation", reverse("national:national"), READER_ABOVE),
        ]
    summaries = [
        (f"summary {fmt.upper()} {year}", reverse("reports:year_summary", args=[plan.code, year, fmt]))
        for fmt in ("csv", "xlsx", "pdf")
    ]
    return pages, summaries


def plan_addresses(slug: str | None, year: int | None, env: dict) -> tuple[list, list]:
    """`addresses()` of the plan named by --rad (or the only one), read from the database of DATABASE_URL."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tptto_monitor.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management.base import CommandError
    from django.db import connections

    from programs.management.rad import plan_from_option

    try:
        found = addresses(plan_from_option(slug), year)
    except CommandError as error:
        sys.exit(str(error))
    connections.close_all()  # the server gets the database to itself
    return found


def manage(*args: str, env: dict) -> None:
    subprocess.run([str(PY), "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def request(port: int, method: str, path: str, headers: dict, body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, body=body, headers={**PROXY, **headers})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def wait_for(port: int, seconds: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("the server stopped while starting: see its log")
        try:
            request(port, "GET", "/accounts/login/", {})
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"no answer on 127.0.0.1:{port} after {seconds} s")


def sign_in(port: int, username: str = USERNAME) -> str:
    """The session cookie of a demo account, signed in through the real form (CSRF included)."""
    response, body = request(port, "GET", "/accounts/login/", {})
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    origin = f"https://127.0.0.1:{port}"
    form = f"csrfmiddlewaretoken={token}&username={username}&password={PASSWORD}"
    response, _ = request(
        port,
        "POST",
        "/accounts/login/",
        {
            "Cookie": f"csrftoken={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + "/accounts/login/",
        },
        form,
    )
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", "") or "")
    if response.status != 302 or not session:
        sys.exit(f"sign-in as {username} failed ({response.status})")
    return f"sessionid={session.group(1)}; csrftoken={csrf_cookie}"


def answers(port: int, path: str, cookie: str, expected: int = 200) -> None:
    """Exit unless `path` answers `expected` itself: a redirect is not the page (also the warm-up request)."""
    response, _ = request(port, "GET", path, {"Cookie": cookie})
    if response.status != expected:
        location = response.getheader("Location")
        sys.exit(f"{path} answered {response.status}, not {expected}" + (f" (to {location})" if location else ""))


def wrk(port: int, path: str, cookie: str, seconds: int, connections: int, script: str, expected: int = 200) -> dict:
    """wrk's figures; `rps` counts only the answers with the `expected` status, `errors` all the others."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "2s", "-s", script]
    for name, value in {**PROXY, "Cookie": cookie}.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}", "--", str(expected)],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    result = json.loads(re.search(r"WRK-JSON (.*)", output).group(1))
    result["errors"] = result["connect"] + result["read"] + result["write"] + result["wrong"]
    result["rps"] = (result["requests"] - result["wrong"]) / (result["duration_us"] / 1e6)
    return result


def reader(page: tuple) -> str:
    """Who reads the page: (label, path) by USERNAME, (label, path, username) by that user."""
    return page[2] if len(page) > 2 else USERNAME


WARM_UP_SECONDS = 2


def loadtest(port: int, cookies: dict[str, str], paths: list[tuple], seconds: int, connections: int) -> int:
    """Print the table; the number of wrong answers (any status but the expected one, socket errors).

    Each path is first asked for WARM_UP_SECONDS by wrk, not counted: every worker process then has its modules,
    templates and cached page, as a server that has been up for a while has. The floor is measured first and
    again last; each page's ratio is to the faster of the two (on a shared machine the floor alone moved by a
    third between runs)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(WRK_REPORT)
    rows = []
    floor_label, floor_path, floor_status = FLOOR
    for label, path, expected, username in [
        (floor_label, floor_path, floor_status, USERNAME),
        *((page[0], page[1], 200, reader(page)) for page in paths),
        (f"{floor_label}, again at the end", floor_path, floor_status, USERNAME),
    ]:
        cookie = cookies[username]
        answers(port, path, cookie, expected)
        warm_up = wrk(port, path, cookie, WARM_UP_SECONDS, connections, lua.name, expected)
        result = wrk(port, path, cookie, seconds, connections, lua.name, expected)
        result["errors"] += warm_up["errors"]  # a wrong answer while warming up is a wrong answer all the same
        rows.append((label if username == USERNAME else f"{label} (as {username})", path, result))
        print(f"  measured {path}: {result['rps']:.1f} requests/s, {result['errors']} errors", file=sys.stderr)
    os.unlink(lua.name)
    floor = max(rows[0][2]["rps"], rows[-1][2]["rps"])
    print(f"\nwrk, {connections} connections, {seconds} s per path after {WARM_UP_SECONDS} s of warm-up, signed in")
    print(f"as {USERNAME} unless said; the ratio is to the faster of the two floor runs:\n")
    print("| path | requests/s | p50 | timeouts | errors | ratio to the floor |")
    print("|---|---|---|---|---|---|")
    for label, path, r in rows:
        print(
            f"| {label}: `{path}` | {r['rps']:.1f} | {r['p50'] / 1000:.0f} ms | {r['timeout']} | {r['errors']} "
            f"| {r['rps'] / floor:.2f} |"
        )
    return sum(r["errors"] for _label, _path, r in rows)


def lighthouse(port: int, cookies: dict[str, str], pages: list[tuple], keep: Path | None) -> None:
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        sys.exit("Lighthouse is a pinned npm dev dependency: run `make assets` (npm ci) first")
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
    print("\nLighthouse, phone profile (simulated slow 4G, 4x CPU slowdown), performance only:\n")
    print("| page | performance | total blocking time | first contentful paint | largest contentful paint | CLS |")
    print("|---|---|---|---|---|---|")
    for page in pages:
        label, path, cookie = page[0], page[1], cookies[reader(page)]
        headers = json.dumps({**PROXY, "Cookie": cookie})
        answers(port, path, cookie)
        with tempfile.TemporaryDirectory() as tmp:
            report = (keep or Path(tmp)) / f"lighthouse-{re.sub(r'[^a-z0-9]+', '-', label)}.json"
            command = [
                str(binary),
                f"http://127.0.0.1:{port}{path}",
                "--only-categories=performance",
                "--output=json",
                f"--output-path={report}",
                f"--extra-headers={headers}",
                f"--chrome-flags={flags}",
                "--quiet",
            ]
            env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
            # one more try: on a loaded machine Chromium now and then fails to start in time
            if subprocess.run(command, env=env, timeout=300).returncode != 0:
                subprocess.run(command, env=env, check=True, timeout=300)
            data = json.loads(report.read_text())
        audits = data["audits"]
        print(
            f"| {label}: `{path}` | {data['categories']['performance']['score']:.2f} "
            f"| {audits['total-blocking-time']['numericValue']:.0f} ms "
            f"| {audits['first-contentful-paint']['numericValue'] / 1000:.1f} s "
            f"| {audits['largest-contentful-paint']['numericValue'] / 1000:.1f} s "
            f"| {audits['cumulative-layout-shift']['numericValue']:.3f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--rad", metavar="SLUG", help="the plan measured (default: the only plan loaded)")
    parser.add_argument("--year", type=int, help="the summaries' year (default: the plan's last but one)")
    parser.add_argument("--seconds", type=int, default=20, help="wrk duration per path")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--lighthouse", action="store_true", help="Lighthouse instead of wrk")
    parser.add_argument("--no-seed", action="store_true", help="use the database as it is")
    parser.add_argument("--only", help="only the paths that contain this (the floor is always measured)")
    parser.add_argument("--keep-reports", type=Path, help="keep Lighthouse's JSON reports in this folder")
    args = parser.parse_args()

    env = {**os.environ, "DEBUG": "1", "DEMO": "1"}
    if not args.no_seed:
        print("Loading the plan and the demo data…", file=sys.stderr)
        manage("migrate", "--no-input", env=env)
        manage("load_plan", env=env)
        manage("seed_demo", "--if-demo-mode", *(["--rad", args.rad] if args.rad else []), env=env)
    pages, summaries = plan_addresses(args.rad, args.year, env)
    if args.only:
        pages = [page for page in pages if args.only in page[1]]
        summaries = [summary for summary in summaries if args.only in summary[1]]

    log = tempfile.NamedTemporaryFile("w", prefix="tppo-serve-", suffix=".log", delete=False)  # noqa: SIM115
    print(f"Starting `make serve` on 127.0.0.1:{args.port} (its log: {log.name})…", file=sys.stderr)
    serve_env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DEMO", "MAKEFLAGS", "MAKELEVEL")}
    # wrk's 32 connections are one signed-in reader: her per-person download limits (30 a minute, 2 at once:
    # tptto_monitor/lib/limits.py, with tests of their own) would answer 429 to nearly all of them. The load test
    # measures serving many readers at once, so its own server lifts them unless they are set.
    serve_env.setdefault("DOWNLOADS_PER_MINUTE", "1000000")
    serve_env.setdefault("DOWNLOADS_AT_ONCE", "1000")
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={args.port}"],
        cwd=ROOT,
        env=serve_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so the whole server stops at the end
    )
    wrong = 0
    try:
        wait_for(args.port, 180, server)
        cookies = {username: sign_in(args.port, username) for username in {USERNAME, *map(reader, pages)}}
        if args.lighthouse:
            lighthouse(args.port, cookies, pages, args.keep_reports)
        else:
            wrong = loadtest(args.port, cookies, [*pages, *summaries], args.seconds, args.connections)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    if wrong:
        sys.exit(f"\n{wrong} wrong answers (a socket error, or a status other than the one expected): see the table")


if __name__ == "__main__":
    main()
