"""Search and comparison over the knowledge base.

Contract:

- :func:`search` (``kb search``): semantic search over passages combined with keyword matching, so
  exact terms, registry ids and numbers ("NCT04786262", "83%") are findable; filters by therapy,
  outcome, fact kind, source type and year. Each :class:`SearchHit` carries its document, passage,
  the best quote in the passage and where that quote sits (offsets in the passage and in the
  document), and a score.
- :func:`compare` (``kb compare``): a question in plain words or an explicit selection of therapies
  and outcomes -> a :class:`ComparisonTable`. Therapies are recognised from lexicon aliases and from
  classes ("stem-cell islet therapies", "without immunosuppression", "donor islets"); outcomes from the
  outcome vocabulary, adverse-event terms and table words ("dose", "N", "phase"); words the vocabularies
  do not know fall back to a search over facts. Rows are trials (plus arm rows where an outcome is
  reported per arm); every cell value keeps its quote, document, offsets, method, curation status,
  conflict flag, and a 95% Wilson interval when it is a proportion with n/N.

The core functions (:func:`parse_question`, :func:`build_table`, :func:`rank_hits`) take plain lists,
so they are tested without Chroma; :func:`search` / :func:`compare` are the thin wrappers over a
``KnowledgeBase`` (anything with a ``.store`` and optionally ``.settings``).
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from kb.curation import CuratedFacts, CurationLog, FactStatus, apply_curation, value_status
from kb.models import SOURCE_RANK, Document, Fact, Passage, Trial, TrialValue
from kb.nlp import lexicon
from kb.trials import _norm_text, fact_rank, link_trials

# 1.959964 = the 97.5th percentile of the standard normal: a two-sided 95% interval.
Z_95 = 1.959963984540054


class EmptyKnowledgeBase(LookupError):
    """The knowledge base holds no documents yet."""

    def __init__(self, message: str = "the knowledge base is empty: run `kb ingest demo` "
                 "(or `kb ingest PATH...`) first") -> None:
        super().__init__(message)


# ============================================================================ statistics


def wilson_interval(n: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """95% Wilson score interval for n successes of ``total`` as fractions (10/12 -> 0.5521, 0.9530)."""
    if total <= 0 or n < 0 or n > total:
        raise ValueError(f"a proportion needs 0 <= n <= N and N > 0, got {n}/{total}")
    p = n / total
    z2 = z * z
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    return max(0.0, centre - half), min(1.0, centre + half)


# ============================================================================ records


class Records(BaseModel):
    """What the comparison needs from the store: documents and curated facts."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)
    documents: list[Document]
    facts: list[Fact]
    curated: CuratedFacts
    _trials: list[Trial] | None = PrivateAttr(default=None)

    def trials(self) -> list[Trial]:
        """The linked trials of these records, computed once (linking 100k facts takes seconds)."""
        if self._trials is None:
            self._trials = link_trials(self.documents, self.facts)
        return self._trials


def _settings_of(kb: Any) -> Any:
    settings = getattr(kb, "settings", None)
    if settings is None:
        from kb.settings import get_settings

        settings = get_settings()
    return settings


def _store_of(kb: Any) -> Any:
    return getattr(kb, "store", kb)


def curate_records(documents: Sequence[Document], facts: Sequence[Fact],
                   decisions: Sequence[Any] = ()) -> Records:
    """Documents + raw facts (+ curation decisions) -> records as readers see them."""
    seen: dict[str, Fact] = {}
    for fact in list(facts) + [f for d in documents for f in d.facts]:
        seen.setdefault(fact.fact_id, fact)
    curated = apply_curation(list(seen.values()), list(decisions), documents)
    return Records(documents=list(documents), facts=curated.facts, curated=curated)


def load_records(kb: Any) -> Records:
    """Documents, facts and curation decisions of a knowledge base; raises EmptyKnowledgeBase."""
    store = _store_of(kb)
    curation = CurationLog.open(_settings_of(kb))

    def load() -> Records:
        documents = store.documents()
        if not documents:
            raise EmptyKnowledgeBase()
        decisions, _errors = curation.load()
        return curate_records(documents, store.facts(), decisions)

    # Once per store generation and state of the curation file: the app asks on every rerun.
    try:
        stat = curation.path.stat()
        version = f"{stat.st_mtime_ns}:{stat.st_size}"
    except FileNotFoundError:
        version = "none"
    return store.per_generation(f"records:{version}", load)


# ============================================================================ vocabulary


class Vocabulary(BaseModel):
    """The words comparison questions are read with (all data, from kb/nlp/lexicons)."""

    model_config = ConfigDict(extra="forbid")
    aliases: dict[str, str] = Field(description="lower-case alias -> generic therapy name")
    therapy_info: dict[str, dict[str, Any]] = Field(default_factory=dict)
    outcomes: dict[str, dict[str, Any]] = Field(default_factory=dict)
    adverse_events: dict[str, str] = Field(default_factory=dict, description="term -> canonical")


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """The project's lexicons (kb/nlp/lexicons data files; spaCy is not loaded). Cached: treat as
    read-only."""
    return Vocabulary(aliases=lexicon.therapy_aliases(), therapy_info=lexicon.therapy_info(),
                      outcomes=lexicon.outcome_vocabulary(),
                      adverse_events=lexicon.adverse_event_terms())


