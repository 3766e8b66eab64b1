"""Source `url` against fake web pages: redirects, schemes, private hosts, caps, 304."""

from __future__ import annotations

import pytest
from fakeapi import FakeAPI, make_ctx, run_source

from kb.parse import parse_raw


@pytest.fixture
def fake():
    with FakeAPI() as api:
        yield api


def test_page_is_saved_with_its_urls_and_parses(fake, tmp_path):
    ctx = make_ctx(fake.settings(tmp_path))
    (rec,), failures = run_source("url", [f"{fake.base}/web/moved"], ctx)
    assert failures == []
    assert rec.fmt == "html" and rec.path.endswith(".html")
    assert rec.meta["url"] == f"{fake.base}/web/moved"
    assert rec.meta["final_url"] == f"{fake.base}/web/news"
    assert rec.meta["canonical_url"] == "https://news.example.org/2025/06/stem-cell-islets"
    assert rec.meta["content_type"].startswith("text/html") and rec.meta["fetched_at"]
    assert (tmp_path / rec.path).read_bytes() == fake.pages["/web/news"][2]
    (doc,) = parse_raw(rec, ctx.settings)
    assert doc.id == "web:127.0.0.1/web/moved"
    assert "stem cell islets free most trial participants" in doc.title.lower()
    assert "Ten of the twelve people" in doc.text and "All rights reserved" not in doc.text
    assert "nct:NCT04786262" in doc.cites


def test_second_run_asks_conditionally_and_keeps_the_cached_copy(fake, tmp_path):
    s = fake.settings(tmp_path)
    (first,), _ = run_source("url", [f"{fake.base}/web/news"], make_ctx(s))
    (again,), failures = run_source("url", [f"{fake.base}/web/news"], make_ctx(s))
    assert failures == [] and again.path == first.path
    assert fake.hits("/web/news")[-1].headers["if-none-match"] == '"news-v1"'
    assert again.meta["fetched_at"] == first.meta["fetched_at"]  # 304: nothing rewritten


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.html", "javascript:alert(1)"])
def test_other_schemes_are_refused_without_a_request(fake, tmp_path, url):
    records, failures = run_source("url", [url], make_ctx(fake.settings(tmp_path)))
    assert records == [] and "only http and https" in failures[0].reason
    assert fake.requests == []


def test_redirect_to_file_scheme_is_refused(fake, tmp_path):
    records, failures = run_source("url", [f"{fake.base}/web/to-file"], make_ctx(fake.settings(tmp_path)))
    assert records == [] and "only http and https" in failures[0].reason


def test_private_address_refused_unless_allowed(fake, tmp_path):
    s = fake.settings(tmp_path, allow_private_hosts=False)
    records, failures = run_source("url", [f"{fake.base}/web/news"], make_ctx(s))
    assert records == [] and "non-public address (127.0.0.1)" in failures[0].reason
    assert fake.requests == []


def test_size_cap_redirect_loop_missing_page_and_bad_type(fake, tmp_path):
    fake.pages["/web/image"] = (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n....")
    s = fake.settings(tmp_path, max_download_bytes=1000)
    targets = [f"{fake.base}/web/{p}" for p in ("news", "loop", "missing", "image", "plain")]
    records, failures = run_source("url", targets, make_ctx(s))
    assert [r.fmt for r in records] == ["text"]  # the plain page, the rest failed with reasons
    reasons = [f.reason for f in failures]
    assert "byte limit" in reasons[0]
    assert "too many redirects" in reasons[1]
    assert "HTTP 404" in reasons[2]
    assert "unsupported content type 'image/png'" in reasons[3]


def test_url_secrets_are_not_kept(fake, tmp_path):
    (rec,), _ = run_source("url", [f"{fake.base}/web/news?api_key=SEKRET&x=1"], make_ctx(fake.settings(tmp_path)))
    sidecar = (tmp_path / (rec.path + ".meta.json")).read_text()
    assert "SEKRET" not in sidecar and "SEKRET" not in rec.path
