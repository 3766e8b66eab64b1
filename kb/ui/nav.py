"""The app's router: page config, sidebar (knowledge-base numbers, reviewer name), and the
page table for ``st.navigation``. Pages are render functions, one module each."""

from __future__ import annotations

import streamlit as st

from kb.ui import nav_links, state


def pages(default: str = "compare") -> dict[str, object]:
    """The app's pages by url path, in menu order; ``default`` is the landing page (Compare)."""
    from kb.ui import compare, ingest, review, search, trial

    table = [
        ("compare", compare.render, "Compare", ":material/table_chart:"),
        ("search", search.render, "Search", ":material/search:"),
        ("trial", trial.render, "Trial", ":material/science:"),
        ("review", review.render, "Review", ":material/fact_check:"),
        ("ingest", ingest.render, "Ingest", ":material/upload_file:"),
    ]
    return {
        path: st.Page(fn, title=title, icon=icon, url_path=path, default=path == default)
        for path, fn, title, icon in table
    }


def sidebar() -> None:
    """Knowledge-base numbers and the reviewer name (typed once, kept for the session)."""
    with st.sidebar:
        s = state.current_settings()
        numbers = state.stats()
        st.caption("Knowledge base")
        cols = st.columns(2)
        cols[0].metric("Documents", numbers.get("documents", 0))
        cols[1].metric("Trials", numbers.get("trials", 0))
        cols[0].metric("Facts", numbers.get("facts", 0))
        cols[1].metric("Passages", numbers.get("passages", 0))
        st.caption(f"`{s.chroma_url or s.home}`")
        st.text_input(
            "Reviewer name",
            key=state.REVIEWER_KEY,
            placeholder="typed once per session",
            help="Recorded with every accept / correct / reject decision you make.",
        )


def main(default: str = "compare") -> None:
    """Run the app: page config, navigation, the knowledge base, the sidebar, the page.
    ``default`` picks the landing page (tests start on any page with it)."""
    st.set_page_config(page_title="trial-kb", page_icon=":material/biotech:", layout="wide")
    table = pages(default)
    nav_links.register(table)
    page = st.navigation(list(table.values()))
    state.get_kb()
    sidebar()
    state.show_flash()
    page.run()
