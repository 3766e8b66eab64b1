"""kb.doctor: each check finds the damage it is about, and --repair restores the clean state."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, SEED

from kb.cli import cli
from kb.doctor import run_doctor
from kb.embed import HashEmbedder
from kb.pipeline import KnowledgeBase
from kb.store import Store


@pytest.fixture
def kb(store_settings, tmp_path):
    # Named like the real model so `kb doctor` (CLI, default embedder) sees a matching store.
    kb = KnowledgeBase(store_settings, Store(store_settings, HashEmbedder(name="all-MiniLM-L6-v2")))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "seed.txt").write_text(SEED.read_text("utf-8"), "utf-8")
    (folder / "registry.json").write_bytes((SAMPLES / "ctgov" / "aact__NCT03418623.json").read_bytes())
    report = kb.ingest("files", [str(folder)])
    assert report.new == 2 and not report.failed
    return kb


def failing(report) -> dict[str, list[str]]:
    return {c.name: c.problems for c in report.checks if not c.ok}


def test_a_freshly_ingested_store_is_healthy(kb):
    report = run_doctor(kb.settings, kb=kb)
    assert report.ok, report.render()
    assert "everything checks out" in report.render()
    assert [c.name for c in report.checks] == [
        "embedding model", "interrupted writes", "orphans", "complete documents", "fact quotes",
        "raw cache"]


def test_a_fact_whose_quote_left_its_text_is_found_and_rederived(kb):
    before = kb.stats()
    fact = next(f for f in kb.facts(["seed"]) if f.kind == "outcome")
    meta = {**fact.to_metadata(), "quote": "not in the text"}
    kb.store.facts_col.update(ids=[fact.fact_id], metadatas=[meta])
    kb.store._bump()  # written behind the store's back: tell its read cache

    report = run_doctor(kb.settings, kb=kb)
    assert list(failing(report)) == ["fact quotes"]
    assert fact.fact_id in failing(report)["fact quotes"][0]
    assert "kb doctor --repair" in report.render()

    repaired = run_doctor(kb.settings, repair=True, kb=kb)
    assert repaired.ok, repaired.render()
    assert next(c for c in repaired.checks if c.name == "fact quotes").repaired == 1
    assert kb.stats() == before
    assert fact in kb.facts(["seed"])


def test_orphans_and_interrupted_writes_are_removed(kb):
    before = kb.stats()
    kb.store.passages_col.upsert(
        ids=["ghost#p0"], embeddings=kb.store.embedder.embed(["ghost"]), documents=["ghost"],
        metadatas=[{"doc_id": "ghost", "index": 0, "start": 0, "end": 5}])
    kb.store._bump()
    kb.store._journal_add(["ghost"])

    report = run_doctor(kb.settings, kb=kb)
    assert set(failing(report)) == {"orphans", "interrupted writes"}
    repaired = run_doctor(kb.settings, repair=True, kb=kb)
    assert repaired.ok, repaired.render()
    assert kb.stats() == before and kb.store.pending() == []


def test_a_document_missing_passages_is_rederived_from_the_raw_cache(kb):
    before = kb.stats()
    kb.store.passages_col.delete(ids=["seed#p1"])
    kb.store._bump()
    report = run_doctor(kb.settings, kb=kb)
    assert list(failing(report)) == ["complete documents"]
    assert run_doctor(kb.settings, repair=True, kb=kb).ok
    assert kb.stats() == before


def test_a_raw_record_missing_from_the_store_is_ingested_again(kb):
    before = kb.stats()
    kb.store.delete_document("nct:NCT03418623")
    report = run_doctor(kb.settings, kb=kb)
    assert list(failing(report)) == ["raw cache"]
    assert "nct:NCT03418623" in failing(report)["raw cache"][0]
    assert run_doctor(kb.settings, repair=True, kb=kb).ok
    assert kb.stats() == before


def test_a_missing_raw_payload_is_reported_but_not_deleted(kb):
    doc = kb.get_document("seed")
    (kb.settings.home / doc.raw_path).unlink()
    report = run_doctor(kb.settings, repair=True, kb=kb)
    assert "raw payload" in failing(report)["raw cache"][0]
    assert kb.get_document("seed") is not None  # evidence is never thrown away by a repair


def test_another_embedding_model_is_reported_with_advice(kb):
    other = KnowledgeBase(kb.settings, Store(kb.settings, HashEmbedder(name="other-model")))
    report = run_doctor(kb.settings, kb=other)
    assert list(failing(report)) == ["embedding model"]
    assert "kb rebuild" in report.render()


def test_cli_doctor_exit_codes_and_repair(kb):
    runner = CliRunner()
    ok = runner.invoke(cli, ["doctor"])
    assert ok.exit_code == 0 and "everything checks out" in ok.output

    kb.store.facts_col.upsert(
        ids=["f:orphan"], embeddings=kb.store.embedder.embed(["x"]), documents=["x"],
        metadatas=[{"doc": "gone", "kind": "phase", "name": "phase 1", "quote": "x", "start": 0,
                    "end": 1}])
    kb.store._bump()
    bad = runner.invoke(cli, ["doctor"])
    assert bad.exit_code == 1
    assert "[FAIL] orphans" in bad.output and "kb doctor --repair" in bad.output
    fixed = runner.invoke(cli, ["doctor", "--repair", "--json"])
    assert fixed.exit_code == 0
    assert json.loads(fixed.output)["repaired"] is True
