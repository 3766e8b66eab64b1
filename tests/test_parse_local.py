"""Local text-like formats: plain text, Markdown with front matter, HTML, PDF (fpdf2-made)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.parse import detect_format, parse_bytes, parse_file
from kb.parse.ids import find_ids, normalise_id

FIXTURES = Path(__file__).parent / "fixtures" / "files"


def _offsets_ok(doc) -> None:
    for sec in doc.sections:
        assert 0 <= sec.start < sec.end <= len(doc.text)


def test_html_main_text_without_markup_scripts_or_navigation():
    [doc] = parse_file(FIXTURES / "trial_news.html")
    assert doc.id == "trial_news" and doc.source_type == "news"
    assert doc.title == "Islet trial update: insulin independence at one year"
    assert "10 of 12 participants were insulin independent at day 365." in doc.text
    assert "Neutropenia was reported in 3 participants & two deaths" in doc.text
    for junk in ["DO_NOT_INDEX_SCRIPT", "INLINE_SCRIPT_IN_ARTICLE", "NAV_MENU_ITEM",
                 "SITE_BANNER", "ASIDE_RELATED_LINKS", "FOOTER_COPYRIGHT", "NOSCRIPT_TEXT",
                 "font-family", "<p>", "<b>", "&amp;"]:
        assert junk not in doc.text, junk
    assert "- First point" in doc.text and "Arm | N" in doc.text and "Full dose | 12" in doc.text
    assert [s.title for s in doc.sections] == [
        "Islet trial update: insulin independence at one year", "Safety"]
    safety = doc.sections[1]
    assert doc.text[safety.start:safety.end].startswith("Safety\n\nNeutropenia")
    assert doc.doi == "10.9999/example.2025.001"
    assert "nct:NCT04786262" in doc.cites and "doi:10.1056/nejmoa2506549" in doc.cites
    _offsets_ok(doc)


def test_html_without_article_uses_body_and_title():
    html = b"<html><head><title>T</title></head><body><div>Hello <i>world</i>.</div>" \
           b"<script>x()</script><p>Second.</p></body></html>"
    [doc] = parse_bytes(html, "html", name="page.html")
    assert doc.text == "Hello world.\n\nSecond." and doc.title == "T"
    assert doc.source_type == "other"


def test_html_without_article_finds_the_story_among_page_furniture():
    """An older news page: no <article> or <main>, menus and a cookie banner in plain <div>s."""
    story = ("Ten of the 12 participants were insulin independent one year after a single "
             "infusion of the stem-cell-derived islets. ")
    html = (
        "<html><head><title>Islet news</title></head><body>"
        "<div class='menu'><a href='/'>Home</a> | <a href='/news'>News</a> | <a href='/x'>Jobs</a></div>"
        f"<div class='content'><h1>Islet news</h1><p>{story * 3}</p>"
        "<p>Neutropenia was reported in three participants during the study period.</p></div>"
        "<div class='cookie-banner'>We use cookies. Accept all cookies to continue browsing.</div>"
        "<div class='related'><a href='/a'>Related story one</a> <a href='/b'>Related story two</a></div>"
        "</body></html>"
    ).encode()
    [doc] = parse_bytes(html, "html", name="old_news.html")
    assert story.strip() in doc.text
    assert "Neutropenia was reported in three participants" in doc.text
    for junk in ("Jobs", "cookies", "Related story"):
        assert junk not in doc.text, junk


def test_markdown_front_matter():
    [doc] = parse_file(FIXTURES / "summary_with_front_matter.md")
    assert doc.id == "summary_with_front_matter"
    assert doc.title == "Fixture summary: a made-up islet trial"
    assert doc.source_type == "summary" and doc.year == 2024
    assert doc.doi == "10.9999/fixture.2025.002" and doc.pmid == "12345678"
    assert doc.registry_ids == ["nct:NCT01234567", "isrctn:ISRCTN12345678"]
    assert doc.journal == "Journal of Fixtures" and doc.authors == ["Doe J", "Roe R"]
    assert doc.text.startswith("Fixture summary: a made-up islet trial\n\n")
    # Markup removed: emphasis, strong, links (their text stays).
    assert "Summary written for the trial-kb tests." in doc.text and "*" not in doc.text
    assert "In the full-dose group, 10 of the 12 participants (83%)" in doc.text
    assert "See the registry." in doc.text and "](" not in doc.text
    for c in ["doi:10.1056/nejmoa2506549", "pmid:40544428", "nct:NCT04786262",
              "chictr:ChiCTR2300072200"]:
        assert c in doc.cites, c
    assert "doi:10.9999/fixture.2025.002" not in doc.cites  # its own id
    assert [s.title for s in doc.sections] == ["Results", "Safety"]
    results = doc.sections[0]
    assert doc.text[results.start:results.end].startswith("Results\n\nIn the full-dose")
    assert doc.text[results.start:results.end].endswith("See the registry.")
    _offsets_ok(doc)


def test_markdown_demo_id_and_source_type_from_front_matter():
    data = b"---\nid: demo-1\nsource_type: summary\ntitle: X\n---\n# Heading\n\nBody.\n"
    [doc] = parse_bytes(data, "markdown", name="whatever.md", meta={"source": "demo"})
    assert doc.id == "demo-1" and doc.source == "demo" and doc.title == "X"
    assert doc.text == "Heading\n\nBody.\n"


def test_markdown_without_front_matter_uses_h1():
    [doc] = parse_bytes(b"# The title\n\nText with `code`.\n", "markdown", name="n.md")
    assert doc.title == "The title" and doc.source_type == "other"
    assert "Text with code." in doc.text


def test_text_cp1252_fallback():
    [doc] = parse_file(FIXTURES / "cp1252_note.txt")
    assert doc.text.startswith("Café au lait")
    assert "(83%) \u2013 see PMID: 40544428." in doc.text
    assert doc.cites == ["pmid:40544428"]


def test_text_utf16_with_bom():
    data = "Zimislecel note \u00d7 10\u2079 cells".encode("utf-16")
    [doc] = parse_bytes(data, "text", name="u16.txt")
    assert doc.text == "Zimislecel note \u00d7 10\u2079 cells"


def test_plain_text_keeps_text_and_finds_ids():
    [doc] = parse_file(FIXTURES / "plain_note.txt")
    assert doc.title == "Plain note for the trial-kb tests"
    assert doc.text == (FIXTURES / "plain_note.txt").read_text("utf-8")
    assert doc.cites == ["nct:NCT04786262", "doi:10.1056/nejmoa2506549"]


def _make_pdf(path: Path, pages: list[str], title: str | None = "Fixture PDF") -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 10, text)
    pdf.output(str(path))
    return path


def test_pdf_text_layer_one_section_per_page(tmp_path):
    path = _make_pdf(tmp_path / "trial report.pdf", [
        "Insulin independence: 10 of 12 participants (83%) at day 365.",
        "Registered as NCT04786262.",
    ])
    assert detect_format(path, path.read_bytes()[:8192]) == "pdf"
    [doc] = parse_file(path)
    assert doc.id == "trial report" and doc.title == "Fixture PDF"
    assert "10 of 12 participants (83%) at day 365." in doc.text
    assert [s.title for s in doc.sections] == ["page 1", "page 2"]
    assert doc.text[doc.sections[1].start:doc.sections[1].end] == "Registered as NCT04786262."
    assert doc.cites == ["nct:NCT04786262"]


def test_pdf_sniffed_without_extension(tmp_path):
    path = _make_pdf(tmp_path / "download", ["Text layer here."], title=None)
    [doc] = parse_file(path)
    assert doc.text == "Text layer here." and doc.title == "Text layer here."


@pytest.mark.parametrize("raw,norm", [
    ("https://doi.org/10.1056/NEJMoa2506549", "doi:10.1056/nejmoa2506549"),
    ("doi:10.1016/0005-2795(76)90109-4", "doi:10.1016/0005-2795(76)90109-4"),
    ("NCT04786262", "nct:NCT04786262"),
    ("nct04786262", "nct:NCT04786262"),
    ("ChiCTR2300072200", "chictr:ChiCTR2300072200"),
    ("ISRCTN12345678", "isrctn:ISRCTN12345678"),
    ("2015-001894-41", "eudract:2015-001894-41"),
    ("PMC8714853", "pmcid:PMC8714853"),
    ("pmid:040544428", "pmid:40544428"),
    ("not an id", None),
])
def test_normalise_id(raw, norm):
    assert normalise_id(raw) == norm


def test_find_ids_in_text():
    text = ("Trial NCT04786262 (EudraCT 2015-001894-41; ISRCTN 12345678) was reported "
            "(doi:10.1056/NEJMoa2506549.) and PMID: 40544428; see PMC8714853.")
    assert find_ids(text) == ["nct:NCT04786262", "eudract:2015-001894-41",
                              "isrctn:ISRCTN12345678", "doi:10.1056/nejmoa2506549",
                              "pmid:40544428", "pmcid:PMC8714853"]
