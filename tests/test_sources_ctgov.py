"""Source `ctgov` against the fake ClinicalTrials.gov API v2 (real v2 study samples)."""

from __future__ import annotations

import email.utils
import json

import pytest
from fakeapi import SAMPLES, FakeAPI, FakeClock, make_ctx, run_source

import ingest.ctgov as ctgov
from ingest.ctgov import registry_ids_to_follow
from kb.models import Document
from kb.parse import parse_raw


@pytest.fixture
def fake():
    with FakeAPI() as api:
        yield api


def test_studies_by_id_are_saved_and_unknown_reported(fake, tmp_path):
    ctx = make_ctx(fake.settings(tmp_path))
    records, failures = run_source("ctgov", ["NCT00763412", "nct:NCT02552212", "NCT99999999"], ctx)
    assert [r.record_id for r in records] == ["NCT00763412", "NCT02552212"]
    assert [(f.target, f.reason) for f in failures] == [("nct:NCT99999999", "not found on ClinicalTrials.gov")]
    rec = records[0]
    assert rec.fmt == "ctgov_json" and rec.meta["last_update"] == "2017-06-05"
    assert json.loads((tmp_path / rec.path).read_bytes()) == fake.studies["NCT00763412"]
    (doc,) = parse_raw(rec, ctx.settings)
    assert doc.id == "nct:NCT00763412" and doc.source_type == "registry" and doc.facts


def test_search_pages_with_page_token(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(ctgov, "PAGE_SIZE", 4)
    records, failures = run_source("ctgov", [], make_ctx(fake.settings(tmp_path), query="study"))
    assert failures == [] and sorted(r.record_id for r in records) == sorted(fake.studies)
    tokens = [r.params.get("pageToken") for r in fake.hits("/ctgov/studies")]
    assert tokens == [None, "tok-4"]
    assert fake.hits("/ctgov/studies")[0].params["query.term"] == "study"


def test_unchanged_studies_are_not_rewritten_changed_ones_are(fake, tmp_path):
    s = fake.settings(tmp_path)
    first, _ = run_source("ctgov", ["NCT00763412", "NCT03418623"], make_ctx(s))
    stamp = {r.record_id: (tmp_path / r.path).stat().st_mtime_ns for r in first}
    study = fake.studies["NCT03418623"]
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2026-01-02"
    study["protocolSection"]["identificationModule"]["briefTitle"] += " (updated)"
    again, failures = run_source("ctgov", ["NCT00763412", "NCT03418623"], make_ctx(s))
    assert failures == [] and [r.record_id for r in again] == ["NCT00763412", "NCT03418623"]
    assert (tmp_path / again[0].path).stat().st_mtime_ns == stamp["NCT00763412"]
    assert again[1].meta["last_update"] == "2026-01-02"
    assert b"(updated)" in (tmp_path / again[1].path).read_bytes()


def test_429_with_http_date_then_success(fake, tmp_path):
    clock = FakeClock()
    when = email.utils.formatdate(clock.wall() + 20, usegmt=True)
    fake.fault("/ctgov/studies/NCT00763412", "status", status=429, headers={"Retry-After": when})
    ctx = make_ctx(fake.settings(tmp_path), clock)
    records, failures = run_source("ctgov", ["NCT00763412"], ctx)
    assert failures == [] and len(records) == 1
    assert ctx.client.stats.waits == [pytest.approx(20, abs=1)]


def test_malformed_study_is_reported_and_the_rest_saved(fake, tmp_path):
    fake.fault("/ctgov/studies/NCT02210780", "malformed", times=5)
    records, failures = run_source("ctgov", ["NCT02210780", "NCT05594173"], make_ctx(fake.settings(tmp_path)))
    assert [r.record_id for r in records] == ["NCT05594173"]
    assert failures[0].target == "nct:NCT02210780" and "malformed JSON" in failures[0].reason


def test_retired_v1_payload_is_refused(fake, tmp_path):
    legacy = (SAMPLES / "ctgov" / "aact__legacy_v1_FullStudiesResponse_results_2.json").read_bytes()
    fake.fault("/ctgov/studies/NCT00763412", "status", status=200, body=legacy,
               headers={"Content-Type": "application/json"})
    records, failures = run_source("ctgov", ["NCT00763412"], make_ctx(fake.settings(tmp_path)))
    assert records == [] and "not a ClinicalTrials.gov v2 study" in failures[0].reason


def test_empty_search_and_failed_search(fake, tmp_path):
    ctx = make_ctx(fake.settings(tmp_path))
    assert run_source("ctgov", [], make_ctx(fake.settings(tmp_path), query="zzznomatch")) == ([], [])
    fake.fault("/ctgov/studies?", "status", status=400, body=b"bad query")
    records, failures = run_source("ctgov", ["islet transplantation"], ctx)
    assert records == [] and "HTTP 400" in failures[0].reason


def test_registry_ids_to_follow():
    paper = Document(id="pmid:1", source="pubmed", source_type="paper", text="x",
                     cites=["doi:10.1/x", "nct:NCT04786262", "nct:NCT00000001"])
    news = Document(id="web:x", source="web", source_type="news", text="y", cites=["nct:nct04786262", "nct:NCT05791201"])
    registry = Document(id="nct:NCT00000001", source="ctgov", source_type="registry", text="z",
                        registry_ids=["nct:NCT00000001"], cites=["nct:NCT09999999"])
    assert registry_ids_to_follow([paper, news, registry]) == ["NCT04786262", "NCT05791201"]


def test_follow_registry_from_a_fetched_abstract(fake, tmp_path):
    """pmid -> parse -> the NCT id it names -> ctgov (what the pipeline does with --follow-registry)."""
    study = json.loads(json.dumps(fake.studies["NCT03418623"]))
    study["protocolSection"]["identificationModule"]["nctId"] = "NCT04786262"
    fake.studies["NCT04786262"] = study
    ctx = make_ctx(fake.settings(tmp_path))
    (rec,), _ = run_source("pmid", ["90000001"], ctx)
    follow = registry_ids_to_follow(parse_raw(rec, ctx.settings))
    assert follow == ["NCT04786262"]
    records, failures = run_source("ctgov", follow, ctx)
    assert failures == [] and records[0].record_id == "NCT04786262"
