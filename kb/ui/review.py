"""Review page: the curation queue — facts nobody has decided on yet, lowest confidence first
(``kb.curation.review_queue``) — with each fact's quote in context and accept / correct / reject.
The same queue as `kb review --pending`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kb.models import FACT_KINDS
from kb.ui import data, evidence, present, state

PAGE_SIZE = 50


@st.cache_data(show_spinner=False, max_entries=8)
def _queue(key: str, kinds: tuple[str, ...]):
    from kb.curation import CurationLog, review_queue

    facts = state.get_kb().facts()
    decisions = CurationLog(state.current_settings().curation_file).decisions()
    return review_queue(facts, decisions, kinds=list(kinds) or None)


def queue(kinds: list[str]) -> list:
    return _queue(state.kb_key(), tuple(kinds))


def render() -> None:
    st.title("Review")
    if state.greet_if_empty():
        return
    st.caption("Values nobody has checked yet, least certain first. Accept what the quote "
               "supports, correct what it does not, reject what is not a trial fact.")
    kinds = st.multiselect("Fact kinds", list(FACT_KINDS), key="review_kinds",
                           format_func=lambda k: k.replace("_", " "), placeholder="all kinds")
    pending = queue(kinds)
    done = sum(1 for s in data.curated().status.values() if s.status != "unreviewed")
    c = st.columns(3)
    c[0].metric("Pending", len(pending))
    c[1].metric("Decided", done)
    c[2].metric("Reviewer", state.reviewer() or "—")
    if not pending:
        st.success("Nothing left to review.")
        return
    shown = pending[:PAGE_SIZE]
    frame = pd.DataFrame([{
        "Confidence": f.confidence if f.confidence is not None else float("nan"),
        "Kind": f.kind.replace("_", " "),
        "Fact": present.fact_summary(f),
        "Document": f.doc,
        "Method": f.method,
    } for f in shown])
    event = st.dataframe(frame, key="review_tbl", on_select="rerun", selection_mode="single-row",
                         hide_index=True, width="stretch",
                         column_config={"Confidence": st.column_config.NumberColumn(format="%.2f")})
    if len(pending) > PAGE_SIZE:
        st.caption(f"Showing the first {PAGE_SIZE} of {len(pending)}.")
    rows = list(getattr(event.selection, "rows", []) or []) if event else []
    if not rows:
        st.caption("Select a row to review it.")
        return
    fact = shown[rows[0]] if rows[0] < len(shown) else None
    if fact is None:
        return
    with st.container(border=True):
        st.html(f"<b>{present.escape(present.fact_summary(fact))}</b>")
        evidence.evidence_block(fact.doc, fact.start, fact.end, fact.quote,
                                caption=f"{fact.kind} · method {fact.method}"
                                        + (f" · rule {fact.rule}" if fact.rule else ""))
        evidence.curation_controls(fact, key=f"rev_{fact.fact_id}")
