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


def _numbers(value: str, n: str, den: str) -> tuple[float | None, int | None, int | None]:
    """Value, n and N typed into a form; ValueError says which one is not a number."""
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
    return v, nn, dd


def corrections(fact: Fact, value: str, unit: str, n: str, den: str, group: str) -> dict[str, Any]:
    """The fields a correction changes (only those that differ from the fact); raises ValueError
    with a readable message for a number that is not one."""
    new: dict[str, Any] = {}
    v, nn, dd = _numbers(value, n, den)
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


def add_value_form(doc_ids: list[str], key: str) -> None:
    """Add a value the extractor missed: pick a document and one of its sentences (the quote),
    then say what it reports. Stored as a human fact through ``kb.curation.decide_add``."""
    from kb.curation import CurationError, CurationLog, decide_add
    from kb.models import FACT_KINDS
    from kb.nlp.sentences import split_sentences

    docs = [d for d in (data.document(i) for i in doc_ids) if d is not None and d.text]
    if not docs:
        st.caption("No document text to pick a sentence from.")
        return
    reviewer = state.reviewer()
    if not reviewer:
        st.caption(":material/person: Type your name under **Reviewer name** in the sidebar to add values.")
    doc = st.selectbox("Document", docs, format_func=lambda d: present.doc_label(d, d.id),
                       key=f"{key}_doc")
    # The extractor's own sentence units, so an added quote is cut like the extracted ones.
    spans = split_sentences(doc.text)
    spans = [(a, b) for a, b in spans if any(ch.isdigit() for ch in doc.text[a:b])] or spans
    span = st.selectbox("Sentence (the quote)", spans, key=f"{key}_sent",
                        format_func=lambda ab: present.shorten(doc.text[ab[0]:ab[1]], 160))
    start, end = span
    quote_box(doc.id, start, end, doc.text[start:end])
    with st.form(f"{key}_add_form", border=False):
        c = st.columns(3)
        kind = c[0].selectbox("Kind", FACT_KINDS, index=FACT_KINDS.index("outcome"), key=f"{key}_kind")
        name = c[1].text_input("Name", placeholder="insulin_independence", key=f"{key}_name")
        group = c[2].text_input("Group (optional)", key=f"{key}_group")
        c = st.columns(5)
        value = c[0].text_input("Value", key=f"{key}_value")
        unit = c[1].text_input("Unit", key=f"{key}_unit")
        n = c[2].text_input("n", key=f"{key}_n")
        den = c[3].text_input("N", key=f"{key}_den")
        timepoint = c[4].text_input("Timepoint", key=f"{key}_tp")
        note = st.text_input("Note (optional)", key=f"{key}_note")
        add = st.form_submit_button("Add value", disabled=not reviewer)
    if not add:
        return
    try:
        if not name.strip():
            raise ValueError("give the value a name (e.g. insulin_independence, neutropenia)")
        fields = _new_value_fields(value, unit, n, den, group, timepoint)
        decision = decide_add(doc=doc, quote=doc.text[start:end], kind=kind, name=name.strip().lower(),
                              reviewer=reviewer, start=start, end=end, note=note or None, **fields)
        CurationLog(state.current_settings().curation_file).append(decision)
    except (CurationError, ValueError) as exc:
        st.error(f"Could not add the value: {exc}")
        return
    state.clear_caches()
    state.flash(f"Added: {present.fact_summary(decision.fact)} (by {reviewer}).")
    st.rerun()


def _new_value_fields(value: str, unit: str, n: str, den: str, group: str, timepoint: str) -> dict[str, Any]:
    """Typed fields of an added value; ValueError names the field that is not a number."""
    v, nn, dd = _numbers(value, n, den)
    if v is None and nn is not None and dd:
        v = round(100.0 * nn / dd, 1)  # a proportion given as n/N is shown in %
        unit = unit or "%"
    fields = {"value": v, "unit": unit.strip() or None, "n": nn, "denominator": dd,
              "group": group.strip() or None, "timepoint": timepoint.strip() or None}
    return {k: val for k, val in fields.items() if val is not None}
