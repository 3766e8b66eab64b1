"""Source `europepmc` against the fake Europe PMC REST API (real core search samples + fixtures)."""

from __future__ import annotations

import json

import pytest
from fakeapi import FakeAPI, make_ctx, run_source

import ingest.europepmc as europepmc
from kb.parse import parse_raw


@pytest.fixture
def fake():
    with FakeAPI() as api:
        yield api


def test_open_access_full_text_is_saved_as_jats_and_others_as_core_records(fake, tmp_path):
    ctx = make_ctx(fake.settings(tmp_path))
    records, failures = run_source("europepmc", ["islet"], ctx)
    assert failures == []
    by_id = {r.record_id: r for r in records}
    assert set(by_id) == {"PMC9000001", "90000005", "90000006"}
    assert by_id["PMC9000001"].fmt == "jats_xml"  # open access with full text
    assert by_id["90000005"].fmt == "europepmc_json"  # open access, but full text 404: abstract kept
    assert by_id["90000006"].fmt == "europepmc_json"  # not open access: no full-text request
    assert [r.path for r in fake.hits("fullTextXML")] == ["/europepmc/PMC9000001/fullTextXML",
                                                          "/europepmc/PMC9000002/fullTextXML"]
    search = fake.hits("/europepmc/search")[0].params
    assert search["resultType"] == "core" and search["cursorMark"] == "*" and search["format"] == "json"
    (doc,) = parse_raw(by_id["PMC9000001"], ctx.settings)
    assert "Neutropenia was the most common adverse event" in doc.text  # the body, not only the abstract
    (abstract,) = parse_raw(by_id["90000006"], ctx.settings)
    assert abstract.id == "pmid:90000006" and "insulin pump" in abstract.text


def test_cursor_paging_to_the_last_page(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(europepmc, "PAGE_SIZE", 10)
    fake.fulltext.clear()  # keep the test about paging: every full text is a quick 404
    records, failures = run_source("europepmc", ["cancer"], make_ctx(fake.settings(tmp_path)))
    expected = [r for r in fake.epmc if "cancer" in json.dumps(r).lower()]
    assert failures == [] and len(records) == len(expected) > 20
    assert len({r.record_id for r in records}) == len(records)
    marks = [r.params["cursorMark"] for r in fake.hits("/europepmc/search")]
    assert marks[0] == "*" and len(marks) == len(set(marks)) == -(-len(expected) // 10)


def test_limit_stops_paging(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(europepmc, "PAGE_SIZE", 10)
    records, _ = run_source("europepmc", ["cancer"], make_ctx(fake.settings(tmp_path), limit=12))
    assert len(records) == 12
    sizes = [r.params["pageSize"] for r in fake.hits("/europepmc/search")]
    assert sizes == ["10", "2"]


def test_500_mid_paging_is_retried_without_duplicates(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(europepmc, "PAGE_SIZE", 10)
    fake.fulltext.clear()
    first_page = run_source("europepmc", ["cancer"], make_ctx(fake.settings(tmp_path / "a"), limit=10))[0]
    fake.requests.clear()
    fake.fault("cursorMark=ZmFrZToxMA", "status", status=500, times=1)  # the second page, once
    ctx = make_ctx(fake.settings(tmp_path / "b"))
    records, failures = run_source("europepmc", ["cancer"], ctx)
    assert failures == [] and ctx.client.stats.retries == 1
    ids = [r.record_id for r in records]
    assert len(ids) == len(set(ids)) and set(r.record_id for r in first_page) <= set(ids)
    files = [p for p in (tmp_path / "b" / "raw" / "europepmc").glob("*.json") if not p.name.endswith(".meta.json")]
    assert len(files) == len(ids)


def test_malformed_page_is_reported_and_earlier_pages_kept(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(europepmc, "PAGE_SIZE", 10)
    fake.fulltext.clear()
    fake.fault("cursorMark=ZmFrZToxMA", "malformed", body=b'{"resultList": {"result": [', times=5)
    records, failures = run_source("europepmc", ["cancer"], make_ctx(fake.settings(tmp_path)))
    assert len(records) == 10 and len(failures) == 1
    assert "after 10 records" in failures[0].reason and "malformed JSON" in failures[0].reason


def test_empty_result(fake, tmp_path):
    records, failures = run_source("europepmc", ["asdkfjhzzzz"], make_ctx(fake.settings(tmp_path)))
    assert records == [] and failures == [] and len(fake.hits("/europepmc/search")) == 1


def test_second_run_does_not_refetch_full_text(fake, tmp_path):
    s = fake.settings(tmp_path)
    run_source("europepmc", ["islet"], make_ctx(s))
    n = len(fake.hits("fullTextXML"))
    records, failures = run_source("europepmc", ["islet"], make_ctx(s))
    assert failures == [] and len(records) == 3
    assert [r.path for r in fake.hits("fullTextXML")[n:]] == ["/europepmc/PMC9000002/fullTextXML"]


def test_garbage_full_text_falls_back_to_the_abstract(fake, tmp_path):
    fake.fault("PMC9000001/fullTextXML", "status", status=200, body=b"<html>Service busy</html>",
               headers={"Content-Type": "text/html"})
    records, failures = run_source("europepmc", ["islet"], make_ctx(fake.settings(tmp_path)))
    assert failures == []
    assert {r.record_id: r.fmt for r in records}["90000004"] == "europepmc_json"
