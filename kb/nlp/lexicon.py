"""The project's vocabularies, read from data files in kb/nlp/lexicons and kb/nlp/patterns.

Contract: every function returns a fresh copy of cached data (callers may mutate it);
names are lower case; the data files are the single place to add a therapy, outcome name,
adverse-event term or outcome pattern.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
PATTERN_DIR = Path(__file__).resolve().parent / "patterns"


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{lineno}: invalid JSON line: {exc}") from exc
    return rows


@lru_cache(maxsize=1)
def _therapies() -> tuple[dict[str, Any], ...]:
    return tuple(_read_jsonl(LEXICON_DIR / "therapies.jsonl"))


def therapy_info() -> dict[str, dict[str, Any]]:
    """Generic name -> {id, aliases, sponsor, cell_source, immunosuppression, class, ...}."""
    return {row["name"]: copy.deepcopy(row) for row in _therapies()}


def therapy_aliases() -> dict[str, str]:
    """Lower-case alias (and the generic name itself) -> generic name ('vx-880' -> 'zimislecel')."""
    out: dict[str, str] = {}
    for row in _therapies():
        out[row["name"].lower()] = row["name"]
        for alias in row.get("aliases", []):
            out[alias.lower()] = row["name"]
    return out


@lru_cache(maxsize=1)
def _outcomes() -> dict[str, dict[str, Any]]:
    return json.loads((LEXICON_DIR / "outcomes.json").read_text(encoding="utf-8"))


def outcome_vocabulary() -> dict[str, dict[str, Any]]:
    """Outcome name -> {description, synonyms, unit, type} (type: proportion|level|change|count|other)."""
    return copy.deepcopy(_outcomes())


@lru_cache(maxsize=1)
def _adverse_events() -> dict[str, list[str]]:
    return json.loads((LEXICON_DIR / "adverse_events.json").read_text(encoding="utf-8"))


def adverse_event_terms() -> dict[str, str]:
    """Lower-case term as written -> canonical adverse-event name (singular, lower case)."""
    out: dict[str, str] = {}
    for canonical, terms in _adverse_events().items():
        for term in (canonical, *terms):
            term = term.lower()
            out.setdefault(term, canonical)
            # Plurals are regular in this vocabulary ("infections", "episodes", "deaths").
            if term.endswith("y") and not term.endswith(("ay", "ey", "oy")):
                out.setdefault(term[:-1] + "ies", canonical)
            elif not term.endswith("s"):
                out.setdefault(term + "s", canonical)
    return out


@lru_cache(maxsize=8)
def _patterns(name: str) -> tuple[dict[str, Any], ...]:
    return tuple(_read_jsonl(PATTERN_DIR / f"{name}.jsonl"))


def patterns(name: str) -> list[dict[str, Any]]:
    """Rows of kb/nlp/patterns/<name>.jsonl, each with an 'id' (the rule id a fact reports)."""
    return [dict(row) for row in _patterns(name)]
