"""`kb ingest` over the network sources, end to end through the pipeline, against the local fake
services: a paper that names its registry record pulls that record in (--follow-registry), and
an unreachable service is one plain line that points at local files."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from fakeapi import FIXTURES, FakeAPI, closed_port_url

from kb.cli import cli
from kb.embed import HashEmbedder
from kb.pipeline import KnowledgeBase
from kb.store import Store

# A sample registry record the fake ClinicalTrials.gov serves (../shared/samples/ctgov).
SAMPLE_NCT = "NCT00763412"


@pytest.fixture
def fake():
    with FakeAPI() as api:
        # A fixture article in the real PubmedArticleSet shape whose abstract names the sample.
        xml = (FIXTURES / "pubmed" / "90000003.xml").read_text("utf-8")
        xml = re.sub(r"90000003", "90000077", xml).replace("NCT05791201", SAMPLE_NCT)
        api.add_pubmed(xml)
        yield api


def _kb(settings) -> KnowledgeBase:
    return KnowledgeBase(settings, store=Store(settings, embedder=HashEmbedder()))


def test_a_paper_pulls_in_the_registry_record_it_names(fake, tmp_path):
    kb = _kb(fake.settings(tmp_path))
    report = kb.ingest("pmid", ["90000077"])
    assert report.ok, report.failed
    assert report.fetched == 2 and report.new == 2
    record = kb.get_document(f"nct:{SAMPLE_NCT}")
    assert record is not None and record.source_type == "registry"
    assert [h.path for h in fake.hits("/ctgov/studies/")] == [f"/ctgov/studies/{SAMPLE_NCT}"]
    # Both documents are one trial now.
    [trial] = kb.trials()
    assert trial.id == f"nct:{SAMPLE_NCT}"
    assert sorted(trial.doc_ids) == [f"nct:{SAMPLE_NCT}", "pmid:90000077"]

    # Again: nothing new is fetched from the registry (the record is stored already).
    again = kb.ingest("pmid", ["90000077"])
    assert again.new == 0 and again.updated == 0
    assert len(fake.hits("/ctgov/studies/")) == 1


def test_no_follow_registry_leaves_the_registry_alone(fake, tmp_path):
    kb = _kb(fake.settings(tmp_path))
    report = kb.ingest("pmid", ["90000077"], {"follow_registry": False})
    assert report.ok and report.fetched == 1
    assert fake.hits("/ctgov/") == []
    assert kb.get_document(f"nct:{SAMPLE_NCT}") is None


def test_local_files_do_not_follow_registry_ids(fake, tmp_path):
    note = tmp_path / "note.md"
    note.write_text(f"The study {SAMPLE_NCT} enrolled 12 participants.\n")
    kb = _kb(fake.settings(tmp_path / "kb"))
    assert kb.ingest("files", [str(note)]).ok
    assert fake.hits("/ctgov/") == []


def test_offline_is_one_line_naming_local_ingest(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_HOME", str(tmp_path / "kb"))
    monkeypatch.setenv("KB_NCBI_BASE_URL", closed_port_url() + "/eutils")
    monkeypatch.setenv("KB_HTTP_RETRIES", "0")
    monkeypatch.setattr("kb.store.get_embedder", lambda settings=None: HashEmbedder())
    from kb.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["ingest", "pubmed", "islet transplantation", "-q"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    offline = [line for line in result.output.splitlines() if line.startswith("offline?")]
    assert len(offline) == 1, result.output
    assert "kb ingest PATH" in offline[0] and "Traceback" not in result.output
    assert "failed:" not in result.output  # the one line replaces the per-record list