# Table words that are not outcomes: column key -> patterns (case-insensitive unless noted).
_TABLE_WORDS: dict[str, list[str]] = {
    "N": [r"sample sizes?", r"number of (?:participants|patients|subjects)", r"participants",
          r"patients", r"enrol?ments?", r"how many", r"cohort sizes?"],
    "dose": [r"doses?", r"dosing", r"dosages?"],
    "phase": [r"phases?"],
    "follow_up": [r"follow[-\s]?ups?", r"duration"],
    "ae:*": [r"(?:serious )?adverse (?:events?|reactions?|effects?)", r"\bsaes?\b", r"safety",
             r"side[-\s]effects?", r"tolerability"],
}
_NOT_FROM_TEXT = {"insulin", "placebo"}
_GENERIC_AE = {"serious adverse event", "adverse event", "serious adverse reaction", "adverse reaction"}
_CASE_SENSITIVE_N = re.compile(r"(?<![\w/-])N(?![\w/-])")
# Therapy classes: phrase pattern -> predicate on a therapy_info record.
_CLASSES: list[tuple[str, str, Callable[[dict[str, Any]], bool]]] = [
    ("stem-cell", r"(?:stem[-\s]?cells?(?:[-\s]derived)?|hesc|e?s[-\s]?cells?|i?psc|pluripotent)",
     lambda i: bool(re.search(r"hESC|iPSC|CiPSC|stem|pluripotent", str(i.get("cell_source", "")), re.I))),
    ("donor islets", r"(?:deceased[-\s])?donor(?:[-\s]derived)?|cadaveric",
     lambda i: "donor" in str(i.get("cell_source", "")).lower()),
    ("without immunosuppression",
     r"(?:without|no|free of|not needing|no need for)\s+(?:any\s+)?immuno[-\s]?suppress\w*"
     r"|immuno[-\s]?suppression[-\s]free|without immune suppression|hypoimmune",
     lambda i: str(i.get("immunosuppression", "")).lower() in {"none", "no", "false"}),
    ("with immunosuppression", r"(?<!without )(?<!no )\bwith immuno[-\s]?suppress\w*",
     lambda i: str(i.get("immunosuppression", "")).lower() not in {"", "none", "no", "false"}),
    ("islet", r"islets?(?:[-\s]cells?)?|beta[-\s]cells?|cell therap(?:y|ies)",
     lambda i: str(i.get("class", "")).lower() == "cell therapy"
     or "islet" in str(i.get("cell_source", "")).lower()),
]
_STOP = set("""a an and are as at be between by can compare compared comparing comparison did do does
for from how in into is it its of on or over the their them these those to versus vs vs. was were what
which who with within show list table trial trials study studies therapy therapies treatment treatments
results result outcome outcomes data evidence values value across among all other others than reported
report give me about per each arm arms rate rates level levels""".split())


class ColumnSpec(BaseModel):
    """One column of the comparison table."""

    model_config = ConfigDict(extra="forbid")
    key: str = Field(description="'therapy', 'phase', 'N', 'dose', 'follow_up', 'outcome:<name>', "
                     "'ae:<event>', 'ae:*' (serious adverse events), 'other:<label>'")
    label: str = Field(description="column name for a reader")


class ParsedQuestion(BaseModel):
    """What a question asks for, and how each part was recognised."""

    model_config = ConfigDict(extra="forbid")
    question: str | None = None
    therapies: list[str] = Field(default_factory=list, description="generic names, explicit + class")
    named_therapies: list[str] = Field(default_factory=list, description="named in the question")
    classes: list[str] = Field(default_factory=list, description="therapy classes recognised")
    columns: list[str] = Field(default_factory=list, description="column keys asked for")
    unknown: list[str] = Field(default_factory=list, description="words no vocabulary knew")
    notes: list[str] = Field(default_factory=list)


def _term_regex(term: str) -> re.Pattern[str]:
    """A lexicon term as a pattern: case-insensitive, hyphen/space/no-space interchangeable."""
    parts = [re.escape(p) for p in re.split(r"[-\s]+", term.strip()) if p]
    body = r"[-\s]?".join(parts)
    return re.compile(rf"(?<![\w]){body}(?![\w])", re.I)


_OUTCOME_LABELS = {"hba1c": "HbA1c", "hba1c_change": "HbA1c change", "hba1c_target": "HbA1c target",
                   "c_peptide": "C-peptide", "discontinuation_due_to_ae": "Discontinuation due to AE"}


def column_label(key: str) -> str:
    """Reader-friendly column names ('outcome:insulin_independence' -> 'Insulin independence')."""
    fixed = {"therapy": "Therapy", "phase": "Phase", "N": "N (participants)", "dose": "Dose",
             "follow_up": "Follow-up", "ae:*": "Serious adverse events"}
    if key in fixed:
        return fixed[key]
    kind, _, name = key.partition(":")
    if kind == "outcome":
        return _OUTCOME_LABELS.get(name, name.replace("_", " ").capitalize())
    if kind == "ae":
        return f"Adverse event: {name}"
    return name[:1].upper() + name[1:]


