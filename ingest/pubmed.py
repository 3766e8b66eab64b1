"""PubMed through NCBI E-utilities: sources ``pubmed`` (a search) and ``pmid`` (explicit ids).

Contract (E-utilities, https://www.ncbi.nlm.nih.gov/books/NBK25499/):
- ``esearch.fcgi?db=pubmed&term=…&usehistory=y&retmode=json`` gives the hit count, the first
  ``retmax`` PMIDs and a history-server handle (``WebEnv`` + ``query_key``).
- ``efetch.fcgi?db=pubmed&retmode=xml`` returns a ``PubmedArticleSet``; pages of the search are
  fetched from the history server (``WebEnv``, ``query_key``, ``retstart``, ``retmax``); explicit
  id lists are sent by POST when long (NCBI asks for POST above about 200 ids).
- Every request carries ``tool`` and ``email``; ``api_key`` when set (10 requests/s instead of 3,
  enforced by the HTTP client's per-host limiter). Key and e-mail never reach a log or the cache.
- Quirk: esearch can only page through the first 10,000 records of a search (``retstart`` past
  9,999 is an error, reported inside a 200 response), so a bigger search is split into
  publication-date ranges, halving each range until it holds at most ``ESEARCH_WINDOW`` records.
- Quirk: errors may come back as HTTP 200 with an ``ERROR`` field (esearch JSON) or an
  ``<ERROR>`` element (efetch XML); both are treated as failures, never as empty results.

Raw cache: one file per article, ``raw/pubmed/<PMID>.xml`` (format ``pubmed_xml``), holding the
article's bytes exactly as efetch returned them inside a ``PubmedArticleSet``. Per-article files
make the cache the checkpoint: a re-run (or a resumed run) skips PMIDs already cached unless
``refresh`` is set, and re-yields the cached records so the pipeline stores any it missed.

Options (``ctx.options``): ``limit`` (max records per query), ``since`` (YYYY, YYYY-MM or
YYYY-MM-DD: publication date from), ``until``, ``datetype`` (``pdat``; ``edat`` = date added
to PubMed), ``refresh`` (re-fetch cached PMIDs).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from ingest.http import (
    HttpError,
    HttpStatusError,
    OfflineError,
    lookup_raw,
    offline_failure,
    report,
    utc_now,
)

log = logging.getLogger(__name__)

SOURCE_DIR = "pubmed"  # raw cache folder shared by the `pubmed` and `pmid` sources
FORMAT = "pubmed_xml"
ESEARCH_WINDOW = 9_999  # retstart must stay below 10,000 (NCBI), so at most 9,999 ids per range
EFETCH_BATCH = 500  # ids per efetch request (NCBI's examples use 500; a failed batch fails 500 ids)
POST_ABOVE = 200  # send id lists longer than this by POST (NCBI: URLs with >200 ids are too long)
MALFORMED_RETRIES = 1  # a garbled 200 body is re-requested once before the batch is reported
DEFAULT_LIMIT = 10_000
EARLIEST = dt.date(1781, 1, 1)  # older than any PubMed record
_PMID = re.compile(r"^(?:pmid:?\s*)?(\d{1,9})$", re.I)
_ARTICLE = re.compile(rb"<(PubmedArticle|PubmedBookArticle)\b[^>]*>.*?</\1>", re.S)
_XML_PARSER = dict(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


class PubMedError(Exception):
    """An E-utilities answer that is an error or cannot be read (one line)."""


class PubMedSource:
    """``kb ingest pubmed QUERY``: every article a PubMed search finds (up to ``limit``)."""

    name = "pubmed"
    help = "PubMed search through NCBI E-utilities (QUERY; --limit N, --since DATE)"

    def fetch(self, targets: list[str], ctx: Any) -> Iterator[Any]:
        terms = search_terms(targets, ctx)
        if not terms:
            yield no_query_failure(self.name)
        for query in terms:
            yield from _fetch_query(query, ctx)


class PmidSource:
    """``kb ingest pmid ID...``: explicit PubMed ids (``40544428`` or ``pmid:40544428``)."""

    name = "pmid"
    help = "PubMed articles by PMID (ID...)"

    def fetch(self, targets: list[str], ctx: Any) -> Iterator[Any]:
        from ingest import Failure

        ids: list[str] = []
        for target in targets:
            for part in re.split(r"[,\s]+", target.strip()):
                if not part:
                    continue
                m = _PMID.match(part)
                if m:
                    ids.append(m.group(1).lstrip("0") or "0")
                else:
                    yield Failure(target=part, reason="not a PMID (expected digits, e.g. 40544428)")
        yield from _fetch_ids(list(dict.fromkeys(ids)), ctx, history=None, label="pmid")


def search_terms(targets: list[str], ctx: Any) -> list[str]:
    """The queries of a search source: the ``query`` option (``--query``) and each target."""
    query = (ctx.options or {}).get("query")
    return list(dict.fromkeys(([str(query)] if query else []) + [t for t in targets if t.strip()]))


def no_query_failure(source: str) -> Any:
    from ingest import Failure

    return Failure(target=source, reason=f'no search query given, e.g. kb ingest {source} "islet transplantation"')


# -- requests -------------------------------------------------------------------------------


def _common(ctx: Any) -> dict[str, str]:
    s = ctx.settings
    params = {"db": "pubmed", "tool": s.ncbi_tool}
    if s.ncbi_email is not None and s.ncbi_email.get_secret_value():
        params["email"] = s.ncbi_email.get_secret_value()
    if s.ncbi_api_key is not None and s.ncbi_api_key.get_secret_value():
        params["api_key"] = s.ncbi_api_key.get_secret_value()
    return params


def esearch(ctx: Any, term: str, *, retmax: int, retstart: int = 0, mindate: str | None = None,
            maxdate: str | None = None, datetype: str = "pdat", history: bool = True) -> dict[str, Any]:
    """One esearch call -> {"count": int, "ids": [...], "webenv": str|None, "query_key": str|None}."""
    params = {**_common(ctx), "term": term, "retmode": "json", "retmax": retmax, "retstart": retstart}
    if history:
        params["usehistory"] = "y"
    if mindate or maxdate:
        params.update(datetype=datetype, mindate=mindate or _fmt(EARLIEST), maxdate=maxdate or _fmt(_today()))
    resp = ctx.client.get(f"{ctx.settings.ncbi_base_url}/esearch.fcgi", params=params)
    try:
        body = resp.json()
    except ValueError as exc:
        raise PubMedError(f"esearch: {exc}") from None
    result = body.get("esearchresult") if isinstance(body, dict) else None
    if not isinstance(result, dict):
        reason = body.get("error") if isinstance(body, dict) else None
        raise PubMedError(f"esearch: unexpected answer{': ' + str(reason) if reason else ''}")
    if result.get("ERROR"):
        raise PubMedError(f"esearch error: {str(result['ERROR']).splitlines()[0]}")
    try:
        count = int(result.get("count", 0))
    except (TypeError, ValueError):
        raise PubMedError("esearch: count is not a number") from None
    return {
        "count": count,
        "ids": [str(i) for i in result.get("idlist", [])],
        "webenv": result.get("webenv"),
        "query_key": result.get("querykey"),
    }


def _efetch(ctx: Any, *, ids: list[str] | None = None, webenv: str | None = None,
            query_key: str | None = None, retstart: int = 0, retmax: int = 0) -> tuple[bytes, str]:
    """One efetch call -> (body, public url for the sidecar)."""
    url = f"{ctx.settings.ncbi_base_url}/efetch.fcgi"
    params: dict[str, Any] = {**_common(ctx), "retmode": "xml", "rettype": "abstract"}
    if ids is not None:
        params["id"] = ",".join(ids)
        if len(ids) > POST_ABOVE:
            resp = ctx.client.post(url, data=params)
        else:
            resp = ctx.client.get(url, params=params)
    else:
        params.update(WebEnv=webenv, query_key=query_key, retstart=retstart, retmax=retmax)
        resp = ctx.client.get(url, params=params)
    return resp.content, resp.url


def split_articles(body: bytes) -> dict[str, bytes]:
    """PMID -> one-article ``PubmedArticleSet`` (the article's bytes as received).

    Raises ``PubMedError`` for malformed XML or an ``<ERROR>`` answer.
    """
    try:
        root = etree.fromstring(body, etree.XMLParser(**_XML_PARSER))
    except etree.XMLSyntaxError as exc:
        raise PubMedError(f"malformed XML from efetch: {exc}") from None
    if root.tag == "eFetchResult" or root.find("ERROR") is not None:
        raise PubMedError(f"efetch error: {(root.findtext('ERROR') or 'unknown').strip()[:200]}")
    if root.tag != "PubmedArticleSet":
        raise PubMedError(f"efetch: expected PubmedArticleSet, got <{root.tag}>")
    elements = [el for el in root if el.tag in ("PubmedArticle", "PubmedBookArticle")]
    spans = [m.group(0) for m in _ARTICLE.finditer(body)]
    if len(spans) != len(elements):  # unusual markup: fall back to re-serialising the elements
        spans = [etree.tostring(el, encoding="utf-8") for el in elements]
    out: dict[str, bytes] = {}
    for el, raw in zip(elements, spans, strict=True):
        pmid = (el.findtext("./MedlineCitation/PMID") or el.findtext("./BookDocument/PMID") or "").strip()
        if pmid:
            out[pmid] = b'<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n' + raw + b"\n</PubmedArticleSet>\n"
    return out


# -- fetching -------------------------------------------------------------------------------


def _fetch_query(query: str, ctx: Any) -> Iterator[Any]:
    from ingest import Failure

    opts = ctx.options or {}
    limit = int(opts.get("limit") or DEFAULT_LIMIT)
    datetype = str(opts.get("datetype") or "pdat")
    try:
        since = _parse_date(opts.get("since"))
        until = _parse_date(opts.get("until"), end=True)
    except ValueError as exc:
        yield Failure(target=query, reason=str(exc))
        return
    if not query.strip():
        yield Failure(target=query, reason="empty PubMed query")
        return
    try:
        first = esearch(ctx, query, retmax=min(limit, ESEARCH_WINDOW), mindate=_fmt(since) if since else None,
                        maxdate=_fmt(until) if until else None, datetype=datetype)
        if first["count"] <= ESEARCH_WINDOW or limit <= len(first["ids"]):
            ids, history = first["ids"][:limit], (first["webenv"], first["query_key"])
        else:
            log.info("pubmed: %d hits for %r: splitting by date", first["count"], query)
            ids = _ids_by_date(ctx, query, since or EARLIEST, until or _today(), limit, datetype)
            history = None
    except OfflineError as exc:
        yield offline_failure(query, exc)
        return
    except (HttpError, PubMedError) as exc:
        yield Failure(target=query, reason=f"PubMed search failed: {exc}")
        return
    log.info("pubmed: %r -> %d of %d hits", query, len(ids), first["count"])
    yield from _fetch_ids(ids, ctx, history=history, label=query)


def _ids_by_date(ctx: Any, query: str, lo: dt.date, hi: dt.date, need: int, datetype: str) -> list[str]:
    """Up to ``need`` PMIDs for a search too big for one esearch window: newest ranges first,
    each range halved until its hits fit the window."""
    ids: list[str] = []
    seen: set[str] = set()
    stack = [(lo, hi)]
    while stack and len(ids) < need:
        a, b = stack.pop()
        probe = esearch(ctx, query, retmax=0, mindate=_fmt(a), maxdate=_fmt(b), datetype=datetype, history=False)
        if probe["count"] == 0:
            continue
        if probe["count"] > ESEARCH_WINDOW and a < b:
            mid = a + (b - a) // 2
            stack.append((a, mid))  # older half: popped after the newer one
            stack.append((mid + dt.timedelta(days=1), b))
            continue
        if probe["count"] > ESEARCH_WINDOW:
            log.warning("pubmed: %d hits on %s alone; only the first %d are fetched", probe["count"], a, ESEARCH_WINDOW)
        page = esearch(ctx, query, retmax=min(need - len(ids), ESEARCH_WINDOW), mindate=_fmt(a),
                       maxdate=_fmt(b), datetype=datetype, history=False)
        for pmid in page["ids"]:
            if pmid not in seen:
                seen.add(pmid)
                ids.append(pmid)
    return ids[:need]


def _fetch_ids(ids: list[str], ctx: Any, *, history: tuple[str | None, str | None] | None,
               label: str) -> Iterator[Any]:
    """Yield a RawRecord per PMID (cached or fetched now) or a Failure; never raises."""
    from ingest import Failure

    refresh = bool((ctx.options or {}).get("refresh"))
    todo: list[str] = []
    for pmid in ids:
        cached = None if refresh else lookup_raw(ctx.cache, SOURCE_DIR, pmid, "xml")
        if cached is not None:
            yield cached
        else:
            todo.append(pmid)
    if not todo:
        return
    # The history server pages the search in order: usable only when nothing was skipped.
    use_history = history is not None and history[0] and history[1] and len(todo) == len(ids)
    for start in range(0, len(todo), EFETCH_BATCH):
        batch = todo[start: start + EFETCH_BATCH]
        try:
            articles, url = _fetch_batch(ctx, batch, history if use_history else None, start)
        except OfflineError as exc:
            rest = todo[start:]
            yield offline_failure(_describe(rest), exc)
            return
        except (HttpError, PubMedError) as exc:
            for pmid in batch:
                yield Failure(target=f"pmid:{pmid}", reason=str(exc))
            continue
        for pmid in batch:
            data = articles.get(pmid)
            if data is None:
                yield Failure(target=f"pmid:{pmid}", reason="not returned by efetch (unknown or withdrawn PMID)")
                continue
            meta = {"format": FORMAT, "url": f"{ctx.settings.ncbi_base_url}/efetch.fcgi?db=pubmed&id={pmid}&retmode=xml",
                    "fetched_at": utc_now(), "pmid": pmid, "query": label if label != "pmid" else None}
            try:
                yield ctx.cache.save(SOURCE_DIR, pmid, "xml", data, meta)
            except OSError as exc:
                yield Failure(target=f"pmid:{pmid}", reason=f"cannot write the raw cache: {exc}")
        report(ctx, f"pubmed: {min(start + len(batch), len(todo))}/{len(todo)} articles fetched ({label})")


def _fetch_batch(ctx: Any, batch: list[str], history: tuple[str | None, str | None] | None,
                 start: int) -> tuple[dict[str, bytes], str]:
    if history is not None:
        try:
            body, url = _efetch(ctx, webenv=history[0], query_key=history[1], retstart=start, retmax=len(batch))
            articles = split_articles(body)
            if set(batch) <= set(articles):
                return articles, url
        except (HttpStatusError, PubMedError) as exc:
            # The history server forgets a WebEnv after a while of inactivity: ask by id instead.
            log.warning("pubmed: history fetch failed (%s); fetching the batch by id", exc)
        else:
            # The history's order changed under us (records added since esearch): ask by id.
            log.info("pubmed: history page differs from the search ids; fetching the batch by id")
    for attempt in range(MALFORMED_RETRIES + 1):
        body, url = _efetch(ctx, ids=batch)
        try:
            articles = split_articles(body)
        except PubMedError as exc:
            if attempt < MALFORMED_RETRIES:
                log.warning("pubmed: %s; requesting the batch again", exc)
                continue
            raise
        return articles, url
    raise AssertionError("unreachable")


# -- small helpers --------------------------------------------------------------------------


def _describe(pmids: list[str]) -> str:
    return f"pmid:{pmids[0]}" if len(pmids) == 1 else f"{len(pmids)} PMIDs (pmid:{pmids[0]} …)"


def _today() -> dt.date:
    return dt.date.today()


def _fmt(day: dt.date) -> str:
    return day.strftime("%Y/%m/%d")


def _parse_date(value: Any, *, end: bool = False) -> dt.date | None:
    """'2020', '2020-05', '2020-05-17' or '2020/05/17' (or a date) -> date; end=True: last day."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    parts = [p for p in re.split(r"[-/.]", str(value).strip()) if p]
    try:
        nums = [int(p) for p in parts]
        if len(nums) == 1:
            return dt.date(nums[0], 12, 31) if end else dt.date(nums[0], 1, 1)
        if len(nums) == 2:
            if end:
                nxt = dt.date(nums[0] + nums[1] // 12, nums[1] % 12 + 1, 1)
                return nxt - dt.timedelta(days=1)
            return dt.date(nums[0], nums[1], 1)
        if len(nums) == 3:
            return dt.date(*nums)
    except ValueError:
        pass
    raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
