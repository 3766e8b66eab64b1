"""Curation: researchers accept, correct, reject or add values; decisions are permanent.

Contract:

- A decision is one JSON line in ``settings.curation_file`` (``KB_HOME/curation.jsonl``): plain,
  diff-able, shareable, outside Chroma, so it survives re-ingest, ``kb rebuild`` and a new embedding
  model. Lines are only appended; the latest decision about a fact wins.
- A decision names the fact it is about by ``fact_id`` *and* by place (doc, kind, name, start, end,
  quote), so a re-extracted fact with the same id is matched, and one whose numbers changed is still
  found at its place.
- :func:`apply_curation` is applied on read: accepted facts gain a ``method="human"`` twin (so the
  value is verified), corrected facts are replaced by a human fact carrying the new numbers and the
  same quote, rejected facts are hidden, added facts appear. Human facts outrank registry and rule
  facts in trials and in the comparison table (``kb.trials.fact_rank``).
- Status of a value: ``verified`` (a human accepted or added it), ``corrected``, ``conflicting``
  (sources disagree, nobody decided), ``unreviewed``; ``rejected`` values are hidden.
- :func:`review_queue` lists facts without a decision, lowest confidence first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kb.models import Document, Fact, TrialValue

Action = Literal["accept", "correct", "reject", "add"]
Status = Literal["verified", "corrected", "unreviewed", "conflicting", "rejected"]
# Fields a correction may change (issue 9: value, unit, group, n/N; and the rest of the record).
CORRECTABLE = ("value", "unit", "comparator", "n", "denominator", "group", "timepoint", "name",
               "label", "serious", "negated", "contrast", "quote", "start", "end")


class CurationError(ValueError):
    """A decision that cannot be applied; the message names the line / fact and the problem."""


class Decision(BaseModel):
    """One curation decision: what was decided, about which fact, by whom, when."""

    model_config = ConfigDict(extra="forbid")
    action: Action
    fact_id: str | None = Field(default=None, description="the fact decided on (None for add)")
    reviewer: str = Field(min_length=1)
    at: str = Field(description="ISO 8601 UTC timestamp of the decision")
    note: str | None = None
    # Where the fact sits, so a re-extracted fact is matched even if its id changed.
    doc: str
    kind: str
    name: str
    start: int
    end: int
    quote: str
    # The record after the decision (for accept: the fact as accepted; correct/add: the new values).
    fact: Fact = Field(description="the human fact this decision stands for (method='human')")


class FactStatus(BaseModel):
    """Curation status of one fact (looked up by fact_id of the original or the human fact)."""

    model_config = ConfigDict(extra="forbid")
    status: Status
    reviewer: str | None = None
    at: str | None = None
    note: str | None = None
    action: Action | None = None


class CuratedFacts(BaseModel):
    """Facts after curation plus each fact's status; ``stale`` lists decisions that matched nothing."""

    model_config = ConfigDict(extra="forbid")
    facts: list[Fact]
    status: dict[str, FactStatus] = Field(default_factory=dict)
    stale: list[Decision] = Field(default_factory=list)

    def status_of(self, fact: Fact) -> FactStatus:
        return self.status.get(fact.fact_id, FactStatus(status="unreviewed"))


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# ----------------------------------------------------------------------------- decisions


def decide(fact: Fact, action: Action, reviewer: str, note: str | None = None,
           at: str | None = None, **changes: Any) -> Decision:
    """Build a decision about ``fact``. For ``correct``, ``changes`` are the new field values."""
    if action not in ("accept", "correct", "reject"):
        raise CurationError(f"action must be accept, correct or reject for an existing fact, not {action!r}")
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise CurationError(f"fact {fact.fact_id}: cannot correct {', '.join(sorted(unknown))}")
    if action != "correct" and changes:
        raise CurationError(f"fact {fact.fact_id}: value fields are only for 'correct'")
    if action == "correct" and not changes:
        raise CurationError(f"fact {fact.fact_id}: 'correct' needs at least one new value")
    data = fact.model_dump(exclude={"fact_id"})
    data.update(changes)
    data.update(method="human", rule=f"curation:{action}", confidence=1.0)
    if action == "correct" and ("n" in changes or "denominator" in changes):
        data.update(ci_low=None, ci_high=None)
    try:
        human = Fact(**data)
    except ValidationError as exc:
        raise CurationError(f"fact {fact.fact_id}: invalid correction: {_first_error(exc)}") from exc
    return Decision(action=action, fact_id=fact.fact_id, reviewer=reviewer.strip(), at=at or _now(),
                    note=note, doc=fact.doc, kind=fact.kind, name=fact.name, start=fact.start,
                    end=fact.end, quote=fact.quote, fact=human)


