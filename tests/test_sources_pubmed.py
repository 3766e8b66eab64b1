"""Sources `pubmed` and `pmid` against the fake E-utilities (real PubmedArticleSet samples)."""

from __future__ import annotations

import json
import logging

import pytest
from fakeapi import FakeAPI, FakeClock, closed_port_url, make_ctx, run_source

import ingest.pubmed as pubmed
from kb.parse import parse_raw

FIXTURE_IDS = {"90000001", "90000002", "90000003"}


@pytest.fixture
def fake():
    with FakeAPI() as api:
        yield api


def saved_ids(records) -> list[str]:
    return [r.record_id for r in records]


def test_search_saves_one_raw_article_per_pmid(fake, tmp_path):
    s = fake.settings(tmp_path, ncbi_email="me@example.org", ncbi_api_key="SEKRETKEY123")
    ctx = make_ctx(s)
    records, failures = run_source("pubmed", ["islet"], ctx)
    assert failures == []
    assert set(saved_ids(records)) == FIXTURE_IDS and len(records) == 3
    search = fake.hits("esearch.fcgi")[0].params
    assert search["usehistory"] == "y" and search["tool"] == s.ncbi_tool
    assert search["email"] == "me@example.org" and search["api_key"] == "SEKRETKEY123"
    fetches = fake.hits("efetch.fcgi")
    assert len(fetches) == 1 and fetches[0].params["WebEnv"].startswith("MCID_fake")
    assert fetches[0].params["query_key"] == "1"
    for rec in records:
        assert rec.fmt == "pubmed_xml" and rec.source == "pubmed"
        sidecar = (tmp_path / (rec.path + ".meta.json")).read_text()
        assert "SEKRETKEY123" not in sidecar and "example.org" not in sidecar
        assert json.loads(sidecar)["url"].endswith(f"id={rec.record_id}&retmode=xml")


def test_saved_article_keeps_its_bytes_and_parses(fake, tmp_path):
    ctx = make_ctx(fake.settings(tmp_path))
    records, _ = run_source("pmid", ["90000001"], ctx)
    raw = (tmp_path / records[0].path).read_bytes()
    assert b"0.8&#x2009;&#xd7;&#x2009;10" in raw  # character references exactly as efetch sent them
    (doc,) = parse_raw(records[0], ctx.settings)
    assert doc.id == "pmid:90000001" and doc.source_type == "paper"
    assert "nct:NCT04786262" in doc.cites


def test_second_run_fetches_nothing_new_and_refresh_refetches(fake, tmp_path):
    s = fake.settings(tmp_path)
    first, _ = run_source("pubmed", ["islet"], make_ctx(s))
    mtimes = {r.path: (tmp_path / r.path).stat().st_mtime_ns for r in first}
    again, failures = run_source("pubmed", ["islet"], make_ctx(s))
    assert failures == [] and sorted(r.path for r in again) == sorted(mtimes)
    assert len(fake.hits("efetch.fcgi")) == 1  # only the first run fetched
    assert {r.path: (tmp_path / r.path).stat().st_mtime_ns for r in again} == mtimes
    run_source("pubmed", ["islet"], make_ctx(s, refresh=True))
    assert len(fake.hits("efetch.fcgi")) == 2


def test_limit_and_since(fake, tmp_path):
    s = fake.settings(tmp_path)
    records, _ = run_source("pubmed", ["islet"], make_ctx(s, limit=2))
    assert len(records) == 2 and fake.hits("esearch.fcgi")[-1].params["retmax"] == "2"
    records, _ = run_source("pubmed", ["islet"], make_ctx(s, since="2024"))
    assert set(saved_ids(records)) == {"90000001", "90000003"}  # 2025 and Nov 2024, not 2023
    params = fake.hits("esearch.fcgi")[-1].params
    assert params["mindate"] == "2024/01/01" and params["datetype"] == "pdat"
    _, failures = run_source("pubmed", ["islet"], make_ctx(s, since="last tuesday"))
    assert "not a date" in failures[0].reason


