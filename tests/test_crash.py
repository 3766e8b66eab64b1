"""Crash safety with real processes: `kb ingest` is SIGKILLed at several points (deterministically,
through the store's KB_TEST_KILL_AFTER=<n Chroma writes> hook), run again, and must end exactly
where an uninterrupted run ends: same `kb stats --json`, no orphans, no half-written document.
Also: a second writer is turned away with a clear message."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, SEED

KB = str(Path(sys.executable).parent / "kb")


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(KB_HOME=str(home), ANONYMIZED_TELEMETRY="False", HF_HUB_OFFLINE="1", **extra)
    return env


def start_kb(home: Path, *args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen([KB, *args], env=env_for(home, **extra), cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run_kb(home: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    proc = start_kb(home, *args, **extra)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def stats(home: Path) -> dict:
    done = run_kb(home, "stats", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def corpus(tmp_path) -> list[str]:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "seed.txt").write_text(SEED.read_text("utf-8"), "utf-8")
    (folder / "registry.json").write_bytes((SAMPLES / "ctgov" / "aact__NCT03418623.json").read_bytes())
    (folder / "note.md").write_text(
        "# Edmonton protocol\n\nSeven of seven patients (100%) were insulin independent after "
        "islet transplantation with a glucocorticoid-free regimen.\n", "utf-8")
    return [str(folder)]


@pytest.mark.slow
def test_kill_and_resume_ends_like_a_clean_run(tmp_path, corpus):
    clean_home, home = tmp_path / "clean", tmp_path / "crashed"
    extra = tmp_path / "extra.txt"
    extra.write_text("An extra report that only the first, killed run sees. It enrolled 20 "
                     "participants.", "utf-8")

    # The clean run and the first killed run in parallel (2 cores; each mostly waits on imports).
    clean = start_kb(clean_home, "ingest", "-q", *corpus)
    # 1: killed right after the first write (passages of every document, no facts, no records).
    killed = start_kb(home, "ingest", "-q", *corpus, str(extra), KB_TEST_KILL_AFTER="1")
    assert killed.wait(timeout=300) == -signal.SIGKILL
    assert clean.wait(timeout=300) == 0, clean.stderr.read()
    expected = stats(clean_home)
    assert expected["documents"] == 3 and expected["facts"] > 0

    # Nothing looks complete yet: no document record was written.
    assert stats(home)["documents"] == 0
    # 2: passages are reused (same text hash), the facts written, then killed again.
    # 3: only the document records remain to write; killed before the run could tidy up.
    for _ in range(2):
        again = run_kb(home, "ingest", "-q", *corpus, KB_TEST_KILL_AFTER="1")
        assert again.returncode == -signal.SIGKILL
    assert stats(home)["documents"] == 3

    # The final run finds everything stored, and removes the killed run's leftovers of extra.txt.
    final = run_kb(home, "ingest", "-q", *corpus)
    assert final.returncode == 0, final.stderr
    assert "new 0, updated 0, unchanged 3, failed 0" in final.stdout
    assert "interrupted run" in final.stdout
    assert stats(home) == expected

    doctor = run_kb(home, "doctor", "--json")
    checks = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}
    for name in ("orphans", "complete documents", "fact quotes", "interrupted writes",
                 "embedding model"):
        assert checks[name]["ok"], checks[name]
    # extra.txt reached the raw cache but (correctly) not the store: the doctor says so.
    problems = checks["raw cache"]["problems"]
    assert problems and all("extra" in p for p in problems)


def test_a_second_writer_is_turned_away_with_a_clear_message(tmp_path):
    from kb.lock import writer_lock
    from kb.settings import Settings

    home = tmp_path / "kb"
    with writer_lock(Settings(home=home)):
        done = run_kb(home, "ingest", str(SEED))
    assert done.returncode == 1
    assert "another `kb ingest` is writing to KB_HOME" in done.stderr
    assert "Traceback" not in done.stderr
