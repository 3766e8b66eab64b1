"""Shared page parts: a quote shown inside its passage with its document and links, and the
curation controls (accept / correct / reject with a note) that write through ``kb.curation``.

Every piece of document text goes through ``present.quote_in_context`` (escaped, then marked)
and ``st.html`` (sanitised again by the frontend); titles are escaped too.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from kb.models import Fact
from kb.ui import data, present, state

STATUS_BADGE = {
    "verified": ":green-badge[:material/check: verified]",
    "corrected": ":blue-badge[:material/edit: corrected]",
    "conflicting": ":orange-badge[:material/warning: conflicting]",
    "unreviewed": ":gray-badge[unreviewed]",
    "rejected": ":red-badge[rejected]",
}
STATUS_MARK = {"verified": " ✓", "corrected": " ✎", "conflicting": " ⚠", "unreviewed": "", "empty": ""}


def source_header(doc_id: str) -> None:
    """Document title (escaped), type/year, and validated links to PubMed / DOI / registry / URL."""
    doc = data.document(doc_id)
    label = present.doc_label(doc, doc_id)
    meta = [doc.source_type] if doc else []
    if doc and doc.journal:
        meta.append(doc.journal)
    links = present.links_markdown(present.source_links(doc, doc_id=doc_id))
    st.html(
        f'<div class="kb-source"><b>{present.escape(label)}</b> '
        f'<span style="color:#777">· {present.escape(doc_id)}'
        f'{" · " + present.escape(", ".join(meta)) if meta else ""}</span></div>'
    )
    if links:
        st.markdown(links)


def quote_box(doc_id: str, start: int, end: int, quote: str) -> None:
    """The quote highlighted inside its passage (document text escaped)."""
    doc = data.document(doc_id)
    if doc is None:
        inner = f'<mark style="{present.MARK_STYLE}">{present.escape(quote)}</mark>'
    else:
        inner = present.quote_in_context(doc.text, start, end, quote)
    st.html(present.passage_html(inner))


def evidence_block(doc_id: str, start: int, end: int, quote: str, caption: str | None = None) -> None:
    """Source header + quote in context (+ a caption: method, rule, status)."""
    source_header(doc_id)
    quote_box(doc_id, start, end, quote)
    if caption:
        st.caption(caption)


def find_fact(fact_id: str) -> Fact | None:
    """The (curated) fact with this id, human facts included."""
    return next((f for f in data.facts() if f.fact_id == fact_id), None)


def _plain(value: float | None) -> str:
    """A number as an editable string ('83', '800000000', '7.1')."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(value)


def _opt_float(text: str) -> float | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    return float(text)


def _opt_int(text: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    return int(text)


def corrections(fact: Fact, value: str, unit: str, n: str, den: str, group: str) -> dict[str, Any]:
    """The fields a correction changes (only those that differ from the fact); raises ValueError
    with a readable message for a number that is not one."""
    new: dict[str, Any] = {}
    try:
        v = _opt_float(value)
    except ValueError:
        raise ValueError(f"value {value!r} is not a number") from None
    try:
        nn, dd = _opt_int(n), _opt_int(den)
    except ValueError:
        raise ValueError("n and N must be whole numbers") from None
    if nn is not None and dd is not None and not (0 <= nn <= dd):
        raise ValueError(f"n/N = {nn}/{dd}: n must be between 0 and N")
    for name, val in (("value", v), ("unit", unit.strip() or None), ("n", nn),
                      ("denominator", dd), ("group", group.strip() or None)):
        if val != getattr(fact, name):
            new[name] = val
    return new


def curation_controls(fact: Fact, key: str) -> None:
    """Accept / correct / reject one fact, with an optional note; the decision is appended to
    ``KB_HOME/curation.jsonl`` through kb.curation, then every cached read is refreshed."""
    from kb.curation import CurationError, CurationLog, decide

    st.markdown("**Review this value**")
    status = data.curated().status_of(fact)
    if status.status != "unreviewed" or fact.method == "human":
        who = f" by {status.reviewer}" if status.reviewer else ""
        when = f" on {status.at[:10]}" if status.at else ""
        st.markdown(f"{STATUS_BADGE.get(status.status, status.status)}{who}{when}"
                    + (f" — note: {status.note}" if status.note else ""))
    reviewer = state.reviewer()
    if not reviewer:
        st.caption(":material/person: Type your name under **Reviewer name** in the sidebar to "
                   "accept, correct or reject values.")
    note = st.text_input("Note (optional)", key=f"{key}_note")
    row = st.container(horizontal=True, gap="small")
    accept = row.button("Accept", key=f"{key}_accept", icon=":material/check:", disabled=not reviewer)
    reject = row.button("Reject", key=f"{key}_reject", icon=":material/close:", disabled=not reviewer)
    with st.expander("Correct this value"):
        with st.form(f"{key}_correct_form", border=False):
            c = st.columns(5)
            value = c[0].text_input("Value", value=_plain(fact.value), key=f"{key}_v")
            unit = c[1].text_input("Unit", value=fact.unit or "", key=f"{key}_u")
            n = c[2].text_input("n", value="" if fact.n is None else str(fact.n), key=f"{key}_n")
            den = c[3].text_input("N", value="" if fact.denominator is None else str(fact.denominator),
                                  key=f"{key}_d")
            group = c[4].text_input("Group", value=fact.group or "", key=f"{key}_g")
            correct = st.form_submit_button("Save correction", disabled=not reviewer)
    if not (accept or reject or correct):
        return
    try:
        if correct:
            changes = corrections(fact, value, unit, n, den, group)
            if not changes:
                st.warning("Nothing changed: edit a field before saving a correction.")
                return
            decision = decide(fact, "correct", reviewer, note=note or None, **changes)
        else:
            decision = decide(fact, "accept" if accept else "reject", reviewer, note=note or None)
        CurationLog(state.current_settings().curation_file).append(decision)
    except (CurationError, ValueError) as exc:
        st.error(f"Could not save the decision: {exc}")
        return
    state.clear_caches()
    verb = {"accept": "Accepted", "reject": "Rejected", "correct": "Corrected"}[decision.action]
    state.flash(f"{verb}: {present.fact_summary(fact)} (by {reviewer}).")
    st.rerun()