def parse_question(question: str | None, vocab: Vocabulary, *,
                   therapies: Sequence[str] | None = None,
                   outcomes: Sequence[str] | None = None) -> ParsedQuestion:
    """Recognise therapies, therapy classes and outcome columns in a question (longest terms first)."""
    text = question or ""
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def find(term: str) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in _term_regex(term).finditer(text) if free(m.start(), m.end())]

    found: list[tuple[int, str]] = []  # (position in the question, target), sorted at the end
    # Terms of every vocabulary, matched longest first so 'severe hypoglycemia' beats 'hypoglycemia'.
    terms: list[tuple[str, str]] = []
    for alias, generic in vocab.aliases.items():
        # 'insulin' and 'placebo' are in every diabetes question as words of an outcome or a
        # comparator ('insulin freedom'); they are therapies only when asked for with --therapy.
        if str(vocab.therapy_info.get(generic, {}).get("class", "")).lower() in _NOT_FROM_TEXT:
            continue
        terms.append((alias, f"therapy:{generic}"))
    for name, info in vocab.outcomes.items():
        if name == "other":
            continue
        for syn in [name.replace("_", " "), *info.get("synonyms", [])]:
            terms.append((syn, f"outcome:{name}"))
    for term, canonical in vocab.adverse_events.items():
        # 'serious adverse events' in the AE lexicon means the whole safety column.
        target = "ae:*" if canonical in _GENERIC_AE else f"ae:{canonical}"
        terms.append((term, target))
    terms.sort(key=lambda t: -len(t[0]))
    for term, target in terms:
        spans = find(term)
        taken.extend(spans)
        found += [(s, target) for s, _ in spans]

    classes: list[str] = []
    class_sets: list[set[str]] = []
    for label, pattern, predicate in _CLASSES:
        spans = [(m.start(), m.end()) for m in re.finditer(pattern, text, re.I) if free(m.start(), m.end())]
        if not spans:
            continue
        taken.extend(spans)
        classes.append(label)
        class_sets.append({g for g, info in vocab.therapy_info.items() if predicate(info)})
    for key, patterns in _TABLE_WORDS.items():
        for pattern in patterns:
            spans = [(m.start(), m.end()) for m in re.finditer(rf"\b{pattern}\b", text, re.I)
                     if free(m.start(), m.end())]
            taken.extend(spans)
            found += [(s, key) for s, _ in spans]
    for m in _CASE_SENSITIVE_N.finditer(text):
        if free(m.start(), m.end()):
            taken.append((m.start(), m.end()))
            found.append((m.start(), "N"))
    named: list[str] = []
    columns: list[str] = []
    for _, target in sorted(found):
        if target.startswith("therapy:"):
            generic = target.split(":", 1)[1]
            if generic not in named:
                named.append(generic)
        elif target not in columns:
            columns.append(target)

    aliases = vocab.aliases
    for therapy in therapies or []:
        generic = aliases.get(therapy.lower().strip(), therapy.lower().strip())
        if generic not in named:
            named.append(generic)
    for outcome in outcomes or []:
        key = _outcome_key(outcome, vocab)
        if key not in columns:
            columns.append(key)

    selected: list[str] = list(named)
    if class_sets:
        members = set.intersection(*class_sets)
        selected += sorted(g for g in members if g not in selected)
    unknown = [w for w in re.findall(r"[A-Za-z][\w-]*", _blank(text, taken))
               if w.lower() not in _STOP and len(w) > 1]
    notes = []
    if class_sets and len(selected) == len(named):
        notes.append(f"no therapy in the lexicon is {' and '.join(classes)}")
    return ParsedQuestion(question=question, therapies=selected, named_therapies=named,
                          classes=classes, columns=columns, unknown=unknown, notes=notes)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            chars[i] = " "
    return "".join(chars)


def _outcome_key(outcome: str, vocab: Vocabulary) -> str:
    """An explicit --outcome (name, synonym, 'dose', 'N', an adverse event) -> column key."""
    raw = outcome.strip()
    low = raw.lower()
    if raw in {"therapy", "phase", "N", "dose", "follow_up", "ae:*"} or ":" in raw:
        return raw
    if low in {"n", "sample size", "participants"}:
        return "N"
    if low in {"dose", "phase"}:
        return low
    if low in vocab.outcomes:
        return f"outcome:{low}"
    for name, info in vocab.outcomes.items():
        if low in {s.lower() for s in info.get("synonyms", [])} or low == name.replace("_", " "):
            return f"outcome:{name}"
    if low in vocab.adverse_events:
        return f"ae:{vocab.adverse_events[low]}"
    if low in {"adverse events", "serious adverse events", "safety"}:
        return "ae:*"
    return f"other:{low}"


# ============================================================================ table records


class Evidence(BaseModel):
    """One fact behind a value: where it was read, how, and its curation status."""

    model_config = ConfigDict(extra="forbid")
    doc_id: str
    source_type: str
    quote: str
    start: int
    end: int
    method: str
    rule: str | None = None
    fact_id: str
    confidence: float | None = None
    status: str = "unreviewed"
    reviewer: str | None = None
    reviewed_at: str | None = None


class CellValue(BaseModel):
    """One value in a cell, with the provenance of its first (highest-ranked) source."""

    model_config = ConfigDict(extra="forbid")
    display: str = Field(description="the value as a reader sees it: '83% (10/12)'")
    kind: str
    name: str
    value: float | None = None
    unit: str | None = None
    comparator: str = "="
    n: int | None = None
    denominator: int | None = None
    group: str | None = None
    timepoint: str | None = None
    serious: bool | None = None
    ci_low: float | None = Field(default=None, description="95% Wilson interval, % (from n/N)")
    ci_high: float | None = None
    source: str = Field(description="document id of the first source (the source key)")
    source_type: str
    quote: str
    start: int
    end: int
    method: str
    fact_id: str
    status: str = "unreviewed"
    reviewer: str | None = None
    reviewed_at: str | None = None
    conflict: bool = False
    sources: list[str] = Field(default_factory=list, description="every document reporting it")
    evidence: list[Evidence] = Field(default_factory=list)


class Cell(BaseModel):
    """A table cell: its values (several when sources disagree or arms differ)."""

    model_config = ConfigDict(extra="forbid")
    values: list[CellValue] = Field(default_factory=list)
    conflict: bool = False
    status: str = "empty"

    @property
    def primary(self) -> CellValue | None:
        return self.values[0] if self.values else None

    def text(self, with_source: bool = False) -> str:
        parts = []
        for v in self.values:
            label = v.display
            if with_source:
                label += f" [{v.source}]"
            parts.append(label)
        return "; ".join(parts)


class TableRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    trial_id: str
    title: str = ""
    therapy: str = ""
    arm: str | None = Field(default=None, description="arm / group; None for the whole trial")
    registry_ids: list[str] = Field(default_factory=list)
    doc_ids: list[str] = Field(default_factory=list)
    cells: dict[str, Cell] = Field(default_factory=dict)


