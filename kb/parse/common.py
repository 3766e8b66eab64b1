"""Pieces every parser shares: the error type, safe XML/JSON loading, text decoding, and a
builder that assembles a document's text while recording section offsets."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from kb.models import Section
from kb.settings import Settings


class ParseError(ValueError):
    """A payload that cannot be parsed; the message names the file/record and the problem."""

    def __init__(self, name: str, problem: str):
        self.name = name
        self.problem = problem
        super().__init__(f"{name}: {problem}")


@dataclass(frozen=True)
class Limits:
    """Size bounds taken from Settings (see kb.settings 'parse limits')."""

    max_bytes: int = 25_000_000
    max_chars: int = 5_000_000
    pdf_max_pages: int = 500

    @classmethod
    def from_settings(cls, settings: Settings | None) -> Limits:
        if settings is None:
            return cls()
        return cls(settings.max_parse_bytes, settings.max_text_chars, settings.pdf_max_pages)


def mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


# --- text decoding -----------------------------------------------------------------------

# C0 controls other than tab, newline, carriage return, form feed: in real text they are rare.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Bytes -> (text, encoding). UTF-8 (with or without BOM), UTF-16 with BOM, then cp1252,
    then latin-1 (which always decodes). Binary content is rejected: NUL bytes or many control
    characters mean this is not text, whatever the file extension says."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, enc = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ParseError(name, f"undecodable UTF-16 text ({exc.reason})") from None
    else:
        for enc in ("utf-8-sig", "cp1252", "latin-1"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    sample = text[:200_000]
    controls = len(_CONTROL.findall(sample))
    if "\x00" in sample or controls > max(8, len(sample) // 100):
        raise ParseError(name, "binary content, not text (wrong file extension?)")
    return text, enc


_ASCII_WS = re.compile(r"[ \t\n\r\f\v]+")


def clean_ws(text: str) -> str:
    """Collapse runs of ASCII whitespace (XML pretty-printing) into single spaces. Unicode
    spaces (thin space, no-break space) are content, kept as the source gives them."""
    return _ASCII_WS.sub(" ", text).strip(" ")


# --- XML ---------------------------------------------------------------------------------

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse untrusted XML: no DTD loading, no network, no entity resolution, no huge trees.

    Documents that declare entities are refused outright: real PubMed/JATS/Europe PMC payloads
    never do, while external entities (XXE) and expansion bombs ("billion laughs") need them.
    """
    if _ENTITY_DECL.search(data):
        raise ParseError(name, "XML declares entities (<!ENTITY>): refused as a possible "
                               "external-entity or entity-expansion attack")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(name, f"malformed XML ({exc.msg or exc})") from None
    except ValueError as exc:  # e.g. encoding declaration conflicts
        raise ParseError(name, f"malformed XML ({exc})") from None
    if root is None:
        raise ParseError(name, "empty XML document")
    return root


def local(tag: Any) -> str:
    """Tag name without namespace ('{ns}article' -> 'article'); '' for comments/PIs."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def itertext(el: etree._Element | None, skip: frozenset[str] = frozenset()) -> str:
    """All text under an element in document order, skipping subtrees with tags in ``skip``."""
    if el is None:
        return ""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if local(child.tag) not in skip:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return "".join(parts)


# --- JSON --------------------------------------------------------------------------------


def parse_json(data: bytes, name: str) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParseError(name, "JSON is not valid UTF-8") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(name, f"malformed JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise ParseError(name, "JSON nested too deeply") from None


# --- text assembly -----------------------------------------------------------------------


@dataclass
class TextBuilder:
    """Appends paragraphs to a document text and remembers where each one is.

    ``add`` returns the (start, end) of the paragraph just added, so facts and sections can
    point into the final text exactly (``text[start:end] == paragraph``).
    """

    parts: list[str] = field(default_factory=list)
    length: int = 0
    sections: list[Section] = field(default_factory=list)
    _title: str | None = None
    _start: int | None = None

    def add(self, paragraph: str, sep: str = "\n\n") -> tuple[int, int]:
        if self.parts and sep:
            self.parts.append(sep)
            self.length += len(sep)
        start = self.length
        self.parts.append(paragraph)
        self.length += len(paragraph)
        if self._title is not None and self._start is None:
            self._start = start
        return start, self.length

    def begin(self, title: str) -> None:
        """Start a section at the next paragraph; it ends at the next ``begin``/``end``."""
        self.end()
        self._title = title

    def end(self) -> None:
        if self._title is not None and self._start is not None and self.length > self._start:
            self.sections.append(Section(title=self._title, start=self._start, end=self.length))
        self._title = self._start = None

    def section(self, title: str, paragraphs: list[str]) -> None:
        paragraphs = [p for p in paragraphs if p]
        if not paragraphs:
            return
        first, _ = self.add(paragraphs[0])
        for p in paragraphs[1:]:
            self.add(p)
        self.sections.append(Section(title=title, start=first, end=self.length))

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class Ctx:
    """What a parser knows about the payload besides its bytes."""

    name: str  # file / record name used in error messages
    stem: str  # document id for single-document local files (FACTS.md: file name sans extension)
    source: str  # Document.source: file, demo, pubmed, europepmc, ctgov, web
    meta: dict[str, Any]
    limits: Limits
    raw_path: str | None = None

    def error(self, problem: str) -> ParseError:
        return ParseError(self.name, problem)

    def check_text(self, text: str) -> str:
        """Refuse empty results and texts past the size cap (too big to extract or embed)."""
        if not text.strip():
            raise self.error("no readable text")
        if len(text) > self.limits.max_chars:
            raise self.error(
                f"text has {len(text):,} characters, more than the {self.limits.max_chars:,} "
                "limit (KB_MAX_TEXT_CHARS)"
            )
        return text
