"""Session plumbing shared by every page: the knowledge base (opened once per process with
``st.cache_resource``), cached reads, cache invalidation after writes, the empty-KB greeting,
and the reviewer name typed once per session.

Nothing here imports spaCy or Chroma: the app reaches the store only through
``kb.pipeline.KnowledgeBase`` and the query/export/curation modules.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

import streamlit as st

from kb.settings import Settings

log = logging.getLogger(__name__)

REVIEWER_KEY = "kb_reviewer"
FLASH_KEY = "kb_flash"


def current_settings() -> Settings:
    """Settings from the environment, read per run (cheap), so a test's KB_HOME is honoured."""
    return Settings()


@st.cache_resource(show_spinner="Opening the knowledge base…")
def _open_kb(home: str, chroma_url: str | None, prefix: str):
    from kb.pipeline import KnowledgeBase

    settings = Settings(home=home, chroma_url=chroma_url, collection_prefix=prefix)
    return KnowledgeBase.open(settings)


def kb_key(settings: Settings | None = None) -> str:
    """What identifies one knowledge base; part of every cached read's key."""
    s = settings or current_settings()
    return f"{s.chroma_url or s.home}|{s.collection_prefix}"


def get_kb():
    """The process-wide KnowledgeBase for the current settings; stops the page with a clear
    message when it cannot be opened (e.g. a Chroma server that is not running)."""
    s = current_settings()
    try:
        return _open_kb(str(s.home), s.chroma_url, s.collection_prefix)
    except Exception as exc:  # noqa: BLE001 - shown to the user, with what to do next
        where = s.chroma_url or s.home
        st.error(
            f"Could not open the knowledge base at `{where}`: {exc}\n\n"
            "Check `KB_HOME` / `KB_CHROMA_URL`, or run `kb doctor` in a terminal."
        )
        st.stop()


def clear_caches() -> None:
    """Forget every cached read after a write (ingest, curation), so new documents and
    decisions show without a restart. The KnowledgeBase itself stays open."""
    st.cache_data.clear()


@st.cache_data(show_spinner=False, max_entries=16)
def _stats(key: str) -> dict[str, int]:
    return dict(get_kb().stats())


def stats() -> dict[str, int]:
    """{"documents", "passages", "facts", "trials"} of the current knowledge base."""
    return _stats(kb_key())


def flash(message: str, kind: str = "success") -> None:
    """Show a message on the next run (after st.rerun)."""
    st.session_state[FLASH_KEY] = (kind, message)


def show_flash() -> None:
    item = st.session_state.pop(FLASH_KEY, None)
    if item:
        kind, message = item
        getattr(st, kind, st.info)(message)


def reviewer() -> str:
    """The reviewer name typed once per session in the sidebar ('' when not set)."""
    return (st.session_state.get(REVIEWER_KEY) or "").strip()


def progress_adapter(bar, label: str = "Working…") -> Callable[..., None]:
    """A progress callback for ``KnowledgeBase.ingest`` that drives ``st.progress``.

    Accepts the shapes a pipeline may report: (done, total[, message]), (fraction[, message]),
    (message), keyword arguments, or an object with done/total/message attributes.
    """
    state = {"done": 0, "total": 0}

    def report(*args: Any, **kwargs: Any) -> None:
        message = kwargs.get("message") or kwargs.get("stage") or ""
        done = kwargs.get("done", kwargs.get("current"))
        total = kwargs.get("total")
        fraction = kwargs.get("fraction")
        if len(args) == 1 and not isinstance(args[0], (int, float, str)):
            ev = args[0]
            done = getattr(ev, "done", getattr(ev, "current", done))
            total = getattr(ev, "total", total)
            message = getattr(ev, "message", None) or getattr(ev, "stage", None) or message
        else:
            nums = [a for a in args if isinstance(a, (int, float)) and not isinstance(a, bool)]
            texts = [a for a in args if isinstance(a, str)]
            if texts:
                message = texts[0]
            if len(nums) >= 2:
                done, total = nums[0], nums[1]
            elif len(nums) == 1:
                if isinstance(nums[0], float) and 0.0 <= nums[0] <= 1.0:
                    fraction = nums[0]
                else:
                    done = nums[0]
        if done is not None:
            state["done"] = int(done)
        if total:
            state["total"] = int(total)
        if fraction is None:
            if state["total"]:
                fraction = min(1.0, state["done"] / state["total"])
            else:
                # Total unknown while fetching: creep towards 90% so the bar still moves.
                fraction = min(0.9, state["done"] / (state["done"] + 10))
        text = str(message) if message else label
        if message in ("store", "fetch"):
            text = {"store": "Parsing, extracting and storing", "fetch": "Fetching"}[message]
        if state["total"]:
            text = f"{text} ({state['done']}/{state['total']})"
        elif state["done"]:
            text = f"{text} ({state['done']} records)"
        bar.progress(max(0.0, min(1.0, float(fraction))), text=text)

    return report


def run_ingest(source: str, targets: list[str], options: dict | None = None, label: str = "Ingesting…"):
    """Run ``KnowledgeBase.ingest`` with a progress bar; clear caches afterwards.

    Returns the IngestReport, or None when the run raised (the error is shown).
    """
    kb = get_kb()
    bar = st.progress(0.0, text=label)
    callback = progress_adapter(bar, label)
    try:
        kwargs: dict[str, Any] = {"options": options or {}}
        if "progress" in inspect.signature(kb.ingest).parameters:
            kwargs["progress"] = callback
        report = kb.ingest(source, targets, **kwargs)
    except Exception as exc:  # noqa: BLE001 - a failed run is reported, the app keeps going
        log.exception("ingest %s failed", source)
        bar.empty()
        st.error(f"Ingest from `{source}` failed: {exc}")
        return None
    finally:
        clear_caches()
    bar.progress(1.0, text="Done")
    return report


def greet_if_empty() -> bool:
    """On an empty knowledge base, show the one-click demo loader; True when empty."""
    if stats().get("documents", 0):
        return False
    s = current_settings()
    st.info(
        f"The knowledge base at `{s.chroma_url or s.home}` is empty. Load the bundled demo corpus "
        "(short summaries of islet and stem-cell trials in type 1 diabetes) to explore the app, "
        "or add your own documents on the **Ingest** page."
    )
    if st.button("Load the demo corpus", type="primary", key="load_demo", icon=":material/download:"):
        report = run_ingest("demo", [], label="Loading the demo corpus…")
        if report is not None:
            flash(f"Loaded the demo corpus: {_report_line(report)}.")
            st.rerun()
    return True


def _report_line(report: Any) -> str:
    fields = ("fetched", "new", "updated", "unchanged")
    parts = [f"{getattr(report, f, 0)} {f}" for f in fields if hasattr(report, f)]
    failed = getattr(report, "failed", []) or []
    parts.append(f"{len(failed)} failed")
    return ", ".join(parts)


def report_line(report: Any) -> str:
    """'12 fetched, 12 new, 0 updated, 0 unchanged, 0 failed'."""
    return _report_line(report)
