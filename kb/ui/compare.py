"""Compare page: therapies x outcomes from ``kb.query.compare``, a chart of proportions with
their 95% Wilson intervals (and dose against outcome), and the evidence of any selected cell.

Flow: pick therapies / outcomes or type a question -> the table (st.dataframe, single-cell
selection) -> a selected cell shows each value's quote inside its passage, its document and
links, and the curation controls. Export buttons offer exactly the table on screen.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kb.ui import data, downloads, evidence, nav_links, present, state

TABLE_KEY = "cmp_table"
TRIAL_COL, ARM_COL = "Trial", "Arm"
REVIEW_FILTERS = {
    "All values": None,
    "Needs review": ("unreviewed", "conflicting"),
    "Verified or corrected only": ("verified", "corrected"),
}


def row_label(row: Any) -> str:
    """'zimislecel · NCT04786262' (or the trial title when no registry id is known)."""
    ident = ", ".join(r.split(":", 1)[-1] for r in row.registry_ids[:1]) or (row.title[:60] or row.trial_id)
    return f"{row.therapy} · {ident}" if row.therapy else ident


def cell_text(cell: Any) -> str:
    """A cell as text: each value's display plus a status mark (✓ verified, ✎ corrected, ⚠ conflicting)."""
    return "; ".join(v.display + evidence.STATUS_MARK.get(v.status, "") for v in cell.values)


def table_frame(table: Any) -> tuple[pd.DataFrame, dict[str, str]]:
    """The comparison table as a DataFrame of display strings, and column label -> column key."""
    label_to_key = {c.label: c.key for c in table.columns if c.key != "therapy"}
    records = []
    for row in table.rows:
        rec = {TRIAL_COL: row_label(row), ARM_COL: row.arm or "all participants"}
        for col in table.columns:
            if col.key == "therapy":
                continue
            cell = row.cells.get(col.key)
            rec[col.label] = cell_text(cell) if cell else ""
        records.append(rec)
    columns = [TRIAL_COL, ARM_COL] + list(label_to_key)
    return pd.DataFrame.from_records(records, columns=columns), label_to_key


def chart_items(table: Any) -> tuple[list[dict], list[dict]]:
    """(proportion rows, dose-vs-outcome rows) for the charts, from the table's values."""
    labels = {c.key: c.label for c in table.columns}
    props: list[dict] = []
    doses: list[dict] = []
    for row in table.rows:
        trial = row_label(row) + (f" — {row.arm}" if row.arm else "")
        row_props = []
        for key, cell in row.cells.items():
            if not key.startswith(("outcome:", "other:", "ae:")):
                continue
            for v in cell.values:
                has_counts = v.n is not None and v.denominator
                if v.unit == "%" or has_counts:
                    item = {"therapy": row.therapy or "?", "outcome": labels.get(key, key),
                            "trial": trial, "value": v.value, "unit": v.unit or "%", "n": v.n,
                            "denominator": v.denominator, "source": v.source, "group": v.group or ""}
                    props.append(item)
                    row_props.append(item)
        dose_cell = row.cells.get("dose")
        dose_values = [v for v in (dose_cell.values if dose_cell else []) if v.value is not None]
        if len(dose_values) == 1:
            d = dose_values[0]
            for item in present.proportion_rows(row_props):
                doses.append({**item, "dose": d.value, "dose_unit": d.unit or "", "dose_label": d.display})
    return present.proportion_rows(props), doses


def show_cell_evidence(table: Any, row_index: int, column: str, label_to_key: dict[str, str]) -> None:
    """Evidence of one selected cell: every value, its sources, quotes in context, curation."""
    if not (0 <= row_index < len(table.rows)):
        return
    row = table.rows[row_index]
    if column in (TRIAL_COL, ARM_COL):
        st.subheader(row_label(row))
        nav_links.trial_link(row.trial_id)
        for doc_id in row.doc_ids:
            evidence.source_header(doc_id)
        return
    key = label_to_key.get(column)
    cell = row.cells.get(key) if key else None
    st.subheader(f"{column} — {row_label(row)}" + (f" ({row.arm})" if row.arm else ""))
    nav_links.trial_link(row.trial_id)
    if not cell or not cell.values:
        st.info("No source reports this value for this trial.")
        return
    if cell.conflict and len(cell.values) > 1:
        st.warning("Sources disagree: every value is shown with its own source, none is preferred.")
        cols = st.columns(len(cell.values))
        for col, v in zip(cols, cell.values, strict=True):
            with col:
                _value_panel(v)
    else:
        for v in cell.values:
            _value_panel(v)


