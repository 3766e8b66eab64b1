"""ClinicalTrials.gov API v2: source ``ctgov`` (NCT ids, or a search with ``--query``).

Contract (https://clinicaltrials.gov/data-api/api):
- ``GET {base}/studies/{NCT}?format=json``: one study (404 when the id is unknown).
- ``GET {base}/studies?query.term=…&pageSize=…&pageToken=…&format=json&countTotal=true``: a page
  of studies; ``nextPageToken`` is absent on the last page. ``PAGE_SIZE`` studies per page
  (the API allows 1,000, but full records with results run to ~100 kB each).
- The service allows roughly 50 requests per minute per IP; the HTTP client's limiter keeps to it.
- Quirk: the retired classic API (``FullStudiesResponse``) is a different format; the parser
  rejects it with a clear message, and this module only ever asks the v2 endpoints.

Raw cache: each study as its own JSON, ``raw/ctgov/<NCT>.json`` (format ``ctgov_json``), with
``last_update`` (``lastUpdatePostDateStruct.date``) in the sidecar. A study whose
``lastUpdatePostDate`` equals the cached one is not rewritten: the cached record is yielded again
(so the pipeline still stores it if an earlier run stopped before that).

Targets: NCT ids (``NCT04786262``, ``nct:NCT04786262``); any other target, or the ``query``
option, is a search. Options: ``query``, ``limit`` (max studies per search), ``refresh``.

``registry_ids_to_follow(documents)`` lists the NCT ids that fetched papers name and that are not
themselves registry records: the pipeline passes them back to this source (--follow-registry).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ingest.http import (
    HttpError,
    HttpStatusError,
    OfflineError,
    get_json_page,
    lookup_raw,
    offline_failure,
    report,
    utc_now,
)

log = logging.getLogger(__name__)

SOURCE_DIR = "ctgov"
FORMAT = "ctgov_json"
PAGE_SIZE = 100
DEFAULT_LIMIT = 1_000
_NCT = re.compile(r"^(?:nct:)?(NCT\d{8})$", re.I)
_NCT_IN_TEXT = re.compile(r"\bNCT\d{8}\b", re.I)


class CtgovSource:
    """``kb ingest ctgov NCT...`` or ``kb ingest ctgov --query TEXT``."""

    name = "ctgov"
    help = "ClinicalTrials.gov API v2 studies (NCT ids, or --query TEXT)"

    def fetch(self, targets: list[str], ctx: Any) -> Iterator[Any]:
        opts = ctx.options or {}
        ids: list[str] = []
        queries: list[str] = []
        for target in targets:
            m = _NCT.match(target.strip())
            if m:
                ids.append(m.group(1).upper())
            elif target.strip():
                queries.append(target.strip())
        if opts.get("query"):
            queries.insert(0, str(opts["query"]))
        if not ids and not queries:
            from ingest.pubmed import no_query_failure

            yield no_query_failure(self.name)
        for nct in dict.fromkeys(ids):
            failure = yield from _fetch_one(nct, ctx)
            if failure == "offline":
                return
        for query in queries:
            yield from _search(query, ctx)


def _last_update(study: dict[str, Any]) -> str | None:
    status = (study.get("protocolSection") or {}).get("statusModule") or {}
    return (status.get("lastUpdatePostDateStruct") or {}).get("date")


def _nct_of(study: Any) -> str | None:
    if not isinstance(study, dict):
        return None
    ident = (study.get("protocolSection") or {}).get("identificationModule") or {}
    nct = ident.get("nctId")
    return nct.upper() if isinstance(nct, str) and _NCT.match(nct) else None


def _store(study: dict[str, Any], data: bytes, url: str, ctx: Any, *, query: str | None = None) -> Any:
    """Save (or re-yield the cached copy of) one study. Returns a RawRecord or a Failure."""
    from ingest import Failure

    nct = _nct_of(study)
    if nct is None:
        return Failure(target=url, reason="not a ClinicalTrials.gov v2 study (no protocolSection.identificationModule.nctId)")
    updated = _last_update(study)
    refresh = bool((ctx.options or {}).get("refresh"))
    cached = lookup_raw(ctx.cache, SOURCE_DIR, nct, "json")
    if cached is not None and not refresh and updated and cached.meta.get("last_update") == updated:
        return cached
    meta = {"format": FORMAT, "url": f"{ctx.settings.ctgov_base_url}/studies/{nct}", "fetched_at": utc_now(),
            "nct_id": nct, "last_update": updated}
    if query:
        meta["query"] = query
    try:
        return ctx.cache.save(SOURCE_DIR, nct, "json", data, meta)
    except OSError as exc:
        return Failure(target=f"nct:{nct}", reason=f"cannot write the raw cache: {exc}")


def _fetch_one(nct: str, ctx: Any):
    """Yield the study's RawRecord or a Failure; return "offline" when the service is unreachable."""
    from ingest import Failure

    url = f"{ctx.settings.ctgov_base_url}/studies/{nct}"
    try:
        resp = ctx.client.get(url, params={"format": "json"})
    except OfflineError as exc:
        yield offline_failure(f"nct:{nct}", exc)
        return "offline"
    except HttpStatusError as exc:
        reason = "not found on ClinicalTrials.gov" if exc.status == 404 else str(exc)
        yield Failure(target=f"nct:{nct}", reason=reason)
        return None
    except HttpError as exc:
        yield Failure(target=f"nct:{nct}", reason=str(exc))
        return None
    try:
        study = resp.json()
    except ValueError as exc:
        yield Failure(target=f"nct:{nct}", reason=str(exc))
        return None
    if _nct_of(study) not in (nct, None):
        log.warning("ctgov: asked for %s, got %s", nct, _nct_of(study))
    yield _store(study, resp.content, resp.url, ctx)
    report(ctx, f"ctgov: {nct}")
    return None


