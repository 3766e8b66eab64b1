"""Link documents that report the same trial and merge their facts into trial values.

Contract (``link_trials(documents, facts) -> list[Trial]``):

- Documents are grouped when they share an identity: a registry id (``Document.registry_ids``,
  registry-id facts, or registry ids they cite), a DOI or PMID (their own or one they cite: a news
  page citing ``doi:10.1056/nejmoa2506549`` joins the paper's trial). A document that names several
  trials of the same registry (a review) links only through its own ids, so it never glues trials
  together.
- Documents with no registry id, DOI or PMID in common with anyone join a trial by therapy plus
  design: the same primary therapy and no contradicting phase, and only when exactly one trial fits.
- Facts of one trial are merged into :class:`~kb.models.TrialValue` s per slot (kind, name, label,
  group, unit); each value keeps every fact that reports it. Values of the same slot that differ at a
  compatible timepoint are all kept and marked ``conflict=True`` — never averaged, never dropped.
- Values are ordered for display: human (curated) facts first, then by the best source type
  (registry > paper > summary > news > other, ``SOURCE_RANK``), then by number of sources.
- Trial ids are stable: ``nct:NCT…`` (or another registry id) when known, else ``trial:<hash>`` of
  the group's strongest identity (DOI, PMID, therapy), so adding a document does not rename a trial.

Pure functions over lists: no store, no spaCy. ``trials_for(kb)`` is the thin wrapper.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from kb.models import SOURCE_RANK, Document, Fact, Trial, TrialValue, stable_hash

# Registry id shapes: (prefix, regex). The regex captures the id as it is usually written.
_REGISTRY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("nct", re.compile(r"\bNCT\s?(\d{8})\b", re.I)),
    ("isrctn", re.compile(r"\bISRCTN\s?(\d{6,})\b", re.I)),
    ("chictr", re.compile(r"\bChiCTR[-\s]?([A-Z]{0,3}-?\d{6,})\b", re.I)),
    ("eudract", re.compile(r"\b(\d{4}-\d{6}-\d{2})\b")),
)
# Therapy classes that accompany the studied therapy rather than being it (why: an islet trial
# mentions tacrolimus and insulin in every abstract; they must not decide which trial it is).
_REGISTRIES = ("nct", "isrctn", "chictr", "eudract")
_BACKGROUND_CLASSES = {"immunosuppressant", "placebo", "insulin", "basal insulin", "rapid-acting insulin"}
# Kinds whose name is the value itself.
_NAME_IS_VALUE = {"intervention", "registry_id", "phase"}
_PUNCT_RE = re.compile(r"[^\w%.<>/+-]+")


# ----------------------------------------------------------------------------- identifiers


def registry_key(raw: str) -> str | None:
    """Normalise a registry id ('NCT04786262', 'nct:NCT04786262') to 'nct:NCT04786262'; None if unknown."""
    text = raw.strip()
    prefix, _, body = text.partition(":")
    if body and prefix.lower() in _REGISTRIES:
        text = body
    for prefix, pattern in _REGISTRY_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        body = match.group(1).upper()
        if prefix == "nct":
            return f"nct:NCT{body}"
        if prefix == "isrctn":
            return f"isrctn:ISRCTN{body}"
        if prefix == "chictr":
            return f"chictr:ChiCTR{body}"
        return f"eudract:{body}"
    return None


def id_key(raw: str) -> str | None:
    """Normalise any cited id ('doi:10.1056/NEJMoa…', 'pmid:123', 'NCT…', a bare DOI) to a link key."""
    raw = raw.strip()
    low = raw.lower()
    if low.startswith("doi:") or low.startswith("10."):
        doi = low[4:] if low.startswith("doi:") else low
        doi = re.sub(r"^https?://(dx\.)?doi\.org/", "", doi.strip()).rstrip(".")
        return f"doi:{doi}" if doi else None
    if "doi.org/" in low:
        return "doi:" + low.split("doi.org/", 1)[1].rstrip(".")
    if low.startswith("pmid:"):
        digits = re.sub(r"\D", "", raw[5:])
        return f"pmid:{digits}" if digits else None
    if low.startswith("pmcid:") or low.startswith("pmc"):
        body = raw.split(":", 1)[1] if ":" in raw else raw
        return "pmcid:" + body.upper()
    return registry_key(raw)


def _own_keys(doc: Document, facts: Sequence[Fact]) -> set[str]:
    """Keys that identify this document itself (its DOI, PMID, PMCID, id, registry ids)."""
    keys: set[str] = set()
    if doc.doi:
        keys.add(id_key("doi:" + doc.doi) or "")
    if doc.pmid:
        keys.add(f"pmid:{re.sub(r'[^0-9]', '', doc.pmid)}")
    if doc.pmcid:
        keys.add(id_key("pmcid:" + doc.pmcid) or "")
    if ":" in doc.id:
        keys.add(id_key(doc.id) or "")
    for rid in doc.registry_ids:
        keys.add(registry_key(rid) or "")
    if doc.source_type == "registry":
        for fact in facts:
            if fact.kind == "registry_id":
                keys.add(registry_key(fact.name) or "")
    keys.discard("")
    return keys


def _cited_keys(doc: Document, facts: Sequence[Fact]) -> set[str]:
    """Keys this document points at: its cites and the registry ids its text names."""
    keys = {k for k in (id_key(c) for c in doc.cites) if k}
    for fact in facts:
        if fact.kind == "registry_id" and not fact.negated:
            key = registry_key(fact.name)
            if key:
                keys.add(key)
    return keys


def _is_multi_trial(keys: Iterable[str]) -> bool:
    """A document naming two ids of the same registry reports several trials (a review)."""
    per_registry = Counter(k.split(":", 1)[0] for k in keys if k.split(":", 1)[0] in _REGISTRIES)
    return any(count > 1 for count in per_registry.values())


# ----------------------------------------------------------------------------- therapies


def _therapy_classes() -> dict[str, str]:
    """Generic name -> class from the lexicon, or {} when the lexicon is not available."""
    try:
        from kb.query import load_vocabulary

        vocab = load_vocabulary()
    except Exception:  # noqa: BLE001 - linking must still work without the lexicon data
        return {}
    classes = {name.lower(): str(rec.get("class") or "") for name, rec in vocab.therapy_info.items()}
    # (a therapy named as written, "mycophenolate" for mycophenolate mofetil, keeps its class)
    return {alias: classes[generic.lower()] for alias, generic in vocab.aliases.items() if generic.lower() in classes} | classes


def primary_therapies(facts: Sequence[Fact], classes: dict[str, str] | None = None) -> list[str]:
    """The therapies a document studies, most mentioned first; background drugs only as a fallback."""
    classes = classes if classes is not None else {}
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for fact in facts:
        if fact.kind != "intervention" or fact.negated:
            continue
        name = fact.name.lower().strip()
        counts[name] += 1
        first.setdefault(name, fact.start)
    studied = [n for n in counts if classes.get(n, "") not in _BACKGROUND_CLASSES]
    pool = studied or list(counts)
    return sorted(pool, key=lambda n: (-counts[n], first[n], n))


def _phases(facts: Sequence[Fact]) -> set[str]:
    return {f.name for f in facts if f.kind == "phase" and not f.negated}


# ----------------------------------------------------------------------------- grouping


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {i: i for i in items}

    def find(self, item: str) -> str:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # Deterministic root: the smaller id, so grouping does not depend on input order.
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def _link_keys(doc: Document, facts: Sequence[Fact]) -> set[str]:
    """Ids through which a (single-trial) document links to others: its own ids and its cites."""
    return _own_keys(doc, facts) | _cited_keys(doc, facts)


def is_multi_trial(doc: Document, facts: Sequence[Fact]) -> bool:
    """A document that names two ids of one registry (an overview, a review) reports several trials."""
    return _is_multi_trial(_link_keys(doc, facts))


def group_documents(documents: Sequence[Document], facts: Sequence[Fact],
                    classes: dict[str, str] | None = None) -> list[list[Document]]:
    """Single-trial documents grouped by the trial they report (rules in the module docstring).

    Multi-trial documents (``is_multi_trial``) are left out: their facts are attributed sentence by
    sentence in :func:`link_trials`, so an overview never glues trials together.
    """
    classes = classes if classes is not None else _therapy_classes()
    by_doc: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_doc[fact.doc].append(fact)
    docs = {d.id: d for d in documents if not is_multi_trial(d, by_doc[d.id])}
    uf = _UnionFind(docs)

    link_keys = {doc.id: _link_keys(doc, by_doc[doc.id]) for doc in docs.values()}
    owner: dict[str, str] = {}
    for doc_id in sorted(link_keys):
        for key in sorted(link_keys[doc_id]):
            if key in owner:
                uf.union(owner[key], doc_id)
            else:
                owner[key] = doc_id

    # Therapy + design: documents not anchored by any shared id join the single trial that fits.
    groups: dict[str, list[str]] = defaultdict(list)
    for doc_id in sorted(docs):
        groups[uf.find(doc_id)].append(doc_id)

    def group_profile(members: list[str]) -> tuple[set[str], set[str]]:
        therapies: set[str] = set()
        phases: set[str] = set()
        for m in members:
            top = primary_therapies(by_doc[m], classes)
            if top:
                therapies.add(top[0])
            phases |= _phases(by_doc[m])
        return therapies, phases

    profiles = {root: group_profile(members) for root, members in groups.items()}
    anchored = {root for root, members in groups.items()
                if any(link_keys[m] for m in members)}
    for root in sorted(groups):
        if root in anchored or not profiles[root][0]:
            continue
        therapies, phases = profiles[root]
        fits = [other for other in sorted(anchored)
                if profiles[other][0] & therapies
                and (not phases or not profiles[other][1] or phases & profiles[other][1])]
        if len(fits) == 1:
            uf.union(fits[0], root)
    # Unanchored groups about the same therapy (two news pages on one approval) form one trial.
    loose: dict[str, list[str]] = defaultdict(list)
    for root in sorted(groups):
        if root not in anchored and uf.find(root) == root and profiles[root][0]:
            loose[min(profiles[root][0])].append(root)
    for roots in loose.values():
        for other in roots[1:]:
            if not (profiles[roots[0]][1] and profiles[other][1]) or \
                    profiles[roots[0]][1] & profiles[other][1]:
                uf.union(roots[0], other)

    final: dict[str, list[Document]] = defaultdict(list)
    for doc_id in sorted(docs):
        final[uf.find(doc_id)].append(docs[doc_id])
    return [final[root] for root in sorted(final)]


# ----------------------------------------------------------------------------- values

_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30.4375, "year": 365.25}


def timepoint_days(timepoint: str | None) -> float | None:
    """'day 365', '1 year', 'one year', '12 months', 'week 52' -> days (rounded); None if unparseable."""
    if not timepoint:
        return None
    text = timepoint.lower()
    for word, num in _WORD_NUMBERS.items():
        text = re.sub(rf"\b{word}\b", str(num), text)
    match = re.search(r"(\d+(?:\.\d+)?)\s*-?\s*(day|week|month|year)s?", text) or \
        re.search(r"(day|week|month|year)s?\s*(\d+(?:\.\d+)?)", text)
    if not match:
        return None
    a, b = match.groups()
    number, unit = (float(a), b) if a[0].isdigit() else (float(b), a)
    # 'day 365', '1 year', '12 months' and '52 weeks' land within a week of each other: callers
    # compare with a tolerance (timepoints_compatible), not for equality.
    return round(number * _UNIT_DAYS[unit], 1)


def _norm_text(text: str | None) -> str | None:
    if text is None:
        return None
    out = _PUNCT_RE.sub(" ", text.lower()).strip()
    out = re.sub(r"^(the|in|at|of)\s+", "", out)
    return re.sub(r"\s+", " ", out) or None


def timepoints_compatible(a: str | None, b: str | None) -> bool:
    """Two timepoints may describe the same measurement (unknown is compatible with anything)."""
    if a is None or b is None:
        return True
    if (a.strip().lower() == "baseline") != (b.strip().lower() == "baseline"):
        return False
    da, db = timepoint_days(a), timepoint_days(b)
    if da is not None and db is not None:
        return abs(da - db) <= max(7.0, 0.05 * max(da, db))
    return _norm_text(a) == _norm_text(b)


def slot_key(fact: Fact) -> tuple[Any, ...]:
    """What a value is a value *of*: facts with the same slot key report the same attribute."""
    name = fact.label.lower() if fact.name == "other" and fact.label else fact.name
    if fact.kind in {"phase"}:
        name = fact.kind  # the name is the value: two phases of one trial disagree
    unit = fact.unit
    if fact.kind == "adverse_event":
        unit = None  # '3 participants' and '21%' of the same event are one attribute
    # The group is not part of the slot: one source says "parts B and C", another says nothing
    # about the arm; fact_agrees treats a missing group as compatible with any.
    return (fact.kind, name, fact.negated, unit,
            fact.serious if fact.kind == "adverse_event" else None)


def _same_number(a: float | int | None, b: float | int | None) -> bool | None:
    """True/False when both are known; None (no evidence) when either is missing."""
    if a is None or b is None:
        return None
    return abs(float(a) - float(b)) <= max(1e-9, 0.01 * max(abs(float(a)), abs(float(b))))


def fact_agrees(value: TrialValue, fact: Fact) -> bool:
    """A fact reports this value: numbers agree where both are known and timepoints are compatible."""
    if not timepoints_compatible(value.timepoint, fact.timepoint):
        return False
    if value.group and fact.group and _norm_text(value.group) != _norm_text(fact.group):
        # Two sources may name one arm differently ("parts B and C" / "the full dose"): the same
        # number from another document joins; within one document a new label is another arm.
        if fact.doc in {f.doc for f in value.facts} or value.value is None or fact.value is None:
            return False
    checks = [_same_number(value.value, fact.value), _same_number(value.n, fact.n),
              _same_number(value.denominator, fact.denominator)]
    if any(c is False for c in checks):
        return False
    if fact.comparator != value.comparator and fact.value is not None and value.value is not None:
        return False
    if value.kind in _NAME_IS_VALUE:
        return value.name == fact.name
    # Facts without numbers ('no deaths') agree; a number and no number do too (a vaguer restatement).
    return True


def fact_rank(fact: Fact, source_types: dict[str, str]) -> tuple[int, int, float]:
    """Sort key for authority: human first, then source type, then method, then confidence."""
    human = 0 if fact.method == "human" else 1
    source = SOURCE_RANK.get(source_types.get(fact.doc, "other"), len(SOURCE_RANK))
    if fact.method == "registry":
        source = min(source, SOURCE_RANK["registry"])
    return (human, source, -(fact.confidence if fact.confidence is not None else 0.5))


def merge_values(facts: Sequence[Fact], source_types: dict[str, str]) -> list[TrialValue]:
    """Merge one trial's facts into values: one per distinct value per slot, sources kept, conflicts flagged."""
    by_slot: dict[tuple[Any, ...], list[Fact]] = defaultdict(list)
    for fact in facts:
        by_slot[slot_key(fact)].append(fact)
    out: list[TrialValue] = []
    for key in sorted(by_slot, key=lambda k: tuple("" if x is None else str(x) for x in k)):
        # Authoritative, most complete facts seed the values; vaguer ones join them.
        ordered = sorted(by_slot[key], key=lambda f: (
            fact_rank(f, source_types),
            -sum(x is not None for x in (f.value, f.n, f.denominator, f.timepoint)),
            f.doc, f.start, f.fact_id))
        values: list[TrialValue] = []
        for fact in ordered:
            target = next((v for v in values if fact_agrees(v, fact)), None)
            if target is None:
                values.append(TrialValue(
                    kind=fact.kind, name=fact.name, group=fact.group, value=fact.value,
                    unit=fact.unit, comparator=fact.comparator, n=fact.n,
                    denominator=fact.denominator, timepoint=fact.timepoint, facts=[fact]))
                continue
            target.facts.append(fact)
            # Fill what the first fact left open (a news '83%' joins the paper's '10 of 12').
            for attr in ("value", "unit", "n", "denominator", "timepoint", "group"):
                if getattr(target, attr) is None and getattr(fact, attr) is not None:
                    setattr(target, attr, getattr(fact, attr))
        _flag_conflicts(values)
        values.sort(key=lambda v: (min(fact_rank(f, source_types) for f in v.facts),
                                   -len({f.doc for f in v.facts})))
        out.extend(values)
    return out


