"""Europe PMC REST: source ``europepmc`` (a search; full text for open-access articles).

Contract (https://europepmc.org/RestfulWebService):
- ``GET {base}/search?query=…&resultType=core&format=json&pageSize=…&cursorMark=…``: a page of
  records with abstracts (``resultType=core``). Paging is by ``cursorMark`` (``*`` first, then the
  answer's ``nextCursorMark``). Quirk: the last page repeats the cursor it was sent (or has none),
  and a page may be empty: any of the three ends the search.
- ``GET {base}/{PMCID}/fullTextXML``: the JATS XML of an open-access article in Europe PMC
  (404 when there is none). Only records with ``isOpenAccess == "Y"`` and a PMCID are asked.
- ``PAGE_SIZE`` records per page (the service allows 1,000; core records are ~10 kB each).

Raw cache (``raw/europepmc/``): an open-access article's full text as ``<PMCID>.xml`` (format
``jats_xml``), which holds its abstract too; otherwise the search record alone, wrapped in the
search-response shape ``{"resultList": {"result": [record]}}``, as ``<id>.json`` (format
``europepmc_json``; id = PMID, else ``<source>-<id>``). Full texts already cached are not fetched
again unless ``refresh``; a failed full-text fetch falls back to the abstract record (the failure
is logged, not reported: the article is still stored).

Options: ``limit`` (max records), ``refresh``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

from ingest.http import (
    HttpError,
    OfflineError,
    get_json_page,
    is_offline,
    lookup_raw,
    offline_failure,
    report,
    utc_now,
)

log = logging.getLogger(__name__)

SOURCE_DIR = "europepmc"
PAGE_SIZE = 100
DEFAULT_LIMIT = 1_000
_PMCID = re.compile(r"^PMC\d+$")


class EuropePmcSource:
    """``kb ingest europepmc QUERY [--limit N]``."""

    name = "europepmc"
    help = "Europe PMC search, with JATS full text for open-access articles (QUERY; --limit N)"

    def fetch(self, targets: list[str], ctx: Any) -> Iterator[Any]:
        from ingest.pubmed import no_query_failure, search_terms

        terms = search_terms(targets, ctx)
        if not terms:
            yield no_query_failure(self.name)
        for query in terms:
            yield from _search(query, ctx)


def _search(query: str, ctx: Any) -> Iterator[Any]:
    from ingest import Failure

    opts = ctx.options or {}
    limit = int(opts.get("limit") or DEFAULT_LIMIT)
    url = f"{ctx.settings.europepmc_base_url}/search"
    cursor = "*"
    seen: set[str] = set()
    offline = False
    while len(seen) < limit and not offline:
        params = {"query": query, "resultType": "core", "format": "json", "cursorMark": cursor,
                  "pageSize": min(PAGE_SIZE, max(1, limit - len(seen)))}
        resp, page, failure = get_json_page(ctx, url, params, query,
                                            f"Europe PMC search failed after {len(seen)} records")
        if failure is not None:
            yield failure
            return
        results = ((page.get("resultList") or {}).get("result") if isinstance(page, dict) else None)
        if not isinstance(results, list):
            reason = page.get("errMsg") if isinstance(page, dict) else None
            yield Failure(target=query, reason=f"Europe PMC search: unexpected answer{': ' + str(reason) if reason else ''}")
            return
        for record in results:
            if not isinstance(record, dict):
                continue
            rid = _record_id(record)
            if rid is None:
                yield Failure(target=query, reason="a search record without id/source")
                continue
            if rid in seen:  # a page repeated after a retry: never save a record twice
                continue
            seen.add(rid)
            for item in _store(record, rid, page, query, ctx):
                if is_offline(item):
                    offline = True
                yield item
            if len(seen) >= limit or offline:
                break
        report(ctx, f"europepmc: {len(seen)} records ({query})")
        nxt = page.get("nextCursorMark")
        if not results or not nxt or nxt == cursor:
            break
        cursor = nxt


def _record_id(record: dict[str, Any]) -> str | None:
    if record.get("pmid"):
        return str(record["pmid"])
    if record.get("id") and record.get("source"):
        return f"{record['source']}-{record['id']}"
    return None


def _pmcid(record: dict[str, Any]) -> str | None:
    pmcid = str(record.get("pmcid") or "").upper()
    return pmcid if _PMCID.match(pmcid) else None


def _store(record: dict[str, Any], rid: str, page: dict[str, Any], query: str, ctx: Any) -> Iterator[Any]:
    from ingest import Failure

    refresh = bool((ctx.options or {}).get("refresh"))
    pmcid = _pmcid(record)
    common = {"query": query, "pmid": record.get("pmid"), "pmcid": pmcid, "doi": record.get("doi"),
              "europepmc_id": f"{record.get('source')}:{record.get('id')}"}
    if pmcid and record.get("isOpenAccess") == "Y":
        cached = None if refresh else lookup_raw(ctx.cache, SOURCE_DIR, pmcid, "xml")
        if cached is not None:
            yield cached
            return
        url = f"{ctx.settings.europepmc_base_url}/{pmcid}/fullTextXML"
        try:
            resp = ctx.client.get(url)
            data = resp.content
            if not _looks_like_jats(data):
                raise ValueError("answer is not JATS XML")
        except OfflineError as exc:
            yield offline_failure(pmcid, exc)
            return
        except (HttpError, ValueError) as exc:
            log.info("europepmc: no full text for %s (%s); keeping the abstract record", pmcid, exc)
        else:
            meta = {"format": "jats_xml", "url": url, "fetched_at": utc_now(), **common}
            try:
                yield ctx.cache.save(SOURCE_DIR, pmcid, "xml", data, meta)
            except OSError as exc:
                yield Failure(target=pmcid, reason=f"cannot write the raw cache: {exc}")
            return
    wrapper = {"version": page.get("version"), "hitCount": 1, "request": page.get("request"),
               "resultList": {"result": [record]}}
    data = json.dumps(wrapper, ensure_ascii=False, indent=1).encode("utf-8")
    meta = {"format": "europepmc_json", "url": f"{ctx.settings.europepmc_base_url}/search?query=EXT_ID:"
            f"{record.get('id')}%20AND%20SRC:{record.get('source')}&resultType=core&format=json",
            "fetched_at": utc_now(), **common}
    try:
        yield ctx.cache.save(SOURCE_DIR, rid, "json", data, meta)
    except OSError as exc:
        yield Failure(target=rid, reason=f"cannot write the raw cache: {exc}")


def _looks_like_jats(data: bytes) -> bool:
    head = data[:4096].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<article" in data[:65536] or b"<pmc-articleset" in head) \
        or head.startswith(b"<article")
