"""The one entry point that runs a source end to end: fetch -> parse -> extract -> store -> link.

The CLI, the app and the tests all go through ``KnowledgeBase``; front ends never reach into a
source module or the store.

Contract
--------
* ``KnowledgeBase.ingest(source, targets, options)`` runs ``ingest.SOURCES[source]``, saves raw
  payloads (the source does that), parses each one, skips documents stored unchanged *before*
  extraction (re-ingesting costs one read per batch, no NLP and no embedding), extracts text
  facts for the rest (``kb.extract.extract_documents``, in batches), adds the document's own
  registry facts (``Document.facts``), splits passages and writes everything through
  ``Store.write_documents``. A failure of one record (fetch, parse, extract) becomes a
  ``Failure`` in the report; the batch goes on.
* Writers hold the one-writer lock (``kb.lock.writer_lock``) for the whole run.
* After the run, ``Store.heal()`` removes the leftovers of an earlier crashed run, then the
  link step (``kb.trials``) counts the trials.
* ``rebuild()`` drops the derived store and re-derives it from the raw cache, offline.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ingest import Failure
from kb.lock import writer_lock
from kb.models import Document, Fact, Passage
from kb.settings import Settings, get_settings
from kb.store import Store

log = logging.getLogger(__name__)

# Documents per extract/embed/write batch: large enough that nlp.pipe and the embedding model
# see full batches and repeated sentences across documents are embedded once (the model is the
# bound), small enough that a crash loses little work.
BATCH_DOCS = 128

# Sources whose documents are papers or pages that may name a registry record to fetch too
# (--follow-registry); local files are left alone, a user asked for exactly those.
FOLLOWS_REGISTRY = frozenset({"pubmed", "pmid", "europepmc", "url"})

# progress(stage, done, total): stage is "fetch", "store" or a short message; total may be None.
ProgressFn = Callable[[str, int, "int | None"], None]


class IngestReport(BaseModel):
    """What one ingest (or rebuild) did."""

    model_config = ConfigDict(extra="forbid")
    source: str
    fetched: int = Field(default=0, description="raw records fetched (or read from the raw cache)")
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[Failure] = Field(default_factory=list)
    doc_ids: list[str] = Field(default_factory=list, description="documents seen, in order")
    healed: list[str] = Field(
        default_factory=list, description="documents of a crashed run whose leftovers were removed"
    )
    trials: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (
            f"fetched {self.fetched}, new {self.new}, updated {self.updated}, "
            f"unchanged {self.unchanged}, failed {len(self.failed)}"
        )


# --- passages -------------------------------------------------------------------------------

# A sentence ends at . ! ? (optionally closed by a quote or bracket) before whitespace and a
# capital, digit or opening bracket; a line break always ends a unit (registry lines, headings).
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[A-Z0-9])|\n+")
_ABBREV = {
    "e.g", "i.e", "al", "vs", "fig", "figs", "no", "dr", "mr", "mrs", "ms", "approx", "ca",
    "ref", "refs", "eq", "vol", "pp", "st", "jr", "inc", "ltd", "co", "tab", "suppl", "resp",
}


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence-like unit of text[start:end], whitespace trimmed."""
    pos = start
    for m in _BOUNDARY.finditer(text, start, end):
        if m.group(0).strip(" \t\"')]") == "" and "\n" not in m.group(0):
            before = text[max(start, m.start() - 8) : m.start()].lower()
            word = re.split(r"[\s(]", before)[-1].rstrip(".")
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue  # "et al. Smith", "J. Doe": not a sentence end
        yield from _trim(text, pos, m.start() if "\n" in m.group(0) else m.end())
        pos = m.end()
    yield from _trim(text, pos, end)


