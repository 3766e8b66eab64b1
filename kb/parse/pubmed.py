"""PubMed efetch XML (``PubmedArticleSet``): one Document per ``PubmedArticle``.

Text layout: the title, then one paragraph per abstract section, labelled as PubMed labels it
("METHODS: …"); each labelled paragraph is a Section. An article without an abstract still
gives a document (title only). Character references (``&#xd7;``) are decoded by the XML
parser; the text is otherwise kept as the abstract gives it.
"""

from __future__ import annotations

import re

from lxml import etree

from kb.models import Document
from kb.parse.common import Ctx, TextBuilder, clean_ws, itertext, local
from kb.parse.ids import cites_of, norm_doi, normalise_id


def _t(el: etree._Element | None) -> str:
    return clean_ws(itertext(el)) if el is not None else ""


def _year(article: etree._Element) -> tuple[int | None, str | None]:
    pub = article.find("./Journal/JournalIssue/PubDate")
    if pub is not None:
        y = pub.findtext("Year")
        parts = [p for p in (y, pub.findtext("Month"), pub.findtext("Day")) if p]
        if y and y.strip().isdigit():
            return int(y), " ".join(parts)
        medline = pub.findtext("MedlineDate") or ""
        m = re.search(r"\b(1[89]|20)\d{2}\b", medline)
        if m:
            return int(m.group(0)), medline
    ad = article.find("./ArticleDate")
    if ad is not None and (ad.findtext("Year") or "").isdigit():
        return int(ad.findtext("Year")), "-".join(
            p for p in (ad.findtext("Year"), ad.findtext("Month"), ad.findtext("Day")) if p)
    return None, None


def _authors(article: etree._Element) -> list[str]:
    names = []
    for a in article.findall("./AuthorList/Author"):
        collective = a.findtext("CollectiveName")
        if collective:
            names.append(clean_ws(collective))
            continue
        last = a.findtext("LastName") or ""
        initials = a.findtext("Initials") or a.findtext("ForeName") or ""
        name = clean_ws(f"{last} {initials}")
        if name:
            names.append(name)
    return names


def parse_pubmed(root: etree._Element, ctx: Ctx) -> list[Document]:
    """PubmedArticleSet (or a lone PubmedArticle) -> documents with id ``pmid:<PMID>``."""
    if local(root.tag) == "PubmedArticle":
        articles = [root]
    else:
        articles = [el for el in root if local(el.tag) == "PubmedArticle"]
    if not articles:
        raise ctx.error("PubmedArticleSet holds no PubmedArticle")
    docs = []
    for art in articles:
        docs.append(_article(art, ctx))
    return docs


def _article(pa: etree._Element, ctx: Ctx) -> Document:
    mc = pa.find("MedlineCitation")
    if mc is None:
        raise ctx.error("PubmedArticle without MedlineCitation")
    pmid = (mc.findtext("PMID") or "").strip()
    if not pmid.isdigit():
        raise ctx.error(f"PubmedArticle without a valid PMID ({pmid!r})")
    article = mc.find("Article")
    if article is None:
        raise ctx.error(f"PMID {pmid}: no Article element")
    title = _t(article.find("ArticleTitle")) or _t(article.find("VernacularTitle"))

    out = TextBuilder()
    if title:
        out.section("title", [title])
    for abstract in article.findall("Abstract"):
        for at in abstract.findall("AbstractText"):
            body = _t(at)
            if not body:
                continue
            label = (at.get("Label") or at.get("NlmCategory") or "").strip()
            if label and label.upper() != "UNLABELLED":
                out.section(label, [f"{label}: {body}"])
            else:
                out.section("abstract", [body])
    # OtherAbstract (e.g. a plain-language summary) is kept too: it is the article's own text.
    for other in mc.findall("OtherAbstract"):
        body = " ".join(_t(at) for at in other.findall("AbstractText"))
        if body:
            out.section(f"other abstract ({other.get('Type') or 'other'})", [body])
    text = out.text
    if not text.strip():
        raise ctx.error(f"PMID {pmid}: neither title nor abstract")

    ids: dict[str, str] = {}
    pubmed_data = pa.find("PubmedData")
    if pubmed_data is not None:
        for aid in pubmed_data.findall("./ArticleIdList/ArticleId"):
            ids.setdefault((aid.get("IdType") or "").lower(), (aid.text or "").strip())
    for eloc in article.findall("ELocationID"):
        if (eloc.get("EIdType") or "").lower() == "doi" and eloc.text:
            ids.setdefault("doi", eloc.text.strip())
    doi = norm_doi(ids["doi"]) if ids.get("doi") else None
    pmcid = ids.get("pmc") or None

    # Trial registrations (DataBank ClinicalTrials.gov / ISRCTN …) and reference lists.
    meta_ids: list[str | None] = []
    for acc in mc.findall("./Article/DataBankList/DataBank/AccessionNumberList/AccessionNumber"):
        meta_ids.append(normalise_id(acc.text or ""))
    if pubmed_data is not None:
        for ref_id in pubmed_data.findall("./ReferenceList/Reference/ArticleIdList/ArticleId"):
            kind = (ref_id.get("IdType") or "").lower()
            if kind in {"pubmed", "doi", "pmc"} and ref_id.text:
                prefix = {"pubmed": "pmid", "doi": "doi", "pmc": "pmcid"}[kind]
                meta_ids.append(normalise_id(f"{prefix}:{ref_id.text.strip()}"))

    year, published = _year(article)
    journal = _t(article.find("./Journal/Title")) or _t(article.find("./Journal/ISOAbbreviation"))
    own = [f"pmid:{pmid}", f"doi:{doi}" if doi else None, f"pmcid:{pmcid}" if pmcid else None]
    return Document(
        id=f"pmid:{pmid}", source=ctx.source, source_type="paper", title=title or f"PMID {pmid}",
        text=ctx.check_text(text), sections=out.sections, pmid=pmid, pmcid=pmcid, doi=doi,
        journal=journal or None, year=year, published=published, authors=_authors(article),
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        cites=cites_of(text, meta_ids, own=[o for o in own if o]), raw_path=ctx.raw_path,
    )
