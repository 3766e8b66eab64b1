"""Cached reads for the pages, all keyed by the knowledge base (``state.kb_key``).

Pages call these instead of the library directly so that one rerun never reads the store twice
and so that ``state.clear_caches()`` after a write (ingest, curation) is the only invalidation.
Values returned are kb.models / library records (pickled by ``st.cache_data``), never Chroma
dicts. The vocabulary (therapies, outcomes) is what the knowledge base actually holds, labelled
from the lexicon where it knows the name.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from kb.models import Document, Fact, Trial
from kb.ui.state import current_settings, get_kb, kb_key


def _key() -> str:
    return kb_key()


# --- documents and facts ---------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=8)
def _documents(key: str) -> dict[str, Document]:
    return {d.id: d for d in get_kb().documents()}


def documents() -> dict[str, Document]:
    """Every stored document by id (text included, ``facts`` empty)."""
    return _documents(_key())


def document(doc_id: str) -> Document | None:
    return documents().get(doc_id)


@st.cache_data(show_spinner=False, max_entries=8)
def _curated(key: str):
    from kb.curation import CurationLog, apply_curation

    facts = get_kb().facts()
    decisions = CurationLog(current_settings().curation_file).decisions()
    return apply_curation(facts, decisions, list(_documents(key).values()))


def curated():
    """``kb.curation.CuratedFacts``: facts as a reader sees them (decisions applied) + status."""
    return _curated(_key())


def facts() -> list[Fact]:
    return curated().facts


def status_of(fact: Fact) -> str:
    """verified / corrected / unreviewed / rejected for one fact."""
    return curated().status_of(fact).status


@st.cache_data(show_spinner=False, max_entries=8)
def _trials(key: str) -> list[Trial]:
    return list(get_kb().trials())


def trials() -> list[Trial]:
    """Linked trials (kb.trials), curated facts merged, disagreements kept."""
    return _trials(_key())


def trial(trial_id: str) -> Trial | None:
    return next((t for t in trials() if t.id == trial_id), None)


def trial_of_doc(doc_id: str) -> Trial | None:
    return next((t for t in trials() if doc_id in t.doc_ids), None)


# --- vocabulary ------------------------------------------------------------------------------


def outcome_labels() -> dict[str, str]:
    """Outcome name -> readable label ('insulin_independence' -> 'insulin independence')."""
    try:
        from kb.nlp.lexicon import outcome_vocabulary

        vocab = outcome_vocabulary()
    except Exception:  # noqa: BLE001 - the labels are cosmetic
        vocab = {}
    return {name: name.replace("_", " ") for name in vocab}


@st.cache_data(show_spinner=False, max_entries=8)
def _vocabulary(key: str) -> dict[str, list]:
    fs = _curated(key).facts
    therapies = sorted({f.name for f in fs if f.kind == "intervention"})
    outcomes = sorted({f.name for f in fs if f.kind == "outcome" and f.name != "other"})
    years = sorted({d.year for d in _documents(key).values() if d.year})
    source_types = sorted({d.source_type for d in _documents(key).values()})
    return {"therapies": therapies, "outcomes": outcomes, "years": years, "source_types": source_types}


def vocabulary() -> dict[str, list]:
    """What the knowledge base holds: therapies, outcomes, years, source types (sorted)."""
    return _vocabulary(_key())


# --- query -----------------------------------------------------------------------------------


@st.cache_data(show_spinner="Searching…", max_entries=64)
def _search(key: str, query: str, k: int, filters_json: str) -> list[Any]:
    from kb import query as q

    filters = None
    if filters_json:
        filters = q.SearchFilters.model_validate_json(filters_json)
    return list(q.search(get_kb(), query, k=k, filters=filters))


def search(query: str, k: int = 10, filters: Any = None) -> list[Any]:
    """kb.query.search, cached per (query, k, filters)."""
    return _search(_key(), query, k, filters.model_dump_json() if filters is not None else "")


@st.cache_data(show_spinner="Building the comparison…", max_entries=64)
def _compare(key: str, question: str | None, therapies: tuple[str, ...], outcomes: tuple[str, ...]):
    from kb import query as q

    return q.compare(get_kb(), question or None, therapies=list(therapies) or None,
                     outcomes=list(outcomes) or None)


def compare(question: str | None, therapies: list[str] | None, outcomes: list[str] | None):
    """kb.query.compare, cached per selection."""
    return _compare(_key(), (question or "").strip() or None, tuple(therapies or ()),
                    tuple(outcomes or ()))
