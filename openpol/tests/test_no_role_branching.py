"""No app branches on a user's role: who may do what is `accounts.access` (capabilities), where is `accounts.offices`.

The check reads every non-test Python file of the apps for the shapes role branching takes (`user.role == ...`,
`user.role in ...`, `filter(role=Role.X)`, `... == Role.X`). `accounts` keeps the role table itself (the capabilities,
the offices, the model, provisioning and its form), and demo or seed code creates accounts of each role.

ALLOWLIST names the files still being moved onto offices. It only shrinks: the check fails when a file outside it
branches on role, and when a file in it no longer does (then take it off the list).
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts alerts audit broadcast citizen connect directory idempotency notices openpol records references resources workflow"
).split()

# Where roles are the subject itself: the capability table, the offices, the model, provisioning and its form.
ROLE_HOME = {"accounts/access.py", "accounts/offices.py", "accounts/models.py", "accounts/services.py", "accounts/forms.py"}
# Demo and seed code creates accounts of every role (and benchmarks their subscribers).
SEED = re.compile(r"^(openpol/demo\.py|.*/management/commands/bench_\w+\.py)$")

# Files still to migrate (other work under way); remove a file once it no longer branches on role.
ALLOWLIST: set[str] = set()

BRANCHING = re.compile(
    "|".join(
        [
            r"\.role\s*(==|!=)",  # user.role == Role.ILO
            r"\.role\s+(not\s+)?in\b",  # user.role in NCB_ROLES
            r"(==|!=)\s*Role\.\w+",  # ... == Role.ILO
            r"\bRole\.\w+\s*(==|!=)",  # Role.ILO == ...
            r"\bin\s*[(\[{]\s*Role\.\w+",  # ... in (Role.ILO, Role.UO)
            r"\brole(__in)?\s*=\s*[(\[{]?\s*Role\.\w+",  # filter(role=Role.ILO), Q(role__in=(Role.ILO, ...))
            r"\bcase\s+Role\.\w+",  # match user.role: case Role.ILO
        ]
    )
)
# Creating an account of a role is not branching on it.
CREATES = re.compile(r"\bUser\(|\.create(_user)?\(")


def app_files() -> list[str]:
    files = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts or path.name.startswith("test_") or path.name == "conftest.py":
                continue
            if relative in ROLE_HOME or SEED.match(relative):
                continue
            files.append(relative)
    return sorted(files)


def branching_lines(relative: str) -> list[str]:
    """The lines of a file that branch on a role."""
    lines = (ROOT / relative).read_text(encoding="utf-8").splitlines()
    return [
        f"{relative}:{number}: {line.strip()}"
        for number, line in enumerate(lines, 1)
        if BRANCHING.search(line) and not CREATES.search(line)
    ]


def test_the_check_recognises_role_branching_in_its_usual_shapes():
    for line in (
        "if user.role == Role.ILO:",
        "if by.role not in move.roles:",
        "return user.role in NCB_ROLES",
        "users.filter(role=Role.ILO, agency_id=1)",
        "Q(role__in=(Role.NCB_ADMIN, Role.NCB_OFFICER))",
        "if Role.UO != kind:",
        "return kind in (Role.ILO, Role.UO)",
    ):
        assert BRANCHING.search(line), line
    for line in ("office = Office.of(user)", "return access.can(user, 'notices.view')", "'role': inv.role,"):
        assert not BRANCHING.search(line), line


def test_no_file_outside_the_allowlist_branches_on_role():
    found = [line for relative in app_files() if relative not in ALLOWLIST for line in branching_lines(relative)]
    assert not found, "Branching on role outside accounts (use accounts.access and accounts.offices):\n" + "\n".join(found)


def test_the_allowlist_only_shrinks():
    """A listed file that no longer branches on role comes off the list, so that it cannot start again unnoticed."""
    existing = set(app_files())
    stale = sorted(relative for relative in ALLOWLIST if relative not in existing or not branching_lines(relative))
    assert not stale, "Take these off ALLOWLIST in openpol/tests/test_no_role_branching.py: " + ", ".join(stale)


def test_the_migrated_apps_are_not_on_the_allowlist():
    migrated = {"openpol/modules.py", "connect/rules.py"} | {relative for relative in app_files() if relative.startswith("workflow/")}
    assert not migrated & ALLOWLIST