class SourceRef(BaseModel):
    """A document a table value comes from, as a reference manager needs it."""

    model_config = ConfigDict(extra="forbid")
    doc_id: str
    source_type: str
    title: str = ""
    authors: list[str] = Field(default_factory=list)
    journal: str | None = None
    year: int | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    registry_ids: list[str] = Field(default_factory=list)
    url: str | None = None


class ComparisonTable(BaseModel):
    """Trials x asked-for columns; every value carries its provenance."""

    model_config = ConfigDict(extra="forbid")
    question: str | None = None
    therapies: list[str] = Field(default_factory=list)
    columns: list[ColumnSpec] = Field(default_factory=list)
    rows: list[TableRow] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


# ============================================================================ formatting

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_number(x: float) -> str:
    """83.0 -> '83', 0.8e9 -> '0.8×10⁹', 1.5e6 -> '1.5×10⁶', 11547 -> '11,547', 35.29 -> '35.3'."""
    if x != 0 and abs(x) >= 1e6:
        # Powers of ten in steps of three, as cell doses are written ('0.8×10⁹ cells').
        exp = int(math.floor(math.log10(abs(x))))
        e3 = 3 * math.ceil(exp / 3)
        if abs(x) / 10**e3 < 0.1:
            e3 = 3 * (exp // 3)
        return f"{x / 10**e3:.3g}×10{str(e3).translate(_SUPERSCRIPT)}"
    if abs(x - round(x)) < 1e-9:
        return f"{int(round(x)):,}"
    return f"{x:.3g}" if abs(x) < 1 else f"{x:.1f}".rstrip("0").rstrip(".")


def format_value(v: TrialValue | CellValue | Fact, with_event: bool = True) -> str:
    """A value as a reader sees it, with n/N and the group when it has one ('83% (10/12) — parts B
    and C @ day 365'); adverse events are prefixed with the event unless ``with_event`` is False."""
    comp = "" if v.comparator in ("=", None) else {"~": "≈ ", "<=": "≤ ", ">=": "≥ "}.get(
        v.comparator, v.comparator + " ")
    if v.kind in ("intervention", "registry_id"):
        text = v.name
    elif v.kind == "phase":
        text = f"phase {v.name}"
    elif v.value is not None:
        unit = v.unit or ""
        sep = "" if unit in ("%", "") else " "
        if v.kind == "sample_size":
            unit, sep = "", ""
        text = f"{comp}{format_number(v.value)}{sep}{unit}"
        if v.n is not None and v.denominator is not None:
            text += f" ({v.n}/{v.denominator})"
        elif v.n is not None and v.kind == "adverse_event" and unit == "%":
            text += f" (n={v.n})"
    elif v.n is not None and v.denominator is not None:
        text = f"{comp}{v.n}/{v.denominator}"
    elif v.n is not None:
        # A count of people with no denominator ("25 participants achieved insulin independence").
        text = f"{comp}{v.n}" + (" participant" if v.n == 1 else " participants")
    elif getattr(v, "negated", False):
        text = "none"
    else:
        text = "reported"
    if v.kind == "adverse_event" and with_event:
        text = f"{v.name}: {text}" if text != "reported" else v.name
    if v.group:
        text += f" — {v.group}"
    if v.timepoint and v.kind not in ("sample_size", "dose", "phase", "intervention"):
        text += f" @ {v.timepoint}"
    return text


# ============================================================================ building the table


def _column_values(trial: Trial, key: str) -> list[TrialValue]:
    kind, _, name = key.partition(":")
    out = []
    for v in trial.values:
        if v.timepoint and v.timepoint.strip().lower() == "baseline" and v.kind == "outcome":
            continue  # baseline figures are not outcomes (FACTS.md)
        if key == "therapy":
            ok = v.kind == "intervention" and v.name in trial.therapies[:1]
        elif key == "phase":
            ok = v.kind == "phase"
        elif key == "N":
            ok = v.kind == "sample_size"
        elif key == "dose":
            ok = v.kind == "dose"
        elif key == "follow_up":
            ok = v.kind == "follow_up"
        elif key == "ae:*":
            ok = v.kind == "adverse_event" and (v.facts[0].serious or v.name == "death") \
                and not v.facts[0].negated
        elif kind == "ae":
            ok = v.kind == "adverse_event" and v.name == name
        elif kind == "outcome":
            ok = v.kind == "outcome" and v.name == name
        elif kind == "other":
            label = (v.facts[0].label or "").lower()
            ok = v.kind == "outcome" and v.name == "other" and (name in label or label in name) and label != ""
        else:
            ok = False
        if ok:
            out.append(v)
    return out


def _cell(values: Sequence[TrialValue], source_types: dict[str, str],
          curated: CuratedFacts | None, key: str = "") -> Cell:
    cell_values: list[CellValue] = []
    for v in values:
        facts = sorted(v.facts, key=lambda f: (fact_rank(f, source_types), f.doc, f.start))
        top = facts[0]
        st: FactStatus = value_status(v, curated)
        ev = []
        for f in facts:
            fst = curated.status_of(f) if curated is not None else FactStatus(status="unreviewed")
            ev.append(Evidence(doc_id=f.doc, source_type=source_types.get(f.doc, "other"),
                               quote=f.quote, start=f.start, end=f.end, method=f.method,
                               rule=f.rule, fact_id=f.fact_id, confidence=f.confidence,
                               status=fst.status, reviewer=fst.reviewer, reviewed_at=fst.at))
        value = v.value
        ci_low = ci_high = None
        if v.n is not None and v.denominator and 0 <= v.n <= v.denominator:
            lo, hi = wilson_interval(v.n, v.denominator)
            ci_low, ci_high = round(lo * 100, 2), round(hi * 100, 2)
        status = st.status if st.status in ("verified", "corrected") else (
            "conflicting" if v.conflict else "unreviewed")
        cv = CellValue(
            display="", kind=v.kind, name=v.name, value=value, unit=v.unit, comparator=v.comparator,
            n=v.n, denominator=v.denominator, group=v.group, timepoint=v.timepoint,
            serious=top.serious, ci_low=ci_low, ci_high=ci_high, source=top.doc,
            source_type=source_types.get(top.doc, "other"), quote=top.quote, start=top.start,
            end=top.end, method=top.method, fact_id=top.fact_id, status=status,
            reviewer=st.reviewer, reviewed_at=st.at, conflict=v.conflict,
            sources=list(dict.fromkeys(f.doc for f in facts)), evidence=ev)
        # In a column of one event ('Adverse event: neutropenia') the event name is the header.
        one_event = key.startswith("ae:") and key != "ae:*"
        cv.display = format_value(cv, with_event=not one_event) + (
            " (negated)" if top.negated and v.kind != "adverse_event" else "")
        if top.negated and v.kind == "adverse_event":
            cv.display = f"no {v.name}"
        cell_values.append(cv)
    conflict = any(c.conflict for c in cell_values)
    if not cell_values:
        status = "empty"
    elif any(c.status == "corrected" for c in cell_values[:1]):
        status = "corrected"
    elif cell_values[0].status == "verified":
        status = "verified"
    else:
        status = "conflicting" if conflict else "unreviewed"
    return Cell(values=cell_values, conflict=conflict, status=status)


_PER_ARM_KINDS = ("outcome:", "ae:", "other:")


def build_table(trials: Sequence[Trial], parsed: ParsedQuestion, documents: Sequence[Document],
                curated: CuratedFacts | None = None) -> ComparisonTable:
    """Trials + what was asked -> the comparison table (rows: trials, and arms where per-arm)."""
    source_types = {d.id: d.source_type for d in documents}
    docs = {d.id: d for d in documents}
    wanted = set(parsed.therapies)
    # A trial is selected by the therapy it studies (its first), not by every therapy it mentions.
    selected = [t for t in trials if wanted & set(t.therapies[:1])] if wanted else \
        [t for t in trials if t.therapies]
    asked = [c for c in parsed.columns if c not in ("therapy", "phase", "N", "dose")]
    if not asked and not parsed.columns:
        asked = _default_outcomes(selected)
    keys = ["therapy", "phase", "N", "dose"] + asked
    if any(c in parsed.columns for c in ("follow_up",)) and "follow_up" not in keys:
        keys.append("follow_up")
    keys = list(dict.fromkeys(keys))
    columns = [ColumnSpec(key=k, label=column_label(k)) for k in keys]

    rows: list[TableRow] = []
    silent: list[str] = []
    for trial in selected:
        per_col = {k: _column_values(trial, k) for k in keys}
        named = set(parsed.named_therapies)
        asked_any = [k for k in parsed.columns if k in per_col] or asked
        if asked_any and not any(per_col[k] for k in asked_any) and \
                not (named & set(trial.therapies[:1])):
            # A trial that reports none of the asked outcomes is not a row, but it is named.
            if wanted and trial.therapies:
                silent.append(trial.therapies[0])
            continue
        arm_groups: list[str] = []
        for k in keys:
            if not k.startswith(_PER_ARM_KINDS):
                continue
            groups = {_norm_text(v.group) for v in per_col[k] if v.group}
            if len(groups) > 1:
                for v in per_col[k]:
                    g = v.group
                    if g and _norm_text(g) not in {_norm_text(a) for a in arm_groups}:
                        arm_groups.append(g)
        therapy = trial.therapies[0] if trial.therapies else ""
        base = dict(trial_id=trial.id, title=trial.title, therapy=therapy,
                    registry_ids=trial.registry_ids, doc_ids=trial.doc_ids)
        if not arm_groups:
            rows.append(TableRow(**base, cells={k: _cell(per_col[k], source_types, curated, k)
                                                for k in keys}))
            continue
        arm_norm = {_norm_text(a) for a in arm_groups}
        whole = {}
        for k in keys:
            vals = per_col[k]
            if k.startswith(_PER_ARM_KINDS) or k in ("N",):
                vals = [v for v in vals if _norm_text(v.group) not in arm_norm]
            whole[k] = _cell(vals, source_types, curated, k)
        rows.append(TableRow(**base, cells=whole))
        for arm in arm_groups:
            cells = {}
            for k in keys:
                if k in ("therapy", "phase"):
                    cells[k] = whole[k]
                    continue
                vals = [v for v in per_col[k] if _norm_text(v.group) == _norm_text(arm)]
                cells[k] = _cell(vals, source_types, curated, k)
            rows.append(TableRow(**base | {"arm": arm}, cells=cells))

    used = [d for row in rows for d in row.doc_ids]
    sources = [_source_ref(docs[d]) for d in dict.fromkeys(used) if d in docs]
    notes = list(parsed.notes)
    missing = [t for t in parsed.named_therapies if not any(t in tr.therapies for tr in trials)]
    if missing:
        notes.append(f"not in the knowledge base: {', '.join(missing)}")
    if silent:
        notes.append("trials with none of the asked values: " + ", ".join(dict.fromkeys(silent)))
    return ComparisonTable(question=parsed.question, therapies=parsed.therapies, columns=columns,
                           rows=rows, sources=sources, notes=notes)


def _default_outcomes(trials: Sequence[Trial]) -> list[str]:
    """No outcome asked: the outcomes the selected trials report, most common first (at most 6)."""
    counts: dict[str, int] = defaultdict(int)
    for t in trials:
        for name in {v.name for v in t.values if v.kind == "outcome" and v.name != "other"
                     and (v.timepoint or "").lower() != "baseline"}:
            counts[name] += 1
    names = sorted(counts, key=lambda n: (-counts[n], n))[:6]
    return [f"outcome:{n}" for n in names] + (["ae:*"] if any(
        v.kind == "adverse_event" for t in trials for v in t.values) else [])


def _source_ref(doc: Document) -> SourceRef:
    return SourceRef(doc_id=doc.id, source_type=doc.source_type, title=doc.title,
                     authors=list(doc.authors), journal=doc.journal, year=doc.year, doi=doc.doi,
                     pmid=doc.pmid, pmcid=doc.pmcid, registry_ids=list(doc.registry_ids), url=doc.url)


def filter_table(table: ComparisonTable, statuses: Sequence[str] = ("verified", "corrected")) -> ComparisonTable:
    """A copy of the table keeping only values whose status is in ``statuses`` (e.g. verified only)."""
    keep = set(statuses)
    out = table.model_copy(deep=True)
    for row in out.rows:
        for key, cell in row.cells.items():
            vals = [v for v in cell.values if v.status in keep]
            row.cells[key] = Cell(values=vals, conflict=any(v.conflict for v in vals),
                                  status=vals[0].status if vals else "empty")
    out.notes.append(f"limited to values that are {' or '.join(statuses)}")
    return out


# ============================================================================ compare


FactSearcher = Callable[[str, int], list[tuple[Fact, float]]]


def fallback_columns(words: Sequence[str], facts: Sequence[Fact],
                     searcher: FactSearcher | None = None, k: int = 5,
                     min_score: float = 0.35) -> tuple[list[str], list[str]]:
    """Columns for words no vocabulary knew: facts whose outcome label mentions them, else the
    nearest facts by meaning with a cosine similarity of at least ``min_score``.
    Returns (column keys, notes)."""
    phrase = " ".join(words)
    if not phrase.strip():
        return [], []
    cols: list[str] = []
    for f in facts:
        if f.kind != "outcome" or f.name != "other" or not f.label:
            continue
        if all(re.search(rf"\b{re.escape(w)}", f.label, re.I) for w in words):
            key = f"other:{f.label.lower()}"
            if key not in cols:
                cols.append(key)
    how = "by their wording"
    if not cols and searcher is not None:
        how = "by meaning"
        for fact, score in searcher(phrase, k):
            if score < min_score:
                continue  # far in meaning: an empty column beats a wrong one
            if fact.kind == "outcome":
                key = f"other:{fact.label.lower()}" if fact.name == "other" and fact.label \
                    else f"outcome:{fact.name}"
            elif fact.kind == "adverse_event":
                key = f"ae:{fact.name}"
            else:
                continue
            if key not in cols:
                cols.append(key)
    cols = cols[:3]
    if not cols:
        return [], [f"no outcome matched '{phrase}'"]
    return cols, [f"'{phrase}' is not in the vocabulary; matched {how}: "
                  + ", ".join(column_label(c) for c in cols)]


def compare_records(records: Records, question: str | None = None, *,
                    therapies: Sequence[str] | None = None, outcomes: Sequence[str] | None = None,
                    vocab: Vocabulary | None = None, searcher: FactSearcher | None = None,
                    min_score: float = 0.35) -> ComparisonTable:
    """The comparison on in-memory records (the core of :func:`compare`)."""
    vocab = vocab or load_vocabulary()
    parsed = parse_question(question, vocab, therapies=therapies, outcomes=outcomes)
    if parsed.unknown and not any(c.startswith(("outcome:", "ae:", "other:")) for c in parsed.columns):
        cols, notes = fallback_columns(parsed.unknown, records.facts, searcher,
                                       min_score=min_score)
        parsed.columns += cols
        parsed.notes += notes
    elif parsed.unknown:
        parsed.notes.append("words not recognised (ignored): " + ", ".join(parsed.unknown))
    return build_table(records.trials(), parsed, records.documents, records.curated)


def compare(kb: Any, question: str | None = None, therapies: Sequence[str] | None = None,
            outcomes: Sequence[str] | None = None, *, verified_only: bool = False) -> ComparisonTable:
    """A question or selection -> ComparisonTable over the knowledge base (raises EmptyKnowledgeBase)."""
    records = load_records(kb)
    store = _store_of(kb)
    searcher = None
    if hasattr(store, "search_facts"):
        def searcher(q: str, k: int) -> list[tuple[Fact, float]]:
            return store.search_facts(q, k=k, kinds=["outcome", "adverse_event"])
    # Similarity below which a fact is too far in meaning to become a column (MiniLM cosine).
    min_score = _settings_of(kb).fallback_min_score
    table = compare_records(records, question, therapies=therapies, outcomes=outcomes,
                            searcher=searcher, min_score=min_score)
    return filter_table(table) if verified_only else table


def trials(kb: Any) -> list[Trial]:
    """All trials of the knowledge base (curated facts applied)."""
    return load_records(kb).trials()


# ============================================================================ search


class SearchFilters(BaseModel):
    """Filters for :func:`search`; all optional, combined with AND."""

    model_config = ConfigDict(extra="forbid")
    therapy: str | None = Field(default=None, description="generic name or alias")
    outcome: str | None = Field(default=None, description="outcome name or synonym")
    kind: str | None = Field(default=None, description="documents with a fact of this kind")
    source_type: str | None = None
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    doc_ids: list[str] | None = None

    def is_empty(self) -> bool:
        return all(v is None for v in self.model_dump().values())


class SearchHit(BaseModel):
    """One passage found, with the best quote in it and where that quote sits."""

    model_config = ConfigDict(extra="forbid")
    doc_id: str
    title: str = ""
    source_type: str = "other"
    year: int | None = None
    passage_id: str
    passage: str
    passage_start: int = Field(description="offset of the passage in the document text")
    passage_end: int
    quote: str
    quote_start: int = Field(description="offset of the quote in the passage")
    quote_end: int
    doc_start: int = Field(description="offset of the quote in the document text")
    doc_end: int
    score: float
    semantic: float | None = Field(default=None, description="cosine similarity, when found by meaning")
    keyword: float = Field(default=0.0, description="share of query terms the passage contains")
    matched: list[str] = Field(default_factory=list, description="query terms found in the passage")
    via: Literal["semantic", "keyword", "both"] = "semantic"
    facts: list[Fact] = Field(default_factory=list, description="facts read from the quote")


_EXACT_RE = re.compile(
    r'"([^"]+)"'                                   # quoted phrase
    r"|\b((?:NCT|ISRCTN|ChiCTR)[-\w]*\d+)\b"       # registry ids
    r"|\b(10\.\d{4,9}/\S+)"                        # DOIs
    r"|(?<![\w.])(\d+(?:[.,]\d+)?\s?%?)(?![\w])",  # numbers, percentages
    re.I,
)


def query_terms(query: str) -> tuple[list[str], list[str]]:
    """(exact terms: phrases, ids, numbers; words: other content words) of a search query."""
    exact: list[str] = []
    for m in _EXACT_RE.finditer(query):
        term = next(g for g in m.groups() if g)
        exact.append(term.strip().rstrip(".,;"))
    rest = _EXACT_RE.sub(" ", query)
    words = [w for w in re.findall(r"[A-Za-z][\w-]+", rest) if w.lower() not in _STOP and len(w) > 2]
    return list(dict.fromkeys(exact)), list(dict.fromkeys(words))


def _term_in(term: str, text: str) -> bool:
    if re.fullmatch(r"\d+(?:[.,]\d+)?\s?%?", term):
        num = term.replace(" ", "").rstrip("%")
        pct = r"\s?%" if term.endswith("%") else ""
        return re.search(rf"(?<![\d.,]){re.escape(num)}{pct}(?![\d])", text) is not None
    if re.match(r"[A-Za-z]", term) and not re.search(r"\s", term) and len(term) > 4:
        # Words match their inflections ('infusion' finds 'infusions').
        return re.search(rf"(?<!\w){re.escape(term[:-1] if term.endswith('s') else term)}", text, re.I) is not None
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.I) is not None