def _trim(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def _hard_split(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """Cut an over-long sentence at whitespace near ``limit`` characters."""
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        yield from _trim(text, start, cut)
        start = cut
    yield from _trim(text, start, end)


def _regions(doc: Document) -> list[tuple[int, int, str | None]]:
    """The text cut by sections; text outside every section forms untitled regions."""
    n = len(doc.text)
    regions: list[tuple[int, int, str | None]] = []
    pos = 0
    for sec in sorted(doc.sections, key=lambda s: (s.start, s.end)):
        s, e = max(sec.start, pos), min(sec.end, n)
        if e <= s:
            continue
        if s > pos:
            regions.append((pos, s, None))
        regions.append((s, e, sec.title))
        pos = e
    if pos < n:
        regions.append((pos, n, None))
    return regions


def split_passages(doc: Document, settings: Settings | None = None) -> list[Passage]:
    """Sentence-aligned passages of about ``settings.passage_chars`` characters, per section.

    Every passage satisfies ``doc.text[p.start:p.end] == p.text``; passages never cross a
    section boundary and never split a sentence unless it alone is longer than the limit.
    """
    limit = max(100, (settings or get_settings()).passage_chars)
    out: list[Passage] = []
    for r_start, r_end, title in _regions(doc):
        units: list[tuple[int, int]] = []
        for s, e in _sentences(doc.text, r_start, r_end):
            units.extend(_hard_split(doc.text, s, e, limit) if e - s > limit else [(s, e)])
        chunk: tuple[int, int] | None = None
        for s, e in units:
            if chunk is not None and e - chunk[0] <= limit:
                chunk = (chunk[0], e)
                continue
            if chunk is not None:
                out.append(_passage(doc, len(out), chunk, title))
            chunk = (s, e)
        if chunk is not None:
            out.append(_passage(doc, len(out), chunk, title))
    return out


def _passage(doc: Document, index: int, span: tuple[int, int], section: str | None) -> Passage:
    s, e = span
    return Passage(id=f"{doc.id}#p{index}", doc_id=doc.id, index=index, text=doc.text[s:e],
                   start=s, end=e, section=section)


# --- facts ----------------------------------------------------------------------------------


def _extract_batch(docs: Sequence[Document]) -> list[list[Fact] | Exception]:
    """Text facts per document; a document whose extraction fails gets its exception instead."""
    from kb.extract import extract_documents

    try:
        return list(extract_documents(list(docs)))
    except Exception:  # isolate the bad document, keep the others
        results: list[list[Fact] | Exception] = []
        for doc in docs:
            try:
                results.append(list(extract_documents([doc])[0]))
            except Exception as exc:
                results.append(exc)
        return results


def document_facts(doc: Document, text_facts: Iterable[Fact]) -> list[Fact]:
    """Registry facts first, then text facts; duplicates (same fact_id) and facts whose quote is
    not the document text at their offsets are dropped (the store holds verifiable facts only)."""
    seen: set[str] = set()
    out: list[Fact] = []
    for fact in [*doc.facts, *text_facts]:
        if fact.fact_id in seen:
            continue
        if doc.text[fact.start : fact.end] != fact.quote:
            log.warning("%s: dropping %s fact %r: quote does not match the text at %d-%d",
                        doc.id, fact.kind, fact.name, fact.start, fact.end)
            continue
        seen.add(fact.fact_id)
        out.append(fact)
    return out


# --- the knowledge base ----------------------------------------------------------------------


def _failure(target: str, reason: str) -> Failure:
    return Failure(target=str(target), reason=str(reason) or "unknown error")


class KnowledgeBase:
    """The library's front door: ingest, rebuild, stats, and thin delegations to query/trials."""

    def __init__(self, settings: Settings | None = None, store: Store | None = None) -> None:
        self.settings = settings or get_settings()
        self.store = store or Store(self.settings)

    @classmethod
    def open(cls, settings: Settings | None = None, **kwargs: Any) -> KnowledgeBase:
        return cls(settings, **kwargs)

    # --- writing ----------------------------------------------------------------------------

    def ingest(
        self,
        source: str,
        targets: list[str],
        options: dict | None = None,
        progress: ProgressFn | None = None,
    ) -> IngestReport:
        """Fetch ``targets`` with the named source and store what they hold (see module doc)."""
        from ingest import SOURCES, FetchContext
        from ingest.http import is_offline

        if source not in SOURCES:
            known = ", ".join(sorted(SOURCES))
            raise ValueError(f"unknown source {source!r}; use one of: {known}")
        started = time.perf_counter()
        report = IngestReport(source=source)
        with writer_lock(self.settings):
            from kb.raw import RawCache

            cache = RawCache(self.settings)
            client = self._http_client()
            ctx = FetchContext(
                settings=self.settings, client=client, cache=cache, options=dict(options or {}),
                progress=self._fetch_progress(progress),
            )
            follow = source in FOLLOWS_REGISTRY and ctx.options.get("follow_registry", True)
            parsed: list[Document] | None = [] if follow else None
            try:
                items = SOURCES[source].fetch(list(targets), ctx)
                self._run(items, report, progress, parsed)
                if parsed and not any(is_offline(f) for f in report.failed):
                    self._follow_registry(parsed, ctx, report, progress)
            finally:
                close = getattr(client, "close", None)
                if close:
                    close()
            self._finish(report)
        report.seconds = time.perf_counter() - started
        return report

    def rebuild(self, progress: ProgressFn | None = None) -> IngestReport:
        """Drop the derived store and re-derive documents, passages, facts from the raw cache."""
        from kb.raw import RawCache

        started = time.perf_counter()
        report = IngestReport(source="rebuild")
        with writer_lock(self.settings):
            self.store.reset()
            self.store._journal_write([])
            self._run(RawCache(self.settings).iter_records(), report, progress)
            self._finish(report)
        report.seconds = time.perf_counter() - started
        return report

    def ingest_records(self, records: Iterable[Any], progress: ProgressFn | None = None,
                       source: str = "raw") -> IngestReport:
        """Parse and store already-cached raw records (``kb doctor --repair`` re-derives with it)."""
        started = time.perf_counter()
        report = IngestReport(source=source)
        with writer_lock(self.settings):
            self._run(records, report, progress)
            self._finish(report)
        report.seconds = time.perf_counter() - started
        return report

    def _http_client(self):
        from ingest.http import HttpClient

        return HttpClient(self.settings)

    @staticmethod
    def _fetch_progress(progress: ProgressFn | None):
        if progress is None:
            return None

        def relay(*args: Any, **kwargs: Any) -> None:
            # Sources report in their own words; show it as a status line.
            message = " ".join(str(a) for a in args) or str(kwargs.get("message", ""))
            progress(message[:60] or "fetch", 0, None)

        return relay

    def _follow_registry(self, parsed: list[Document], ctx: Any, report: IngestReport,
                         progress: ProgressFn | None) -> None:
        """Fetch the ClinicalTrials.gov records that the papers just fetched name, unless stored."""
        from ingest import SOURCES
        from ingest.ctgov import registry_ids_to_follow

        wanted = [nct for nct in registry_ids_to_follow(parsed)
                  if self.store.get_document(f"nct:{nct}") is None]
        if wanted:
            log.info("following %d registry record(s) the papers name: %s", len(wanted),
                     ", ".join(wanted))
            self._run(SOURCES["ctgov"].fetch(wanted, ctx), report, progress)

    def _run(self, items: Iterable[Any], report: IngestReport, progress: ProgressFn | None,
             parsed: list[Document] | None = None) -> None:
        """Parse, extract and store ``items``; parsed documents are also appended to ``parsed``."""
        from kb.parse import parse_raw

        batch: list[Document] = []
        for item in items:
            if hasattr(item, "reason") and hasattr(item, "target"):  # a Failure from the source
                report.failed.append(_failure(item.target, item.reason))
                continue
            report.fetched += 1
            try:
                docs = parse_raw(item, self.settings)
            except Exception as exc:  # ParseError names the file; anything else is a bug
                report.failed.append(_failure(_origin(item), _reason(exc)))
                continue
            for doc in docs:
                if doc.raw_path is None:
                    doc = doc.model_copy(update={"raw_path": item.path})
                batch.append(doc)
                if parsed is not None:
                    parsed.append(doc)
            if len(batch) >= BATCH_DOCS:
                self._store_batch(batch, report)
                batch = []
            if progress:
                progress("store", report.fetched, None)
        if batch:
            self._store_batch(batch, report)
        if progress:
            progress("store", report.fetched, report.fetched)

    def _store_batch(self, docs: list[Document], report: IngestReport) -> None:
        unchanged = self.store.unchanged_ids(docs)
        changed = list({d.id: d for d in docs if d.id not in unchanged}.values())
        for doc in docs:
            if doc.id in unchanged:
                report.unchanged += 1
                report.doc_ids.append(doc.id)
        if not changed:
            return
        extracted = _extract_batch(changed)
        items: list[tuple[Document, list[Passage], list[Fact]]] = []
        for doc, facts in zip(changed, extracted, strict=True):
            if isinstance(facts, Exception):
                report.failed.append(_failure(doc.raw_path or doc.id,
                                              f"{doc.id}: extraction failed: {_reason(facts)}"))
                continue
            items.append((doc, split_passages(doc, self.settings), document_facts(doc, facts)))
        try:
            statuses = self.store.write_documents(items)
        except Exception as exc:
            from kb.store import StoreError

            if isinstance(exc, StoreError):
                raise
            for doc, _, _ in items:
                report.failed.append(_failure(doc.raw_path or doc.id,
                                              f"{doc.id}: could not be stored: {_reason(exc)}"))
            return
        for (doc, _, _), status in zip(items, statuses, strict=True):
            setattr(report, status, getattr(report, status) + 1)
            report.doc_ids.append(doc.id)

    def _finish(self, report: IngestReport) -> None:
        report.healed = self.store.heal()
        # The link step: trials are re-linked from the whole store, so skip it when this run
        # changed nothing (a re-ingest stays one read per batch).
        if report.new or report.updated or report.healed:
            report.trials = self._count_trials()

    # --- reading ----------------------------------------------------------------------------

    def trials(self) -> list:
        """Trials linked from the stored documents and facts (kb.trials)."""
        from kb.trials import trials_for

        return trials_for(self)

    def _count_trials(self) -> int:
        if not self.store.stats()["documents"]:
            return 0
        try:
            return len(self.trials())
        except Exception as exc:  # the link step must never fail an ingest that stored its data
            log.warning("linking trials failed (%s); counting registry ids instead", exc)
            # One trial per distinct registry id, else per document.
            docs = self.store.documents()
            ids = {r for d in docs for r in d.registry_ids}
            return len(ids) if ids else len(docs)

    def stats(self) -> dict[str, int]:
        """{"documents", "passages", "facts", "trials"} of the stored knowledge base."""
        counts = self.store.stats()
        counts["trials"] = self._count_trials()
        return counts

    def documents(self, where: dict | None = None) -> list[Document]:
        return self.store.documents(where)

    def get_document(self, doc_id: str) -> Document | None:
        return self.store.get_document(doc_id)

    def facts(self, doc_ids: list[str] | None = None, kinds: list[str] | None = None) -> list[Fact]:
        return self.store.facts(doc_ids, kinds)

    def passages(self, doc_id: str) -> list[Passage]:
        return self.store.passages(doc_id)

    def search(self, query: str, k: int = 10, filters: Any = None):
        """Semantic + keyword search (kb.query.search)."""
        from kb import query as query_mod

        return query_mod.search(self, query, k=k, filters=filters)

    def compare(self, question: str | None = None, therapies=None, outcomes=None):
        """A therapies x outcomes table (kb.query.compare)."""
        from kb import query as query_mod

        return query_mod.compare(self, question, therapies=therapies, outcomes=outcomes)

    def export(self, table: Any, path: Any, fmt: str):
        """Write a comparison table to a file (kb.export.write)."""
        from kb import export as export_mod

        return export_mod.write(table, path, fmt)


def _origin(record: Any) -> str:
    """What the user gave for a raw record (the local path or URL), else its raw-cache path."""
    meta = getattr(record, "meta", None) or {}
    return str(meta.get("path") or meta.get("url") or getattr(record, "path", record))


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text if text else type(exc).__name__
