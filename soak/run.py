"""The soak run: the production shape under simulated users, one JSON line of results, non-zero on a failure.

    python -m soak.run --duration 60 --users 50        (make soak DURATION=60 USERS=50)

It creates a fresh PostgreSQL database `openpol_soak_<random>`, prepares it (soak/prepare.py), starts
`uvicorn openpol.asgi:application --workers 2` with DEBUG=0 on a free loopback port, waits for /healthz, and runs
locust headless (soak/locustfile.py) for the duration. Every second it samples, from a connection of its own to
another database, the connections to the soak database in pg_stat_activity, and the resident memory of every
uvicorn worker (children of the master, from /proc). Then it stops the server, drops the database, flushes its
Redis database, and prints one JSON line. It always cleans up, also when something fails or it is interrupted.

The run fails (exit 1) on:
- any 5xx answer (or no request answered at all);
- more connections to the soak database than workers × (DB_POOL_MAX_SIZE + 2): each process's pool, plus the alert
  stream's LISTEN connection and account reader;
- a worker whose memory grows steadily. Judged on its floor (the lowest RSS in each 5-second bucket, so that a
  passing peak such as Argon2's 100 MB per password check does not count) over the second half of the run, after
  warm-up and ramp-up: the least-squares slope of the floor would add more than --max-growth-mb (default 50) per 10
  minutes, AND the floor at the end of that half (lowest of its last fifth) is above the floor at its start (lowest of
  its first fifth) by more than --min-rise-mb (default 20). Both are needed: a slope alone is noise over a short
  window, a rise alone may be a cache filling once;
- a worker that died and was restarted during the run.
"""

