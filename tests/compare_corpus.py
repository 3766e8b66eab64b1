"""A small hand-built corpus (documents + facts with exact offsets) for the COMPARE unit tests.

Texts are short paraphrases in the project's own words of the demo corpus; facts are what the
extractor is expected to produce, built by hand so these tests do not depend on spaCy or Chroma.
"""

from __future__ import annotations

from kb.models import Document, Fact, Passage

ZIM = (
    "Zimislecel (VX-880) is an allogeneic stem-cell-derived islet product. The FORWARD trial "
    "(NCT04786262) is a phase 1/2 study. The trial analysed 14 participants. In part A, "
    "2 participants were given a half dose of 0.4×10⁹ cells. In parts B and C, 12 participants "
    "were given the full dose of 0.8×10⁹ cells. In parts B and C, 10 of the 12 participants (83%) "
    "were insulin independent at day 365. Neutropenia was the most common serious adverse event "
    "and occurred in 3 participants. There were 2 deaths."
)
NEWS = (
    "Stem Cell Therapy Zimislecel Shows Promise. A key finding was that 83% of participants "
    "treated with the full dose no longer required insulin after one year. Furthermore, 10 of 12 "
    "participants (83%) achieved insulin independence at one year. However, neutropenia was the "
    "most common serious adverse event, affecting three participants. Reference: Reichman TW et al. "
    "N Engl J Med. 2025;DOI: 10.1056/NEJMoa2506549."
)
VX264 = (
    "VX-264 placed stem-cell-derived islet cells inside an implanted device, without "
    "immunosuppression. Press reports say 17 participants were treated. The registry enrolment "
    "is reported as 7 participants."
)
LANTIDRA = (
    "Donislecel (Lantidra) is made from deceased-donor islets. Together the studies included 30 "
    "participants. 21 of the 30 participants were insulin independent for at least 1 year."
)
CIPSC = (
    "CiPSC islets were implanted in 1 participant without immunosuppression. The participant was "
    "insulin independent from day 75 after the implant."
)


def _f(doc: Document, quote: str, kind: str, name: str, **kw) -> Fact:
    start = doc.text.index(quote)
    return Fact(doc=doc.id, kind=kind, name=name, quote=quote, start=start, end=start + len(quote),
                **kw)


def sentence(doc: Document, startswith: str) -> str:
    start = doc.text.index(startswith)
    end = doc.text.find(". ", start)
    return doc.text[start:] if end < 0 else doc.text[start:end + 1]


