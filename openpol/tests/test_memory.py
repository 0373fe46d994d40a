"""A server process gives the memory of its sign-ins back: forty password checks at once do not stay resident."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SIGN_INS = """
import os, sys, threading
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpol.settings")
import django
django.setup()
from openpol.deployment import return_large_allocations
if sys.argv[1] == "server":
    return_large_allocations()
from accounts.hashers import Argon2idHasher

def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

hasher = Argon2idHasher()
encoded = hasher.encode("correct horse battery", hasher.salt())
hasher.verify("correct horse battery", encoded)
before = rss_mb()
for _ in range(3):
    checks = [threading.Thread(target=hasher.verify, args=("correct horse battery", encoded)) for _ in range(40)]
    for check in checks:
        check.start()
    for check in checks:
        check.join()
print(rss_mb() - before)
"""


def grown_mb(mode: str) -> float:
    done = subprocess.run([sys.executable, "-c", SIGN_INS, mode], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return float(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator, read through /proc")
def test_forty_sign_ins_at_once_leave_a_server_process_no_larger_than_before():
    assert grown_mb("server") < 100  # each check takes 19 MiB while it runs
    assert grown_mb("plain") > 300  # without it, glibc keeps them: the test measures what it claims