def test_efetch_pages_through_the_history_server(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(pubmed, "EFETCH_BATCH", 5)
    ids = fake.add_synthetic(12)
    records, failures = run_source("pubmed", ["synthetic"], make_ctx(fake.settings(tmp_path)))
    assert failures == [] and sorted(saved_ids(records)) == sorted(ids)
    starts = [r.params["retstart"] for r in fake.hits("efetch.fcgi")]
    assert starts == ["0", "5", "10"]


def test_more_hits_than_the_esearch_window_are_split_by_date(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(pubmed, "ESEARCH_WINDOW", 5)
    fake.esearch_window = 5  # the fake refuses to page past it, like NCBI past 9,999
    ids = fake.add_synthetic(23, years=(2001, 2012))
    records, failures = run_source("pubmed", ["synthetic"], make_ctx(fake.settings(tmp_path)))
    assert failures == []
    assert sorted(saved_ids(records)) == sorted(ids)  # all of them, each once
    for req in fake.hits("esearch.fcgi"):
        assert int(req.params.get("retstart", 0)) == 0
        assert int(req.params["retmax"]) <= 5
    assert all("mindate" in r.params for r in fake.hits("esearch.fcgi")[1:])


def test_explicit_ids_are_posted_when_many(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(pubmed, "POST_ABOVE", 3)
    monkeypatch.setattr(pubmed, "EFETCH_BATCH", 5)
    ids = fake.add_synthetic(7)
    records, failures = run_source("pmid", [",".join(ids[:4]), *ids[4:], "pmid:90000002"], make_ctx(fake.settings(tmp_path)))
    assert failures == [] and len(records) == 8
    methods = [(r.method, r.params["id"].count(",") + 1) for r in fake.hits("efetch.fcgi")]
    assert methods == [("POST", 5), ("GET", 3)]


def test_interrupted_run_resumes_where_it_stopped(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(pubmed, "EFETCH_BATCH", 5)
    ids = fake.add_synthetic(12)
    s = fake.settings(tmp_path)
    gen = pubmed.PubMedSource().fetch(["synthetic"], make_ctx(s))
    first = [next(gen) for _ in range(5)]  # one batch saved, then the process "dies"
    gen.close()
    assert len(fake.hits("efetch.fcgi")) == 1
    records, failures = run_source("pubmed", ["synthetic"], make_ctx(s))
    assert failures == [] and sorted(saved_ids(records)) == sorted(ids)
    later = fake.hits("efetch.fcgi")[1:]
    fetched_again = {i for r in later for i in r.params["id"].split(",")}
    assert fetched_again == set(ids) - set(saved_ids(first))  # only what was missing, by id


def test_500_on_efetch_is_retried_without_duplicates(fake, tmp_path):
    fake.fault("efetch.fcgi", "status", status=500, times=1)
    clock = FakeClock()
    ctx = make_ctx(fake.settings(tmp_path, http_backoff=0.5), clock)
    records, failures = run_source("pubmed", ["islet"], ctx)
    assert failures == [] and sorted(saved_ids(records)) == sorted(FIXTURE_IDS)
    assert ctx.client.stats.retries == 1 and clock.sleeps.count(0.5) >= 1
    assert len(list((tmp_path / "raw" / "pubmed").glob("*.xml"))) == 3


def test_429_on_esearch_waits_retry_after(fake, tmp_path):
    fake.fault("esearch.fcgi", "status", status=429, headers={"Retry-After": "3"}, times=1)
    ctx = make_ctx(fake.settings(tmp_path))
    records, failures = run_source("pubmed", ["islet"], ctx)
    assert failures == [] and len(records) == 3
    assert ctx.client.stats.waits == [3.0]


def test_truncated_efetch_body_is_retried(fake, tmp_path):
    fake.fault("efetch.fcgi", "truncate", times=1)
    ctx = make_ctx(fake.settings(tmp_path))
    records, failures = run_source("pubmed", ["islet"], ctx)
    assert failures == [] and len(records) == 3 and ctx.client.stats.retries == 1


def test_malformed_batch_is_reported_and_the_rest_saved(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(pubmed, "EFETCH_BATCH", 2)
    # Every try of the first batch (history page, then twice by id) comes back garbled.
    fake.fault("efetch.fcgi", "malformed", body=b"<PubmedArticleSet><PubmedArt", times=3)
    records, failures = run_source("pubmed", ["islet"], make_ctx(fake.settings(tmp_path)))
    assert len(records) == 1 and len(failures) == 2
    assert all("malformed XML" in f.reason and f.target.startswith("pmid:") for f in failures)
    assert {f.target[5:] for f in failures} | set(saved_ids(records)) == FIXTURE_IDS


def test_transiently_malformed_batch_is_requested_again(fake, tmp_path):
    fake.fault("efetch.fcgi", "malformed", times=1)
    records, failures = run_source("pubmed", ["islet"], make_ctx(fake.settings(tmp_path)))
    assert failures == [] and len(records) == 3 and len(fake.hits("efetch.fcgi")) == 2


def test_unknown_and_invalid_pmids_are_reported(fake, tmp_path):
    records, failures = run_source("pmid", ["90000002", "12345678", "abc"], make_ctx(fake.settings(tmp_path)))
    assert saved_ids(records) == ["90000002"]
    reasons = {f.target: f.reason for f in failures}
    assert "not a PMID" in reasons["abc"] and "not returned by efetch" in reasons["pmid:12345678"]


def test_empty_result_makes_no_efetch(fake, tmp_path):
    records, failures = run_source("pubmed", ["zzznothingmatches"], make_ctx(fake.settings(tmp_path)))
    assert records == [] and failures == [] and fake.hits("efetch.fcgi") == []


def test_esearch_error_inside_a_200_is_a_failure(fake, tmp_path):
    body = json.dumps({"esearchresult": {"ERROR": "Invalid query syntax\nmore"}}).encode()
    fake.fault("esearch.fcgi", "status", status=200, body=body, headers={"Content-Type": "application/json"})
    records, failures = run_source("pubmed", ["islet"], make_ctx(fake.settings(tmp_path)))
    assert records == [] and failures[0].reason == "PubMed search failed: esearch error: Invalid query syntax"


def test_offline_is_one_failure_and_no_real_waiting(tmp_path, caplog):
    from kb.settings import Settings

    caplog.set_level(logging.DEBUG)
    s = Settings(home=tmp_path, ncbi_base_url=closed_port_url() + "/eutils", http_retries=2,
                 ncbi_api_key="SEKRETKEY123")
    clock = FakeClock()
    records, failures = run_source("pubmed", ["islet"], make_ctx(s, clock))
    assert records == [] and len(failures) == 1
    assert failures[0].reason.startswith("offline? 127.0.0.1 unreachable after 3 attempts")
    assert clock.sleeps == [1.0, 2.0]
    assert "SEKRETKEY123" not in caplog.text


def test_expired_history_falls_back_to_ids(fake, tmp_path):
    fake.fault("WebEnv=", "status", status=400, body=b"Cannot retrieve history data", times=1)
    records, failures = run_source("pubmed", ["islet"], make_ctx(fake.settings(tmp_path)))
    assert failures == [] and sorted(saved_ids(records)) == sorted(FIXTURE_IDS)
    fetches = fake.hits("efetch.fcgi")
    assert "WebEnv" in fetches[0].params and set(fetches[1].params["id"].split(",")) == FIXTURE_IDS


@pytest.mark.parametrize(
    "source,targets,setting",
    [("pubmed", ["islet"], "ncbi_base_url"), ("pmid", ["1", "2"], "ncbi_base_url"),
     ("europepmc", ["islet"], "europepmc_base_url"), ("ctgov", ["NCT00763412", "NCT02210780"], "ctgov_base_url"),
     ("url", ["http://127.0.0.1:{port}/a", "http://127.0.0.1:{port}/b"], None)],
)
def test_every_source_reports_offline_once_and_stops(source, targets, setting, tmp_path):
    from ingest.http import is_offline
    from kb.settings import Settings

    base = closed_port_url()
    overrides = {setting: base} if setting else {}
    s = Settings(home=tmp_path, http_retries=1, allow_private_hosts=True, **overrides)
    targets = [t.format(port=base.rsplit(":", 1)[1]) for t in targets]
    records, failures = run_source(source, targets, make_ctx(s))
    assert records == [] and failures and all(is_offline(f) for f in failures)
    assert len(failures) == (2 if source == "url" else 1)  # url: each target is its own host call


def test_query_option_and_missing_query(fake, tmp_path):
    records, failures = run_source("pubmed", [], make_ctx(fake.settings(tmp_path), query="islet"))
    assert failures == [] and len(records) == 3
    for source in ("pubmed", "europepmc", "ctgov"):
        records, failures = run_source(source, [], make_ctx(fake.settings(tmp_path)))
        assert records == [] and "no search query given" in failures[0].reason
