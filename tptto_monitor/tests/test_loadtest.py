"""scripts/loadtest.py measures the pages themselves: their real addresses, and only 200 counts as an answer."""

import importlib.util
import shutil
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from conftest import RAD


def load_script():
    spec = importlib.util.spec_from_file_location("loadtest", Path(settings.BASE_DIR) / "scripts" / "loadtest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


loadtest = load_script()


@pytest.fixture
def server():
    """A server on a free local port answering every GET with the status set in `server.status`."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn answers wrk

        def do_GET(self):
            self.send_response(httpd.status)
            if httpd.status == 302:
                self.send_header("Location", "/accounts/login/?next=/dashboard/")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # wrk drops its connections at the end of its run

    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.status = 200
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.django_db
def test_the_measured_addresses_are_the_plans_own_and_answer_200(plan, personas, client_for):
    from programs.models import StaffProfile

    pages, summaries = loadtest.addresses(plan)
    assert [page[1] for page in pages] == [
        f"{RAD}/dashboard/",
        f"{RAD}/dashboard/pillar/1/",
        f"{RAD}/dashboard/indicator/1.a.1.1/",  # the plan's first indicator
        f"{RAD}/dashboard/kecamatan/",
        "/province/53/",  # the plan's province (NTT) and the nation, read by the country's reviewer
        "/national/",
    ]
    assert [loadtest.reader(page) for page in pages] == [*["demo_executive"] * 4, *["demo_national"] * 2]
    # the plan runs 2018–2022: its last year but one
    assert [path for _label, path in summaries] == [
        f"{RAD}/reports/2021/summary.{fmt}" for fmt in ("csv", "xlsx", "pdf")
    ]
    client = client_for(personas["executive"])  # the demo account the script signs in as has this role
    for page in [*pages[:4], *summaries]:
        assert client.get(page[1]).status_code == 200, page
    assert client.get("/national/").status_code == 404  # not hers: the country's reviewer reads it
    reviewer = personas["reviewer"]
    StaffProfile.objects.filter(user=reviewer).update(region=None, agency=None, national=True)
    client = client_for(reviewer)  # the demo country's reviewer: a reviewer whose profile is the country's
    for page in pages[4:]:
        assert client.get(page[1]).status_code == 200, page


def test_a_redirect_is_not_the_page(server):
    server.status = 302
    with pytest.raises(SystemExit, match="302, not 200"):
        loadtest.answers(server.server_port, "/dashboard/", cookie="")
    server.status = 200
    assert loadtest.answers(server.server_port, "/dashboard/", cookie="") is None


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")
@pytest.mark.parametrize(("status", "expected", "counted"), [(200, 200, True), (302, 200, False), (405, 405, True)])
def test_wrk_counts_only_the_expected_status(server, status, expected, counted):
    server.status = status
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(loadtest.WRK_REPORT)
        lua.flush()
        result = loadtest.wrk(server.server_port, "/", "", seconds=1, connections=2, script=lua.name, expected=expected)
    assert result["requests"] > 0
    if counted:
        assert result["errors"] == 0 and result["rps"] > 0
    else:
        assert result["errors"] == result["requests"] and result["rps"] == 0
