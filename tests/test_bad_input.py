"""Issue 8, bad input: every hostile or broken payload gets one ParseError naming the file and
the problem, in bounded time and memory; a batch of files continues past the bad ones.

Big fixtures (50 MB text, entity bombs, many-page PDFs) are generated in tmp_path, never
committed.
"""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest
from conftest import SAMPLES

from ingest import SOURCES, Failure, FetchContext
from kb.parse import ParseError, parse_bytes, parse_file, parse_raw
from kb.raw import RawRecord
from kb.settings import Settings

PUBMED = (SAMPLES / "pubmed" / "biopython__Tests_Entrez_pubmed1.xml").read_bytes()
CTGOV = (SAMPLES / "ctgov" / "aact__NCT02278341.json").read_bytes()

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<ArticleTitle>&lol9;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<ArticleTitle>&xxe;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"""

XXE_PARAM = b"""<?xml version="1.0"?>
<!DOCTYPE article [<!ENTITY % dtd SYSTEM "http://127.0.0.1:9/evil.dtd"> %dtd;]>
<article><front><article-meta><title-group><article-title>x</article-title></title-group>
</article-meta></front></article>"""

# An external DTD reference (as real efetch output has) must never be fetched or read.
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet SYSTEM "file:///etc/passwd">
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Article>
<ArticleTitle>Safe title</ArticleTitle></Article></MedlineCitation></PubmedArticle>
</PubmedArticleSet>"""


def _expect_error(path_or_data, fmt="auto", name="bad.bin", match=None, settings=None,
                  seconds=5.0) -> ParseError:
    t0 = time.monotonic()
    with pytest.raises(ParseError) as err:
        if isinstance(path_or_data, Path):
            parse_file(path_or_data, settings=settings)
        else:
            parse_bytes(path_or_data, fmt, name=name, settings=settings)
    assert time.monotonic() - t0 < seconds
    msg = str(err.value)
    expected_name = str(path_or_data) if isinstance(path_or_data, Path) else name
    assert msg.startswith(expected_name + ": "), msg
    if match:
        assert match in msg, msg
    return err.value