import argparse
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# Memory is judged on its floor, the lowest RSS in each bucket of this many seconds (see memory_floor).
FLOOR_BUCKET_S = 5.0
TASKS_TABLE = "django_tasks_database_dbtaskresult"  # django_tasks_db's DBTaskResult (its app label is django_tasks_database)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Soak the production shape with simulated users; prints one JSON line.")
    parser.add_argument("--duration", type=int, default=60, help="Seconds of load.")
    parser.add_argument("--users", type=int, default=50, help="Simulated users at once.")
    parser.add_argument(
        "--spawn-rate", type=float, default=None, help="Users started per second (default: over a fifth of the run, 5/s at most)."
    )
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes.")
    parser.add_argument("--pool-max", type=int, default=int(os.environ.get("DB_POOL_MAX_SIZE", 10)), help="DB_POOL_MAX_SIZE per process.")
    parser.add_argument("--pg", default=os.environ.get("SOAK_PG", "postgres://postgres@127.0.0.1:5432"), help="PostgreSQL server URL.")
    parser.add_argument("--redis", default=os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/12"), help="Redis database (flushed).")
    parser.add_argument("--persons", type=int, default=20_000, help="Synthetic persons in the records.")
    parser.add_argument("--max-growth-mb", type=float, default=50.0, help="Memory slope limit, MB per 10 minutes.")
    parser.add_argument("--min-rise-mb", type=float, default=20.0, help="Memory rise over the second half that, with the slope, fails.")
    parser.add_argument("--think", default="5,30", help="Seconds a simulated person waits between actions: MIN,MAX.")
    parser.add_argument("--no-page-streams", action="store_true", help="Open alert pages without holding their session stream.")
    parser.add_argument("--keep", action="store_true", help="Keep the work directory (logs, credentials) even when the run passes.")
    args = parser.parse_args(argv)
    spawn_rate = args.spawn_rate or min(5.0, max(1.0, args.users / max(5.0, args.duration * 0.2)))

    signal.signal(signal.SIGTERM, _interrupted)
    _raise_open_files_limit()
    work = Path(tempfile.mkdtemp(prefix="openpol-soak-"))
    database = f"openpol_soak_{secrets.token_hex(4)}"
    server = sampler = tasks_worker = None
    result: dict = {"soak": "failed", "reasons": [], "duration_s": args.duration, "users": args.users, "workers": args.workers}
    result.update(think_s=args.think, spawn_rate=round(spawn_rate, 2))
    if args.no_page_streams:
        result["page_streams"] = False
    try:
        _pg_admin(args.pg, f'CREATE DATABASE "{database}"')
        _redis_flush(args.redis)
        env = server_env(args, database, work)
        began = time.monotonic()
        prepare = [sys.executable, "-m", "soak.prepare", "--accounts", str(args.users), "--persons", str(args.persons)]
        _run([*prepare, "--out", str(work / "credentials.json")], env, work / "prepare.log", timeout=1200)
        result["prepare_s"] = round(time.monotonic() - began, 1)

        port = _free_port()
        env["SITE_URL"] = base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 - our own uvicorn and arguments
            server_command(port, args.workers),
            cwd=ROOT,
            env=env,
            stdout=open(work / "server.log", "wb"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_healthy(base, server, timeout=120)
        _wait_workers(server.pid, args.workers, timeout=60)
        tasks_worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments: the background worker, as README says
            [sys.executable, "manage.py", "worker", "--interval", "0.5"],
            cwd=ROOT,
            env={**env, "DB_POOL_MIN_SIZE": "1", "DB_POOL_MAX_SIZE": "1"},
            stdout=open(work / "worker.log", "wb"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        sampler = Sampler(args.pg, database, server.pid)
        sampler.start()
        locust_env = {
            **env,
            "SOAK_CREDENTIALS": str(work / "credentials.json"),
            "SOAK_SUMMARY": str(work / "summary.json"),
            "PYTHONPATH": str(ROOT),
            "SOAK_PAGE_STREAMS": "0" if args.no_page_streams else "1",
            "SOAK_THINK_S": args.think,
        }
        load_began, children_cpu = time.monotonic(), _children_cpu_s()
        _run(
            locust_command(base, args.users, spawn_rate, args.duration),
            locust_env,
            work / "locust.log",
            timeout=args.duration + 180,
        )
        result["load_s"] = round(time.monotonic() - load_began, 1)
        result["locust_cpu_s"] = round(_children_cpu_s() - children_cpu, 1)
        result["loadavg_1min_end"] = round(os.getloadavg()[0], 1)  # the machine is shared: context for the latencies
        result["healthz_end"] = _healthz(base)
        sampler.stop()
        tasks = _tasks_drained(args.pg, database, tasks_worker, timeout=60)  # after the sampler: its own connection is not counted
        summary = json.loads((work / "summary.json").read_text())
        result.update(report(summary, sampler, args, tasks=tasks))
        (work / "samples.json").write_text(json.dumps({"connections": sampler.connections, "rss": sampler.rss}))
        result["server_log"] = server_log_errors(work / "server.log")
    except (Exception, KeyboardInterrupt) as error:  # noqa: BLE001 - reported in the JSON line, after the cleanup below
        result["reasons"].append(f"harness: {error.__class__.__name__}: {error}"[:500])
    finally:
        if sampler is not None:
            sampler.stop()
        if server is not None:
            _stop(server)
        if tasks_worker is not None:
            _stop(tasks_worker)
        _cleanup(args, database)
    passed = not result["reasons"]
    result["soak"] = "ok" if passed else "failed"
    if passed and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        result["work_dir"] = str(work)  # logs and credentials of a failed run, for the post-mortem
    print(json.dumps(result, separators=(",", ":")))
    return 0 if passed else 1


# --- The verdict ---------------------------------------------------------------------------------------


def report(summary: dict, sampler: "Sampler", args, tasks: dict | None = None) -> dict:
    """The JSON line's numbers, and the reasons the run fails (if any) in result["reasons"]."""
    statuses: dict[str, int] = {}
    kinds = {}
    for name, kind in summary["kinds"].items():
        for status, n in kind["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
        kinds[name] = {
            "n": kind["requests"],
            "fail": kind["failures"],
            "p50": kind["p50_ms"],
            "p95": kind["p95_ms"],
            "p99": kind["p99_ms"],
            "max": kind["max_ms"],
        }
        errors = {s: n for s, n in kind["statuses"].items() if not s.isdigit() or int(s) >= 400}
        if errors:
            kinds[name]["errors"] = errors
    bound = args.workers * (args.pool_max + 2) + 1  # each server process's pool and stream connections; the task worker's one
    memory = [
        {**memory_growth(pid, samples, args.max_growth_mb, args.min_rise_mb), "cpu_s": sampler.cpu.get(pid)}
        for pid, samples in sampler.rss.items()
    ]
    out = {
        "requests": summary["requests"],
        "failures": summary["failures"],
        "errors_by_status": {s: n for s, n in sorted(statuses.items()) if not s.isdigit() or int(s) >= 400},
        "statuses": dict(sorted(statuses.items())),
        "p50_ms": summary["p50_ms"],
        "p95_ms": summary["p95_ms"],
        "p99_ms": summary["p99_ms"],
        "kinds": kinds,
        "db_connections": {
            "peak": sampler.peak,
            "bound": bound,
            "pool_max_size": args.pool_max,
            "mean": round(statistics.fmean(sampler.connections), 1) if sampler.connections else None,
            "samples": len(sampler.connections),
            "peak_active": sampler.peak_active,
        },
        "workers_memory_mb": memory,
        "streams": summary.get("streams", {}),
        "failure_samples": summary.get("failure_samples", [])[:10],
        "tasks": tasks or {},
    }
    out["reasons"] = verdict(out, expected_workers=args.workers)
    return out


def _tasks_drained(pg: str, database: str, worker: subprocess.Popen, timeout: float) -> dict:
    """After the load: wait until the background worker has run every task that is due (mail, screening, inbox rows),
    then count them by status. Tasks left waiting, failed ones, or a dead worker fail the run (see `verdict`)."""
    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(f"{pg}/{database}", autocommit=True, connect_timeout=10) as conn:
        while True:
            rows = conn.execute(
                f"SELECT status, count(*) FILTER (WHERE run_after <= now() OR status <> 'READY') FROM {TASKS_TABLE} GROUP BY status"  # noqa: S608 - a constant
            ).fetchall()
            counts = {status.lower(): n for status, n in rows}
            if not counts.get("ready") and not counts.get("running") or time.monotonic() > deadline or worker.poll() is not None:
                break
            time.sleep(1)
    return {**counts, "worker_alive": worker.poll() is None}


def verdict(out: dict, *, expected_workers: int) -> list[str]:
    """Why the run fails: 5xx answers, connections above the bound, a worker growing or restarted. Empty when it passes."""
    reasons = []
    fivexx = sum(n for s, n in out["statuses"].items() if s.isdigit() and int(s) >= 500)
    if fivexx:
        reasons.append(f"{fivexx} answers with a 5xx status")
    if not out["requests"]:
        reasons.append("no request was made")
    connections = out["db_connections"]
    if connections["peak"] > connections["bound"]:
        reasons.append(f"{connections['peak']} database connections at peak, above the bound of {connections['bound']}")
    for worker in out["workers_memory_mb"]:
        if worker["growing"]:
            reasons.append(
                f"worker {worker['pid']} memory grows steadily: {worker['slope_mb_per_10min']} MB per 10 min, "
                f"+{worker['rise_mb']} MB over the second half"
            )
    tasks = out.get("tasks") or {}
    if tasks and not tasks.get("worker_alive"):
        reasons.append("the background worker died")
    if tasks.get("ready") or tasks.get("running"):
        reasons.append(f"{tasks.get('ready', 0) + tasks.get('running', 0)} background task(s) still waiting a minute after the load")
    if tasks.get("failed"):
        reasons.append(f"{tasks['failed']} background task(s) failed")
    if len(out["workers_memory_mb"]) > expected_workers:
        reasons.append(f"{len(out['workers_memory_mb']) - expected_workers} worker(s) died and were restarted during the run")
    return reasons


def memory_growth(pid: int, samples: list[tuple[float, float]], max_growth_mb: float, min_rise_mb: float) -> dict:
    """One worker's memory: start, end, peak, and whether its floor grows steadily (see the module's docstring)."""
    info = {"pid": pid, "start": None, "end": None, "peak": None, "slope_mb_per_10min": None, "rise_mb": None, "growing": False}
    if not samples:
        return info
    info.update(start=round(samples[0][1], 1), end=round(samples[-1][1], 1), peak=round(max(r for _t, r in samples), 1))
    first, last = samples[0][0], samples[-1][0]
    floor = memory_floor([(t, r) for t, r in samples if t >= first + (last - first) / 2])
    if len(floor) < 3:
        return info
    ts, rs = [t for t, _r in floor], [r for _t, r in floor]
    slope = statistics.linear_regression(ts, rs).slope
    fifth = max(1, len(floor) // 5)
    rise = min(rs[-fifth:]) - min(rs[:fifth])
    info.update(slope_mb_per_10min=round(slope * 600, 1), rise_mb=round(rise, 1))
    info["growing"] = slope * 600 > max_growth_mb and rise > min_rise_mb
    return info


def memory_floor(samples: list[tuple[float, float]], bucket_s: float = FLOOR_BUCKET_S) -> list[tuple[float, float]]:
    """The lowest RSS in each bucket of time: a leak lifts the floor, a passing peak (a password hash) does not."""
    buckets: dict[int, tuple[float, float]] = {}
    if not samples:
        return []
    first = samples[0][0]
    for t, r in samples:
        key = int((t - first) // bucket_s)
        if key not in buckets or r < buckets[key][1]:
            buckets[key] = (first + (key + 0.5) * bucket_s, r)
    return [buckets[k] for k in sorted(buckets)]


def server_log_errors(path: Path, limit: int = 8) -> dict:
    """How many tracebacks the server logged, and the distinct last lines of the first few (the exceptions)."""
    text = path.read_text(errors="replace") if path.exists() else ""
    lines = text.splitlines()
    exceptions = []
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            j = i + 1
            while j < len(lines) and (lines[j].startswith((" ", "\t")) or not lines[j].strip()):
                j += 1
            if j < len(lines) and lines[j] not in exceptions:
                exceptions.append(lines[j][:300])
    return {"tracebacks": text.count("Traceback (most recent call last)"), "exceptions": exceptions[:limit]}


# --- Sampling -----------------------------------------------------------------------------------------


class Sampler(threading.Thread):
    """Once a second: connections to the soak database (from a connection to another one) and each worker's RSS."""

    def __init__(self, pg: str, database: str, master_pid: int):
        super().__init__(daemon=True)
        self.pg, self.database, self.master_pid = pg, database, master_pid
        self.connections: list[int] = []
        self.peak = self.peak_active = 0
        self.rss: dict[int, list[tuple[float, float]]] = {}
        self.cpu: dict[int, float] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(f"{self.pg}/postgres", autocommit=True, connect_timeout=10) as conn:
            while not self.stopping.is_set():
                self.sample(conn)
                self.stopping.wait(1.0)

    def sample(self, conn) -> None:
        total, active = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [self.database],
        ).fetchone()
        self.connections.append(total)
        self.peak, self.peak_active = max(self.peak, total), max(self.peak_active, active)
        now = time.monotonic()
        for pid in worker_pids(self.master_pid):
            rss = rss_mb(pid)
            if rss is not None:
                self.rss.setdefault(pid, []).append((now, rss))
                self.cpu[pid] = cpu_s(pid) or self.cpu.get(pid)

    def stop(self) -> None:
        if self.is_alive():
            self.stopping.set()
            self.join(timeout=10)


def worker_pids(master_pid: int) -> list[int]:
    """uvicorn's worker processes: children of the master started by multiprocessing's spawn."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == master_pid and b"spawn_main" in (entry / "cmdline").read_bytes():
                pids.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return sorted(pids)


def cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 1)


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rss_mb(pid: int) -> float | None:
    try:
        match = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    except OSError:
        return None
    return int(match.group(1)) / 1024 if match else None


# --- The processes and the cleanup ---------------------------------------------------------------------


def server_env(args, database: str, work: Path) -> dict:
    """The production settings (DEBUG=0, PostgreSQL, Redis) on plain http on loopback, with demo mode for the accounts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "DATABASE_URL", "TEST_DATABASE"))}
    env.update(
        DJANGO_SETTINGS_MODULE="openpol.settings",
        DEBUG="0",
        HTTPS="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"{args.pg}/{database}",
        DB_POOL_MAX_SIZE=str(args.pool_max),
        REDIS_URL=args.redis,
        DEMO_MODE="1",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",  # locmem would keep every e-mail in the worker's memory
        OPENPOL_VAR_DIR=str(work / "var"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def server_command(port: int, workers: int) -> list[str]:
    """uvicorn as in production, trusting X-Forwarded-For from loopback only (each simulated client sends its own)."""
    return [
        str(VENV_BIN / "uvicorn"),
        "openpol.asgi:application",
        *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
        *("--proxy-headers", "--forwarded-allow-ips", "127.0.0.1"),
        *("--no-access-log", "--timeout-graceful-shutdown", "5"),
    ]


def locust_command(base: str, users: int, spawn_rate: float, duration: int) -> list[str]:
    return [
        str(VENV_BIN / "locust"),
        *("-f", str(ROOT / "soak" / "locustfile.py"), "--headless", "--host", base),
        *("--users", str(users), "--spawn-rate", f"{spawn_rate:g}", "--run-time", f"{duration}s"),
        *("--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"),
    ]


def _run(command: list[str], env: dict, log: Path, timeout: float) -> None:
    with open(log, "wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            code = process.wait(timeout=timeout)
        except BaseException:
            _stop(process)
            raise
    if code != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-5:]
        raise RuntimeError(f"{Path(command[0]).name} {' '.join(command[1:3])} exited {code}: {' | '.join(tail)}")


def _stop(process: subprocess.Popen) -> None:
    """End a process we started and everything it started (its own session), politely first."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _cleanup(args, database: str) -> None:
    for attempt in range(3):
        try:
            _pg_admin(args.pg, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            break
        except Exception:  # noqa: BLE001 - retried, then reported on stderr: the run's verdict is already made
            if attempt == 2:
                print(f"soak: could not drop database {database}", file=sys.stderr)
            time.sleep(2)
    try:
        _redis_flush(args.redis)
    except Exception as error:  # noqa: BLE001
        print(f"soak: could not flush {args.redis}: {error}", file=sys.stderr)


def _pg_admin(pg: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def _redis_flush(url: str) -> None:
    """Rate-limit counters of an earlier run would refuse this run's simulated clients: start from an empty database."""
    import redis

    redis.Redis.from_url(url, socket_timeout=5).flushdb()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthz(base: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310 - our own server on loopback
            return json.loads(response.read())
    except (OSError, ValueError) as error:
        return {"error": str(error)[:200]}


def _wait_healthy(base: str, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode} before answering /healthz")
        body = _healthz(base)
        if body and body.get("database") == "ok":
            return
        time.sleep(1)
    raise RuntimeError(f"/healthz did not answer ok within {timeout:.0f} s")


def _wait_workers(master_pid: int, workers: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(worker_pids(master_pid)) < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(worker_pids(master_pid))} of {workers} workers started")
        time.sleep(0.5)
    time.sleep(3)  # the last worker to start finishes importing Django


def _raise_open_files_limit() -> None:
    """Hundreds of simulated users each keep connections open: let this process and its children use the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))


def _interrupted(signum, frame):
    raise KeyboardInterrupt  # unwinds through the cleanup in main()


if __name__ == "__main__":
    sys.exit(main())
