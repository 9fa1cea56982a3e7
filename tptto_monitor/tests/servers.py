"""Real app servers for tests: gunicorn processes on a database and a Redis of the test's own.

Used where a test must cross a process boundary (several app servers behind one load
balancer, a restore into a fresh database); everything else uses Django's test client.
"""

import http.cookiejar
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Variables of the developer's or CI's shell that must not leak into a server of the test's own.
OWN_SETTINGS = ("DATABASE_URL", "CACHE_URL", "CACHE_KEY_PREFIX", "DEBUG", "SECRET_KEY", "MEDIA_ROOT", "DEMO")


def server_env(**settings: str) -> dict[str, str]:
    """The environment of a server of the test's own. No task worker runs beside it, so nothing is queued after
    a write (the stored figures and the files built ahead are computed when asked for, as without a worker)."""
    env = {key: value for key, value in os.environ.items() if key not in OWN_SETTINGS}
    env.update(DEBUG="1", DEMO="0", BUILD_FILES_AHEAD="0", FIGURES_STORED_AHEAD="0")
    env.update(settings)
    return env


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run manage.py in a process of its own; raise with its output when it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    # the kernel hands out a port nobody listens on, so parallel test runs never collide
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """`with AppServer(env) as server:` a gunicorn worker serving the project at server.url."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "AppServer":
        command = [sys.executable, "-m", "gunicorn", "tptto_monitor.wsgi:application"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--threads", "1", "--timeout", "60"]
        # its log goes to a file: an unread pipe fills up (64 KB) and a server writing to it stops answering
        self.log = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise AssertionError(f"gunicorn stopped: {self.log.read()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5):
                    return self
            except urllib.error.HTTPError:
                return self  # it answers (a 503 says what is wrong with the set-up, not that it is not up)
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        self.__exit__()
        raise AssertionError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.log.close()


class Browser:
    """A user agent with its own cookies, talking to any server: sessions live in the shared database."""

    def __init__(self, language: str = "en"):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.opener.addheaders = [("Accept-Language", language)]

    def get(self, url: str) -> tuple[int, str, str]:
        """(status, final url after redirects, body)."""
        return self._open(urllib.request.Request(url))

    def post(self, url: str, data: dict[str, str]) -> tuple[int, str, str]:
        token = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        return self._open(urllib.request.Request(url, data=body, method="POST"))

    def sign_in(self, server: AppServer, username: str, password: str) -> None:
        self.get(server.url + "/accounts/login/")  # sets the CSRF cookie
        status, final, _ = self.post(server.url + "/accounts/login/", {"username": username, "password": password})
        assert status == 200 and "/accounts/login/" not in final, f"{username} could not sign in"

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode()