def _flag_conflicts(values: list[TrialValue]) -> None:
    """Values of one slot for the same group at a compatible timepoint that differ are a conflict
    (both are flagged). Values of different arms (14 overall vs 12 in parts B and C) are not."""
    if values and values[0].kind in {"intervention", "registry_id"}:
        return  # several interventions or ids of one trial are not a disagreement
    for i, a in enumerate(values):
        for b in values[i + 1:]:
            if a.denominator and b.denominator and a.denominator != b.denominator:
                continue  # proportions of different populations (5/16 vs 21/36), not a dispute
            if _norm_text(a.group) == _norm_text(b.group) and \
                    timepoints_compatible(a.timepoint, b.timepoint):
                a.conflict = b.conflict = True


# ----------------------------------------------------------------------------- trials


def _trial_id(members: Sequence[Document], facts: Sequence[Fact], therapies: list[str]) -> tuple[str, list[str]]:
    """Stable id + registry ids: the registry id most documents name, preferring NCT."""
    counts: Counter[str] = Counter()
    for doc in members:
        doc_facts = [f for f in facts if f.doc == doc.id]
        own = _own_keys(doc, doc_facts)
        cited = _cited_keys(doc, doc_facts)
        keys = own if _is_multi_trial(cited) else own | cited
        for key in keys:
            if key.split(":", 1)[0] in _REGISTRIES:
                # A registry record's own id counts most: it *is* the trial.
                counts[key] += 10 if doc.source_type == "registry" and key in own else 1
    registry = sorted(counts, key=lambda k: (k.split(":")[0] != "nct", -counts[k], k))
    if registry:
        return registry[0], registry
    anchors: list[str] = []
    for doc in members:
        anchors += sorted(k for k in _own_keys(doc, []) if k.startswith(("doi:", "pmid:")))
    for doc in members:
        anchors += sorted(k for k in (id_key(c) for c in doc.cites) if k and k.startswith("doi:"))
    if anchors:
        return "trial:" + stable_hash(sorted(anchors)[0], length=12), []
    if therapies:
        return "trial:" + stable_hash("therapy", therapies[0], length=12), []
    return "trial:" + stable_hash(sorted(d.id for d in members)[0], length=12), []


