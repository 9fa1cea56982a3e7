"""Settings come from the environment and fail loudly, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tptto_monitor.env import env_bool, env_database, env_int

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_malformed_database_url_names_the_variable(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "not a url")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", "sqlite:///x.sqlite3")


def test_database_url_of_unsupported_engine_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/test")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", "sqlite:///x.sqlite3")


def test_postgres_url_is_parsed(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tppo")
    config = env_database("DATABASE_URL", "sqlite:///x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "tppo"
    assert config["HOST"] == "127.0.0.1"


def test_bad_boolean_and_integer_name_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", True)
    monkeypatch.setenv("EVIDENCE_MAX_BYTES", "ten")
    with pytest.raises(ImproperlyConfigured, match="EVIDENCE_MAX_BYTES"):
        env_int("EVIDENCE_MAX_BYTES", 1)


def test_start_up_stops_on_malformed_database_url():
    result = run_manage("check", DATABASE_URL="postgres//nohost")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_production_needs_a_secret_key():
    result = run_manage("check", DEBUG="0", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_profile_passes_check_deploy_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 20 + "-a-long-random-production-secret-9f8e7d6c5b4a",
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