_SENT_RE = re.compile(r"[^.!?\n]+(?:[.!?]+(?=\s|$)|\n|$)")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed; decimal points and '×10⁹' do not split a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z(\"'*])|\n+", text):
        # '0.8' and 'et al.' are not sentence ends: only split before a capital after a space.
        if re.search(r"\b(?:al|vs|e\.g|i\.e|Dr|Fig|No)\.$", text[start:m.start()]):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        seg = text[s:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if e - trail > s + lead:
            out.append((s + lead, e - trail))
    return out


def best_quote(passage: Passage, exact: Sequence[str], words: Sequence[str],
               facts: Sequence[Fact] = ()) -> tuple[int, int, list[str]]:
    """The sentence of the passage that best answers the query: (start, end in passage, matched terms)."""
    best = None
    for s, e in sentences(passage.text):
        seg = passage.text[s:e]
        hit_exact = [t for t in exact if _term_in(t, seg)]
        hit_words = [w for w in words if _term_in(w, seg)]
        doc_s, doc_e = passage.start + s, passage.start + e
        has_fact = any(f.start < doc_e and f.end > doc_s for f in facts)
        key = (3 * len(hit_exact) + len(hit_words), has_fact, -s)
        if best is None or key > best[0]:
            best = (key, s, e, hit_exact + hit_words)
    if best is None:
        return 0, len(passage.text), []
    return best[1], best[2], best[3]


def allowed_documents(documents: Sequence[Document], facts: Sequence[Fact], filters: SearchFilters,
                      vocab: Vocabulary | None = None) -> list[str] | None:
    """Document ids passing the filters (None: no filter at all)."""
    if filters.is_empty():
        return None
    by_doc: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_doc[f.doc].append(f)
    therapy = outcome = None
    if filters.therapy:
        low = filters.therapy.lower().strip()
        therapy = (vocab.aliases.get(low, low) if vocab else low)
    if filters.outcome:
        outcome = _outcome_key(filters.outcome, vocab) if vocab else f"outcome:{filters.outcome.lower()}"
    ids = []
    for doc in documents:
        if filters.doc_ids is not None and doc.id not in filters.doc_ids:
            continue
        if filters.source_type and doc.source_type != filters.source_type:
            continue
        if filters.year is not None and doc.year != filters.year:
            continue
        if filters.year_from is not None and (doc.year is None or doc.year < filters.year_from):
            continue
        if filters.year_to is not None and (doc.year is None or doc.year > filters.year_to):
            continue
        dfacts = by_doc[doc.id] + list(doc.facts)
        if filters.kind and not any(f.kind == filters.kind for f in dfacts):
            continue
        if therapy and not any(f.kind == "intervention" and f.name.lower() == therapy for f in dfacts):
            names = [a for a, g in (vocab.aliases.items() if vocab else []) if g == therapy] or [therapy]
            if not any(_term_regex(a).search(doc.text) for a in names):
                continue
        if outcome:
            kind, _, name = outcome.partition(":")
            if kind == "outcome" and not any(f.kind == "outcome" and f.name == name for f in dfacts):
                continue
            if kind == "ae" and not any(f.kind == "adverse_event" and f.name == name for f in dfacts):
                continue
            if kind == "other" and not any(name in (f.label or "").lower() for f in dfacts):
                continue
        ids.append(doc.id)
    return ids


def keyword_passages(passages: Sequence[Passage], terms: Sequence[str], k: int = 10) -> list[Passage]:
    """In-memory keyword search (all terms present), most matches first: the store-free fallback."""
    out = [p for p in passages if terms and all(_term_in(t, p.text) for t in terms)]
    return out[:k]


def rank_hits(query: str, semantic: Sequence[tuple[Passage, float]], keyword: Sequence[Passage],
              documents: Sequence[Document], facts: Sequence[Fact], *, k: int = 10,
              allowed: Sequence[str] | None = None, kind: str | None = None) -> list[SearchHit]:
    """Fuse semantic and keyword results into hits with quotes (the core of :func:`search`).

    Score = 0.6 x semantic similarity + 0.4 x share of query terms present (exact terms count 3x),
    so a passage with the asked registry id or number ranks high even when its meaning is far.
    """
    exact, words = query_terms(query)
    docs = {d.id: d for d in documents}
    allow = set(allowed) if allowed is not None else None
    by_doc: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if kind is None or f.kind == kind:
            by_doc[f.doc].append(f)
    pool: dict[str, tuple[Passage, float | None, bool]] = {}
    for p, sim in semantic:
        pool[p.id] = (p, sim, False)
    for p in keyword:
        prev = pool.get(p.id)
        pool[p.id] = (p, prev[1] if prev else None, True)
    weight = 3 * len(exact) + len(words)
    hits: list[SearchHit] = []
    for p, sim, by_kw in pool.values():
        if allow is not None and p.doc_id not in allow:
            continue
        doc = docs.get(p.doc_id)
        qs, qe, _ = best_quote(p, exact, words, by_doc.get(p.doc_id, []))
        matched_all = [t for t in exact if _term_in(t, p.text)] + [w for w in words if _term_in(w, p.text)]
        kw = ((3 * sum(1 for t in exact if t in matched_all) + sum(1 for w in words if w in matched_all))
              / weight) if weight else 0.0
        if exact and not any(t in matched_all for t in exact) and by_kw is False and sim is not None:
            kw *= 0.5  # asked for an id/number the passage does not contain
        score = 0.6 * max(sim or 0.0, 0.0) + 0.4 * kw
        via = "both" if (by_kw and sim is not None) else ("keyword" if by_kw else "semantic")
        doc_s, doc_e = p.start + qs, p.start + qe
        hits.append(SearchHit(
            doc_id=p.doc_id, title=doc.title if doc else "", source_type=doc.source_type if doc else "other",
            year=doc.year if doc else None, passage_id=p.id, passage=p.text, passage_start=p.start,
            passage_end=p.end, quote=p.text[qs:qe], quote_start=qs, quote_end=qe, doc_start=doc_s,
            doc_end=doc_e, score=round(score, 4), semantic=None if sim is None else round(sim, 4),
            keyword=round(kw, 4), matched=matched_all, via=via,
            facts=[f for f in by_doc.get(p.doc_id, []) if f.start >= doc_s and f.end <= doc_e]))
    hits.sort(key=lambda h: (-h.score, SOURCE_RANK.get(h.source_type, 9), h.doc_id, h.passage_start))
    return hits[:k]


# Above this many passages a full-text scan per plain word (Chroma's $contains: ~150 ms a term
# at 100k passages) costs more than the whole semantic search, so plain words are then matched
# only inside the semantic candidates; ids, numbers and quoted phrases are always scanned for.
KEYWORD_SCAN_MAX_PASSAGES = 20_000


def search(kb: Any, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[SearchHit]:
    """Semantic + keyword search over the knowledge base's passages (raises EmptyKnowledgeBase)."""
    store = _store_of(kb)
    filters = filters or SearchFilters()
    if not store.count("documents"):
        raise EmptyKnowledgeBase()
    allowed = None
    if not filters.is_empty():  # filters read every document and fact (cached per generation)
        vocab = load_vocabulary() if (filters.therapy or filters.outcome) else None
        allowed = allowed_documents(store.documents(), store.facts(), filters, vocab)
        if not allowed:
            return []
    semantic = store.search_passages(query, k=max(k * 3, 20), doc_ids=allowed)
    exact, words = query_terms(query)
    keyword: list[Passage] = []
    if exact:
        keyword += store.keyword_search(exact, k=max(k * 3, 20))
    if words and len(words) <= 6 and store.count("passages") <= KEYWORD_SCAN_MAX_PASSAGES:
        keyword += store.keyword_search(words, k=max(k * 2, 10))
    # Only the documents and facts of the candidates are read, so a search costs the same at
    # any size of knowledge base. Scores do not depend on facts (they only pick the quote), so
    # the candidates are ranked first and facts are read for the top k alone.
    doc_ids = list(dict.fromkeys([p.doc_id for p, _ in semantic] + [p.doc_id for p in keyword]))
    documents = store.documents_by_id(doc_ids)
    top = rank_hits(query, semantic, keyword, documents, [], k=k, allowed=allowed)
    keep = {h.passage_id for h in top}
    facts = store.facts(doc_ids=list(dict.fromkeys(h.doc_id for h in top))) if top else []
    return rank_hits(query, [(p, sim) for p, sim in semantic if p.id in keep],
                     [p for p in keyword if p.id in keep], documents, facts, k=k,
                     allowed=allowed, kind=filters.kind)


# ============================================================================ JSON helpers


def table_json(table: ComparisonTable) -> str:
    return json.dumps(table.model_dump(mode="json"), ensure_ascii=False, indent=2)


def load_table(path: Path) -> ComparisonTable:
    """A table saved as JSON by :func:`kb.export.to_json` (for re-exporting in another format)."""
    return ComparisonTable.model_validate_json(Path(path).read_text(encoding="utf-8"))