def link_trials(documents: Sequence[Document], facts: Sequence[Fact]) -> list[Trial]:
    """Documents + their facts (text facts and ``Document.facts``) -> trials with merged values.

    ``facts`` may or may not already contain each document's ``Document.facts``; duplicates (same
    fact_id) are merged. Documents with no facts still form (or join) a trial so they can be listed.
    """
    seen: dict[str, Fact] = {}
    for fact in list(facts) + [f for d in documents for f in d.facts]:
        seen.setdefault(fact.fact_id, fact)
    known = {d.id for d in documents}
    all_facts = [f for f in seen.values() if f.doc in known]
    classes = _therapy_classes()
    source_types = {d.id: d.source_type for d in documents}
    by_doc: dict[str, list[Fact]] = defaultdict(list)
    for fact in all_facts:
        by_doc[fact.doc].append(fact)

    groups = group_documents(documents, all_facts, classes)
    reviews = [d for d in documents if is_multi_trial(d, by_doc[d.id])]
    extra = _attribute_review_facts(groups, reviews, by_doc, classes)

    trials: list[Trial] = []
    used_ids: Counter[str] = Counter()
    for index, members in enumerate(groups):
        member_facts = [f for d in members for f in by_doc[d.id]]
        counts: Counter[str] = Counter()
        for doc in members:
            for rank, name in enumerate(primary_therapies(by_doc[doc.id], classes)):
                counts[name] += 3 if rank == 0 else 1
        therapies = sorted(counts, key=lambda n: (-counts[n], n))
        trial_id, registry_ids = _trial_id(members, member_facts, therapies)
        used_ids[trial_id] += 1
        if used_ids[trial_id] > 1:  # two unlinked groups naming one id: keep both, distinct ids
            trial_id = f"{trial_id}~{used_ids[trial_id]}"
        best = sorted(members, key=lambda d: (SOURCE_RANK.get(d.source_type, 9), d.id))
        review_facts = extra.get(index, [])
        review_ids = sorted({f.doc for f in review_facts})
        trials.append(Trial(
            id=trial_id,
            title=next((d.title for d in best if d.title), ""),
            therapies=therapies,
            registry_ids=registry_ids,
            doc_ids=[d.id for d in best] + review_ids,
            values=merge_values(member_facts + review_facts, source_types),
        ))
    return sorted(trials, key=lambda t: (t.therapies[:1] or ["~"], t.id))


