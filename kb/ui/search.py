"""Search page: a query box and filters (therapy, outcome, fact kind, source type, year) over
``kb.query.search``; each hit shows its best sentence highlighted inside its passage (escaped),
its document, links to the source, and the facts read from that sentence.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kb.models import FACT_KINDS
from kb.ui import data, downloads, evidence, nav_links, present, state

RESULTS = 10


def build_filters(therapy: str | None, outcome: str | None, kind: str | None,
                  source_type: str | None, years: tuple[int, int] | None,
                  year_bounds: tuple[int, int] | None):
    """SearchFilters from the widgets; a year range equal to the full span is no filter."""
    from kb.query import SearchFilters

    year_from = year_to = None
    if years and year_bounds and tuple(years) != tuple(year_bounds):
        year_from, year_to = int(years[0]), int(years[1])
    return SearchFilters(therapy=therapy or None, outcome=outcome or None, kind=kind or None,
                         source_type=source_type or None, year_from=year_from, year_to=year_to)


def hits_frame(hits: list[Any]) -> tuple[pd.DataFrame, list[dict]]:
    """Search hits flat for CSV/XLSX, and as records for JSON (provenance on every row)."""
    rows = []
    for rank, h in enumerate(hits, 1):
        doc = data.document(h.doc_id)
        links = present.source_links(doc, doc_id=h.doc_id)
        rows.append({
            "rank": rank, "score": h.score, "document": h.doc_id, "title": h.title,
            "source_type": h.source_type, "year": h.year, "quote": h.quote,
            "quote_start": h.doc_start, "quote_end": h.doc_end,
            "facts": "; ".join(present.fact_summary(f) for f in h.facts),
            "link": links[0][1] if links else "",
        })
    return pd.DataFrame(rows), rows


def show_hit(rank: int, hit: Any) -> None:
    with st.container(border=True):
        via = {"both": "meaning + keywords", "semantic": "meaning", "keyword": "keywords"}.get(hit.via, hit.via)
        evidence.source_header(hit.doc_id)
        inner = present.highlight(hit.passage, hit.quote_start, hit.quote_end)
        st.html(present.passage_html(inner))
        bits = [f"#{rank}", f"score {hit.score:.2f}", f"found by {via}"]
        if hit.matched:
            bits.append("matched: " + ", ".join(hit.matched))
        st.caption(" · ".join(bits))
        if hit.facts:
            st.html("<div style='font-size:0.9rem'><b>Facts in this sentence:</b> "
                    + present.escape("; ".join(present.fact_summary(f) for f in hit.facts)) + "</div>")
        trial = data.trial_of_doc(hit.doc_id)
        if trial is not None:
            nav_links.trial_link(trial.id, label=f"Trial: {trial.therapies[0] if trial.therapies else trial.id}")


def render() -> None:
    st.title("Search")
    if state.greet_if_empty():
        return
    vocab = data.vocabulary()
    labels = data.outcome_labels()
    query = st.text_input("Search the knowledge base", key="search_query",
                          placeholder='e.g. insulin independence at one year, "NCT04786262", 83%')
    with st.expander("Filters", expanded=False):
        c = st.columns(4)
        therapy = c[0].selectbox("Therapy", vocab["therapies"], index=None, key="search_therapy",
                                 placeholder="any")
        outcome = c[1].selectbox("Outcome", vocab["outcomes"], index=None, key="search_outcome",
                                 format_func=lambda n: labels.get(n, n), placeholder="any")
        kind = c[2].selectbox("Fact kind", list(FACT_KINDS), index=None, key="search_kind",
                              format_func=lambda k: k.replace("_", " "), placeholder="any")
        source_type = c[3].selectbox("Source type", vocab["source_types"], index=None,
                                     key="search_source_type", placeholder="any")
        years = bounds = None
        if len(vocab["years"]) >= 2:
            bounds = (vocab["years"][0], vocab["years"][-1])
            years = st.slider("Year", bounds[0], bounds[1], bounds, key="search_years")
    if not query.strip():
        st.caption("Type a question, a term, a registry id or a number. Every hit shows the "
                   "sentence it matched inside its passage, and where it comes from.")
        return
    filters = build_filters(therapy, outcome, kind, source_type, years, bounds)
    try:
        hits = data.search(query.strip(), k=RESULTS, filters=filters)
    except Exception as exc:  # noqa: BLE001 - shown, the page stays usable
        st.error(f"Search failed: {exc}")
        return
    if not hits:
        st.info("No results. Try other words, fewer filters, or add documents on the Ingest page.")
        return
    st.caption(f"{len(hits)} results")
    frame, records = hits_frame(hits)
    docs = [d for d in (data.document(i) for i in dict.fromkeys(h.doc_id for h in hits)) if d]
    downloads.show(downloads.frame_payloads(frame, records, docs), stem="search", key="search")
    for rank, hit in enumerate(hits, 1):
        show_hit(rank, hit)