def decide_add(*, doc: Document | str, quote: str, kind: str, name: str, reviewer: str,
               start: int | None = None, end: int | None = None, note: str | None = None,
               at: str | None = None, **fields: Any) -> Decision:
    """A value added by a reviewer from a selected sentence of a document.

    With a ``Document``, the quote is located in its text (or ``start``/``end`` are checked against
    it), so ``text[start:end] == quote`` holds for added facts too.
    """
    doc_id = doc.id if isinstance(doc, Document) else doc
    if isinstance(doc, Document):
        if start is not None and end is not None:
            if doc.text[start:end] != quote:
                raise CurationError(f"document {doc_id}: text[{start}:{end}] is not the quote")
        else:
            start = doc.text.find(quote)
            if start < 0 or not quote:
                raise CurationError(f"document {doc_id}: the quote is not in its text")
            end = start + len(quote)
    if start is None or end is None:
        raise CurationError(f"document {doc_id}: an added value needs start and end offsets")
    try:
        human = Fact(doc=doc_id, kind=kind, name=name, quote=quote, start=start, end=end,
                     method="human", rule="curation:add", confidence=1.0, **fields)
    except ValidationError as exc:
        raise CurationError(f"document {doc_id}: invalid added value: {_first_error(exc)}") from exc
    return Decision(action="add", fact_id=None, reviewer=reviewer.strip(), at=at or _now(), note=note,
                    doc=doc_id, kind=kind, name=name, start=start, end=end, quote=quote, fact=human)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"


class CurationLog:
    """The JSON Lines file of decisions (append-only; a file lock keeps concurrent writers apart)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def open(cls, settings: Any = None) -> CurationLog:
        from kb.settings import get_settings

        return cls((settings or get_settings()).curation_file)

    def append(self, decisions: Decision | Iterable[Decision]) -> int:
        """Append decisions (one JSON object per line); returns how many were written."""
        from filelock import FileLock

        items = [decisions] if isinstance(decisions, Decision) else list(decisions)
        if not items:
            return 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = "".join(json.dumps(d.model_dump(mode="json", exclude={"fact": {"fact_id"}}),
                                   ensure_ascii=False, sort_keys=True) + "\n" for d in items)
        with FileLock(str(self.path) + ".lock", timeout=30):
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(lines)
                fh.flush()
        return len(items)

    def load(self) -> tuple[list[Decision], list[str]]:
        """All decisions in file order, plus one error per unreadable line ('line 3: …')."""
        if not self.path.exists():
            return [], []
        decisions: list[Decision] = []
        errors: list[str] = []
        for lineno, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                decisions.append(Decision.model_validate_json(line))
            except ValidationError as exc:
                errors.append(f"{self.path}: line {lineno}: {_first_error(exc)}")
        return decisions, errors

    def decisions(self) -> list[Decision]:
        return self.load()[0]


# ----------------------------------------------------------------------------- applying


def _place(doc: str, kind: str, name: str, start: int, end: int) -> tuple[str, str, str, int, int]:
    return (doc, kind, name, start, end)


def apply_curation(facts: Sequence[Fact], decisions: Sequence[Decision],
                   documents: Sequence[Document] | None = None) -> CuratedFacts:
    """Facts as the reader should see them after the decisions (latest decision per fact wins)."""
    by_id = {f.fact_id: f for f in facts}
    by_place = {_place(f.doc, f.kind, f.name, f.start, f.end): f for f in facts}
    by_quote: dict[tuple[str, str, str, str], Fact] = {}
    for f in facts:
        by_quote.setdefault((f.doc, f.kind, f.name, f.quote), f)
    texts = {d.id: d.text for d in documents or []}

    latest: dict[str, tuple[Decision, Fact | None]] = {}
    added: dict[str, Decision] = {}
    stale: list[Decision] = []
    for decision in decisions:
        if decision.action == "add":
            added[decision.fact.fact_id] = decision
            continue
        target = (by_id.get(decision.fact_id or "")
                  or by_place.get(_place(decision.doc, decision.kind, decision.name,
                                         decision.start, decision.end))
                  or by_quote.get((decision.doc, decision.kind, decision.name, decision.quote)))
        key = target.fact_id if target else f"stale:{decision.fact_id}"
        latest[key] = (decision, target)

    out: list[Fact] = []
    status: dict[str, FactStatus] = {}
    decided = {k for k, (_, t) in latest.items() if t is not None}
    for fact in facts:
        if fact.fact_id not in decided:
            out.append(fact)
    for decision, target in latest.values():
        if target is None:
            if decision.action == "correct":
                # The extractor no longer finds the fact; the reviewer's value still stands.
                human = _relocate(decision.fact, texts)
                out.append(human)
                status[human.fact_id] = _status("corrected", decision)
            stale.append(decision)
            continue
        if decision.action == "reject":
            status[target.fact_id] = _status("rejected", decision)
            continue
        human = _relocate(_rebase(decision, target), texts)
        if decision.action == "accept":
            out.append(target)
            out.append(human)
            status[target.fact_id] = status[human.fact_id] = _status("verified", decision)
        else:  # correct: the reviewer's value replaces the extracted one
            out.append(human)
            status[target.fact_id] = status[human.fact_id] = _status("corrected", decision)
    for decision in added.values():
        human = _relocate(decision.fact, texts)
        out.append(human)
        status[human.fact_id] = _status("verified", decision)
    return CuratedFacts(facts=out, status=status, stale=stale)


def _rebase(decision: Decision, target: Fact) -> Fact:
    """The human fact re-anchored on the current fact's place (offsets may have moved)."""
    human = decision.fact
    if decision.action == "accept":
        data = target.model_dump(exclude={"fact_id"})
        data.update(method="human", rule="curation:accept", confidence=1.0)
        return Fact(**data)
    if human.quote == target.quote and (human.start, human.end) != (target.start, target.end):
        return human.model_copy(update={"start": target.start, "end": target.end})
    return human


