"""A real task worker (`manage.py db_worker`) as a process of its own, on the test's database."""

import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from tptto_monitor.tests.servers import server_env

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database as DATABASE_URL names it, for a process of its own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(settings, jobs_cache_folder) -> subprocess.Popen:
    env = server_env(
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        JOBS_CACHE_DIR=str(jobs_cache_folder),
        WORKER_HEARTBEAT_SECONDS="1",
    )
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1", "--no-startup-delay"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    worker.stderr.close()


def wait_until(condition, seconds: float, what: str, worker: subprocess.Popen):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (value := condition()) is not None and value is not False:
            return value
        if worker.poll() is not None:
            raise AssertionError(f"the worker stopped: {worker.stderr.read()}")
        time.sleep(0.02)
    raise AssertionError(f"not within {seconds} s: {what}")
