"""The Streamlit app: pure render helpers, then every page through AppTest (incl. error states).

AppTest runs the page scripts in this process, so most tests use a fake embedder (patched in for
speed); ``test_app_real_stack`` runs the real embedding model and Chroma end to end.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, SEED
from streamlit.testing.v1 import AppTest

from kb.models import Document, Fact
from kb.ui import present

# --- pure helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,start,end,expected",
    [
        ("a <b> c", 2, 5, 'a <mark style="{m}">&lt;b&gt;</mark> c'),
        ("x & y", None, None, "x &amp; y"),
        ("abc", 5, 9, "abc"),  # offsets outside the text: no mark, still escaped
        ('say "hi"', 4, 8, 'say <mark style="{m}">&quot;hi&quot;</mark>'),
    ],
)
def test_highlight_escapes_every_piece(text, start, end, expected):
    assert present.highlight(text, start, end) == expected.format(m=present.MARK_STYLE)


def test_script_in_document_text_is_escaped_around_the_mark():
    text = "Intro.\n\n<script>alert(1)</script> 10 of 12 (83%) were insulin independent.\n\nEnd."
    quote = "10 of 12 (83%) were insulin independent."
    start = text.index(quote)
    html = present.quote_in_context(text, start, start + len(quote), quote)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f">{present.escape(quote)}</mark>" in html
    # Only the quote's paragraph is shown, with an ellipsis for what was cut.
    assert "Intro." not in html and "End." not in html
    assert html.startswith("… ")


def test_quote_in_context_finds_quote_when_offsets_are_stale():
    text = "First sentence. The quote is here. Last."
    html = present.quote_in_context(text, 0, 5, "The quote is here.")
    assert ">The quote is here.</mark>" in html


def test_context_window_trims_long_paragraphs_to_sentences():
    sentences = [f"Sentence number {i} is here." for i in range(100)]
    text = " ".join(sentences)
    start = text.index("Sentence number 50")
    end = start + len(sentences[50])
    lo, hi = present.context_window(text, start, end, max_chars=200)
    assert lo <= start and hi >= end
    assert hi - lo <= 200
    assert text[lo:].startswith("Sentence number")


def test_source_links_are_validated():
    doc = Document(
        id="pmid:40544428", source="pubmed", text="x", pmid="40544428",
        doi="10.1056/NEJMoa2506549", registry_ids=["NCT04786262", "not-an-id"],
        url="javascript:alert(1)",
    )
    links = dict(present.source_links(doc))
    assert links == {
        "PubMed 40544428": "https://pubmed.ncbi.nlm.nih.gov/40544428/",
        "DOI 10.1056/NEJMoa2506549": "https://doi.org/10.1056/NEJMoa2506549",
        "ClinicalTrials.gov NCT04786262": "https://clinicaltrials.gov/study/NCT04786262",
    }
    web = Document(id="page", source="web", text="x", url="https://example.org/a?b=1")
    assert present.source_links(web) == [("Web page", "https://example.org/a?b=1")]
    # Ids carry their source: a bare document id still links.
    assert present.source_links(doc_id="nct:NCT04786262")[0][1].endswith("/NCT04786262")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "http://", 'https://a.b/"x', None])
def test_safe_url_rejects(url):
    assert present.safe_url(url) is None


def test_wilson_interval_matches_reference():
    lo, hi = present.wilson_interval(10, 12)
    # Reference values for 10/12 (Wilson score, z = 1.96).
    assert lo == pytest.approx(0.5520, abs=1e-3)
    assert hi == pytest.approx(0.9530, abs=1e-3)
    assert present.wilson_interval(12, 12)[1] == pytest.approx(1.0)
    assert present.wilson_interval(0, 5)[0] == pytest.approx(0.0)
    with pytest.raises(ValueError):
        present.wilson_interval(1, 0)


def test_format_fact_value():
    f = Fact(doc="d", kind="outcome", name="insulin_independence", value=83, unit="%", n=10,
             denominator=12, quote="q", start=0, end=1)
    assert present.format_fact_value(f) == "83% (10/12)"
    g = f.model_copy(update={"comparator": ">", "value": 70, "n": None, "denominator": None})
    assert present.format_fact_value(g) == "> 70%"
    d = Fact(doc="d", kind="dose", name="zimislecel", value=8e8, unit="cells", quote="q", start=0, end=1)
    assert present.format_fact_value(d) == "8×10⁸ cells"


def test_proportion_rows_and_chart_spec():
    rows = present.proportion_rows([
        {"therapy": "zimislecel", "outcome": "insulin independence", "trial": "FORWARD",
         "value": 83, "unit": "%", "n": 10, "denominator": 12, "source": "pmid:40544428"},
        {"therapy": "donislecel", "outcome": "insulin independence", "trial": "UIH",
         "value": 61, "unit": "%", "n": None, "denominator": None, "source": "x"},
        {"therapy": "x", "outcome": "hba1c", "trial": "t", "value": 7.1, "unit": "mmol/mol",
         "n": None, "denominator": None, "source": "y"},  # not a proportion: left out
    ])
    assert [r["trial"] for r in rows] == ["FORWARD", "UIH"]
    assert rows[0]["n_over_N"] == "10/12" and rows[0]["ci"] == "55–95%"
    spec = present.proportion_chart(rows).to_dict()
    text = str(spec)
    assert "n_over_N" in text and "ci_low" in text


# --- AppTest: every page ---------------------------------------------------------------------

TIMEOUT = 60
SCRIPT_DOC = (
    "---\ntitle: Notes <script>alert(1)</script> on zimislecel\nsource_type: news\n---\n"
    "Zimislecel news. <script>alert(1)</script> In parts B and C, 10 of the 12 participants (83%) "
    "were insulin independent at day 365. <img src=x onerror=alert(2)>\n"
)


def _app(page: str) -> None:
    """The whole app (router, sidebar, knowledge base) landing on ``page``."""
    from kb.ui import nav

    nav.main(default=page)


def open_page(page: str) -> AppTest:
    return AppTest.from_function(_app, args=(page,), default_timeout=TIMEOUT)


def _fake_embedder(mp: pytest.MonkeyPatch) -> None:
    """Unit tests use the hash embedder (fast); test_app_real_stack uses the real model."""
    import kb.store
    from kb.embed import HashEmbedder

    mp.setattr(kb.store, "get_embedder", lambda settings=None: HashEmbedder())


def _build(home: Path, with_demo: bool = True) -> None:
    from kb.pipeline import KnowledgeBase
    from kb.settings import Settings

    kb = KnowledgeBase.open(Settings(home=home))
    docs = home.parent / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    script = docs / "script_note.md"
    script.write_text(SCRIPT_DOC, encoding="utf-8")
    if with_demo:
        assert not kb.ingest("demo", []).failed
    report = kb.ingest("files", [str(SEED), str(script)])
    assert not report.failed, report.failed


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory) -> Path:
    """A knowledge base with the demo corpus, the seed article and a <script> document
    (hash embedder; built once per module)."""
    home = tmp_path_factory.mktemp("appkb") / "kb"
    with pytest.MonkeyPatch.context() as mp:
        _fake_embedder(mp)
        _build(home)
    return home


def _use(home: Path, monkeypatch) -> Path:
    import streamlit as st

    from kb.settings import get_settings

    monkeypatch.setenv("KB_HOME", str(home))
    monkeypatch.delenv("KB_CHROMA_URL", raising=False)
    get_settings.cache_clear()
    st.cache_data.clear()
    return home


@pytest.fixture
def demo_kb(demo_home, monkeypatch) -> Path:
    """The demo knowledge base for one test; curation decisions are undone afterwards."""
    _fake_embedder(monkeypatch)
    _use(demo_home, monkeypatch)
    curation = demo_home / "curation.jsonl"
    curation.unlink(missing_ok=True)
    yield demo_home
    curation.unlink(missing_ok=True)


@pytest.fixture
def empty_kb(tmp_path, monkeypatch) -> Path:
    _fake_embedder(monkeypatch)
    return _use(tmp_path / "kb", monkeypatch)


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def html_text(at: AppTest) -> str:
    return "\n".join(h.value for h in at.html)


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("page", ["compare", "search", "trial", "review"])
def test_empty_kb_pages_offer_the_demo_corpus(empty_kb, page):
    at = open_page(page).run()
    no_exception(at)
    assert any("is empty" in i.value for i in at.info)
    assert [b.label for b in at.button] == ["Load the demo corpus"]
    assert at.sidebar.metric[0].value == "0"


def test_one_click_loads_the_demo_corpus(empty_kb):
    at = open_page("compare").run()
    at.button(key="load_demo").click().run()
    no_exception(at)
    assert any("Loaded the demo corpus" in s.value for s in at.success)
    frame = at.dataframe[0].value
    assert len(frame) >= 2 and "Insulin independence" in frame.columns
    assert int(at.sidebar.metric[0].value) >= 8


def _zimislecel_row(frame) -> int:
    for i, (trial, value) in enumerate(zip(frame["Trial"], frame["Insulin independence"], strict=True)):
        if trial.startswith("zimislecel") and "83%" in value:
            return i
    raise AssertionError(f"no zimislecel 83% row in\n{frame}")


def test_compare_cell_opens_its_evidence(demo_kb):
    at = open_page("compare").run()
    no_exception(at)
    frame = at.dataframe[0].value
    row = _zimislecel_row(frame)
    assert "(10/12)" in frame["Insulin independence"][row]
    at.session_state["cmp_table"] = {"selection": {"rows": [], "columns": [],
                                                   "cells": [[row, "Insulin independence"]]}}
    at.run()
    no_exception(at)
    html = html_text(at)
    assert "<mark" in html and "10 of the 12 participants (83%)" in html
    assert "<script>" not in html
    links = markdown_text(at)
    assert "https://pubmed.ncbi.nlm.nih.gov/40544428/" in links or "https://doi.org/" in links
    # Curation controls are there, disabled until a reviewer name is typed.
    assert at.button(key=next(b.key for b in at.button if b.key.endswith("_accept"))).disabled


def test_compare_question_and_review_filter(demo_kb):
    at = open_page("compare").run()
    at.text_input(key="cmp_question").input("insulin independence with zimislecel").run()
    no_exception(at)
    frame = at.dataframe[0].value
    assert all(t.startswith("zimislecel") for t in frame["Trial"])
    at.selectbox(key="cmp_review").select("Verified or corrected only").run()
    no_exception(at)
    # Nothing is verified yet: every value cell is empty.
    frame = at.dataframe[0].value
    assert "83%" not in " ".join(frame["Insulin independence"])


def test_export_payloads_carry_provenance(demo_kb):
    from kb.pipeline import KnowledgeBase
    from kb.ui import downloads
    from kb.ui.state import current_settings

    table = KnowledgeBase.open(current_settings()).compare("insulin independence")
    payloads = downloads.table_payloads(table)
    assert set(payloads) == {"csv", "xlsx", "json", "ris", "bibtex"}
    csv_text = payloads["csv"].decode()
    assert "83% (10/12)" in csv_text and "Source" in csv_text.splitlines()[0]
    assert payloads["xlsx"][:2] == b"PK"
    assert json.loads(payloads["json"])["rows"]
    assert "TY  -" in payloads["ris"].decode() and "@" in payloads["bibtex"].decode()


def test_compare_page_has_download_buttons_and_chart(demo_kb):
    at = open_page("compare").run()
    labels = [b.label for b in at.get("download_button")]
    assert labels[:5] == ["CSV", "XLSX", "JSON", "RIS", "BibTeX"]
    charts = at.get("vega_lite_chart")
    assert charts, "the Chart tab renders an Altair chart"
    spec = charts[0].proto.spec
    assert "ci_low" in spec and "n_over_N" in spec  # Wilson bars, n/N on hover


def test_search_highlights_quote_and_escapes_script(demo_kb):
    at = open_page("search").run()
    at.text_input(key="search_query").input("insulin independent 83%").run()
    no_exception(at)
    html = html_text(at)
    assert "<mark" in html
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the document renders as text
    assert [b.label for b in at.get("download_button")][:1] == ["CSV"]


def test_search_with_no_results(demo_kb):
    at = open_page("search").run()
    at.text_input(key="search_query").input("insulin independence").run()
    assert "registry" not in at.selectbox(key="search_source_type").options  # no registry record
    # The <script> news note reports no phase: this filter combination matches nothing.
    at.selectbox(key="search_kind").select("phase")
    at.selectbox(key="search_source_type").select("news").run()
    no_exception(at)
    assert any("No results" in i.value for i in at.info)
    assert not at.html


def test_trial_page_shows_values_with_sources(demo_kb):
    at = open_page("trial").run()
    no_exception(at)
    at.selectbox(key="trial_pick").set_value("nct:NCT04786262").run()
    no_exception(at)
    keys = [d.key for d in at.dataframe]
    assert "trial_tbl_outcomes" in keys
    outcomes = at.dataframe[keys.index("trial_tbl_outcomes")].value
    row = next(i for i, v in enumerate(outcomes["Value"]) if "83%" in v)
    at.session_state["trial_tbl_outcomes"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    no_exception(at)
    assert "<mark" in html_text(at)
    assert [b.label for b in at.get("download_button")][:1] == ["CSV"]
    # A ?trial= link (from Compare or Search) opens that trial.
    linked = open_page("trial")
    linked.query_params["trial"] = "nct:NCT04786262"
    linked.run()
    assert linked.selectbox(key="trial_pick").value == "nct:NCT04786262"


def test_correct_a_value_through_the_ui(demo_kb):
    at = open_page("review").run()
    at.sidebar.text_input(key="kb_reviewer").input("Dr Test").run()
    frame = at.dataframe[0].value
    row = next(i for i, f in enumerate(frame["Fact"]) if "insulin independence" in f and "83%" in f)
    at.session_state["review_tbl"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    no_exception(at)
    key = next(t.key for t in at.text_input if t.key and t.key.endswith("_v"))
    prefix = key[: -len("_v")]
    at.text_input(key=f"{prefix}_note").input("checked against table 2")
    at.text_input(key=f"{prefix}_v").input("84")
    at.get("form_submit_button")  # the form is there
    next(b for b in at.button if b.label == "Save correction").click().run()
    no_exception(at)
    lines = (demo_kb / "curation.jsonl").read_text().splitlines()
    decision = json.loads(lines[-1])
    assert decision["action"] == "correct" and decision["reviewer"] == "Dr Test"
    assert decision["fact"]["value"] == 84 and decision["note"] == "checked against table 2"
    assert any("Corrected" in s.value for s in at.success)
    # The comparison shows the corrected value, marked as corrected.
    at = open_page("compare").run()
    cells = "; ".join(at.dataframe[0].value["Insulin independence"])
    assert re.search(r"84% \(10/12\)[^;]*✎", cells), cells


def test_add_a_value_from_a_sentence(demo_kb):
    at = open_page("trial").run()
    at.sidebar.text_input(key="kb_reviewer").input("Dr Test").run()
    at.selectbox(key="trial_pick").set_value("nct:NCT04786262").run()
    no_exception(at)
    docs = at.selectbox(key="trial_add_doc")
    docs.select_index(next(i for i, o in enumerate(docs.options) if "zimislecel" in o.lower())).run()
    sentences = at.selectbox(key="trial_add_sent")
    wanted = next(i for i, o in enumerate(sentences.options) if "10 of the 12" in o)
    sentences.select_index(wanted).run()
    at.text_input(key="trial_add_name").input("insulin_independence")
    at.text_input(key="trial_add_n").input("10")
    at.text_input(key="trial_add_den").input("12")
    at.text_input(key="trial_add_tp").input("day 365")
    next(b for b in at.button if b.label == "Add value").click().run()
    no_exception(at)
    decision = json.loads((demo_kb / "curation.jsonl").read_text().splitlines()[-1])
    assert decision["action"] == "add" and decision["reviewer"] == "Dr Test"
    fact = decision["fact"]
    assert (fact["n"], fact["denominator"], fact["value"], fact["unit"]) == (10, 12, 83.3, "%")
    assert "10 of the 12" in fact["quote"] and fact["method"] == "human"
    assert any("Added" in s.value for s in at.success)
    # A bad number is refused with a message, nothing is written.
    before = (demo_kb / "curation.jsonl").read_text()
    at.text_input(key="trial_add_name").input("insulin_independence")
    at.text_input(key="trial_add_value").input("eighty")
    next(b for b in at.button if b.label == "Add value").click().run()
    assert any("not a number" in e.value for e in at.error)
    assert (demo_kb / "curation.jsonl").read_text() == before


def test_accept_requires_a_reviewer_name(demo_kb):
    at = open_page("review").run()
    at.session_state["review_tbl"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    accept = next(b for b in at.button if b.label == "Accept")
    assert accept.disabled
    assert any("Reviewer name" in c.value for c in at.caption)


def test_ingest_upload_good_and_bad_files(empty_kb):
    at = open_page("ingest").run()
    no_exception(at)
    legacy = SAMPLES / "ctgov" / "aact__legacy_v1_FullStudiesResponse_results_2.json"
    at.file_uploader(key="ingest_uploads").set_value([
        ("uploaded_note.txt", b"Drug XY-123 was given to 20 participants. 15 of the 20 "
         b"participants (75%) were insulin independent at one year.", "text/plain"),
        ("legacy.json", legacy.read_bytes(), "application/json"),
        ("../../evil name.txt", b"just text", "text/plain"),
    ]).run()
    at.button(key="ingest_files").click().run()
    no_exception(at)
    assert any("finished with errors" in w.value for w in at.warning)
    failures = at.dataframe[0].value
    assert len(failures) == 1 and "legacy" in failures["record"][0]
    assert "v1" in failures["problem"][0] or "retired" in failures["problem"][0]
    assert int(at.sidebar.metric[0].value) == 2
    # The new document is searchable at once (caches were cleared).
    at = open_page("search").run()
    at.text_input(key="search_query").input("XY-123 insulin independent").run()
    no_exception(at)
    assert "XY-123" in html_text(at)


def test_ingest_offline_source_fails_cleanly(empty_kb, monkeypatch):
    monkeypatch.setenv("KB_NCBI_BASE_URL", "http://127.0.0.1:9/eutils")
    monkeypatch.setenv("KB_HTTP_RETRIES", "0")
    at = open_page("ingest").run()
    at.text_area[0].input("40544428")  # the PMIDs tab
    next(b for b in at.button if b.label == "Fetch and ingest").click().run()
    no_exception(at)
    problems = [e.value for e in at.error] + [w.value for w in at.warning]
    assert problems, "an unreachable source is reported, not raised"


def test_app_script_runs(demo_kb):
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"),
                           default_timeout=TIMEOUT).run()
    no_exception(at)
    assert at.title[0].value == "Compare"


@pytest.mark.slow
def test_app_real_stack(tmp_path, monkeypatch):
    """The real embedding model and Chroma: ingest the seed, search it from the Search page."""
    home = _use(tmp_path / "kb", monkeypatch)
    from kb.pipeline import KnowledgeBase
    from kb.settings import Settings

    assert not KnowledgeBase.open(Settings(home=home)).ingest("files", [str(SEED)]).failed
    at = open_page("search").run(timeout=120)
    at.text_input(key="search_query").input("how many participants became insulin independent").run(timeout=120)
    no_exception(at)
    html = html_text(at)
    assert "<mark" in html and "insulin" in html.lower()
    at = open_page("compare").run(timeout=120)
    no_exception(at)
    assert "83% (10/12)" in " ".join(at.dataframe[0].value.get("Insulin independence", []))


def test_upload_names_are_sanitised():
    from kb.ui.ingest import safe_filename, split_targets

    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\x\\report (1).pdf") == "report (1).pdf"
    assert safe_filename("...") == "upload"
    assert split_targets("40544428, 123\n123 ;NCT04786262") == ["40544428", "123", "NCT04786262"]


def test_build_dir_cleanup_is_not_needed():
    # save_uploads writes into the folder it is given and nowhere else.
    import tempfile

    from kb.ui.ingest import save_uploads

    class F:
        def __init__(self, name, data):
            self.name, self._d = name, data

        def getvalue(self):
            return self._d

    tmp = Path(tempfile.mkdtemp())
    try:
        paths = save_uploads([F("a.txt", b"1"), F("a.txt", b"2"), F("../b.md", b"3")], tmp)
        assert [p.name for p in paths] == ["a.txt", "a-2.txt", "b.md"]
        assert all(p.parent == tmp for p in paths)
    finally:
        shutil.rmtree(tmp)


def test_the_app_pages_import_neither_spacy_nor_chroma():
    """ARCHITECTURE: app.py and kb/ui render over the library; the pages themselves must not pull
    in spaCy, Chroma or the embedding model (those load only when the knowledge base opens)."""
    import subprocess
    import sys

    pages = ["nav", "compare", "search", "trial", "review", "ingest", "evidence", "data", "state"]
    code = ("import importlib, sys\n"
            f"for m in {pages!r}: importlib.import_module('kb.ui.' + m)\n"
            "print(sorted(m for m in ('spacy', 'chromadb', 'sentence_transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
