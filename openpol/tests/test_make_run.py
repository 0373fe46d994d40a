"""`make run` serves the production shape: the portal's own error pages, never Django's debug page, and links that
point where it serves."""

import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(raise_request_exception=False)
missing = client.get("/services/no-such-page/", HTTP_HOST="127.0.0.1")
print(settings.DEBUG, settings.SITE_URL, missing.status_code)
print(missing.content.decode())
"""


def _run_env(tmp_path: Path, port: int) -> dict:
    made = subprocess.run(["make", "-s", "run-env", f"PORT={port}"], cwd=ROOT, capture_output=True, text=True, check=True)
    env = {**os.environ, **dict(item.split("=", 1) for item in shlex.split(made.stdout))}
    (tmp_path / "secret_key").write_text("test-only-" + "s" * 50)
    env.update(
        SECRET_KEY_FILE=str(tmp_path / "secret_key"), OPENPOL_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def test_make_run_shows_the_portals_own_404_page_and_links_to_its_own_port(tmp_path):
    env = _run_env(tmp_path, 9123)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "openpol.settings"}, capture_output=True, text=True
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    first, page = probe.stdout.split("\n", 1)
    assert first == "False http://127.0.0.1:9123 404"
    assert "Page not found" in page
    assert "URLconf" not in page and "urlpatterns" not in page  # Django's debug page lists the URL patterns
