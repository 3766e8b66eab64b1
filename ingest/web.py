"""Web pages: source ``url`` (news and summary pages, HTML, PDF or plain text).

Contract:
- Only http and https; every redirect hop is checked the same way, and no hop may reach a
  loopback, private, link-local or otherwise non-public address (the host is resolved and every
  address checked) unless ``settings.allow_private_hosts``. At most ``MAX_REDIRECTS`` hops.
- Size cap ``settings.max_download_bytes`` (the body is streamed and the download aborted past
  it) and the client's timeouts; the polite default rate for hosts that are not an API.
- Conditional re-fetch: a page cached with an ``ETag`` / ``Last-Modified`` is asked with
  ``If-None-Match`` / ``If-Modified-Since``; a 304 re-yields the cached record unchanged.

Raw cache: ``raw/web/<safe url>.<html|pdf|txt>`` with the sidecar holding ``url`` (as asked),
``doc_id`` (``web_doc_id``), ``final_url`` (after redirects), ``canonical_url`` (``<link rel="canonical">`` when the page has
one), ``content_type``, ``fetched_at``, ``etag``, ``last_modified``. Main-text extraction (title,
date, body) happens in the parser (format ``html``), not here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from ingest.http import (
    ALLOWED_SCHEMES,
    BlockedURLError,
    HttpError,
    HttpStatusError,
    OfflineError,
    TooLargeError,
    lookup_raw,
    offline_failure,
    redact_url,
    utc_now,
)

log = logging.getLogger(__name__)

SOURCE_DIR = "web"
# content type -> (extension, parser format); anything else is refused with a reason.
CONTENT_TYPES = {
    "text/html": ("html", "html"),
    "application/xhtml+xml": ("html", "html"),
    "application/pdf": ("pdf", "pdf"),
    "text/plain": ("txt", "text"),
    "text/markdown": ("md", "markdown"),
}


class WebSource:
    """``kb ingest url URL...``."""

    name = "url"
    help = "web pages by URL (http/https only; HTML, PDF or plain text)"

    def fetch(self, targets: list[str], ctx: Any) -> Iterator[Any]:
        for url in dict.fromkeys(t.strip() for t in targets if t.strip()):
            yield _fetch_url(url, ctx)


def _fetch_url(url: str, ctx: Any) -> Any:
    from ingest import Failure

    shown = redact_url(url)
    if urlsplit(url).scheme.lower() not in ALLOWED_SCHEMES:
        return Failure(target=shown, reason="only http and https URLs can be ingested (use `kb ingest PATH` for files)")
    refresh = bool((ctx.options or {}).get("refresh"))
    cached = None if refresh else _cached(url, ctx)
    headers: dict[str, str] = {}
    if cached is not None:
        if cached.meta.get("etag"):
            headers["If-None-Match"] = cached.meta["etag"]
        if cached.meta.get("last_modified"):
            headers["If-Modified-Since"] = cached.meta["last_modified"]
    try:
        resp = ctx.client.get(url, headers=headers or None, guard=True, ok_statuses=(304,) if cached else ())
    except OfflineError as exc:
        return offline_failure(shown, exc)
    except BlockedURLError as exc:
        return Failure(target=shown, reason=str(exc))
    except TooLargeError as exc:
        return Failure(target=shown, reason=str(exc))
    except HttpStatusError as exc:
        return Failure(target=shown, reason=str(exc))
    except HttpError as exc:
        return Failure(target=shown, reason=str(exc))
    if resp.status == 304 and cached is not None:
        return cached
    kind = CONTENT_TYPES.get(resp.content_type) or _sniff(resp.content)
    if kind is None:
        return Failure(target=shown, reason=f"unsupported content type {resp.content_type or 'unknown'!r}")
    ext, fmt = kind
    meta = {
        "format": fmt,
        "doc_id": web_doc_id(url),
        "url": url,
        "final_url": resp.url,
        "canonical_url": _canonical(resp.content, resp.url) if fmt == "html" else None,
        "content_type": resp.headers.get("content-type"),
        "fetched_at": utc_now(),
        "etag": resp.headers.get("etag"),
        "last_modified": resp.headers.get("last-modified"),
    }
    try:
        return ctx.cache.save(SOURCE_DIR, redact_url(url), ext, resp.content, meta)
    except OSError as exc:
        return Failure(target=shown, reason=f"cannot write the raw cache: {exc}")


def web_doc_id(url: str) -> str:
    """The document id of a fetched page: ``web:<host><path>[?query]`` of the URL as asked
    (not the page's canonical URL, which the page itself controls)."""
    parts = urlsplit(redact_url(url))
    rest = parts.path or "/"
    if parts.query:
        rest += "?" + parts.query
    return f"web:{(parts.hostname or '').lower()}{rest}"[:300]


def _cached(url: str, ctx: Any) -> Any | None:
    for ext in dict.fromkeys(e for e, _ in CONTENT_TYPES.values()):
        rec = lookup_raw(ctx.cache, SOURCE_DIR, redact_url(url), ext)
        if rec is not None:
            return rec
    return None


def _sniff(data: bytes) -> tuple[str, str] | None:
    """Servers that send no or a generic content type: recognise HTML and PDF by their bytes."""
    head = data[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return ("pdf", "pdf")
    if head.startswith((b"<!doctype html", b"<html")):
        return ("html", "html")
    return None


def _canonical(data: bytes, base: str) -> str | None:
    """The page's ``<link rel="canonical" href>`` made absolute (http/https only), else None."""
    try:
        import lxml.html

        root = lxml.html.document_fromstring(data[:2_000_000])
    except Exception:  # lxml raises several types on junk; no canonical URL then
        return None
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href:
            absolute = urljoin(base, href)
            if urlsplit(absolute).scheme in ALLOWED_SCHEMES:
                return redact_url(absolute)
    return None
