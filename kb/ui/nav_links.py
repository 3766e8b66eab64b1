"""Links between pages (the page objects are registered by ``kb.ui.nav`` on each run)."""

from __future__ import annotations

import streamlit as st

_PAGES: dict[str, object] = {}


def register(pages: dict[str, object]) -> None:
    _PAGES.clear()
    _PAGES.update(pages)


def trial_link(trial_id: str, label: str = "Open the trial page") -> None:
    """A link to the Trial page for one trial (skipped when pages are not registered, e.g. in
    a single-page test)."""
    page = _PAGES.get("trial")
    if page is not None:
        st.page_link(page, label=label, icon=":material/science:", query_params={"trial": trial_id})
