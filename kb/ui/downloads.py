"""Download buttons for what is on screen: CSV, XLSX, JSON, RIS and BibTeX.

A comparison table goes through ``kb.export.render`` (the same bytes `kb export` writes). Search
results and a trial's values are not comparison tables: they become a table with sources only
for RIS/BibTeX, and a flat frame for CSV/XLSX/JSON (one row per hit / value, provenance included).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

MIMES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "ris": "application/x-research-info-systems",
    "bibtex": "application/x-bibtex",
}
EXT = {"csv": "csv", "xlsx": "xlsx", "json": "json", "ris": "ris", "bibtex": "bib"}
LABELS = {"csv": "CSV", "xlsx": "XLSX", "json": "JSON", "ris": "RIS", "bibtex": "BibTeX"}


def table_payloads(table: Any) -> dict[str, bytes]:
    """Every format of a ComparisonTable, exactly as `kb export` writes it."""
    from kb.export import render as export_render

    return {fmt: export_render(table, fmt) for fmt in MIMES}


def frame_payloads(frame: pd.DataFrame, records: list[dict], documents: Sequence[Any]) -> dict[str, bytes]:
    """CSV/XLSX from a flat frame, JSON from records, RIS/BibTeX from the documents shown."""
    from kb.export import to_bibtex, to_ris
    from kb.query import ComparisonTable, SourceRef

    sources = [SourceRef(doc_id=d.id, source_type=d.source_type, title=d.title, authors=list(d.authors),
                         journal=d.journal, year=d.year, doi=d.doi, pmid=d.pmid, pmcid=d.pmcid,
                         registry_ids=list(d.registry_ids), url=d.url) for d in documents]
    refs = ComparisonTable(sources=sources)
    xlsx = io.BytesIO()
    safe = frame.map(_no_formula) if not frame.empty else frame
    safe.to_excel(xlsx, index=False, sheet_name="Results")
    return {
        "csv": frame.to_csv(index=False).encode("utf-8"),
        "xlsx": xlsx.getvalue(),
        "json": (json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8"),
        "ris": to_ris(refs).encode("utf-8"),
        "bibtex": to_bibtex(refs).encode("utf-8"),
    }


def _no_formula(value: Any) -> Any:
    """A quoted document must never become a spreadsheet formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def show(payloads: dict[str, bytes], stem: str, key: str) -> None:
    """One row of download buttons (no rerun on click: the data is already built)."""
    row = st.container(horizontal=True, vertical_alignment="center", gap="small")
    row.markdown("**Download**", width="content")
    for fmt, blob in payloads.items():
        row.download_button(
            LABELS[fmt], data=blob, file_name=f"{stem}.{EXT[fmt]}", mime=MIMES[fmt],
            key=f"{key}_dl_{fmt}", on_click="ignore", icon=":material/download:",
        )


def buttons(table: Any, stem: str, key: str) -> None:
    """Download buttons for a ComparisonTable; an export failure is shown, never raised."""
    try:
        payloads = table_payloads(table)
    except Exception as exc:  # noqa: BLE001
        st.error(f"Export failed: {exc}")
        return
    show(payloads, stem, key)