def _search(query: str, ctx: Any) -> Iterator[Any]:
    from ingest import Failure

    opts = ctx.options or {}
    limit = int(opts.get("limit") or DEFAULT_LIMIT)
    url = f"{ctx.settings.ctgov_base_url}/studies"
    token: str | None = None
    seen: set[str] = set()
    while len(seen) < limit:
        params = {"query.term": query, "pageSize": min(PAGE_SIZE, limit - len(seen)), "format": "json",
                  "countTotal": "true", "pageToken": token}
        resp, page, failure = get_json_page(ctx, url, params, query,
                                            f"ClinicalTrials.gov search failed after {len(seen)} studies")
        if failure is not None:
            yield failure
            return
        studies = page.get("studies") if isinstance(page, dict) else None
        if not isinstance(studies, list):
            yield Failure(target=query, reason="ClinicalTrials.gov search: answer has no 'studies' list")
            return
        for study in studies:
            nct = _nct_of(study)
            if nct is None:
                yield Failure(target=query, reason="a study without an NCT id in the search results")
                continue
            if nct in seen:  # a page repeated after a retry: never save a study twice
                continue
            seen.add(nct)
            data = json.dumps(study, ensure_ascii=False, indent=None).encode("utf-8")
            yield _store(study, data, resp.url, ctx, query=query)
            if len(seen) >= limit:
                break
        report(ctx, f"ctgov: {len(seen)} studies ({query})")
        token = page.get("nextPageToken")
        if not token or not studies:
            break


def registry_ids_to_follow(documents: Iterable[Any]) -> list[str]:
    """NCT ids cited by fetched non-registry documents (``Document.cites`` 'nct:NCT…', or their
    registry_ids), minus the ids of registry records already among ``documents``; in first-seen
    order, upper-case, ready to pass as ``ctgov`` targets."""
    have: set[str] = set()
    wanted: list[str] = []
    docs = list(documents)
    for doc in docs:
        if getattr(doc, "source_type", None) == "registry":
            have.update(i.split(":", 1)[-1].upper() for i in (doc.registry_ids or []))
            if str(doc.id).lower().startswith("nct:"):
                have.add(doc.id.split(":", 1)[1].upper())
    for doc in docs:
        if getattr(doc, "source_type", None) == "registry":
            continue
        for ref in list(doc.cites or []) + list(doc.registry_ids or []):
            m = _NCT_IN_TEXT.search(ref)
            if m:
                nct = m.group(0).upper()
                if nct not in have and nct not in wanted:
                    wanted.append(nct)
    return wanted
