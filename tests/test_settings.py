"""The settings module in the production-like configuration, run as a real process."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_passes_in_production_configuration(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="partners.example.com",
        DJANGO_VAR_DIR=str(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("debug", ["0", "1"])
def test_without_a_secret_key_one_is_generated_once_and_kept_private(tmp_path, debug):
    show_key = ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"]

    first = manage(*show_key, DJANGO_DEBUG=debug, DJANGO_VAR_DIR=str(tmp_path))
    second = manage(*show_key, DJANGO_DEBUG=debug, DJANGO_VAR_DIR=str(tmp_path))

    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text()
    assert len(key_file.read_text()) >= 50
    assert key_file.stat().st_mode & 0o077 == 0


def test_development_mail_goes_to_files_a_newcomer_can_read(tmp_path):
    send = ["shell", "-c", "from django.core.mail import send_mail; send_mail('Hi', 'Body', None, ['a@example.com'])"]

    result = manage(*send, DJANGO_DEBUG="1", DJANGO_VAR_DIR=str(tmp_path))

    assert result.returncode == 0, result.stderr
    [message] = (tmp_path / "mail").iterdir()
    assert "Subject: Hi" in message.read_text()


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [("", "django.core.cache.backends.db.DatabaseCache"), ("redis://127.0.0.1:6379/3", "RedisCache")],
)
def test_cache_is_shared_across_processes_with_or_without_redis(tmp_path, redis_url, backend):
    show = ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.CACHES['default'])"]

    result = manage(*show, DJANGO_DEBUG="1", DJANGO_VAR_DIR=str(tmp_path), REDIS_URL=redis_url)

    assert result.returncode == 0, result.stderr
    assert backend in result.stdout


def test_production_cookies_are_secure_and_host_prefixed(tmp_path):
    show = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS)",
    ]

    result = manage(*show, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 60, DJANGO_VAR_DIR=str(tmp_path))

    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "True", "True", "True", "31536000"]


def test_env_example_lists_every_variable_the_settings_read():
    settings_py = (ROOT / "extranet" / "settings.py").read_text()
    reader = r"""(?:environ\.get|environ\[|env_bool|env_list)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
    read = set(re.findall(reader, settings_py))
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))

    assert read, "the pattern found no variables in settings.py"
    assert read - listed == set(), "add these to .env.example"
    assert listed - read == set(), "these in .env.example are read nowhere"
