"""The soak run's verdict: what fails it (5xx, connections above the pool's bound, memory growing, a worker restarted)."""

import random

from django_otp.oath import TOTP

from soak import totp
from soak.run import TASKS_TABLE, memory_growth, server_log_errors, verdict


def samples(rss_at, seconds=600, every=1.0):
    return [(t * every, rss_at(t * every)) for t in range(int(seconds / every))]


def growth(series):
    return memory_growth(1234, series, max_growth_mb=50, min_rise_mb=20)


def test_a_worker_whose_memory_floor_rises_steadily_is_growing():
    leak = growth(samples(lambda t: 150 + t * 0.2))  # 120 MB per 10 minutes
    assert leak["growing"] and leak["slope_mb_per_10min"] > 100 and leak["rise_mb"] > 20


def test_passing_peaks_such_as_password_hashes_are_not_growth():
    rng = random.Random(1)
    # 100 MB for a second now and then, more of them towards the end: the floor stays where it was.
    spiky = growth(samples(lambda t: 150 + (100 * rng.randint(1, 3) if rng.random() < 0.1 + t / 2000 else 0)))
    assert not spiky["growing"] and spiky["peak"] > 300 and abs(spiky["rise_mb"]) < 1


def test_a_cache_filling_once_then_flat_is_not_growth():
    warm = growth(samples(lambda t: 100 + min(t, 200) * 0.5))  # +100 MB in the first minutes, then flat
    assert not warm["growing"] and warm["end"] == 200


def test_a_slow_drift_under_the_limits_is_not_growth():
    assert not growth(samples(lambda t: 150 + t * 0.02))["growing"]  # 12 MB per 10 minutes


def test_a_short_run_is_judged_on_its_second_half():
    leak = memory_growth(1, samples(lambda t: 150 + max(0, t - 30) * 1.5, seconds=60), max_growth_mb=50, min_rise_mb=20)
    assert leak["growing"]


def result(statuses=None, peak=20, bound=24, workers=None):
    return {
        "requests": sum((statuses or {"200": 10}).values()),
        "statuses": statuses or {"200": 10},
        "db_connections": {"peak": peak, "bound": bound},
        "workers_memory_mb": workers or [{"pid": 1, "growing": False}, {"pid": 2, "growing": False}],
    }


def test_a_clean_run_passes():
    assert verdict(result(), expected_workers=2) == []


def test_any_5xx_fails_the_run_but_4xx_does_not():
    assert verdict(result({"200": 100, "404": 3, "429": 1}), expected_workers=2) == []
    assert verdict(result({"200": 100, "503": 2}), expected_workers=2) == ["2 answers with a 5xx status"]


def test_connections_above_the_bound_fail_the_run():
    assert verdict(result(peak=24), expected_workers=2) == []
    assert "above the bound of 24" in verdict(result(peak=25), expected_workers=2)[0]


def test_a_growing_or_restarted_worker_fails_the_run():
    growing = {"pid": 2, "growing": True, "slope_mb_per_10min": 90.0, "rise_mb": 40.0}
    assert "worker 2 memory grows steadily" in verdict(result(workers=[{"pid": 1, "growing": False}, growing]), expected_workers=2)[0]
    restarted = [{"pid": p, "growing": False} for p in (1, 2, 3)]
    assert "restarted" in verdict(result(workers=restarted), expected_workers=2)[0]


def test_the_server_log_names_each_exception_once(tmp_path):
    log = tmp_path / "server.log"
    trace = (
        'Traceback (most recent call last):\n  File "x.py", line 1, in f\n    g()\npsycopg_pool.PoolTimeout: couldn\'t get a connection\n'
    )
    log.write_text("INFO started\n" + trace * 3)
    assert server_log_errors(log) == {"tracebacks": 3, "exceptions": ["psycopg_pool.PoolTimeout: couldn't get a connection"]}


def test_the_simulated_authenticator_shows_the_codes_django_otp_accepts():
    key = "3132333435363738393031323334353637383930"  # RFC 6238's test key
    for step in (1, 37037036, 41152263, 66666666):
        device = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
        device.time = step * 30 + 5
        assert totp.code(key, step) == f"{device.token():06d}"


def test_background_tasks_left_waiting_or_failed_or_a_dead_worker_fail_the_run():
    drained = {"successful": 40, "worker_alive": True}
    assert verdict({**result(), "tasks": drained}, expected_workers=2) == []
    assert verdict({**result(), "tasks": {**drained, "ready": 3}}, expected_workers=2) == [
        "3 background task(s) still waiting a minute after the load"
    ]
    assert verdict({**result(), "tasks": {**drained, "failed": 1}}, expected_workers=2) == ["1 background task(s) failed"]
    assert verdict({**result(), "tasks": {**drained, "worker_alive": False}}, expected_workers=2) == ["the background worker died"]


def test_the_harness_counts_tasks_in_the_table_the_task_queue_writes():
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult._meta.db_table == TASKS_TABLE
