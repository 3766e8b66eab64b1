"""Text-like local formats: plain text, Markdown with front matter, HTML, PDF (text layer).

Each returns one Document whose id is the file stem (FACTS.md), unless Markdown front matter
or the caller's meta (``doc_id``) gives one.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any, get_args

from kb.models import Document, Section, SourceType
from kb.parse.common import Ctx, ParseError, TextBuilder, clean_ws, decode_text
from kb.parse.ids import cites_of, find_ids, norm_doi, normalise_id, unique

log = logging.getLogger(__name__)

SOURCE_TYPES = set(get_args(SourceType))


def _first_line(text: str, limit: int = 200) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:limit]
    return ""


def _source_type(ctx: Ctx, default: str) -> str:
    st = ctx.meta.get("source_type") or default
    return st if st in SOURCE_TYPES else default


# --- plain text ----------------------------------------------------------------------------


def parse_text(data: bytes, ctx: Ctx) -> list[Document]:
    """Plain text, kept as written (newlines normalised to \\n); title = first non-empty line."""
    text, _ = decode_text(data, ctx.name)
    text = ctx.check_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    return [Document(
        id=ctx.stem, source=ctx.source, source_type=_source_type(ctx, "other"),
        title=ctx.meta.get("title") or _first_line(text), text=text,
        url=ctx.meta.get("url"), cites=cites_of(text), raw_path=ctx.raw_path,
    )]


# --- Markdown ------------------------------------------------------------------------------

_FM_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_CODE = re.compile(r"`([^`\n]*)`")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_FIELDS = {"registry_ids", "cites", "authors", "aliases"}


def _fm_value(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("[") and raw.endswith("]"):
        return [_unquote(v) for v in raw[1:-1].split(",") if v.strip()]
    return _unquote(raw)


def _unquote(v: str) -> str:
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1]
    return v


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """'---\\nkey: value\\n---\\nbody' -> ({key: value}, body). A block that is not closed is
    not front matter. Values: scalars, [a, b] lists, or '- item' lines under an empty key."""
    if not text.startswith("---\n"):
        return {}, text
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
    if not end:
        return {}, text
    block, body = text[4:4 + end.start()], text[4 + end.end():]
    fields: dict[str, Any] = {}
    last: str | None = None
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = re.match(r"^\s*-\s+(.*)$", line)
        if item and last is not None:
            cur = fields.get(last)
            fields[last] = ([*cur] if isinstance(cur, list) else []) + [_unquote(item.group(1))]
            continue
        m = _FM_KEY.match(line)
        if m:
            last = m.group(1).lower()
            fields[last] = _fm_value(m.group(2)) if m.group(2).strip() else []
    return fields, body.lstrip("\n")


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def _inline(line: str, urls: list[str]) -> str:
    def link(m: re.Match) -> str:
        urls.append(m.group(2))
        return m.group(1)

    line = _LINK.sub(link, line)
    line = _STRONG.sub(r"\2", line)
    line = _EM.sub(r"\1", line)
    return _CODE.sub(r"\1", line)


def parse_markdown(data: bytes, ctx: Ctx) -> list[Document]:
    """Markdown: front matter gives metadata (title, source_type, doi, pmid, registry_ids,
    cites, url, year, journal, id, authors, published); headings become Sections. Emphasis,
    code and link markup are removed so the text reads as plain prose."""
    raw, _ = decode_text(data, ctx.name)
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    fm, body = split_front_matter(raw)

    urls: list[str] = []
    out: list[str] = []
    heads: list[tuple[str, int]] = []  # (title, line index)
    in_fence = False
    h1: str | None = None
    for line in body.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        m = None if in_fence else _HEADING.match(line)
        if m:
            title = _inline(m.group(2), urls)
            if h1 is None and len(m.group(1)) == 1:
                h1 = title
            heads.append((title, len(out)))
            out.append(title)
        else:
            out.append(line if in_fence else _inline(line, urls))

    title = str(fm.get("title") or h1 or _first_line("\n".join(out)) or ctx.stem)
    prefix = ""
    if fm.get("title") and not h1:
        # The title belongs to the searchable text; it is not in a front-matter-only body.
        prefix = title + "\n\n"
    text = prefix + "\n".join(out).rstrip() + "\n"
    text = ctx.check_text(text)

    # Line start offsets -> sections from each heading to the next.
    offsets, pos = [], len(prefix)
    for line in out:
        offsets.append(pos)
        pos += len(line) + 1
    sections: list[Section] = []
    for i, (head, idx) in enumerate(heads):
        start = offsets[idx]
        stop = offsets[heads[i + 1][1]] if i + 1 < len(heads) else len(text)
        stop = start + len(text[start:stop].rstrip())
        if stop > start:
            sections.append(Section(title=head, start=start, end=stop))

    doi = norm_doi(str(fm["doi"])) if fm.get("doi") else None
    pmid = str(fm.get("pmid") or "").strip() or None
    pmcid = str(fm.get("pmcid") or "").strip() or None
    registry = unique(normalise_id(r) for r in _as_list(fm.get("registry_ids")))
    year = fm.get("year")
    st = fm.get("source_type") or ctx.meta.get("source_type") or "other"
    if st not in SOURCE_TYPES:
        raise ctx.error(f"front matter source_type {st!r} is not one of {sorted(SOURCE_TYPES)}")
    doc_id = str(fm.get("id") or ctx.meta.get("doc_id") or ctx.stem)
    front_cites = [*_as_list(fm.get("cites")), *find_ids(" ".join(urls))]
    own = [f"doi:{doi}" if doi else None, f"pmid:{pmid}" if pmid else None, *registry]
    cites = cites_of(text, front_cites, own=[o for o in own if o])
    # A summary cites its source's ids; they are the front matter's doi/pmid but not the
    # summary itself, so keep them in cites too when the front matter lists them.
    for c in (normalise_id(c) for c in _as_list(fm.get("cites"))):
        if c and c not in cites:
            cites.append(c)
    return [Document(
        id=doc_id, source=ctx.source, source_type=st, title=title, text=text,
        sections=sections, pmid=pmid, pmcid=pmcid, doi=doi, registry_ids=registry,
        journal=(str(fm["journal"]) if fm.get("journal") else None),
        year=int(year) if str(year or "").isdigit() else None,
        authors=_as_list(fm.get("authors")), url=fm.get("url") or ctx.meta.get("url"),
        published=str(fm.get("published") or fm.get("date") or "") or None,
        cites=cites, raw_path=ctx.raw_path,
    )]


# --- HTML ----------------------------------------------------------------------------------

_DROP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
         "svg", "template", "button", "select", "object", "embed", "canvas", "head", "menu",
         "dialog", "math"}
_BLOCK = {"p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "dl",
          "dd", "dt", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "caption",
          "address", "hr", "body", "html", "center", "details", "summary"}
_HEAD_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _html_meta(root: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for m in root.iter("meta"):
        key = (m.get("name") or m.get("property") or "").strip().lower()
        val = (m.get("content") or "").strip()
        if key and val:
            found.setdefault(key, []).append(val)
    return found


class _HtmlText:
    """Walks an lxml.html tree and emits plain paragraphs; headings open sections."""

    def __init__(self) -> None:
        self.out = TextBuilder()
        self.buf: list[str] = []

    def flush(self, pre: bool = False) -> None:
        text = "".join(self.buf)
        self.buf = []
        text = text.strip("\n") if pre else clean_ws(text)
        if text:
            self.out.add(text)

    def walk(self, el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if not tag or tag in _DROP or el.get("hidden") is not None \
                or (el.get("aria-hidden") or "").lower() == "true" \
                or (el.get("role") or "").lower() in {"navigation", "banner", "contentinfo"}:
            if el.tail:
                self.buf.append(el.tail)
            return
        if tag in _HEAD_TAGS:
            self.flush()
            title = clean_ws(el.text_content())
            if title:
                self.out.begin(title)
                self.out.add(title)
        elif tag == "pre":
            self.flush()
            self.buf.append(el.text_content())
            self.flush(pre=True)
        elif tag == "br":
            self.buf.append("\n")
        elif tag == "tr":
            self.flush()
            cells = [clean_ws(c.text_content()) for c in el if isinstance(c.tag, str)
                     and c.tag.lower() in {"td", "th"} and c.tag.lower() not in _DROP]
            row = " | ".join(c for c in cells if c)
            if row:
                self.out.add(row)
        elif tag == "li":
            self.flush()
            self.buf.append("- ")
            self._children(el)
            self.flush()
        else:
            block = tag in _BLOCK
            if block:
                self.flush()
            self._children(el)
            if block:
                self.flush()
        if el.tail:
            self.buf.append(el.tail)

    def _children(self, el: Any) -> None:
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self.walk(child)


def _main_text_by_density(html: str) -> str | None:
    """The main text of a page with no <article>/<main> (older news and press pages), found by
    trafilatura's text-density heuristics so menus, cookie banners and link lists are left out;
    None when it finds too little to trust (the whole body is used then)."""
    import trafilatura

    try:
        found = trafilatura.extract(html, include_comments=False, include_tables=True,
                                    favor_precision=True, deduplicate=False)
    except Exception:  # a page trafilatura cannot read still has its body text
        return None
    lines = [clean_ws(line) for line in (found or "").splitlines()]
    text = "\n".join(line for line in lines if line)
    return text if len(text) >= 200 else None


def parse_html(data: bytes, ctx: Ctx) -> list[Document]:
    """HTML: the main text (<article>/<main> when present, else trafilatura's pick, else <body>)
    as plain paragraphs;
    script, style, nav, header, footer, aside and forms dropped; headings become Sections;
    title from <title>/og:title; DOI/PMID from citation_* meta tags."""
    import lxml.html

    text_in, _ = decode_text(data, ctx.name)
    text_in = re.sub(r"^\s*<\?xml[^>]*\?>", "", text_in)
    try:
        root = lxml.html.document_fromstring(text_in)
    except Exception as exc:  # lxml raises ParserError/ValueError on documents with no content
        raise ctx.error(f"unreadable HTML ({exc})") from None
    meta = _html_meta(root)
    title_el = root.find(".//title")
    title = clean_ws(title_el.text_content()) if title_el is not None else ""
    title = title or (meta.get("citation_title") or meta.get("og:title") or [""])[0]

    body = root.find(".//body")
    body = body if body is not None else root
    main = None
    for xpath in (".//article", ".//main", ".//*[@role='main']"):
        found = body.findall(xpath) if not xpath.startswith(".//*") else body.xpath(xpath)
        if found:
            main = max(found, key=lambda e: len(e.text_content()))
            break
    walker = _HtmlText()
    if main is not None and len(clean_ws(main.text_content())) >= 200:
        if title and clean_ws(main.text_content())[: len(title)] != title:
            walker.out.add(title)
        walker.walk(main)
    else:
        dense = _main_text_by_density(text_in)
        if dense:
            for paragraph in dense.split("\n"):
                walker.out.add(paragraph)
        else:
            walker.walk(body)
    walker.flush()
    walker.out.end()
    text = ctx.check_text(walker.out.text)
    if not title:
        title = _first_line(text)

    doi = next((d for d in (norm_doi(v) for k in ("citation_doi", "dc.identifier", "prism.doi")
                            for v in meta.get(k, [])) if d), None)
    pmid = next((v for v in meta.get("citation_pmid", []) if v.isdigit()), None)
    year_raw = (meta.get("citation_publication_date") or meta.get("citation_date")
                or meta.get("article:published_time") or [""])[0]
    year_m = re.search(r"\b(19|20)\d{2}\b", year_raw)
    og_type = (meta.get("og:type") or [""])[0].lower()
    canonical = root.find(".//link[@rel='canonical']")
    url = ctx.meta.get("url") or (canonical.get("href") if canonical is not None else None)
    links = [a.get("href") or "" for a in body.iter("a")]
    own = [f"doi:{doi}" if doi else None, f"pmid:{pmid}" if pmid else None]
    return [Document(
        id=ctx.stem, source=ctx.source,
        source_type=_source_type(ctx, "news" if og_type == "article" else "other"),
        title=title, text=text, sections=walker.out.sections, doi=doi, pmid=pmid,
        journal=(meta.get("citation_journal_title") or [None])[0],
        year=int(year_m.group(0)) if year_m else None,
        authors=meta.get("citation_author", []), url=url, published=year_raw or None,
        cites=cites_of(text, find_ids(" ".join(h for h in links if "doi.org/" in h
                                                or "clinicaltrials.gov" in h)),
                       own=[o for o in own if o]),
        raw_path=ctx.raw_path,
    )]


# --- PDF -----------------------------------------------------------------------------------


def parse_pdf(data: bytes, ctx: Ctx) -> list[Document]:
    """PDF text layer (pypdf), one Section per page. Encrypted PDFs that need a password,
    broken files, PDFs past the page cap and PDFs without a text layer raise ParseError."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise ctx.error("not a PDF file (no %PDF header)")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise ctx.error("encrypted PDF (needs a password); decrypt it first")
        n_pages = len(reader.pages)
    except ParseError:
        raise
    except PdfReadError as exc:
        raise ctx.error(f"broken PDF ({exc})") from None
    except RecursionError:
        raise ctx.error("broken PDF (structure nested too deeply)") from None
    except Exception as exc:  # pypdf raises assorted errors on damaged files
        raise ctx.error(f"broken PDF ({exc.__class__.__name__}: {exc})") from None
    if n_pages == 0:
        raise ctx.error("PDF has no pages")
    if n_pages > ctx.limits.pdf_max_pages:
        raise ctx.error(f"PDF has {n_pages} pages, more than the {ctx.limits.pdf_max_pages}-page "
                        "limit (KB_PDF_MAX_PAGES)")

    out = TextBuilder()
    failed = 0
    for i in range(n_pages):
        try:
            page_text = reader.pages[i].extract_text() or ""
        except Exception as exc:  # one damaged page should not lose the others
            log.warning("%s: page %d unreadable: %s", ctx.name, i + 1, exc)
            failed += 1
            continue
        page_text = page_text.replace("\x00", "").strip()
        if page_text:
            out.section(f"page {i + 1}", [page_text])
        if out.length > ctx.limits.max_chars:
            break
    if not out.text.strip():
        what = "all pages unreadable" if failed == n_pages else "no text layer (scanned PDF?)"
        raise ctx.error(f"PDF has {what}")
    text = ctx.check_text(out.text)
    title = ""
    try:
        title = str((reader.metadata or {}).get("/Title") or "").strip()
    except Exception:  # damaged info dictionary: fall back to the first line
        title = ""
    return [Document(
        id=ctx.stem, source=ctx.source, source_type=_source_type(ctx, "other"),
        title=title or _first_line(text), text=text, sections=out.sections,
        url=ctx.meta.get("url"), cites=cites_of(text), raw_path=ctx.raw_path,
    )]
