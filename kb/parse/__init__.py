"""Payload -> Documents. The parse stage: bytes from the raw cache (or a local file) become
typed `Document`s with plain text, sections and, for registry records, registry facts.

Public API:
- ``parse_raw(record, settings) -> list[Document]``: a raw-cache record (kb.raw.RawRecord).
- ``parse_file(path) -> list[Document]``: a local file; format from extension + sniffing.
- ``parse_bytes(data, fmt, *, name, meta=None) -> list[Document]``; ``fmt="auto"`` sniffs.
- ``detect_format(path, head) -> str``: one of FORMATS, or ParseError for what we cannot read.
- ``ParseError(ValueError)``: the message names the file/record and the problem.

Formats: text, markdown, html, pdf, pubmed_xml, jats_xml, ctgov_json, europepmc_json.
Every parser works in bounded time and memory: payloads larger than
``Settings.max_parse_bytes`` and texts longer than ``Settings.max_text_chars`` are refused,
XML is parsed without DTDs, entities or network, and documents declaring entities are refused.

``meta`` keys understood: ``source`` (Document.source; default "file"), ``filename`` (its stem
is the document id of single-document local files), ``doc_id`` (overrides that id), ``url``,
``source_type`` (for text/html/pdf), ``format``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kb.models import Document
from kb.parse.common import Ctx, Limits, ParseError, mb, parse_json, parse_xml
from kb.parse.ids import find_ids, normalise_id
from kb.settings import Settings, get_settings

__all__ = [
    "FORMATS",
    "ParseError",
    "detect_format",
    "find_ids",
    "normalise_id",
    "parse_bytes",
    "parse_file",
    "parse_raw",
]

FORMATS = ("text", "markdown", "html", "pdf", "pubmed_xml", "jats_xml", "ctgov_json",
           "europepmc_json")
_EXT_FORMAT = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf",
}
_XML_EXT = {".xml", ".nxml"}
_JSON_EXT = {".json"}
# Extensions we know we cannot read: a clear message beats sniffing a zip archive as text.
_UNSUPPORTED = {".docx", ".doc", ".xlsx", ".xls", ".pptx", ".zip", ".gz", ".tar", ".png",
                ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".exe", ".bin", ".rtf", ".odt",
                ".epub", ".csv", ".tsv", ".ris", ".bib"}
_DOC_SOURCE = {"files": "file", "url": "web"}
_XML_ROOT = re.compile(rb"<(?![?!])([A-Za-z_][\w.:-]*)")


def _xml_format(head: bytes, name: str) -> str:
    m = _XML_ROOT.search(head)
    root = m.group(1).decode("ascii", "replace").split(":")[-1] if m else ""
    if root in {"PubmedArticleSet", "PubmedArticle"}:
        return "pubmed_xml"
    if root in {"pmc-articleset", "article"}:
        return "jats_xml"
    if not root:
        return "xml"  # root beyond the sniffed head (long prolog) or not XML: the parser decides
    hint = {
        "eSearchResult": "an NCBI esearch result holds ids only; fetch the records with efetch",
        "responseWrapper": "Europe PMC XML is not supported; request format=json",
        "eSummaryResult": "an NCBI esummary result; fetch the records with efetch",
    }.get(root, "supported XML is PubMed efetch (PubmedArticleSet) or JATS (article)")
    raise ParseError(name, f"unsupported XML document <{root}>: {hint}")


def _json_format(head: bytes, name: str) -> str:
    text = head.decode("utf-8", "replace")
    if re.search(r'"(FullStudiesResponse|StudyFieldsResponse|protocolSection|studies)"', text):
        return "ctgov_json"
    if re.search(r'"(resultList|hitCount)"', text):
        return "europepmc_json"
    if '"esearchresult"' in text or '"header"' in text and '"esearch"' in text:
        raise ParseError(name, "an NCBI esearch result holds ids only; fetch the records with "
                               "efetch (XML)")
    return "json"  # decided after a full parse (the head may not show the keys)


def detect_format(path: Path | str, head: bytes) -> str:
    """The parser format for a file, from its extension and its first bytes.

    ``head`` should be at least the first 8 KB. Raises ParseError for empty files and for
    formats the project cannot read (with what to do instead where there is a better way).
    May return "json" when the head does not settle which JSON format it is; parse_bytes
    settles that after parsing.
    """
    path = Path(path)
    name = str(path)
    ext = path.suffix.lower()
    if not head.strip():
        raise ParseError(name, "file is empty")
    if ext in _UNSUPPORTED:
        raise ParseError(name, f"unsupported file type {ext}")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"%PDF") or ext == ".pdf":
        return "pdf"
    if ext in _EXT_FORMAT and ext not in {".html", ".htm", ".xhtml"}:
        return _EXT_FORMAT[ext]
    if ext in {".html", ".htm", ".xhtml"}:
        return "html"
    if ext in _XML_EXT:
        return _xml_format(head, name)
    if ext in _JSON_EXT:
        return _json_format(head, name)
    # No (or an unknown) extension: sniff.
    low = stripped[:512].lower()
    if low.startswith(b"<!doctype html") or low.startswith(b"<html") or b"<html" in low:
        return "html"
    if low.startswith(b"<?xml") or low.startswith(b"<"):
        return _xml_format(head, name)
    if low.startswith(b"{") or low.startswith(b"["):
        return _json_format(head, name)
    if ext and ext not in {".log", ".asc", ""}:
        raise ParseError(name, f"unsupported file type {ext}")
    return "text"


def _stem(name: str) -> str:
    return Path(name).stem or name


def parse_bytes(data: bytes, fmt: str, *, name: str, meta: dict | None = None,
                settings: Settings | None = None, raw_path: str | None = None) -> list[Document]:
    """Parse one payload. ``fmt`` is one of FORMATS or "auto"; ``name`` is used in errors and,
    without ``meta['filename']``/``meta['doc_id']``, its stem is the id of a single-document
    file. Raises ParseError (never another exception type) for anything unreadable."""
    meta = dict(meta or {})
    limits = Limits.from_settings(settings or get_settings())
    if len(data) > limits.max_bytes:
        raise ParseError(name, f"file is {mb(len(data))}, larger than the {mb(limits.max_bytes)} "
                               "limit (KB_MAX_PARSE_BYTES)")
    if not data.strip():
        raise ParseError(name, "file is empty")
    if fmt in {"auto", "", None}:
        fmt = detect_format(meta.get("filename") or name, data[:8192])
    stem = str(meta.get("doc_id") or _stem(str(meta.get("filename") or name)))
    ctx = Ctx(name=name, stem=stem, source=str(meta.get("source") or "file"), meta=meta,
              limits=limits, raw_path=raw_path)
    try:
        return _dispatch(data, fmt, ctx)
    except ParseError:
        raise
    except RecursionError:
        raise ParseError(name, "document nested too deeply") from None
    except MemoryError:
        raise ParseError(name, "document too large to parse in memory") from None
    except Exception as exc:  # a parser bug on odd input must still name the file
        raise ParseError(name, f"unexpected {fmt} structure ({exc.__class__.__name__}: {exc})") \
            from exc


def _dispatch(data: bytes, fmt: str, ctx: Ctx) -> list[Document]:
    if fmt == "text":
        from kb.parse.text import parse_text
        return parse_text(data, ctx)
    if fmt == "markdown":
        from kb.parse.text import parse_markdown
        return parse_markdown(data, ctx)
    if fmt == "html":
        from kb.parse.text import parse_html
        return parse_html(data, ctx)
    if fmt == "pdf":
        from kb.parse.text import parse_pdf
        return parse_pdf(data, ctx)
    if fmt in {"pubmed_xml", "jats_xml", "xml"}:
        root = parse_xml(data, ctx.name)
        from kb.parse.common import local
        tag = local(root.tag)
        if tag in {"PubmedArticleSet", "PubmedArticle"}:
            from kb.parse.pubmed import parse_pubmed
            return parse_pubmed(root, ctx)
        if tag in {"article", "pmc-articleset"}:
            from kb.parse.jats import parse_jats
            return parse_jats(root, ctx)
        raise ctx.error(f"unsupported XML document <{tag}>: expected PubmedArticleSet or "
                        "a JATS article")
    if fmt in {"ctgov_json", "europepmc_json", "json"}:
        obj = parse_json(data, ctx.name)
        from kb.parse.ctgov import is_v1, parse_ctgov
        if fmt == "ctgov_json" or is_v1(obj) or _looks_ctgov(obj):
            return parse_ctgov(obj, ctx)
        if isinstance(obj, dict) and ("resultList" in obj or "hitCount" in obj):
            from kb.parse.europepmc import parse_europepmc
            return parse_europepmc(obj, ctx)
        if fmt == "europepmc_json":
            raise ctx.error("not a Europe PMC search response (no resultList)")
        if isinstance(obj, dict) and isinstance(obj.get("abstract"), str) \
                and (obj.get("title") or obj.get("pmid") or obj.get("doi")):
            from kb.parse.europepmc import parse_abstract_json
            return parse_abstract_json(obj, ctx)
        raise ctx.error("unrecognised JSON: expected a ClinicalTrials.gov API v2 study, a "
                        "Europe PMC search response or a {title, abstract} record")
    raise ctx.error(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def _looks_ctgov(obj: Any) -> bool:
    if isinstance(obj, dict):
        return "protocolSection" in obj or (isinstance(obj.get("studies"), list))
    return isinstance(obj, list) and bool(obj) and isinstance(obj[0], dict) \
        and "protocolSection" in obj[0]


def parse_file(path: Path | str, settings: Settings | None = None,
               source: str = "file") -> list[Document]:
    """Parse a local file (format from extension + content). Raises ParseError naming the
    file for anything unreadable, including files past the size cap (checked before reading)."""
    path = Path(path)
    settings = settings or get_settings()
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ParseError(name, f"cannot read file ({exc.strerror or exc})") from None
    if not path.is_file():
        raise ParseError(name, "not a regular file")
    if size > settings.max_parse_bytes:
        raise ParseError(name, f"file is {mb(size)}, larger than the "
                               f"{mb(settings.max_parse_bytes)} limit (KB_MAX_PARSE_BYTES)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(name, f"cannot read file ({exc.strerror or exc})") from None
    fmt = detect_format(path, data[:8192])
    return parse_bytes(data, fmt, name=name, meta={"source": source, "filename": path.name},
                       settings=settings)


def parse_raw(record: Any, settings: Settings | None = None) -> list[Document]:
    """Parse a raw-cache record (kb.raw.RawRecord); documents carry ``raw_path``."""
    settings = settings or get_settings()
    path = settings.home / record.path
    name = str(record.meta.get("filename") or record.path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(name, f"raw payload missing or unreadable ({exc.strerror or exc})") \
            from None
    meta = dict(record.meta)
    # Document.source names the kind of origin; the "files" source yields local "file" docs.
    meta["source"] = _DOC_SOURCE.get(record.source, record.source)
    return parse_bytes(data, record.fmt or "auto", name=name, meta=meta, settings=settings,
                       raw_path=record.path)