def _value_panel(v: Any) -> None:
    ci = f" · 95% CI {v.ci_low:.0f}–{v.ci_high:.0f}%" if v.ci_low is not None and v.ci_high is not None else ""
    st.html(f'<div style="font-size:1.15rem"><b>{present.escape(v.display)}</b>'
            f'<span style="color:#666">{present.escape(ci)}</span></div>')
    st.markdown(evidence.STATUS_BADGE.get(v.status, v.status)
                + (f" by {v.reviewer}" if v.reviewer else ""))
    for i, ev in enumerate(v.evidence):
        conf = f" · confidence {ev.confidence:.2f}" if ev.confidence is not None else ""
        evidence.evidence_block(
            ev.doc_id, ev.start, ev.end, ev.quote,
            caption=f"source {i + 1} of {len(v.evidence)} · {ev.source_type} · method {ev.method}"
                    f"{' · rule ' + ev.rule if ev.rule else ''}{conf} · {ev.status}",
        )
    fact = evidence.find_fact(v.fact_id)
    if fact is not None:
        evidence.curation_controls(fact, key=f"cmp_{v.fact_id}")


def controls() -> tuple[str, list[str], list[str], str]:
    vocab = data.vocabulary()
    labels = data.outcome_labels()
    question = st.text_input(
        "Question",
        key="cmp_question",
        placeholder="e.g. insulin independence and severe hypoglycaemia with stem-cell islets",
        help="Plain words: therapies (names, codes, classes like 'stem-cell' or 'without "
             "immunosuppression'), outcomes, 'dose', 'N', 'adverse events'.",
    )
    c1, c2, c3 = st.columns([2, 2, 1])
    therapies = c1.multiselect("Therapies", vocab["therapies"], key="cmp_therapies",
                               placeholder="all therapies")
    outcomes = c2.multiselect("Outcomes", vocab["outcomes"], key="cmp_outcomes",
                              format_func=lambda n: labels.get(n, n.replace("_", " ")),
                              placeholder="outcomes the trials report")
    review = c3.selectbox("Show", list(REVIEW_FILTERS), key="cmp_review")
    return question, therapies, outcomes, review


def render() -> None:
    st.title("Compare")
    if state.greet_if_empty():
        return
    question, therapies, outcomes, review = controls()
    try:
        table = data.compare(question, therapies, outcomes)
    except Exception as exc:  # noqa: BLE001 - shown, the page stays usable
        st.error(f"Could not build the comparison: {exc}")
        return
    statuses = REVIEW_FILTERS[review]
    if statuses:
        from kb.query import filter_table

        table = filter_table(table, statuses)
    for note in table.notes:
        st.caption(f":material/info: {note}")
    if not table.rows:
        st.info("No trial in the knowledge base reports what was asked. Try fewer therapies or "
                "outcomes, other words, or add documents on the Ingest page.")
        return

    frame, label_to_key = table_frame(table)
    tab_table, tab_chart = st.tabs(["Table", "Chart"])
    with tab_table:
        st.caption("Select a cell to see where its value comes from. ✓ verified · ✎ corrected · "
                   "⚠ sources disagree.")
        event = st.dataframe(
            frame, key=TABLE_KEY, on_select="rerun", selection_mode="single-cell",
            hide_index=True, width="stretch",
            column_config={TRIAL_COL: st.column_config.TextColumn(pinned=True, width="medium"),
                           ARM_COL: st.column_config.TextColumn(width="small")},
        )
        cells = list(getattr(event.selection, "cells", []) or []) if event else []
        downloads.buttons(table, stem="comparison", key="cmp")
        if cells:
            row_index, column = cells[0][0], cells[0][1]
            with st.container(border=True):
                show_cell_evidence(table, int(row_index), str(column), label_to_key)
        else:
            st.caption("No cell selected.")
    with tab_chart:
        props, doses = chart_items(table)
        if props:
            st.altair_chart(present.proportion_chart(props), width="stretch")
            st.caption("Points: the reported proportion. Bars: 95% Wilson score interval from n/N "
                       "(diamonds: no n/N reported, so no interval). Hover for n/N and the source.")
        else:
            st.info("No proportions with n/N in this table to chart.")
        if doses:
            st.altair_chart(present.dose_chart(doses), width="stretch")
        elif props:
            st.caption("Dose against outcome: no row reports a single dose alongside a proportion.")