def _relocate(fact: Fact, texts: dict[str, str]) -> Fact:
    """Keep ``text[start:end] == quote`` when the document text moved under a decision."""
    text = texts.get(fact.doc)
    if text is None or text[fact.start:fact.end] == fact.quote:
        return fact
    pos = text.find(fact.quote)
    if pos < 0:
        return fact
    return fact.model_copy(update={"start": pos, "end": pos + len(fact.quote)})


def _status(value: Status, decision: Decision) -> FactStatus:
    return FactStatus(status=value, reviewer=decision.reviewer, at=decision.at, note=decision.note,
                      action=decision.action)


def value_status(value: TrialValue, curated: CuratedFacts | None) -> FactStatus:
    """Status of a merged value: the human decision among its facts, else conflicting/unreviewed."""
    if curated is not None:
        for fact in value.facts:
            st = curated.status.get(fact.fact_id)
            if st is not None and st.status in ("corrected", "verified") and fact.method == "human":
                return st
    if any(f.method == "human" for f in value.facts):
        return FactStatus(status="verified")
    return FactStatus(status="conflicting" if value.conflict else "unreviewed")


# ----------------------------------------------------------------------------- queue + batch files


def _confidence(fact: Fact) -> float:
    if fact.confidence is not None:
        return fact.confidence
    # A registry field is structured data; an unscored rule match is the least certain.
    return 1.0 if fact.method == "registry" else 0.0


def review_queue(facts: Sequence[Fact], decisions: Sequence[Decision] = (),
                 kinds: Sequence[str] | None = None) -> list[Fact]:
    """Facts nobody decided on yet, lowest confidence first (then document and position)."""
    curated = apply_curation(facts, decisions)
    decided = set(curated.status)
    pending = [f for f in facts if f.fact_id not in decided and f.method != "human"
               and (not kinds or f.kind in kinds)]
    return sorted(pending, key=lambda f: (_confidence(f), f.doc, f.start, f.kind, f.fact_id))


def parse_decision_lines(lines: Iterable[str], facts: Sequence[Fact], *,
                         documents: Sequence[Document] = (), default_reviewer: str | None = None,
                         source: str = "input") -> tuple[list[Decision], list[str]]:
    """Decisions from JSON Lines (issue 9 format); bad lines become errors naming their line number.

    A line: ``{"fact_id": "...", "action": "accept|correct|reject", "reviewer": "...", "note": "...",
    "value": 83, "unit": "%", "n": 10, "denominator": 12, "group": "..."}`` (value fields only for
    correct), or ``{"action": "add", "doc": "...", "quote": "...", "kind": "...", "name": "...", ...}``.
    """
    by_id = {f.fact_id: f for f in facts}
    docs = {d.id: d for d in documents}
    decisions: list[Decision] = []
    errors: list[str] = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source}: line {lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            errors.append(f"{where}: expected a JSON object")
            continue
        action = record.pop("action", None)
        reviewer = record.pop("reviewer", None) or default_reviewer
        note = record.pop("note", None)
        at = record.pop("at", None)
        if not reviewer:
            errors.append(f"{where}: 'reviewer' is missing (or pass --reviewer)")
            continue
        try:
            if action == "add":
                doc_id = record.pop("doc", None)
                if not doc_id:
                    raise CurationError("'add' needs 'doc'")
                doc: Document | str = docs.get(doc_id, doc_id)
                if documents and doc_id not in docs:
                    raise CurationError(f"unknown document {doc_id!r}")
                decisions.append(decide_add(doc=doc, reviewer=reviewer, note=note, at=at, **record))
            elif action in ("accept", "correct", "reject"):
                fact_id = record.pop("fact_id", None)
                if fact_id not in by_id:
                    raise CurationError(f"unknown fact_id {fact_id!r} (list them with `kb review --pending --format json`)")
                decisions.append(decide(by_id[fact_id], action, reviewer, note=note, at=at, **record))
            else:
                raise CurationError(f"'action' must be accept, correct, reject or add, not {action!r}")
        except (CurationError, TypeError, ValidationError) as exc:
            msg = _first_error(exc) if isinstance(exc, ValidationError) else str(exc)
            errors.append(f"{where}: {msg}")
    return decisions, errors
