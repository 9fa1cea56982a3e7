"""Settings come from the environment and fail loudly, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tptto_monitor.env import env_bool, env_database, env_email, env_email_address, env_int

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    ours = ("DATABASE_URL", "DEBUG", "SECRET_KEY", "EMAIL_URL", "DEFAULT_FROM_EMAIL")
    full_env = {k: v for k, v in os.environ.items() if k not in ours}
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


def test_email_url_smtp_with_starttls(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://tppo%40ttukab.go.id:s%3Acret@mail.ttukab.go.id:587")
    config = env_email("EMAIL_URL", "console://")
    assert config == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.ttukab.go.id",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "tppo@ttukab.go.id",
        "EMAIL_HOST_PASSWORD": "s:cret",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30,
    }


def test_email_url_smtps_defaults_to_port_465(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtps://mail.example.org")
    config = env_email("EMAIL_URL", "console://")
    assert (config["EMAIL_PORT"], config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"]) == (465, True, False)


def test_email_url_relay_without_tls(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://127.0.0.1:25?tls=0&timeout=5")
    config = env_email("EMAIL_URL", "console://")
    assert (config["EMAIL_PORT"], config["EMAIL_USE_TLS"], config["EMAIL_TIMEOUT"]) == (25, False, 5)
    assert config["EMAIL_HOST_USER"] == config["EMAIL_HOST_PASSWORD"] == ""


def test_email_url_defaults_to_the_console(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    assert env_email("EMAIL_URL", "console://") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


@pytest.mark.parametrize(
    "value",
    [
        "mail.example.org",
        "ftp://mail.example.org",
        "smtp://",
        "smtp://mail.example.org:99999",
        "smtp://h:0",
        "smtp://h:587?tls=maybe",
        "smtp://h:587?ssl=1",
        "smtp://h:587?timeout=soon",
    ],
)
def test_malformed_email_url_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("EMAIL_URL", value)
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env_email("EMAIL_URL", "console://")


def test_start_up_stops_on_malformed_email_url():
    result = run_manage("check", EMAIL_URL="smtp//mail.example.org")
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr


def test_start_up_stops_on_malformed_sender():
    result = run_manage("check", DEFAULT_FROM_EMAIL="TPPO Monitor")
    assert result.returncode != 0
    assert "DEFAULT_FROM_EMAIL" in result.stderr


def test_sender_with_a_display_name_is_accepted(monkeypatch):
    monkeypatch.setenv("DEFAULT_FROM_EMAIL", "Gugus Tugas TPPO <tppo@ttukab.go.id>")
    assert env_email_address("DEFAULT_FROM_EMAIL", "x@localhost") == "Gugus Tugas TPPO <tppo@ttukab.go.id>"
