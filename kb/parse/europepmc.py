"""Europe PMC REST search JSON: one Document per result that carries text.

``resultType=core`` records carry ``abstractText`` (HTML: ``<h4>Label</h4>`` headings, inline
``<i>``/``<sup>``); it becomes labelled paragraphs ("Objective: …"), each a Section, with the
markup removed and HTML entities decoded. ``lite``/``idlist`` records have a title at most: they
give title-only documents when a title is present. Id: ``pmid:…``, else ``pmcid:PMC…``, else
``doi:…``, else ``epmc:<source>:<id>``.
"""

from __future__ import annotations

import html
import re
from typing import Any

from kb.models import Document
from kb.parse.common import Ctx, TextBuilder, clean_ws
from kb.parse.ids import cites_of, norm_doi

# A tag starts with a letter right after "<" (or "</"): "p < .001" and "a<5 and b>3" are text.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,200})?/?>")
_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.IGNORECASE | re.DOTALL)


def strip_markup(s: str) -> str:
    """'<i>in vivo</i> &amp; more' -> 'in vivo & more' (tags removed, entities decoded)."""
    return clean_ws(html.unescape(_TAG.sub("", s)))


def abstract_paragraphs(abstract: str) -> list[tuple[str | None, str]]:
    """Split an HTML abstract on its <h4> headings into (label, plain text) pairs."""
    pieces = _HEADING.split(abstract)
    out: list[tuple[str | None, str]] = []
    lead = strip_markup(pieces[0])
    if lead:
        out.append((None, lead))
    for i in range(1, len(pieces) - 1, 2):
        label, body = strip_markup(pieces[i]), strip_markup(pieces[i + 1])
        if body:
            out.append((label or None, body))
    return out


def parse_europepmc(obj: dict, ctx: Ctx) -> list[Document]:
    results = ((obj.get("resultList") or {}).get("result")) if isinstance(obj, dict) else None
    if results is None:
        raise ctx.error("not a Europe PMC search response (no resultList)")
    if not results:
        raise ctx.error("Europe PMC search response has no results")
    docs = [d for d in (_record(r, ctx) for r in results if isinstance(r, dict)) if d]
    if not docs:
        raise ctx.error("Europe PMC records carry no title or abstract (resultType=idlist?); "
                        "search with resultType=core")
    return docs


def _record(r: dict[str, Any], ctx: Ctx) -> Document | None:
    title = strip_markup(str(r.get("title") or ""))
    abstract = str(r.get("abstractText") or "")
    if not title and not abstract:
        return None
    pmid = str(r.get("pmid") or "").strip() or None
    pmcid = str(r.get("pmcid") or "").strip().upper() or None
    doi = norm_doi(str(r["doi"])) if r.get("doi") else None
    if pmid and pmid.isdigit():
        doc_id = f"pmid:{pmid}"
    elif pmcid:
        doc_id = f"pmcid:{pmcid}"
    elif doi:
        doc_id = f"doi:{doi}"
    else:
        doc_id = f"epmc:{r.get('source', 'x')}:{r.get('id', '')}".lower()

    out = TextBuilder()
    if title:
        out.section("title", [title])
    for label, body in abstract_paragraphs(abstract):
        out.section(label or "abstract", [f"{label}: {body}" if label else body])
    text = ctx.check_text(out.text)

    journal_info = r.get("journalInfo") or {}
    journal = (journal_info.get("journal") or {}).get("title") or r.get("journalTitle")
    year_raw = str(r.get("pubYear") or journal_info.get("yearOfPublication") or "")
    authors = [a.get("fullName") for a in (r.get("authorList") or {}).get("author") or []
               if isinstance(a, dict) and a.get("fullName")]
    if not authors and r.get("authorString"):
        authors = [a.strip() for a in str(r["authorString"]).rstrip(".").split(",") if a.strip()]
    meta_ids: list[str | None] = []
    own = [f"pmid:{pmid}" if pmid else None, f"pmcid:{pmcid}" if pmcid else None,
           f"doi:{doi}" if doi else None]
    return Document(
        id=doc_id, source=ctx.source, source_type="paper", title=title or doc_id, text=text,
        sections=out.sections, pmid=pmid, pmcid=pmcid, doi=doi,
        journal=clean_ws(str(journal)) if journal else None,
        year=int(year_raw) if year_raw.isdigit() else None,
        published=r.get("firstPublicationDate") or journal_info.get("dateOfPublication"),
        authors=authors,
        url=f"https://europepmc.org/article/{r.get('source', 'MED')}/{r.get('id')}"
        if r.get("id") else None,
        cites=cites_of(text, meta_ids, own=[o for o in own if o]), raw_path=ctx.raw_path,
    )


def parse_abstract_json(obj: dict[str, Any], ctx: Ctx) -> list[Document]:
    """A minimal bibliographic record ``{"pmid"?, "doi"?, "title"?, "abstract", "journal"?,
    "year"?}`` (paper libraries, hand-made test corpora) -> one paper Document."""
    title = strip_markup(str(obj.get("title") or ""))
    pmid = str(obj.get("pmid") or "").strip()
    doi = norm_doi(str(obj["doi"])) if obj.get("doi") else None
    out = TextBuilder()
    if title:
        out.section("title", [title])
    for label, body in abstract_paragraphs(str(obj.get("abstract") or "")):
        out.section(label or "abstract", [f"{label}: {body}" if label else body])
    text = ctx.check_text(out.text)
    doc_id = f"pmid:{pmid}" if pmid.isdigit() else (f"doi:{doi}" if doi else ctx.stem)
    year = str(obj.get("year") or "")
    own = [f"pmid:{pmid}" if pmid.isdigit() else None, f"doi:{doi}" if doi else None]
    return [Document(
        id=doc_id, source=ctx.source, source_type="paper",
        title=title or (f"PMID {pmid}" if pmid.isdigit() else doc_id), text=text,
        sections=out.sections, pmid=pmid if pmid.isdigit() else None, doi=doi,
        journal=str(obj["journal"]) if obj.get("journal") else None,
        year=int(year[:4]) if year[:4].isdigit() else None,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid.isdigit() else None,
        cites=cites_of(text, own=[o for o in own if o]), raw_path=ctx.raw_path,
    )]
