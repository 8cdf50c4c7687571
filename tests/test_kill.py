"""A crawl killed with SIGKILL at random points, again and again, then run to the end:
the database stays sound, no document lacks its capture, no capture's bytes differ from
its hash, every killed run is closed as interrupted, and the remaining work gets done."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import figures
import pytest
from conftest import demo_crawl_command

from provenance.demo import QuietHandler, build_demo_site, serve
from provenance.storage import open_db

KILLS = 20
PAUSE = 0.15  # seconds the server takes per response, so kills land mid-crawl


class SlowHandler(QuietHandler):
    def do_GET(self) -> None:
        time.sleep(PAUSE)
        super().do_GET()


@pytest.fixture
def slow_site(tmp_path: Path) -> Iterator[str]:
    site = tmp_path / "site"
    site.mkdir()
    build_demo_site(site)
    with serve(partial(SlowHandler, directory=str(site))) as base:
        yield base


def soundness(db_path: Path) -> list[str]:
    """What is wrong with the database, if anything."""
    db = open_db(db_path)
    problems = []
    (check,) = db.execute("PRAGMA integrity_check").fetchone()
    if check != "ok":
        problems.append(f"integrity_check: {check}")
    orphans = db.execute(
        "SELECT count(*) FROM documents d LEFT JOIN captures c ON c.sha256 = d.sha256 "
        "WHERE c.sha256 IS NULL"
    ).fetchone()[0]
    if orphans:
        problems.append(f"{orphans} documents without their capture")
    for sha256, content in db.execute("SELECT sha256, content FROM captures"):
        if hashlib.sha256(content).hexdigest() != sha256:
            problems.append(f"capture {sha256[:12]} does not match its bytes")
    units = db.execute(
        "SELECT count(*) FROM documents d WHERE NOT EXISTS "
        "(SELECT 1 FROM units u WHERE u.document_id = d.id)"
    ).fetchone()[0]
    if units:
        problems.append(f"{units} documents without units (a partial write)")
    db.conn.close()
    return problems


def test_a_crawl_killed_at_random_points_loses_nothing(tmp_path: Path, slow_site: str) -> None:
    db = tmp_path / "killed.db"
    command = demo_crawl_command(db, slow_site, config=tmp_path / "sources.toml")
    chance = random.Random(20261126)
    killed_mid_run = 0
    for _ in range(KILLS):
        with subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        ) as crawl:
            time.sleep(chance.uniform(0.3, 2.5))
            if crawl.poll() is None:
                crawl.send_signal(signal.SIGKILL)
                killed_mid_run += 1
            crawl.wait(timeout=30)
        assert soundness(db) == [] if db.exists() else True
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr
    assert soundness(db) == []
    store = open_db(db)
    urls = {row["url"] for row in store.query("SELECT DISTINCT url FROM documents")}
    assert len(urls) == 6, urls
    statuses = [row["status"] for row in store.query("SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses[-1] == "ok" and "running" not in statuses
    interrupted = store.execute(
        "SELECT count(*) FROM crawl_runs WHERE report LIKE '%interrupted before it finished%'"
    ).fetchone()[0]
    assert killed_mid_run >= KILLS // 2, "too few kills landed during a crawl to mean anything"
    # A kill before the run's row was written (while the process started) leaves no row;
    # every row a killed run did write is closed as interrupted by the next run.
    assert interrupted + statuses.count("ok") == len(statuses)
    assert 0 < interrupted <= killed_mid_run
    figures.report(
        f"kills: {KILLS} crawls started, {killed_mid_run} killed mid-run "
        f"({interrupted} after their run row was written, all closed as interrupted), "
        "integrity_check ok after each, 0 documents without capture, 0 hash mismatches, "
        "remaining work completed"
    )
