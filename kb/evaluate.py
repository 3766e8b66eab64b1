"""Score the extractor against gold files, by the rules of shared/spec/FACTS.md.

Gold file: ``{"doc", "text_file", "facts": [...]}`` plus an optional ``"text_field"``: when
set, ``text_file`` is a JSON object and the text is that field (e.g. a PubMed sample's
``"abstract"``). ``text_file`` is resolved against the gold file's folder, then the repository
root (so ``../shared/seeds/...`` works from ``tests/gold``).

Matching (FACTS.md): a predicted fact matches a gold fact of the same ``kind`` and ``name``
(adverse events: same words, singular, lower case, British/American spelling folded) whose
number agrees (value within 1 %, or the same ``n``/``denominator``); a gold fact that states
``negated`` must agree on it, and a difference (``contrast``) never matches a within-arm value
or the reverse. Precision counts predicted facts matching no gold fact as false positives (a
restatement of a matched fact is not one); recall counts required (non-``optional``) gold
facts nothing matched. Arm attribution is scored apart: of the matched gold facts that have a
``group``, how many were predicted with the same group.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kb.models import FACT_KINDS, Fact
from kb.settings import PROJECT_ROOT


class GoldError(ValueError):
    """A gold file that cannot be read; the message names the file and the problem."""


class Score(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tp: int = Field(0, description="predicted facts that match a gold fact (incl. restatements)")
    fp: int = Field(0, description="predicted facts matching no gold fact")
    gold: int = Field(0, description="required gold facts")
    found: int = Field(0, description="required gold facts matched")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if (self.tp + self.fp) else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if (p + r) else 0.0


class Miss(BaseModel):
    model_config = ConfigDict(extra="forbid")
    doc: str
    kind: str
    description: str
    quote: str | None = None


class EvalReport(BaseModel):
    """Per-kind and overall scores, arm attribution, and the misses / false positives."""

    model_config = ConfigDict(extra="forbid")
    documents: int = 0
    per_kind: dict[str, Score] = Field(default_factory=dict)
    overall: Score = Field(default_factory=Score)
    arm_total: int = 0
    arm_correct: int = 0
    misses: list[Miss] = Field(default_factory=list)
    false_positives: list[Miss] = Field(default_factory=list)
    wrong_arms: list[Miss] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list, description="gold files that could not be scored")

    @property
    def arm_accuracy(self) -> float:
        return self.arm_correct / self.arm_total if self.arm_total else 1.0

    def format(self, verbose: bool = False) -> str:
        lines = [f"{'kind':<16} {'prec':>6} {'recall':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'found':>5} {'gold':>5}"]
        for kind, sc in sorted(self.per_kind.items()):
            lines.append(f"{kind:<16} {sc.precision:6.3f} {sc.recall:6.3f} {sc.f1:6.3f} {sc.tp:5d} {sc.fp:5d} {sc.found:5d} {sc.gold:5d}")
        o = self.overall
        lines.append(f"{'OVERALL':<16} {o.precision:6.3f} {o.recall:6.3f} {o.f1:6.3f} {o.tp:5d} {o.fp:5d} {o.found:5d} {o.gold:5d}")
        lines.append(f"arm attribution: {self.arm_correct}/{self.arm_total} = {self.arm_accuracy:.3f}   documents: {self.documents}")
        for err in self.errors:
            lines.append(f"ERROR {err}")
        if verbose:
            for title, items in (("MISS", self.misses), ("FALSE POSITIVE", self.false_positives), ("WRONG ARM", self.wrong_arms)):
                for m in items:
                    lines.append(f"{title}: [{m.doc}] {m.description}")
                    if m.quote:
                        lines.append(f"    quote: {m.quote[:160]}")
        return "\n".join(lines)


# ----------------------------------------------------------------------------- normalisation
_SPELLING = (("haem", "hem"), ("aemia", "emia"), ("oea", "ea"), ("oede", "ede"), ("oesoph", "esoph"), ("paenia", "penia"), ("isation", "ization"))


def normalize_ae(name: str) -> str:
    """Adverse-event names compare as lower case, singular, US spelling; "serious infection" is
    "infection" marked serious (annotators write it both ways)."""
    t = " ".join(re.sub(r"[-–—]", " ", name.lower()).split())  # "Epstein–Barr" is "Epstein-Barr"
    if t.startswith("serious ") and not t.startswith("serious adverse"):
        t = t.removeprefix("serious ")
    for a, b in _SPELLING:
        t = t.replace(a, b)
    words = t.split(" ")
    last = words[-1]
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 3:
        last = last[:-1]
    words[-1] = last
    return " ".join(words)


_GROUP_STOP = {"the", "group", "groups", "arm", "arms", "cohort", "dose", "doses", "in", "with", "on", "of"}


def normalize_group(group: str | None) -> frozenset[str]:
    if not group:
        return frozenset()
    t = re.sub(r"(\d)\s*-\s*(mg)", r"\1 \2", group.lower())
    t = re.sub(r"(\d)·(\d)", r"\1.\2", t)  # the Lancet's mid-dot decimal: "0·6 mg" is "0.6 mg"
    t = re.sub(r"[-–—,/()]", " ", t).replace(" and ", " ")  # ("2001–2008" is "2001-2008")
    t = re.sub(r"\b(\d+)\.0\b", r"\1", t)  # "1.0 mg" is "1 mg"
    return frozenset(w for w in t.split() if w not in _GROUP_STOP)


def same_group(gold: str | None, pred: str | None) -> bool:
    g, p = normalize_group(gold), normalize_group(pred)
    if not g or not p:
        return g == p
    return g <= p or p <= g


def _name_key(kind: str, name: str) -> str:
    if kind == "adverse_event":
        return normalize_ae(name)
    if kind in ("intervention", "dose"):
        # "insulin efsitora alfa" is "efsitora alfa", "insulin icodec" is "icodec": the class word of an
        # insulin's generic name is dropped as often as it is written
        t = re.sub(r"^insulin (?=\w)", "", name.lower())
        for a, b in _SPELLING:
            t = t.replace(a, b)  # "haematopoietic" is "hematopoietic"
        return re.sub(r"[\s-]", "", t)  # "antithymocyte globulin" is "anti-thymocyte globulin"
    return name.strip().lower()


def _number_agrees(gold: dict[str, Any], pred: Fact) -> bool:
    gv, gn, gd = gold.get("value"), gold.get("n"), gold.get("denominator")
    if gv is None and gn is None and gd is None:
        return True
    if pred.negated and pred.value is None and pred.n is None and gv in (None, 0) and gn in (None, 0):
        return True  # "No patient died": a gold count of zero is the negated event
    if gv is not None and pred.value is not None:
        if gv == 0:
            if pred.value == 0:
                return True
        elif abs(pred.value - gv) <= 0.01 * abs(gv) + 1e-9:
            return True
    if gn is not None and pred.n == gn and (gd is None or pred.denominator in (gd, None)):
        if gd is not None and pred.denominator == gd:
            return True
        if gv is None or pred.value is None:
            return True
    return False


# Outcome names the project added to FACTS.md's vocabulary (as FACTS.md invites): an annotator who
# keeps to the listed names writes the same fact as `other`, labelled with the measure.
_ADDED_OUTCOME_LABELS = {"fasting_glucose": re.compile(r"\bfasting (?:plasma |serum |blood |capillary )?glucose\b|\bFPG\b", re.I)}


def _same_name(gold: dict[str, Any], pred: Fact) -> bool:
    if _name_key(pred.kind, gold.get("name", "")) == _name_key(pred.kind, pred.name):
        return True
    label = _ADDED_OUTCOME_LABELS.get(pred.name) if pred.kind == "outcome" and gold.get("name") == "other" else None
    return bool(label and label.search(gold.get("label") or ""))


def fact_matches(gold: dict[str, Any], pred: Fact) -> bool:
    """FACTS.md matching of one predicted fact against one gold fact."""
    if gold.get("kind") != pred.kind:
        return False
    if not _same_name(gold, pred):
        return False
    # A number settles it: "none of the 9 became insulin independent" is 0 of 9 whether or not it
    # is also flagged negated; without a number the flag is the whole claim ("no deaths").
    numeric = (gold.get("value") is not None or gold.get("n") is not None) and (pred.value is not None or pred.n is not None)
    if not numeric and bool(gold.get("negated", False)) != pred.negated:
        return False
    if pred.kind == "outcome" and bool(gold.get("contrast")) != bool(pred.contrast):
        return False
    return _number_agrees(gold, pred)


# ----------------------------------------------------------------------------- loading
def load_gold(path: Path) -> tuple[dict[str, Any], str]:
    """The gold record and its document text; GoldError names the file and the problem."""
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path}: not a readable JSON gold file: {exc}") from exc
    if not isinstance(gold, dict) or "doc" not in gold or "text_file" not in gold or not isinstance(gold.get("facts"), list):
        raise GoldError(f"{path}: a gold file needs 'doc', 'text_file' and a 'facts' list")
    rel = Path(gold["text_file"])
    candidates = [rel] if rel.is_absolute() else [path.parent / rel, PROJECT_ROOT / rel, Path.cwd() / rel]
    text_path = next((c for c in candidates if c.is_file()), None)
    if text_path is None:
        raise GoldError(f"{path}: text_file {gold['text_file']!r} not found (tried {', '.join(str(c) for c in candidates)})")
    raw = text_path.read_text(encoding="utf-8")
    field = gold.get("text_field")
    if field:
        try:
            text = json.loads(raw)[field]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise GoldError(f"{path}: text_field {field!r} not found in {text_path}") from exc
        if not isinstance(text, str):
            raise GoldError(f"{path}: text_field {field!r} in {text_path} is not a string")
    else:
        text = raw
    for i, fact in enumerate(gold["facts"]):
        if not isinstance(fact, dict) or fact.get("kind") not in FACT_KINDS or not fact.get("name"):
            raise GoldError(f"{path}: fact {i} needs a known 'kind' and a 'name'")
    return gold, text


def gold_files(gold_dir: Path) -> list[Path]:
    return sorted(p for p in Path(gold_dir).glob("*.json") if p.is_file())


# ----------------------------------------------------------------------------- scoring
def _describe(f: dict[str, Any] | Fact) -> str:
    d = f if isinstance(f, dict) else f.model_dump()
    parts = [f"{d.get('kind')}:{d.get('name')}"]
    for key in ("value", "unit", "n", "denominator", "group", "contrast", "timepoint"):
        if d.get(key) is not None:
            parts.append(f"{key}={d[key]}")
    if d.get("negated"):
        parts.append("negated")
    if not isinstance(f, dict) and f.rule:
        parts.append(f"rule={f.rule}")
    return " ".join(parts)


def score_document(report: EvalReport, gold: dict[str, Any], preds: list[Fact]) -> None:
    """Add one document's counts to ``report``."""
    doc = gold["doc"]
    golds = gold["facts"]
    matched_by: dict[int, list[Fact]] = {}
    for pred in preds:
        sc = report.per_kind.setdefault(pred.kind, Score())
        cands = [i for i, g in enumerate(golds) if fact_matches(g, pred)]
        if not cands:
            sc.fp += 1
            report.false_positives.append(Miss(doc=doc, kind=pred.kind, description=_describe(pred), quote=pred.quote))
            continue
        sc.tp += 1
        # Prefer an unmatched gold fact with the same arm: one prediction covers one gold fact.
        cands.sort(key=lambda i: (not same_group(golds[i].get("group"), pred.group), i in matched_by))
        matched_by.setdefault(cands[0], []).append(pred)
    for i, g in enumerate(golds):
        kind = g["kind"]
        sc = report.per_kind.setdefault(kind, Score())
        if g.get("optional"):
            continue
        sc.gold += 1
        if i in matched_by:
            sc.found += 1
        else:
            report.misses.append(Miss(doc=doc, kind=kind, description=_describe(g)))
    for i, preds_i in matched_by.items():
        g = golds[i]
        if g.get("group"):
            report.arm_total += 1
            if any(same_group(g["group"], p.group) for p in preds_i):
                report.arm_correct += 1
            else:
                report.wrong_arms.append(Miss(doc=doc, kind=g["kind"], description=f"{_describe(g)} predicted group={preds_i[0].group!r}", quote=preds_i[0].quote))


def evaluate(gold_dir: Path, verbose: bool = False, extractor: Callable[[str, str], list[Fact]] | None = None) -> EvalReport:
    """Run the extractor on every gold file in ``gold_dir`` (not recursive) and score it.

    A gold file that cannot be read is reported in ``errors`` and skipped; the rest are scored.
    ``verbose`` only affects ``EvalReport.format``'s default use by the CLI; the lists of misses
    and false positives are always filled.
    """
    if extractor is None:
        from kb.extract import extract_text

        extractor = extract_text
    report = EvalReport()
    for path in gold_files(Path(gold_dir)):
        try:
            gold, text = load_gold(path)
        except GoldError as exc:
            report.errors.append(str(exc))
            continue
        report.documents += 1
        score_document(report, gold, extractor(text, gold["doc"]))
    total = Score()
    for sc in report.per_kind.values():
        total.tp += sc.tp
        total.fp += sc.fp
        total.gold += sc.gold
        total.found += sc.found
    report.overall = total
    return report
