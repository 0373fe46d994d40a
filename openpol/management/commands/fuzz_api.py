"""Fuzz the whole JSON API with Schemathesis, as several roles, against a throw-away copy of the portal.

`manage.py fuzz_api` makes a fresh database (SQLite under a temporary directory, or the PostgreSQL database of
DATABASE_URL, which it migrates and fills: give it a throw-away one), loads the reference and demo data, gives
an NCB officer, an ILO, a UO and a station officer a bearer token with every scope and the demo citizen a
signed-in session, serves the portal with uvicorn on a free loopback port, and runs Schemathesis over the
OpenAPI document as each of them in turn: examples, coverage, fuzzing and the stateful phase (following the
document's links), checking for server errors and for statuses, content types and bodies the document does not
describe. It prints the cases and failures per role and exits 1 on any failure. E-mail goes to memory only.

`--budget ci` (the default) is what CI runs; `--budget long` is `make fuzz`'s longer campaign.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Who the API is fuzzed as: (label, username, how they authenticate).
ROLES = (
    ("ncb-officer", "ncb.officer", "token"),
    ("ilo", "ilo.delhi", "token"),
    ("uo", "uo.delhi", "token"),
    ("station-officer", "station.delhi", "token"),
    ("citizen", "citizen.demo", "session"),
)
# Per role: examples per operation (examples and fuzzing phases), stateful scenarios, and whether the coverage
# phase (every boundary and every missing or unexpected part of each operation, ~4,000 cases a role) runs.
BUDGETS = {
    "ci": {"examples": 4, "scenarios": 25, "phases": "examples,fuzzing,stateful"},
    "long": {"examples": 25, "scenarios": 150, "phases": "examples,coverage,fuzzing,stateful"},
}
STATEFUL_STEPS = 10
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
DEFAULT_SEED = 20260512
# The event stream answers an endless text/event-stream to a valid ticket: it has its own tests.
EXCLUDED_PATHS = ("/api/v1/alerts/stream",)


class Command(BaseCommand):
    help = "Fuzz the JSON API with Schemathesis as several roles against a throw-away database; exit 1 on any failure."

    def add_arguments(self, parser):
        parser.add_argument("--budget", choices=sorted(BUDGETS), default="ci", help="ci (default) or long (make fuzz).")
        parser.add_argument("--max-examples", type=int, default=None, help="Examples per operation (overrides the budget's).")
        parser.add_argument("--scenarios", type=int, default=None, help="Stateful scenarios (overrides the budget's).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Schemathesis' random seed (fixed, so runs repeat).")
        parser.add_argument("--roles", default=",".join(label for label, _, _ in ROLES), help="Comma-separated subset of the roles.")
        parser.add_argument("--phases", default=None, help="Schemathesis phases (overrides the budget's), e.g. fuzzing,stateful.")
        parser.add_argument("--keep", action="store_true", help="Keep the temporary directory (database, reports, server log).")
        parser.add_argument("--prepare", metavar="FILE", help=argparse_hidden())

    def handle(self, *args, budget, max_examples, scenarios, seed, roles, phases, keep, prepare, **options):
        if prepare:  # run inside the throw-away environment: make the credentials
            Path(prepare).write_text(json.dumps(_credentials()))
            return
        wanted = [role for role in ROLES if role[0] in roles.split(",")]
        if not wanted:
            raise CommandError(f"No such roles: {roles}. Choose among {', '.join(label for label, _, _ in ROLES)}.")
        plan = {**BUDGETS[budget]}
        plan.update({k: v for k, v in {"examples": max_examples, "scenarios": scenarios, "phases": phases}.items() if v})
        workdir = Path(tempfile.mkdtemp(prefix="openpol-fuzz-"))
        _write_config(workdir, plan)
        env = _environment(workdir)
        started = time.monotonic()
        server = None
        ok = False
        try:
            self._step("Preparing a throw-away database" + (" (DATABASE_URL)" if "DATABASE_URL" in env else " (SQLite)"), workdir)
            for command in (
                ["migrate", "--noinput", "-v", "0"],
                ["load_reference"],
                ["seed_demo"],
                ["fuzz_api", "--prepare", "credentials.json"],
            ):
                _manage(command, env, workdir)
            credentials = json.loads((workdir / "credentials.json").read_text())
            port = _free_port()
            env["SITE_URL"] = f"http://127.0.0.1:{port}"
            server = _serve(env, workdir, port)
            results = []
            for label, _username, _kind in wanted:
                self._step(f"Schemathesis as {label}", workdir)
                results.append(_schemathesis(label, credentials[label], port, workdir, env, seed, plan, self.stdout))
            ok = self._report(results, seed, time.monotonic() - started)
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
            if keep or not ok:
                self.stdout.write(f"Database, reports and server log kept in {workdir}")
            else:
                shutil.rmtree(workdir, ignore_errors=True)
        if not ok:
            raise CommandError("Schemathesis found failures (see above).")

    def _step(self, text: str, workdir: Path) -> None:
        self.stdout.write(f"== {text}")
        self.stdout.flush()

    def _report(self, results: list[dict], seed: int, seconds: float) -> bool:
        self.stdout.write("")
        self.stdout.write(f"{'role':<16} {'cases':>7} {'failures':>9} {'errors':>7}  exit")
        for result in results:
            self.stdout.write(f"{result['role']:<16} {result['cases']:>7} {result['failures']:>9} {result['errors']:>7}  {result['exit']}")
        cases = sum(r["cases"] for r in results)
        failures = sum(r["failures"] for r in results)
        errors = sum(r["errors"] for r in results)
        self.stdout.write(f"{'total':<16} {cases:>7} {failures:>9} {errors:>7}")
        self.stdout.write(f"Schemathesis: {cases} cases, {failures} failures, {errors} errors (seed {seed}) in {seconds:.0f} s")
        return all(r["exit"] == 0 for r in results) and failures == 0 and errors == 0


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS


def _environment(workdir: Path) -> dict:
    """The throw-away portal's environment: its own files and database, demo mode, no rate limits, no real e-mail."""
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "WEB_CONCURRENCY", "SECRET_KEY_FILE"}}
    env.update(
        OPENPOL_VAR_DIR=str(workdir),  # SQLite file (without DATABASE_URL), uploads, static files
        DEBUG="1",  # a server error shows its traceback in Schemathesis' report
        DEMO_MODE="1",
        HTTPS="0",
        RATELIMIT_ENABLE="0",  # fuzzing sends thousands of requests a minute: count nothing
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_SETTINGS_MODULE="openpol.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(command: list[str], env: dict, workdir: Path) -> None:
    with open(workdir / "setup.log", "a") as log:
        done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, str(settings.BASE_DIR / "manage.py"), *command], env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT
        )
    if done.returncode:
        raise CommandError(f"manage.py {' '.join(command)} failed; see {workdir / 'setup.log'}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(env: dict, workdir: Path, port: int) -> subprocess.Popen:
    log = open(workdir / "server.log", "w")  # noqa: SIM115 - open for the server's whole life
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "uvicorn", "openpol.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
        + ["--log-level", "warning", "--no-access-log"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"The server stopped at start; see {workdir / 'server.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise CommandError(f"The server did not answer /healthz within 60 s; see {workdir / 'server.log'}")


def _write_config(workdir: Path, plan: dict) -> None:
    """Schemathesis' settings that have no command-line option: how many stateful scenarios, and how long each."""
    (workdir / "schemathesis.toml").write_text(
        f"[phases.stateful]\nmax-steps = {STATEFUL_STEPS}\n\n[phases.stateful.generation]\nmax-examples = {plan['scenarios']}\n"
    )


def _schemathesis(label: str, headers: dict, port: int, workdir: Path, env: dict, seed: int, plan: dict, out) -> dict:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(workdir / "schemathesis.toml"),
        "run",
        f"http://127.0.0.1:{port}/api/v1/openapi.json",
        "--seed",
        str(seed),
        "--max-examples",
        str(plan["examples"]),
        "--phases",
        plan["phases"],
        "--checks",
        CHECKS,
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        "--no-color",
    ]
    for path in EXCLUDED_PATHS:
        command += ["--exclude-path", path]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    done = subprocess.run(command, env=env, cwd=workdir, capture_output=True, text=True)  # noqa: S603 - our arguments
    output = done.stdout + done.stderr
    (workdir / f"{label}.txt").write_text(output)
    cases, failures, errors = _counts(output)
    if done.returncode or failures or errors:
        out.write(output[-30000:])
    else:
        out.write(f"   {cases} cases, no failures")
    return {"role": label, "cases": cases, "failures": failures, "errors": errors, "exit": done.returncode}


def _counts(output: str) -> tuple[int, int, int]:
    """Cases generated, failures and errors, from Schemathesis' summary ("Test cases: N generated, ..." and its
    closing line "=== 3 failures, 1 error, 2 warnings in 20.70s ===")."""
    generated = re.search(r"(\d+) generated", output)
    closing = [line for line in output.splitlines() if re.fullmatch(r"=+ .* in [\d.]+s =+", line.strip())]
    last = closing[-1] if closing else ""
    failures = re.search(r"(\d+) failures?\b", last)
    errors = re.search(r"(\d+) errors?\b", last)
    return (
        int(generated.group(1)) if generated else 0,
        int(failures.group(1)) if failures else 0,
        int(errors.group(1)) if errors else (0 if closing else 1),
    )


def _credentials() -> dict:
    """Headers that authenticate each role: a bearer token with every scope, or (the citizen) a session."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts import services
    from accounts.models import User

    result = {}
    for label, username, kind in ROLES:
        user = User.objects.get(username=username)
        if kind == "token":
            token = services.api_token_create(user=user, name="fuzz", scopes=sorted(services.API_SCOPES), days=1)
            result[label] = {"Authorization": f"Bearer {token}"}
        else:
            session = import_module(settings.SESSION_ENGINE).SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            csrf = secrets.token_hex(16)  # 32 characters: a CSRF secret the cookie and the header share
            result[label] = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={csrf}", "X-CSRFToken": csrf}
    return result
