"""kb.pipeline: passages, fact assembly, KnowledgeBase.ingest / rebuild / stats, the writer lock,
and the `kb ingest` / `kb stats` / `kb rebuild` commands."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, SEED

from kb.cli import cli
from kb.embed import HashEmbedder
from kb.lock import WriterLockedError, writer_lock
from kb.models import Document, Fact, Section
from kb.pipeline import KnowledgeBase, document_facts, split_passages
from kb.settings import Settings
from kb.store import Store


def doc_of(text: str, sections=None) -> Document:
    return Document(id="d", source="files", text=text, sections=sections or [])


# --- passages -----------------------------------------------------------------------------------

@pytest.mark.parametrize("limit", [100, 300, 700])
def test_passages_cover_the_text_with_exact_offsets_and_sentence_boundaries(limit):
    text = SEED.read_text("utf-8")
    doc = doc_of(text)
    passages = split_passages(doc, Settings(passage_chars=limit))
    assert [p.index for p in passages] == list(range(len(passages)))
    assert all(p.id == f"d#p{p.index}" for p in passages)
    for p in passages:
        assert text[p.start:p.end] == p.text and p.text == p.text.strip()
    # In order, non-overlapping, and nothing but whitespace is left out.
    for a, b in zip(passages, passages[1:], strict=False):
        assert a.end <= b.start and text[a.end:b.start].strip() == ""
    assert re.sub(r"\s", "", "".join(p.text for p in passages)) == re.sub(r"\s", "", text)
    # Passages end at a sentence or line end (the seed has no sentence over 300 characters).
    for p in passages:
        if limit >= 300:
            assert p.end == len(text) or p.text[-1] in ".!?)\"'%" or text[p.end] == "\n" or \
                text[p.end:].strip() == ""


def test_passages_stay_within_sections_and_carry_their_title():
    text = "Background text one. More background.\nMethods: we did this. And that."
    cut = text.index("Methods")
    doc = doc_of(text, [Section(title="BACKGROUND", start=0, end=cut),
                        Section(title="METHODS", start=cut, end=len(text))])
    passages = split_passages(doc, Settings(passage_chars=500))
    assert [(p.section, p.text) for p in passages] == [
        ("BACKGROUND", "Background text one. More background."),
        ("METHODS", "Methods: we did this. And that."),
    ]


def test_text_outside_sections_gets_an_untitled_passage():
    text = "Title line\nAbstract sentence one. Sentence two."
    start = text.index("Abstract")
    passages = split_passages(doc_of(text, [Section(title="ABSTRACT", start=start, end=len(text))]),
                              Settings(passage_chars=500))
    assert [(p.section, p.text) for p in passages] == [
        (None, "Title line"), ("ABSTRACT", "Abstract sentence one. Sentence two.")]


@pytest.mark.parametrize("text", [
    "Shapiro et al. Reported insulin independence in seven of seven patients.",
    "Results were similar (e.g. In the second cohort) to the first.",
    "J. Smith led the study of islets in 2000.",
])
def test_abbreviations_do_not_end_a_sentence(text):
    doc = doc_of(text + " " + "Another sentence follows here." * 1)
    passages = split_passages(doc, Settings(passage_chars=100))
    assert passages[0].text.startswith(text)


def test_an_overlong_sentence_is_cut_at_whitespace():
    text = " ".join(["word"] * 400)
    passages = split_passages(doc_of(text), Settings(passage_chars=200))
    assert len(passages) > 5
    assert all(len(p.text) <= 200 and not p.text.startswith(" ") for p in passages)
    assert all(text[p.start:p.end] == p.text for p in passages)


def test_empty_text_has_no_passages():
    assert split_passages(doc_of("   \n\n "), Settings()) == []


# --- facts --------------------------------------------------------------------------------------

def test_document_facts_keeps_registry_first_and_drops_bad_or_duplicate_facts():
    doc = doc_of("Enrollment: 14\nThe trial enrolled 14 participants.")
    reg = Fact(doc="d", kind="sample_size", name="enrolled", value=14, quote="Enrollment: 14",
               start=0, end=14, method="registry")
    text_fact = Fact(doc="d", kind="sample_size", name="enrolled", value=14,
                     quote="The trial enrolled 14 participants.", start=15, end=50)
    bad = Fact(doc="d", kind="phase", name="phase 1", quote="Phase 1", start=0, end=7)
    doc = doc.model_copy(update={"facts": [reg]})
    assert document_facts(doc, [text_fact, bad, text_fact]) == [reg, text_fact]


# --- the knowledge base -------------------------------------------------------------------------

@pytest.fixture
def kb(store_settings):
    return KnowledgeBase(store_settings, Store(store_settings, HashEmbedder()))


def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "seed.txt").write_text(SEED.read_text("utf-8"), "utf-8")
    (folder / "note.md").write_text("# A note\n\nIslet transplantation restored insulin "
                                    "independence in 7 of 7 patients (100%).\n", "utf-8")
    (folder / "empty.txt").write_text("", "utf-8")
    (folder / "study.json").write_bytes((SAMPLES / "ctgov" / "aact__NCT03418623.json").read_bytes())
    (folder / "legacy.json").write_bytes(
        (SAMPLES / "ctgov" / "aact__legacy_v1_FullStudiesResponse_results_2.json").read_bytes())
    return folder


def test_ingest_files_stores_documents_and_reports_failures(kb, tmp_path):
    folder = corpus(tmp_path)
    report = kb.ingest("files", [str(folder), str(tmp_path / "missing.pdf")])
    assert report.new >= 2 and report.updated == 0
    assert {f.target for f in report.failed} >= {str(tmp_path / "missing.pdf")}
    assert any("empty" in f.reason for f in report.failed)
    assert "seed" in report.doc_ids and "note" in report.doc_ids
    assert any("legacy.json" in f.target and "v1" in f.reason for f in report.failed)
    registry = kb.facts(["nct:NCT03418623"])
    assert any(f.method == "registry" and f.kind == "registry_id" for f in registry)
    stats = kb.stats()
    assert set(stats) == {"documents", "passages", "facts", "trials"}
    assert stats["documents"] == report.new and stats["passages"] >= stats["documents"]
    assert stats["facts"] > 0
    seed_facts = kb.facts(["seed"])
    seed = kb.get_document("seed")
    assert all(seed.text[f.start:f.end] == f.quote for f in seed_facts)
    assert any(f.kind == "outcome" and f.value == 83 for f in seed_facts)

    embedded = kb.store.embedder.texts_embedded
    again = kb.ingest("files", [str(folder)])
    assert again.new == 0 and again.updated == 0 and again.unchanged == report.new
    assert kb.store.embedder.texts_embedded == embedded
    assert kb.stats() == stats


def test_changed_file_updates_its_document(kb, tmp_path):
    path = tmp_path / "trial.txt"
    path.write_text("Phase 2 trial. Insulin independence in 5 of 10 patients (50%).", "utf-8")
    assert kb.ingest("files", [str(path)]).new == 1
    path.write_text("Phase 2 trial. Insulin independence in 6 of 10 patients (60%).", "utf-8")
    report = kb.ingest("files", [str(path)])
    assert report.updated == 1 and report.summary().startswith("fetched 1, new 0, updated 1")
    assert "60%" in kb.get_document("trial").text
    assert all("50%" not in f.quote for f in kb.facts(["trial"]))
    assert kb.stats()["documents"] == 1


def test_rebuild_rederives_the_same_store_from_the_raw_cache(kb, tmp_path):
    kb.ingest("files", [str(corpus(tmp_path))])
    before = kb.stats()
    report = kb.rebuild()
    assert report.new == before["documents"] and report.unchanged == 0
    assert kb.stats() == before


def test_unknown_source_is_a_clear_error(kb):
    with pytest.raises(ValueError, match="unknown source 'nope'.*demo"):
        kb.ingest("nope", [])


def test_second_writer_gets_a_clear_message(kb, tmp_path):
    with writer_lock(kb.settings):
        with pytest.raises(WriterLockedError, match="another `kb ingest` is writing to KB_HOME"):
            kb.ingest("files", [str(corpus(tmp_path))])
    assert kb.ingest("files", [str(tmp_path / "in" / "note.md")]).new == 1


# --- the CLI ------------------------------------------------------------------------------------

def test_commands_have_examples_in_their_help():
    runner = CliRunner()
    for command in ("ingest", "stats", "rebuild", "doctor"):
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output, command


def test_stats_on_an_empty_store_says_what_to_do(store_backend):
    result = CliRunner().invoke(cli, ["stats"])
    assert result.exit_code == 0 and "kb ingest demo" in result.output
    result = CliRunner().invoke(cli, ["stats", "--json"])
    assert json.loads(result.output) == {"documents": 0, "passages": 0, "facts": 0, "trials": 0}


@pytest.mark.slow
def test_cli_ingest_demo_then_files_with_the_real_model(store_backend, real_embedder, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", "demo"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("fetched 10, new 10, updated 0, unchanged 0, failed 0")
    stats = json.loads(runner.invoke(cli, ["stats", "--json"]).output)
    assert list(stats) == ["documents", "passages", "facts", "trials"]
    assert stats["documents"] == 10 and stats["facts"] > 10 and stats["trials"] >= 1

    before = real_embedder.texts_embedded
    again = runner.invoke(cli, ["ingest", "demo"])
    assert "new 0, updated 0, unchanged 10, failed 0" in again.output
    assert real_embedder.texts_embedded == before  # nothing re-embedded
    assert json.loads(runner.invoke(cli, ["stats", "--json"]).output) == stats

    # Paths (not a source name) go to the files source; a failure makes the exit code non-zero.
    (tmp_path / "empty.md").write_text("", "utf-8")
    result = runner.invoke(cli, ["ingest", str(SEED), str(tmp_path / "empty.md")])
    assert result.exit_code == 1
    assert "new 1" in result.output and "empty.md" in result.output