def build() -> tuple[list[Document], list[Fact]]:
    zim = Document(
        id="01_zimislecel_vx880", source="demo", source_type="summary",
        title="Zimislecel (VX-880) stem-cell-derived islets, FORWARD trial", text=ZIM,
        doi="10.1056/NEJMoa2506549", pmid="40544428", registry_ids=["NCT04786262"],
        cites=["doi:10.1056/nejmoa2506549", "pmid:40544428", "nct:NCT04786262"], year=2025,
        journal="N Engl J Med", authors=["Reichman TW"])
    news = Document(id="000_0cbdcfa0bd007382", source="file", source_type="news",
                    title="Stem Cell Therapy Zimislecel Shows Promise", text=NEWS,
                    cites=["doi:10.1056/nejmoa2506549"], url="https://example.org/emj")
    vx = Document(id="02_vx264", source="demo", source_type="summary", title="VX-264", text=VX264,
                  registry_ids=["NCT05791201"], cites=["nct:NCT05791201"])
    lan = Document(id="03_donislecel_lantidra", source="demo", source_type="summary",
                   title="Donislecel (Lantidra)", text=LANTIDRA, year=2023)
    cip = Document(id="05_cipsc_islets", source="demo", source_type="summary", title="CiPSC islets",
                   text=CIPSC, registry_ids=["ChiCTR2300072200"], year=2024)
    s = sentence
    facts = [
        _f(zim, s(zim, "Zimislecel (VX-880)"), "intervention", "zimislecel", confidence=0.95),
        _f(zim, s(zim, "The FORWARD"), "registry_id", "NCT04786262", confidence=0.99),
        _f(zim, s(zim, "The FORWARD"), "phase", "1/2", confidence=0.9),
        _f(zim, s(zim, "The trial analysed"), "sample_size", "participants", value=14,
           unit="participants", confidence=0.9),
        _f(zim, s(zim, "In part A"), "sample_size", "participants", value=2, unit="participants",
           group="part A", confidence=0.8),
        _f(zim, s(zim, "In part A"), "dose", "zimislecel", value=0.4e9, unit="cells",
           group="part A", confidence=0.8),
        _f(zim, s(zim, "In parts B and C, 12"), "sample_size", "participants", value=12,
           unit="participants", group="parts B and C", confidence=0.8),
        _f(zim, s(zim, "In parts B and C, 12"), "dose", "zimislecel", value=0.8e9, unit="cells",
           group="parts B and C", confidence=0.8),
        _f(zim, s(zim, "In parts B and C, 10"), "outcome", "insulin_independence", value=83,
           unit="%", n=10, denominator=12, group="parts B and C", timepoint="day 365",
           confidence=0.9),
        _f(zim, s(zim, "Neutropenia was"), "adverse_event", "neutropenia", n=3, serious=True,
           confidence=0.7),
        _f(zim, "There were 2 deaths.", "adverse_event", "death", n=2, confidence=0.7),
        _f(news, s(news, "Stem Cell Therapy"), "intervention", "zimislecel", confidence=0.9),
        _f(news, s(news, "A key finding"), "outcome", "insulin_independence", value=83, unit="%",
           group="parts B and C", timepoint="one year", confidence=0.5),
        _f(news, s(news, "Furthermore"), "outcome", "insulin_independence", value=83, unit="%", n=10,
           denominator=12, timepoint="one year", confidence=0.85),
        _f(news, s(news, "However"), "adverse_event", "neutropenia", n=3, serious=True,
           confidence=0.6),
        _f(vx, s(vx, "VX-264 placed"), "intervention", "vx-264", confidence=0.9),
        _f(vx, s(vx, "Press reports"), "sample_size", "participants", value=17, unit="participants",
           confidence=0.6),
        _f(vx, s(vx, "The registry"), "sample_size", "participants", value=7, unit="participants",
           confidence=0.6),
        _f(lan, s(lan, "Donislecel"), "intervention", "donislecel", confidence=0.9),
        _f(lan, s(lan, "Together"), "sample_size", "participants", value=30, unit="participants",
           confidence=0.8),
        _f(lan, s(lan, "21 of the 30"), "outcome", "insulin_independence", value=70, unit="%", n=21,
           denominator=30, timepoint="at least 1 year", confidence=0.8),
        _f(cip, s(cip, "CiPSC islets"), "intervention", "cipsc islets", confidence=0.9),
        _f(cip, s(cip, "CiPSC islets"), "sample_size", "participants", value=1, unit="participants",
           confidence=0.8),
        _f(cip, s(cip, "The participant"), "outcome", "insulin_independence", n=1, denominator=1,
           value=100, unit="%", timepoint="from day 75", confidence=0.4),
    ]
    return [zim, news, vx, lan, cip], facts


def passages(documents: list[Document]) -> list[Passage]:
    """One passage per document (whole text) — enough for ranking tests."""
    return [Passage(id=f"{d.id}#p0", doc_id=d.id, index=0, text=d.text, start=0, end=len(d.text))
            for d in documents]


class FakeStore:
    """The Store read API over the hand-built corpus (flat semantic scores; keyword in memory)."""

    def __init__(self, documents: list[Document], facts: list[Fact]) -> None:
        self._docs, self._facts = documents, facts
        self._passages = passages(documents)

    def documents(self, where=None):
        return list(self._docs)

    def documents_by_id(self, doc_ids):
        return [d for d in self._docs if d.id in set(doc_ids)]

    def per_generation(self, key, load):
        return load()  # no generations here: every read is fresh

    def count(self, kind):
        return len({"documents": self._docs, "passages": self._passages, "facts": self._facts}[kind])

    def facts(self, doc_ids=None, kinds=None):
        return [f for f in self._facts if (doc_ids is None or f.doc in doc_ids)
                and (not kinds or f.kind in kinds)]

    def passages(self, doc_id):
        return [p for p in self._passages if p.doc_id == doc_id]

    def search_passages(self, query, k=10, doc_ids=None):
        return [(p, 0.2) for p in self._passages if doc_ids is None or p.doc_id in doc_ids][:k]

    def keyword_search(self, terms, k=10):
        from kb.query import keyword_passages

        return keyword_passages(self._passages, terms, k)

    def search_facts(self, query, k=10, kinds=None, doc_ids=None):
        return []


class FakeKB:
    def __init__(self, settings, documents=None, facts=None) -> None:
        if documents is None:
            documents, facts = build()
        self.settings = settings
        self.store = FakeStore(documents, facts or [])


def fake_kb(monkeypatch, tmp_path, documents=None, facts=None) -> FakeKB:
    """Point the CLI's read commands at a FakeKB with KB_HOME in tmp_path."""
    import kb.cli
    from kb.settings import Settings

    kb_ = FakeKB(Settings(home=tmp_path / "kb"), documents, facts)
    monkeypatch.setattr(kb.cli, "_compare_kb", lambda: kb_)
    return kb_
