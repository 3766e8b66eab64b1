"""The raw cache: atomic writes, sidecars, safe names, idempotent saves, iteration."""

from __future__ import annotations

import json
import os

import pytest

from kb.raw import RawCache, redact_url, safe_name
from kb.settings import Settings


@pytest.fixture
def cache(tmp_path) -> RawCache:
    return RawCache(Settings(home=tmp_path / "kb"))


def test_save_writes_payload_and_sidecar(cache):
    rec = cache.save("pubmed", "40544428", "xml", b"<PubmedArticleSet/>",
                     {"format": "pubmed_xml", "url": "https://x.test/efetch?id=1&api_key=SECRET"})
    assert rec.path == "raw/pubmed/40544428.xml"
    assert rec.fmt == "pubmed_xml" and rec.source == "pubmed" and rec.record_id == "40544428"
    assert cache.read(rec) == b"<PubmedArticleSet/>"
    meta = json.loads((cache.settings.home / (rec.path + ".meta.json")).read_text())
    assert meta["sha256"] and meta["fetched_at"] and meta["format"] == "pubmed_xml"
    assert "SECRET" not in json.dumps(meta) and meta["url"] == "https://x.test/efetch?id=1"
    # No temporary files are left behind.
    assert sorted(p.name for p in (cache.root / "pubmed").iterdir()) == [
        "40544428.xml", "40544428.xml.meta.json"]


def test_same_content_is_a_no_op_and_new_content_replaces(cache):
    rec1 = cache.save("ctgov", "NCT04786262", "json", b"{}", {"format": "ctgov_json"})
    path = cache.settings.home / rec1.path
    mtime = path.stat().st_mtime_ns
    rec2 = cache.save("ctgov", "NCT04786262", "json", b"{}", {"format": "ctgov_json"})
    assert rec2 == rec1 and path.stat().st_mtime_ns == mtime
    rec3 = cache.save("ctgov", "NCT04786262", "json", b'{"a": 1}', {"format": "ctgov_json"})
    assert rec3.meta["sha256"] != rec1.meta["sha256"]
    assert cache.read(rec3) == b'{"a": 1}'
    assert len(list(cache.iter_records())) == 1


@pytest.mark.parametrize("evil", [
    "../../etc/passwd", "..", ".", "/etc/passwd", "a/../../b", "..\\..\\windows",
    "x" * 1000, "", "nul\x00byte", "\u202eevil", "~root",
])
def test_ids_never_escape_their_folder(cache, evil):
    rec = cache.save("files", evil, "txt", b"data", {})
    full = (cache.settings.home / rec.path).resolve()
    assert full.parent == (cache.root / "files").resolve()
    assert full.read_bytes() == b"data"
    assert len(full.name) < 200
    assert rec.record_id == evil  # the original id is kept in the sidecar


def test_distinct_ids_do_not_collide():
    assert safe_name("a/b") != safe_name("a_b")
    assert safe_name("NCT04786262") == "NCT04786262"
    assert not safe_name("..").startswith(".")


@pytest.mark.parametrize("source,ext", [("../x", "txt"), ("ok", "../../x"), ("Bad Name", "t")])
def test_invalid_source_or_ext_rejected(cache, source, ext):
    with pytest.raises(ValueError):
        cache.save(source, "id", ext, b"x", {})


def test_iter_records_skips_incomplete_and_orders_by_fetch_time(cache):
    cache.save("demo", "b", "md", b"B", {"fetched_at": "2025-01-02T00:00:00+00:00"})
    cache.save("demo", "a", "md", b"A", {"fetched_at": "2025-01-03T00:00:00+00:00"})
    # A payload without sidecar (crash between the two writes) and a broken sidecar.
    (cache.root / "demo" / "orphan.md").write_bytes(b"O")
    (cache.root / "demo" / "broken.md").write_bytes(b"X")
    (cache.root / "demo" / "broken.md.meta.json").write_text("{not json")
    ids = [r.record_id for r in cache.iter_records()]
    assert ids == ["b", "a"]


def test_failed_write_leaves_previous_version(cache, monkeypatch):
    rec = cache.save("demo", "doc", "md", b"v1", {})

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        cache.save("demo", "doc", "md", b"v2", {})
    monkeypatch.undo()
    assert cache.read(rec) == b"v1"
    assert [p.name for p in (cache.root / "demo").iterdir() if p.name.startswith(".tmp")] == []


def test_redact_url_drops_credentials():
    assert redact_url("https://u:pw@h.test/p?api_key=k&term=x&email=a@b") == "https://h.test/p?term=x"
    assert redact_url(None) is None
