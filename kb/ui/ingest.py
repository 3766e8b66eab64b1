"""Ingest page: upload files, or fetch by PubMed query, PMIDs, NCT ids or URLs.

Every path ends in the same library call as `kb ingest`: ``KnowledgeBase.ingest(source, targets)``
(uploads are saved to a temporary folder first and ingested as source ``files``). A progress bar
runs while it works; per-record failures are listed, the batch never stops for one; caches are
cleared afterwards so the new documents appear on every page without a restart.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

from kb.ui import state

UPLOAD_TYPES = ["txt", "md", "markdown", "html", "htm", "pdf", "xml", "nxml", "json"]
LAST_REPORT_KEY = "kb_ingest_last_report"
UPLOAD_GEN_KEY = "kb_ingest_upload_generation"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ ()+-]+")


def split_targets(text: str) -> list[str]:
    """Identifiers typed one per line or separated by commas/spaces, de-duplicated in order."""
    seen: dict[str, None] = {}
    for token in re.split(r"[\s,;]+", text or ""):
        token = token.strip()
        if token:
            seen.setdefault(token, None)
    return list(seen)


def safe_filename(name: str) -> str:
    """An uploaded file's name without folders or odd characters (the stem becomes the doc id)."""
    base = Path(name.replace("\\", "/")).name
    base = _SAFE_NAME.sub("_", base).strip(" .") or "upload"
    return base[:120]


def save_uploads(files: list[Any], folder: Path) -> list[Path]:
    """Write uploaded files into ``folder`` under their (sanitised) names; returns the paths."""
    paths: list[Path] = []
    used: set[str] = set()
    for f in files:
        name = safe_filename(f.name)
        stem, suffix = Path(name).stem, Path(name).suffix
        i = 1
        while name in used:
            i += 1
            name = f"{stem}-{i}{suffix}"
        used.add(name)
        path = folder / name
        path.write_bytes(f.getvalue())
        paths.append(path)
    return paths


def show_report(report: Any) -> None:
    """Counts, new document ids and per-record failures of one ingest run."""
    failed = list(getattr(report, "failed", []) or [])
    line = state.report_line(report)
    if failed and not (getattr(report, "new", 0) or getattr(report, "updated", 0)
                       or getattr(report, "unchanged", 0)):
        st.error(f"Nothing was ingested: {line}.")
    elif failed:
        st.warning(f"Ingest finished with errors: {line}.")
    else:
        st.success(f"Ingest finished: {line}.")
    if failed:
        st.markdown("**Records that failed**")
        st.dataframe(
            [{"record": getattr(f, "target", str(f)), "problem": getattr(f, "reason", "")} for f in failed],
            hide_index=True,
            width="stretch",
        )
    doc_ids = list(getattr(report, "doc_ids", []) or [])
    if doc_ids:
        with st.expander(f"Documents in this run ({len(doc_ids)})"):
            st.dataframe({"document id": doc_ids}, hide_index=True, width="stretch")


def _run(source: str, targets: list[str], options: dict | None = None) -> None:
    report = state.run_ingest(source, targets, options, label=f"Ingesting from {source}…")
    if report is not None:
        st.session_state[LAST_REPORT_KEY] = report
        if source == "files":
            st.session_state[UPLOAD_GEN_KEY] = st.session_state.get(UPLOAD_GEN_KEY, 0) + 1
        st.rerun()


def render() -> None:
    st.title("Ingest")
    st.caption(
        "Add documents to the knowledge base. Every payload is kept in the raw cache, parsed, "
        "its facts extracted and stored; running the same input twice changes nothing."
    )
    last = st.session_state.pop(LAST_REPORT_KEY, None)
    if last is not None:
        show_report(last)

    tabs = st.tabs(["Upload files", "PubMed query", "PMIDs", "NCT ids", "URLs", "Demo corpus"])
    with tabs[0]:
        # A new key after each run empties the uploader (the files are in the raw cache now).
        generation = st.session_state.get(UPLOAD_GEN_KEY, 0)
        uploads = st.file_uploader(
            "Text, Markdown, HTML, PDF, PubMed / JATS XML, ClinicalTrials.gov v2 JSON",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            key=f"ingest_uploads_{generation}" if generation else "ingest_uploads",
        )
        if st.button("Ingest uploaded files", type="primary", disabled=not uploads, key="ingest_files"):
            tmp = Path(tempfile.mkdtemp(prefix="kb-upload-"))
            try:
                paths = save_uploads(list(uploads or []), tmp)
                _ingest_now("files", [str(p) for p in paths])
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    with tabs[1]:
        with st.form("ingest_pubmed"):
            query = st.text_input("PubMed query", placeholder="islet transplantation type 1 diabetes")
            limit = st.number_input("At most this many records", 1, 500, 20)
            if st.form_submit_button("Search PubMed and ingest") and query.strip():
                _ingest_now("pubmed", [query.strip()], {"max_results": int(limit), "limit": int(limit)})
    with tabs[2]:
        with st.form("ingest_pmid"):
            text = st.text_area("PMIDs", placeholder="40544428\n36856534")
            if st.form_submit_button("Fetch and ingest") and split_targets(text):
                _ingest_now("pmid", split_targets(text))
    with tabs[3]:
        with st.form("ingest_nct"):
            text = st.text_area("ClinicalTrials.gov ids", placeholder="NCT04786262")
            if st.form_submit_button("Fetch and ingest") and split_targets(text):
                _ingest_now("ctgov", split_targets(text))
    with tabs[4]:
        with st.form("ingest_url"):
            text = st.text_area("Web pages (one URL per line)", placeholder="https://…")
            if st.form_submit_button("Fetch and ingest") and split_targets(text):
                _ingest_now("url", split_targets(text))
    with tabs[5]:
        st.write("The bundled demo corpus: short summaries of islet and stem-cell trials, written for the demo.")
        if st.button("Load the demo corpus", key="ingest_demo"):
            _ingest_now("demo", [])


def _ingest_now(source: str, targets: list[str], options: dict | None = None) -> None:
    """Run the ingest inline (the progress bar shows in place), then show its report on rerun."""
    _run(source, targets, options)
