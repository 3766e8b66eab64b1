"""`kb doctor`: check that the stored knowledge base is whole and verifiable, and repair it.

Checks (each a ``Check`` in the ``DoctorReport``):

* ``embedding model`` - the collections were built with the embedder configured now (else search
  compares vectors of two models); repair: none in place, run ``kb rebuild``.
* ``interrupted writes`` - the store journal names documents of an unfinished batch; repair:
  ``Store.heal()`` removes their leftovers.
* ``orphans`` - passages or facts whose document record is missing; repair: delete them.
* ``complete documents`` - each document record's passage/fact counts equal what is stored,
  and each passage's text equals its document's text at its offsets; repair: re-derive the
  document from its raw payload.
* ``fact quotes`` - every fact's quote equals its document's text at its offsets (provenance is
  the product); repair: re-derive the document from its raw payload, which drops such facts.
* ``raw cache`` - every document's raw payload exists, and every parseable raw record is in the
  store; repair: ingest the missing records from the raw cache (offline).

Repairs re-derive through ``KnowledgeBase.ingest_records`` after removing the affected document
records, so the usual write path (and its embedding reuse) does the work.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, ConfigDict, Field

from kb.settings import Settings

# Problems listed per check before "... and N more" (a broken store can have 100k of them).
SHOW_PROBLEMS = 20


class Check(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    ok: bool = True
    problems: list[str] = Field(default_factory=list)
    repaired: int = 0
    advice: str | None = None

    def problem(self, text: str) -> None:
        self.ok = False
        self.problems.append(text)


class DoctorReport(BaseModel):
    model_config = ConfigDict(extra="forbid")
    location: str
    checks: list[Check] = Field(default_factory=list)
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def render(self) -> str:
        lines = [f"kb doctor: {self.location}"]
        for c in self.checks:
            mark = "ok  " if c.ok else "FAIL"
            extra = f" (repaired {c.repaired})" if c.repaired else ""
            lines.append(f"  [{mark}] {c.name}{extra}")
            for p in c.problems[:SHOW_PROBLEMS]:
                lines.append(f"         - {p}")
            if len(c.problems) > SHOW_PROBLEMS:
                lines.append(f"         ... and {len(c.problems) - SHOW_PROBLEMS} more")
            if not c.ok and c.advice:
                lines.append(f"         -> {c.advice}")
        if self.ok:
            lines.append("everything checks out")
        elif not self.repaired:
            lines.append("run `kb doctor --repair` to fix what can be fixed")
        return "\n".join(lines)


def run_doctor(settings: Settings, repair: bool = False, kb=None) -> DoctorReport:
    """Check the knowledge base at ``settings``; with ``repair``, fix and check again."""
    from kb.pipeline import KnowledgeBase

    kb = kb or KnowledgeBase.open(settings)
    report, rederive, missing_raw = _check(kb)
    if not repair or report.ok:
        return report
    _repair(kb, report, rederive, missing_raw)
    after, _, _ = _check(kb)
    for before, now in zip(report.checks, after.checks, strict=True):
        now.repaired = before.repaired
    after.repaired = True
    return after


def _check(kb) -> tuple[DoctorReport, set[str], list]:
    store = kb.store
    report = DoctorReport(location=store.location)

    model = Check(name="embedding model",
                  advice="run `kb rebuild` to re-embed everything with the current model")
    stored = store.stored_model()
    if stored and stored != store.embedder.name:
        model.problem(f"store built with {stored!r}, configured model is {store.embedder.name!r}")
    report.checks.append(model)

    journal = Check(name="interrupted writes",
                    advice="run `kb doctor --repair` (or the interrupted `kb ingest` again)")
    for doc_id in store.pending():
        journal.problem(f"{doc_id}: written by an ingest that did not finish")
    report.checks.append(journal)

    docs = {d.id: d for d in store.documents()}
    meta = store.document_meta()
    passages = list(store.all_passages())
    facts = store.facts()

    orphans = Check(name="orphans", advice="run `kb doctor --repair` to delete them")
    orphan_ids = sorted({p.doc_id for p in passages if p.doc_id not in docs}
                        | {f.doc for f in facts if f.doc not in docs})
    for doc_id in orphan_ids:
        orphans.problem(f"{doc_id}: passages/facts without a document record")
    report.checks.append(orphans)

    rederive: set[str] = set()
    complete = Check(name="complete documents",
                     advice="run `kb doctor --repair` to re-derive them from the raw cache")
    n_pass = Counter(p.doc_id for p in passages)
    n_fact = Counter(f.doc for f in facts)
    for doc_id in sorted(docs):
        m = meta.get(doc_id, {})
        want = (m.get("n_passages"), m.get("n_facts"))
        have = (n_pass.get(doc_id, 0), n_fact.get(doc_id, 0))
        if want[0] is not None and (want[0], want[1]) != have:
            complete.problem(f"{doc_id}: record says {want[0]} passages / {want[1]} facts, "
                             f"store has {have[0]} / {have[1]}")
            rederive.add(doc_id)
    for p in passages:
        doc = docs.get(p.doc_id)
        if doc is not None and doc.text[p.start : p.end] != p.text:
            complete.problem(f"{p.id}: passage text differs from its document at {p.start}-{p.end}")
            rederive.add(p.doc_id)
    report.checks.append(complete)

    quotes = Check(name="fact quotes",
                   advice="run `kb doctor --repair` to re-derive the documents' facts")
    for f in facts:
        doc = docs.get(f.doc)
        if doc is not None and doc.text[f.start : f.end] != f.quote:
            quotes.problem(f"{f.fact_id} ({f.doc}, {f.kind} {f.name}): quote differs from the "
                           f"document text at {f.start}-{f.end}")
            rederive.add(f.doc)
    report.checks.append(quotes)

    raw = Check(name="raw cache",
                advice="`kb doctor --repair` stores raw records that are missing from the store; "
                       "a document whose payload is gone cannot be rebuilt: ingest it again")
    missing_raw = _check_raw(kb, docs, raw)
    report.checks.append(raw)
    return report, rederive, missing_raw


def _check_raw(kb, docs: dict, check: Check) -> list:
    from kb.raw import RawCache

    settings = kb.settings
    for doc in docs.values():
        if doc.raw_path and not (settings.home / doc.raw_path).exists():
            check.problem(f"{doc.id}: raw payload {doc.raw_path} is missing")
    by_path = {d.raw_path for d in docs.values() if d.raw_path}
    missing = []
    for record in RawCache(settings).iter_records():
        if record.path in by_path:
            continue
        # Not referenced: either another record of the same document won (same PMID fetched
        # twice), the payload never parsed (reported by its ingest), or it is really missing.
        from kb.parse import parse_raw

        try:
            ids = [d.id for d in parse_raw(record, settings)]
        except Exception:
            continue  # unparseable payloads are an ingest failure, not a store inconsistency
        absent = [i for i in ids if i not in docs]
        if absent:
            check.problem(f"{record.path}: not in the store ({', '.join(absent[:3])})")
            missing.append(record)
    return missing


def _repair(kb, report: DoctorReport, rederive: set[str], missing_raw: list) -> None:
    store = kb.store
    checks = {c.name: c for c in report.checks}
    from kb.lock import writer_lock

    with writer_lock(kb.settings):
        if not checks["interrupted writes"].ok:
            store.heal()
            checks["interrupted writes"].repaired = len(checks["interrupted writes"].problems)
        if not checks["orphans"].ok:
            checks["orphans"].repaired = len(store.remove_orphans())

    if rederive or missing_raw:
        from kb.raw import RawCache

        docs = {d.id: d for d in store.documents()}
        home = kb.settings.home
        redo = sorted(i for i in rederive
                      if docs.get(i) and docs[i].raw_path and (home / docs[i].raw_path).exists())
        wanted_paths = {docs[i].raw_path for i in redo}
        records = [r for r in RawCache(kb.settings).iter_records() if r.path in wanted_paths]
        with writer_lock(kb.settings):
            # Removing the completion markers makes the write path redo these documents; their
            # unchanged passages keep their embeddings.
            store.invalidate(redo)
        kb.ingest_records([*records, *missing_raw], source="doctor")
        for name in ("complete documents", "fact quotes"):
            if not checks[name].ok:
                checks[name].repaired = len(checks[name].problems)
        if missing_raw:
            checks["raw cache"].repaired = len(missing_raw)