_DOI_RE = re.compile(r"\b10\.\d{4,9}/[^\s,;()]+", re.I)


def _attribute_review_facts(groups: Sequence[Sequence[Document]], reviews: Sequence[Document],
                            by_doc: dict[str, list[Fact]],
                            classes: dict[str, str]) -> dict[int, list[Fact]]:
    """Facts of multi-trial documents -> the one trial their sentence names (by registry id, DOI or
    therapy); facts whose sentence names no trial, or several, are left out of every trial."""
    if not reviews:
        return {}
    key_owner: dict[str, set[int]] = defaultdict(set)
    therapy_owner: dict[str, set[int]] = defaultdict(set)
    for index, members in enumerate(groups):
        for doc in members:
            for key in _link_keys(doc, by_doc[doc.id]):
                key_owner[key].add(index)
            top = primary_therapies(by_doc[doc.id], classes)
            if top:
                therapy_owner[top[0]].add(index)
    out: dict[int, list[Fact]] = defaultdict(list)
    for doc in reviews:
        facts = by_doc[doc.id]
        by_quote: dict[tuple[int, int], list[Fact]] = defaultdict(list)
        for fact in facts:
            by_quote[(fact.start, fact.end)].append(fact)
        for span_facts in by_quote.values():
            quote = span_facts[0].quote
            keys = {k for k in (registry_key(m.group(0)) for m in re.finditer(
                r"\b(?:NCT\s?\d{8}|ISRCTN\s?\d{6,}|ChiCTR[-\w]*\d{6,})\b", quote, re.I)) if k}
            keys |= {k for k in (id_key(m.group(0)) for m in _DOI_RE.finditer(quote)) if k}
            keys |= {registry_key(f.name) or "" for f in span_facts if f.kind == "registry_id"} - {""}
            targets: set[int] = set()
            for key in keys:
                targets |= key_owner.get(key, set())
            if not targets:
                for fact in span_facts:
                    if fact.kind == "intervention":
                        targets |= therapy_owner.get(fact.name.lower(), set())
            if len(targets) == 1:
                out[targets.pop()].extend(span_facts)
    return out


def trials_for(kb: Any) -> list[Trial]:
    """Thin wrapper: the knowledge base's documents and curated facts -> trials ([] when empty)."""
    from kb.query import EmptyKnowledgeBase, load_records

    try:
        return load_records(kb).trials()
    except EmptyKnowledgeBase:
        return []
