"""Trial page: everything known about one trial — design, arms and doses, outcomes, adverse
events — each value with its sources; values that sources disagree on are shown side by side;
a selected value opens its quotes in context and the curation controls.

The trial is chosen in a select box or arrives as ``?trial=<id>`` (links from Compare/Search).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd
import streamlit as st

from kb.ui import data, downloads, evidence, present, state

SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("Design", ("registry_id", "phase", "sample_size", "follow_up")),
    ("Arms and doses", ("intervention", "dose")),
    ("Outcomes", ("outcome",)),
    ("Adverse events", ("adverse_event",)),
]


def trial_label(trial: Any) -> str:
    """'zimislecel — NCT04786262 — Zimislecel (VX-880) stem-cell…'."""
    parts = [", ".join(trial.therapies[:2]) or "unknown therapy"]
    if trial.registry_ids:
        parts.append(trial.registry_ids[0].split(":", 1)[-1])
    if trial.title:
        parts.append(trial.title[:70] + ("…" if len(trial.title) > 70 else ""))
    return " — ".join(parts)


def value_status(value: Any) -> str:
    from kb.curation import value_status as status_of

    return status_of(value, data.curated()).status


def value_text(value: Any) -> str:
    from kb.query import format_value

    return format_value(value)


def values_frame(values: list[Any]) -> pd.DataFrame:
    rows = []
    for v in values:
        name = v.facts[0].label if v.name == "other" and v.facts and v.facts[0].label else v.name
        if v.kind in ("phase", "registry_id", "sample_size"):
            name = v.kind  # their name is the value itself ('1/2', 'NCT…') or just 'participants'
        elif v.kind == "dose":
            name = f"dose of {v.name}"
        rows.append({
            "What": name.replace("_", " "),
            "Value": value_text(v),
            "Group": v.group or "",
            "Timepoint": v.timepoint or "",
            "Status": value_status(v) + evidence.STATUS_MARK.get(value_status(v), ""),
            "Sources": len({f.doc for f in v.facts}),
        })
    return pd.DataFrame(rows, columns=["What", "Value", "Group", "Timepoint", "Status", "Sources"])


def value_panel(value: Any, key: str) -> None:
    """A value's sources (quote in its passage, document, links) and curation of its top fact."""
    st.html(f'<div style="font-size:1.1rem"><b>{present.escape(value_text(value))}</b></div>')
    st.markdown(evidence.STATUS_BADGE.get(value_status(value), value_status(value)))
    for i, fact in enumerate(value.facts):
        conf = f" · confidence {fact.confidence:.2f}" if fact.confidence is not None else ""
        evidence.evidence_block(
            fact.doc, fact.start, fact.end, fact.quote,
            caption=f"source {i + 1} of {len(value.facts)} · method {fact.method}"
                    f"{' · rule ' + fact.rule if fact.rule else ''}{conf}",
        )
    if value.facts:
        evidence.curation_controls(value.facts[0], key=f"{key}_{value.facts[0].fact_id}")


def disagreements(trial: Any) -> dict[tuple, list[Any]]:
    """Slots (kind, name, group) whose values disagree, each with its conflicting values."""
    slots: dict[tuple, list[Any]] = defaultdict(list)
    for v in trial.values:
        if v.conflict:
            slots[(v.kind, v.name, v.group)].append(v)
    return {k: vs for k, vs in slots.items() if len(vs) > 1}


def trial_export(trial: Any) -> dict[str, bytes]:
    rows = []
    for v in trial.values:
        for f in v.facts:
            rows.append({"trial": trial.id, "kind": v.kind, "name": v.name, "value": value_text(v),
                         "group": v.group, "timepoint": v.timepoint, "status": value_status(v),
                         "conflict": v.conflict, "document": f.doc, "method": f.method,
                         "quote": f.quote, "start": f.start, "end": f.end, "fact_id": f.fact_id})
    frame = pd.DataFrame(rows)
    docs = [d for d in (data.document(i) for i in trial.doc_ids) if d]
    return downloads.frame_payloads(frame, [trial.model_dump(mode="json")], docs)