@pytest.mark.parametrize("data,fmt,match", [
    (PUBMED[: len(PUBMED) // 2], "pubmed_xml", "malformed XML"),
    (b"<PubmedArticleSet><PubmedArticle>", "pubmed_xml", "malformed XML"),
    (CTGOV[: len(CTGOV) // 3], "ctgov_json", "malformed JSON"),
    (b'{"protocolSection": ', "auto", "malformed JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "ctgov_json", "nested too deeply"),
    (BILLION_LAUGHS, "pubmed_xml", "entities"),
    (XXE, "pubmed_xml", "entities"),
    (XXE_PARAM, "jats_xml", "entities"),
    (b'{"FullStudiesResponse": {"FullStudies": []}}', "auto", "retired ClinicalTrials.gov classic (v1)"),
    (b'{"protocolSection": {"identificationModule": {"nctId": 5}}}', "ctgov_json", "nctId"),
    (b'{"protocolSection": "oops"}', "ctgov_json", "protocolSection"),
    (b'{"resultList": {"result": []}}', "europepmc_json", "no results"),
    (b"<PubmedArticleSet></PubmedArticleSet>", "pubmed_xml", "no PubmedArticle"),
    (b"<html><body><script>x()</script></body></html>", "html", "no readable text"),
    (b"\xff\xfe\x00\xd8", "text", "UTF-16"),
])
def test_malformed_payloads(data, fmt, match):
    err = _expect_error(data, fmt, name="payload", match=match)
    assert "/etc/passwd" not in str(err) or "SYSTEM" not in str(err)


def test_bomb_is_refused_without_expansion():
    # Refused by the prescan: no expansion, so well under a second and no memory growth.
    t0 = time.monotonic()
    _expect_error(BILLION_LAUGHS, "auto", name="bomb.xml", match="entity-expansion")
    assert time.monotonic() - t0 < 1.0


def test_external_dtd_is_not_loaded():
    [doc] = parse_bytes(EXTERNAL_DTD, "pubmed_xml", name="ext.xml")
    assert doc.text == "Safe title" and "root:" not in doc.text


def test_ctgov_wrong_types_inside_modules_are_parse_errors():
    study = json.loads(CTGOV)
    study["protocolSection"]["armsInterventionsModule"] = {"armGroups": "not a list"}
    _expect_error(json.dumps(study).encode(), "ctgov_json", name="types.json",
                  match="unexpected ctgov_json structure")


@pytest.mark.parametrize("ext", ["txt", "md", "html", "xml", "json", ""])
def test_binary_junk_with_a_text_extension(tmp_path, ext):
    path = tmp_path / (f"junk.{ext}" if ext else "junk")
    path.write_bytes(os.urandom(4096) + b"\x00" * 64)
    err = _expect_error(path)
    assert any(w in err.problem for w in ("binary", "malformed", "not an XML", "unrecognised",
                                           "not valid UTF-8", "unsupported")), err.problem


@pytest.mark.parametrize("name", ["empty.txt", "empty.xml", "empty.json", "empty.pdf",
                                  "blank.md"])
def test_empty_files(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"" if not name.startswith("blank") else b"  \n\n\t\n")
    _expect_error(path, match="empty")


def test_front_matter_only_markdown_has_no_text(tmp_path):
    path = tmp_path / "fm.md"
    path.write_text("---\nsource_type: summary\n---\n")
    _expect_error(path, match="no readable text")


def test_invalid_utf8_json(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes('{"protocolSection": {"x": "caf\xe9"}}'.encode("latin-1"))
    _expect_error(path, match="not valid UTF-8")


def test_non_utf8_text_is_decoded_not_rejected(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Na\xefve r\xe9sum\xe9 of 12 participants.".encode("latin-1"))
    [doc] = parse_file(path)
    assert doc.text == "Na\xefve r\xe9sum\xe9 of 12 participants."


def test_fifty_megabyte_text_rejected_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        chunk = b"insulin independence was reported in 10 of 12 participants. " * 16_384
        while fh.tell() < 50_000_000:
            fh.write(chunk)
    err = _expect_error(path, match="larger than the 25.0 MB limit (KB_MAX_PARSE_BYTES)",
                        seconds=2.0)
    assert "50." in err.problem or "51." in err.problem


def test_text_over_char_cap_rejected(tmp_path):
    settings = Settings(home=tmp_path / "kb", max_text_chars=1000)
    _expect_error(b"word " * 1000, "text", name="long.txt", settings=settings,
                  match="KB_MAX_TEXT_CHARS")


# --- PDFs -----------------------------------------------------------------------------------


def _pdf_bytes(pages: int = 1, text: str = "Insulin independence in 10 of 12.") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for i in range(pages):
        pdf.add_page()
        pdf.cell(0, 10, f"{text} Page {i + 1}.")
    return bytes(pdf.output())


def test_pdf_broken_header_only():
    _expect_error(b"%PDF-1.7\n%garbage garbage\n", "pdf", name="broken.pdf", match="PDF")


def test_pdf_truncated_is_error_or_readable(tmp_path):
    data = _pdf_bytes(3)
    cut = data[: len(data) // 2]
    try:
        docs = parse_bytes(cut, "pdf", name="cut.pdf")
    except ParseError as exc:
        assert str(exc).startswith("cut.pdf: ")
    else:  # pypdf recovered the pages before the cut: that text is real
        assert "Insulin independence" in docs[0].text


def test_pdf_not_a_pdf_with_pdf_extension(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"just some words, not a PDF at all")
    _expect_error(path, match="no %PDF header")


def test_pdf_encrypted_needs_password():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_pdf_bytes())).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    _expect_error(buf.getvalue(), "pdf", name="locked.pdf", match="encrypted PDF")


def test_pdf_encrypted_with_empty_password_is_readable():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_pdf_bytes())).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    [doc] = parse_bytes(buf.getvalue(), "pdf", name="open.pdf")
    assert "Insulin independence in 10 of 12." in doc.text


def test_pdf_too_many_pages(tmp_path):
    settings = Settings(home=tmp_path / "kb", pdf_max_pages=3)
    _expect_error(_pdf_bytes(5), "pdf", name="long.pdf", settings=settings,
                  match="5 pages, more than the 3-page limit")


def test_pdf_without_text_layer():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)  # drawing only, like a scan without OCR
    _expect_error(bytes(pdf.output()), "pdf", name="scan.pdf", match="no text layer")


def test_pdf_over_size_cap(tmp_path):
    settings = Settings(home=tmp_path / "kb", max_parse_bytes=1000)
    _expect_error(_pdf_bytes(3), "pdf", name="big.pdf", settings=settings,
                  match="KB_MAX_PARSE_BYTES")


# --- batches continue ----------------------------------------------------------------------


def test_files_batch_continues_past_bad_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Zimislecel: 10 of 12 participants were insulin independent.")
    (folder / "study.json").write_bytes(CTGOV)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.md").write_bytes(os.urandom(2048) + b"\x00")
    (folder / "bomb.xml").write_bytes(BILLION_LAUGHS)
    (folder / "legacy.json").write_bytes(
        (SAMPLES / "ctgov" / "aact__legacy_v1_FullStudiesResponse_results_2.json").read_bytes())
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "trunc.xml").write_bytes(PUBMED[:500])
    settings = Settings(home=tmp_path / "kb")
    ctx = FetchContext(settings=settings)
    failures: dict[str, str] = {}
    docs = []
    for item in SOURCES["files"].fetch([str(folder)], ctx):
        if isinstance(item, Failure):
            failures[Path(item.target).name] = item.reason
            continue
        assert isinstance(item, RawRecord)
        try:
            docs.extend(parse_raw(item, settings))
        except ParseError as exc:
            failures[Path(exc.name).name] = exc.problem
    assert sorted(d.id for d in docs) == ["good", "nct:NCT02552212"]
    assert set(failures) == {"empty.txt", "junk.md", "bomb.xml", "legacy.json", "picture.png",
                             "trunc.xml"}
    assert "empty" in failures["empty.txt"]
    assert "retired" in failures["legacy.json"]
    assert "unsupported file type .png" in failures["picture.png"]
