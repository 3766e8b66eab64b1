"""JATS XML: a single ``<article>`` or a PMC efetch ``<pmc-articleset>`` (one Document each).

Text layout: title, abstract (its ``<sec>`` titles as labels), then the body sections, each a
Section; tables and figures contribute their captions only. Id: ``pmcid:PMC…`` when PMC gives
one, else ``pmid:…``, else ``doi:…``.
"""

from __future__ import annotations

from lxml import etree

from kb.models import Document
from kb.parse.common import Ctx, TextBuilder, clean_ws, itertext, local
from kb.parse.ids import cites_of, norm_doi, normalise_id

# Inline elements whose text is not prose (formula markup, back-references).
_SKIP_INLINE = frozenset({"xref-group", "alternatives", "tex-math", "object-id"})
_CAPTIONED = {"table-wrap", "fig", "boxed-text", "supplementary-material"}


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if local(c.tag) == name]


def _first(el: etree._Element | None, path: list[str]) -> etree._Element | None:
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if local(c.tag) == name), None)
    return el


def _descendants(el: etree._Element, name: str) -> list[etree._Element]:
    return [d for d in el.iter() if local(d.tag) == name]


def _t(el: etree._Element | None) -> str:
    return clean_ws(itertext(el, _SKIP_INLINE)) if el is not None else ""


def parse_jats(root: etree._Element, ctx: Ctx) -> list[Document]:
    tag = local(root.tag)
    articles = [root] if tag == "article" else _descendants(root, "article")
    if not articles:
        raise ctx.error("JATS document holds no <article>")
    return [_article(a, ctx) for a in articles]


def _blocks(el: etree._Element, out: TextBuilder, heading: str | None) -> None:
    """Emit the paragraphs of a section (recursively) as plain text."""
    for child in el:
        name = local(child.tag)
        if name == "p":
            txt = _t(child)
            if txt:
                out.add(txt)
        elif name == "sec":
            title = _t(_first(child, ["title"]))
            sub = f"{heading} / {title}" if heading and title else (title or heading or "body")
            out.begin(sub)
            if title:
                out.add(title)
            _blocks(child, out, sub)
            out.end()
            if heading:
                out.begin(heading)
        elif name in {"list"}:
            for item in _descendants(child, "list-item"):
                txt = _t(item)
                if txt:
                    out.add(f"- {txt}")
        elif name in _CAPTIONED:
            label = _t(_first(child, ["label"]))
            caption = _t(_first(child, ["caption"]))
            if caption:
                out.add(f"{label}. {caption}" if label else caption)
        elif name in {"disp-quote", "statement", "def-list"}:
            txt = _t(child)
            if txt:
                out.add(txt)


def _article(art: etree._Element, ctx: Ctx) -> Document:
    meta = _first(art, ["front", "article-meta"])
    journal_meta = _first(art, ["front", "journal-meta"])
    ids: dict[str, str] = {}
    if meta is not None:
        for aid in _children(meta, "article-id"):
            ids.setdefault((aid.get("pub-id-type") or "").lower(), (aid.text or "").strip())
    pmcid = ids.get("pmc") or ids.get("pmcid") or ""
    if pmcid and not pmcid.upper().startswith("PMC"):
        pmcid = f"PMC{pmcid}"
    pmid = ids.get("pmid") if (ids.get("pmid") or "").isdigit() else None
    doi = norm_doi(ids["doi"]) if ids.get("doi") else None
    title = _t(_first(meta, ["title-group", "article-title"])) if meta is not None else ""

    out = TextBuilder()
    if title:
        out.section("title", [title])
    for abstract in (_children(meta, "abstract") if meta is not None else []):
        kind = abstract.get("abstract-type")
        head = f"abstract ({kind})" if kind else "abstract"
        secs = _children(abstract, "sec")
        if secs:
            for sec in secs:
                label = _t(_first(sec, ["title"]))
                body = " ".join(_t(p) for p in _children(sec, "p") if _t(p))
                if body:
                    out.section(label or head, [f"{label}: {body}" if label else body])
        else:
            paras = [_t(p) for p in _children(abstract, "p")]
            out.section(head, [p for p in paras if p])
    body = _first(art, ["body"])
    if body is not None:
        out.begin("body")
        _blocks(body, out, None)
        out.end()
    text = out.text
    if not text.strip():
        raise ctx.error(f"JATS article {pmcid or pmid or doi or ''} has no title, abstract "
                        "or body text".replace("  ", " "))

    if pmcid:
        doc_id = f"pmcid:{pmcid.upper()}"
    elif pmid:
        doc_id = f"pmid:{pmid}"
    elif doi:
        doc_id = f"doi:{doi}"
    else:
        doc_id = ctx.stem  # a local JATS file without ids: its file stem

    year = None
    published = None
    if meta is not None:
        dates = _children(meta, "pub-date")
        order = {"epub": 0, "ppub": 1, "collection": 2}
        dates.sort(key=lambda d: order.get(d.get("pub-type") or d.get("date-type") or "", 3))
        for d in dates:
            y = (_first(d, ["year"]).text or "").strip() if _first(d, ["year"]) is not None else ""
            if y.isdigit():
                year = int(y)
                published = "-".join(
                    (e.text or "").strip() for e in (_first(d, ["year"]), _first(d, ["month"]),
                                                      _first(d, ["day"])) if e is not None)
                break
    authors = []
    if meta is not None:
        for contrib in _descendants(meta, "contrib"):
            if contrib.get("contrib-type") not in (None, "author"):
                continue
            surname = _t(_first(contrib, ["name", "surname"]))
            given = _t(_first(contrib, ["name", "given-names"]))
            collab = _t(_first(contrib, ["collab"]))
            name = clean_ws(f"{surname} {given}") or collab
            if name:
                authors.append(name)
    journal = _t(_first(journal_meta, ["journal-title-group", "journal-title"])) \
        if journal_meta is not None else ""

    meta_ids: list[str | None] = []
    back = _first(art, ["back"])
    if back is not None:
        for pid in _descendants(back, "pub-id"):
            kind = (pid.get("pub-id-type") or "").lower()
            if kind in {"pmid", "doi", "pmcid", "pmc"} and pid.text:
                meta_ids.append(normalise_id(f"{'pmcid' if kind == 'pmc' else kind}:{pid.text}"))
    if meta is not None:
        for rel in _children(meta, "related-article"):
            href = rel.get("{http://www.w3.org/1999/xlink}href") or ""
            if (rel.get("ext-link-type") or "").lower() in {"doi", "pmid", "pubmed"} and href:
                kind = "doi" if rel.get("ext-link-type").lower() == "doi" else "pmid"
                meta_ids.append(normalise_id(f"{kind}:{href}"))
    for link in _descendants(art, "ext-link"):
        href = link.get("{http://www.w3.org/1999/xlink}href") or ""
        if "clinicaltrials.gov" in href or "doi.org/" in href:
            meta_ids.extend(i for i in [normalise_id(href.rsplit("/", 1)[-1])] if i)
    own = [f"pmcid:{pmcid}" if pmcid else None, f"pmid:{pmid}" if pmid else None,
           f"doi:{doi}" if doi else None]
    return Document(
        id=doc_id, source=ctx.source, source_type="paper", title=title or doc_id,
        text=ctx.check_text(text), sections=out.sections, pmid=pmid,
        pmcid=pmcid.upper() or None, doi=doi, journal=journal or None, year=year,
        published=published, authors=authors,
        url=f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid.upper()}/" if pmcid else None,
        cites=cites_of(text, meta_ids, own=[o for o in own if o]), raw_path=ctx.raw_path,
    )