PICK_KEY = "trial_pick"
SYNCED_KEY = "trial_synced"


def _sync_url() -> None:
    """Keep ?trial=<id> in step with the select box, so the page can be linked and reloaded."""
    chosen = st.session_state.get(PICK_KEY)
    if chosen:
        st.query_params["trial"] = chosen
        st.session_state[SYNCED_KEY] = chosen


def pick_trial(trials: list[Any]) -> Any:
    """The trial select box; a ``?trial=`` link (from Compare or Search) selects its trial."""
    by_id = {t.id: t for t in trials}
    ids = list(by_id)
    wanted = st.query_params.get("trial")
    if wanted in by_id and (wanted != st.session_state.get(SYNCED_KEY)
                            or st.session_state.get(PICK_KEY) not in by_id):
        st.session_state[PICK_KEY] = wanted
        st.session_state[SYNCED_KEY] = wanted
    elif st.session_state.get(PICK_KEY) not in by_id:
        st.session_state.pop(PICK_KEY, None)
    chosen = st.selectbox("Trial", ids, format_func=lambda i: trial_label(by_id[i]), key=PICK_KEY,
                          on_change=_sync_url)
    return by_id[chosen]


def render() -> None:
    st.title("Trial")
    if state.greet_if_empty():
        return
    trials = data.trials()
    if not trials:
        st.info("No trials are linked yet: the documents hold no trial facts.")
        return
    trial = pick_trial(trials)
    if trial.title:
        st.html(f"<h3 style='margin:0.2rem 0'>{present.escape(trial.title)}</h3>")
    meta = [f"**Therapies:** {', '.join(trial.therapies) or '—'}", f"**Trial id:** `{trial.id}`",
            f"**Documents:** {len(trial.doc_ids)}"]
    st.markdown(" · ".join(meta))
    reg_links = [link for rid in trial.registry_ids for link in present.source_links(doc_id=rid)]
    if reg_links:
        st.markdown(present.links_markdown(reg_links))

    with st.expander(f"Sources ({len(trial.doc_ids)})"):
        for doc_id in trial.doc_ids:
            evidence.source_header(doc_id)
    with st.expander("Add a value the extractor missed", icon=":material/add:"):
        evidence.add_value_form(trial.doc_ids, key="trial_add")
    downloads.show(trial_export(trial), stem=trial.id.replace(":", "_"), key="trial")

    conflicts = disagreements(trial)
    if conflicts:
        st.subheader(f"Disagreements ({len(conflicts)})")
        st.caption("Sources report different values here. All are kept, side by side, each with its source.")
        for (kind, name, group), values in conflicts.items():
            with st.container(border=True):
                st.markdown(f"**{name.replace('_', ' ')}**" + (f" — {group}" if group else "")
                            + f" · {kind.replace('_', ' ')}")
                cols = st.columns(len(values))
                for col, v in zip(cols, values, strict=True):
                    with col:
                        st.html(f"<b>{present.escape(value_text(v))}</b>")
                        for f in v.facts:
                            evidence.evidence_block(f.doc, f.start, f.end, f.quote)

    for title, kinds in SECTIONS:
        values = [v for v in trial.values if v.kind in kinds]
        st.subheader(f"{title} ({len(values)})")
        if not values:
            st.caption("Nothing reported.")
            continue
        key = f"trial_tbl_{title.split()[0].lower()}"
        event = st.dataframe(values_frame(values), key=key, on_select="rerun",
                             selection_mode="single-row", hide_index=True, width="stretch")
        rows = list(getattr(event.selection, "rows", []) or []) if event else []
        if rows and 0 <= rows[0] < len(values):
            with st.container(border=True):
                value_panel(values[rows[0]], key=key)
