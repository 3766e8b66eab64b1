"""Parsers on the real third-party samples in ../shared/samples and on the seed article."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES, SEED

from kb.parse import ParseError, detect_format, parse_bytes, parse_file

CTGOV = sorted((SAMPLES / "ctgov").glob("aact__NCT*.json"))


def _offsets_ok(doc) -> None:
    for sec in doc.sections:
        assert 0 <= sec.start < sec.end <= len(doc.text), sec
        assert doc.text[sec.start:sec.end].strip() == doc.text[sec.start:sec.end]
    for fact in doc.facts:
        assert doc.text[fact.start:fact.end] == fact.quote, fact
        assert fact.method == "registry"


# --- PubMed ------------------------------------------------------------------------------


def test_pubmed_two_articles_one_without_abstract():
    docs = parse_file(SAMPLES / "pubmed" / "biopython__Tests_Entrez_pubmed1.xml")
    assert [d.id for d in docs] == ["pmid:12091962", "pmid:9997"]
    no_abs, with_abs = docs
    # The article without an abstract is still a document: its title.
    assert no_abs.text == "The treatment of AIDS behind the walls of correctional facilities."
    assert no_abs.journal == "Social justice (San Francisco, Calif.)"
    assert no_abs.year == 1990 and no_abs.authors == ["Olivero JM"]
    assert with_abs.doi == "10.1016/0005-2795(76)90109-4"
    assert with_abs.year == 1976 and with_abs.pmid == "9997"
    assert with_abs.source_type == "paper" and with_abs.source == "file"
    assert "low-spin (S = 1/2) heme irons" in with_abs.text
    assert [s.title for s in with_abs.sections] == ["title", "abstract"]
    for d in docs:
        _offsets_ok(d)
        assert not any(c.startswith("pmid:9997") for c in d.cites)


PUBMED_LABELLED = b"""<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version="1">40544428</PMID>
<Article><Journal><JournalIssue><PubDate><MedlineDate>2025 Jul-Aug</MedlineDate></PubDate>
</JournalIssue><Title>Fixture Journal</Title></Journal>
<ArticleTitle>Fixture title with <i>italics</i>.</ArticleTitle>
<ELocationID EIdType="doi">10.1056/NEJMoa2506549</ELocationID>
<Abstract><AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Cells at 0.8&#x2009;&#xd7;&#x2009;10<sup>9</sup> per infusion.</AbstractText>
<AbstractText Label="METHODS" NlmCategory="METHODS">We enrolled 12 (P&lt;0.001) in NCT04786262.</AbstractText>
</Abstract>
<DataBankList><DataBank><DataBankName>ClinicalTrials.gov</DataBankName><AccessionNumberList>
<AccessionNumber>NCT04786262</AccessionNumber></AccessionNumberList></DataBank></DataBankList>
</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"""


def test_pubmed_labelled_sections_and_entities():
    [doc] = parse_bytes(PUBMED_LABELLED, "pubmed_xml", name="efetch.xml")
    assert doc.id == "pmid:40544428" and doc.doi == "10.1056/nejmoa2506549"
    assert doc.year == 2025 and doc.published == "2025 Jul-Aug"
    assert doc.title == "Fixture title with italics."
    # Character references decoded by the XML parser, otherwise the text as given.
    assert "BACKGROUND: Cells at 0.8\u2009\u00d7\u200910" in doc.text
    assert "METHODS: We enrolled 12 (P<0.001) in NCT04786262." in doc.text
    titles = [s.title for s in doc.sections]
    assert titles == ["title", "BACKGROUND", "METHODS"]
    methods = doc.sections[2]
    assert doc.text[methods.start:methods.end].startswith("METHODS: ")
    assert doc.cites == ["nct:NCT04786262"]
    _offsets_ok(doc)


# --- JATS --------------------------------------------------------------------------------


def test_jats_pmc_articleset():
    [doc] = parse_file(SAMPLES / "jats" / "biopython__Tests_Entrez_efetch_pmc.xml")
    assert doc.id == "pmcid:PMC8435807"
    assert doc.pmid == "34527728" and doc.doi == "10.1183/23120541.50193-2021"
    assert doc.journal == "ERJ Open Research" and doc.year == 2021
    assert doc.title.startswith("\u201cLung diffusing capacity for nitric oxide")
    assert "has now been corrected to \u221215.1%" in doc.text
    assert "doi:10.1183/23120541.00193-2021" in doc.cites  # the corrected article
    assert doc.source_type == "paper"
    _offsets_ok(doc)


JATS_SECTIONS = b"""<article xmlns:xlink="http://www.w3.org/1999/xlink"><front><article-meta>
<article-id pub-id-type="doi">10.9999/jats.1</article-id>
<title-group><article-title>A JATS fixture</article-title></title-group>
<contrib-group><contrib contrib-type="author"><name><surname>Doe</surname><given-names>J</given-names></name></contrib></contrib-group>
<pub-date pub-type="epub"><year>2024</year></pub-date>
<abstract><sec><title>Background</title><p>Islets help.</p></sec><sec><title>Results</title><p>10 of 12 were insulin independent.</p></sec></abstract>
</article-meta></front>
<body><sec><title>Methods</title><p>We enrolled <italic>twelve</italic>
   participants.</p><sec><title>Dosing</title><p>0.8 billion cells.</p></sec></sec>
<sec><title>Discussion</title><p>See ISRCTN12345678.</p>
<table-wrap><label>Table 1</label><caption><p>Baseline data</p></caption><table><tr><td>SECRET_CELL</td></tr></table></table-wrap></sec></body>
<back><ref-list><ref><element-citation><pub-id pub-id-type="pmid">40544428</pub-id></element-citation></ref></ref-list></back>
</article>"""


def test_jats_sections_and_refs():
    [doc] = parse_bytes(JATS_SECTIONS, "jats_xml", name="fixture.xml")
    assert doc.id == "doi:10.9999/jats.1" and doc.authors == ["Doe J"] and doc.year == 2024
    assert "Results: 10 of 12 were insulin independent." in doc.text
    assert "We enrolled twelve participants." in doc.text
    assert "Table 1. Baseline data" in doc.text and "SECRET_CELL" not in doc.text
    titles = [s.title for s in doc.sections]
    for t in ["title", "Background", "Results", "Methods", "Methods / Dosing", "Discussion"]:
        assert t in titles
    dosing = next(s for s in doc.sections if s.title == "Methods / Dosing")
    assert doc.text[dosing.start:dosing.end] == "Dosing\n\n0.8 billion cells."
    assert set(doc.cites) == {"pmid:40544428", "isrctn:ISRCTN12345678"}
    _offsets_ok(doc)


# --- ClinicalTrials.gov ------------------------------------------------------------------


@pytest.mark.parametrize("path", CTGOV, ids=lambda p: p.name)
def test_ctgov_v2_every_sample(path):
    [doc] = parse_file(path)
    nct = json.loads(path.read_text())["protocolSection"]["identificationModule"]["nctId"]
    assert doc.id == f"nct:{nct}" and doc.registry_ids[0] == f"nct:{nct}"
    assert doc.source_type == "registry"
    assert doc.url == f"https://clinicaltrials.gov/study/{nct}"
    kinds = {f.kind for f in doc.facts}
    assert {"registry_id", "sample_size"} <= kinds
    assert any(f.kind == "registry_id" and f.name == nct for f in doc.facts)
    _offsets_ok(doc)


def test_ctgov_file_named_after_another_study_uses_inner_id():
    [doc] = parse_file(SAMPLES / "ctgov" / "aact__NCT02278341.json")
    assert doc.id == "nct:NCT02552212"
    assert "nct:NCT02278341" not in doc.registry_ids
    assert "eudract:2015-001894-41" in doc.registry_ids
    assert any(f.kind == "registry_id" and f.name == "2015-001894-41" for f in doc.facts)


def _facts(doc, kind):
    return [f for f in doc.facts if f.kind == kind]


def test_ctgov_registry_facts_certolizumab():
    [doc] = parse_file(SAMPLES / "ctgov" / "aact__NCT02278341.json")
    [phase] = _facts(doc, "phase")
    assert phase.name == "3"
    whole = [f for f in _facts(doc, "sample_size") if f.group is None]
    assert [(f.value, f.unit) for f in whole] == [(317.0, "participants")]
    arms = {(f.name, f.group) for f in _facts(doc, "intervention")}
    assert ("certolizumab pegol", "Certolizumab Pegol 200 mg Q2W") in arms
    assert ("placebo", "Placebo") in arms
    czp = next(f for f in _facts(doc, "intervention") if f.name == "certolizumab pegol")
    assert czp.aliases == ["cimzia", "cdp870"]
    # Per-arm counts from the participant flow (STARTED).
    per_arm = {f.group: f.value for f in _facts(doc, "sample_size") if f.group}
    assert per_arm["Placebo"] == 158.0
    aes = _facts(doc, "adverse_event")
    diarrhoea = [f for f in aes if f.name == "diarrhoea" and f.group == "Placebo (SS)"]
    assert len(diarrhoea) == 1 and diarrhoea[0].serious is False
    assert (diarrhoea[0].n, diarrhoea[0].denominator) == (10, 158)
    serious = [f for f in aes if f.serious and f.name not in {"death", "serious adverse event"}]
    assert serious and all(f.n and f.n > 0 for f in serious)
    assert all(f.name == f.name.lower() for f in aes)
    deaths = [f for f in aes if f.name == "death"]
    assert deaths and all(f.serious for f in deaths)
    outcome = next(f for f in _facts(doc, "outcome") if f.label and f.label.startswith(
        "Percentage of Subjects With Ankylosing Spondylitis Disease Activity Score Major")
        and f.group == "CZP 200 mg Q2W (FAS)")
    assert outcome.value == 47.2 and outcome.unit == "%" and outcome.timepoint == "Week 52"
    assert "pmid:35296532" in doc.cites
    _offsets_ok(doc)


def test_ctgov_phase_mapping_and_na():
    base = json.loads((SAMPLES / "ctgov" / "aact__NCT03418623.json").read_text())
    for phases, want in [(["PHASE1", "PHASE2"], "1/2"), (["EARLY_PHASE1"], "1"),
                         (["PHASE2", "PHASE3"], "2/3"), (["NA"], None)]:
        base["protocolSection"]["designModule"]["phases"] = phases
        [doc] = parse_bytes(json.dumps(base).encode(), "ctgov_json", name="study.json")
        got = [f.name for f in _facts(doc, "phase")]
        assert got == ([want] if want else []), phases
        _offsets_ok(doc)


def test_ctgov_counts_of_participants_outcome():
    [doc] = parse_file(SAMPLES / "ctgov" / "aact__NCT02210780.json")
    assert [f.name for f in _facts(doc, "phase")] == ["2"]
    dupi = next(f for f in _facts(doc, "intervention") if f.name == "dupilumab")
    assert "dupixent" in dupi.aliases
    counts = [f for f in _facts(doc, "outcome") if f.n is not None]
    for f in counts:
        assert f.denominator is None or f.n <= f.denominator
    _offsets_ok(doc)


def test_ctgov_interventions_without_arms():
    [doc] = parse_file(SAMPLES / "ctgov" / "aact__NCT05594173.json")
    names = [f.name for f in _facts(doc, "intervention")]
    assert names == ["food texture modification"]
    assert _facts(doc, "phase") == []  # no phases listed


def test_ctgov_legacy_v1_rejected():
    path = SAMPLES / "ctgov" / "aact__legacy_v1_FullStudiesResponse_results_2.json"
    with pytest.raises(ParseError) as err:
        parse_file(path)
    msg = str(err.value)
    assert path.name in msg
    assert "retired ClinicalTrials.gov classic (v1) format" in msg and "API v2" in msg


def test_ctgov_search_page_gives_one_doc_per_study():
    studies = [json.loads(p.read_text()) for p in CTGOV[:2]]
    docs = parse_bytes(json.dumps({"studies": studies}).encode(), "auto", name="page.json")
    assert len(docs) == 2 and all(d.id.startswith("nct:") for d in docs)


# --- Europe PMC --------------------------------------------------------------------------


def test_europepmc_core_records():
    docs = parse_file(SAMPLES / "europepmc" / "pyEuropePMC__search_cancer_core.json")
    assert len(docs) == 25
    assert len({d.id for d in docs}) == 25
    doc = next(d for d in docs if d.id == "pmid:40468710")
    assert doc.journal == "British journal of health psychology" and doc.year == 2025
    assert "<h4>" not in doc.text and "<i>" not in doc.text
    assert "(at p\u2009<\u2009.001)" in doc.text  # a real "<" is text, not markup
    titles = [s.title for s in doc.sections]
    assert titles[:3] == ["title", "Objective", "Design"]
    assert "Objective: This study investigated whether psychological flexibility" in doc.text
    for d in docs:
        assert d.source_type == "paper"
        _offsets_ok(d)


def test_europepmc_empty_and_idlist_rejected_clearly():
    with pytest.raises(ParseError, match="no results"):
        parse_file(SAMPLES / "europepmc" / "pyEuropePMC__search_no_results.json")
    with pytest.raises(ParseError, match="resultType=core"):
        parse_file(SAMPLES / "europepmc" / "pyEuropePMC__search_cancer_idlist.json")


@pytest.mark.parametrize("name,hint", [
    ("pubmed/biopython__Tests_Entrez_esearch1.xml", "efetch"),
    ("pubmed/Klortho_Eutils-JSON__samples_esearch.pubmed.json", "efetch"),
    ("europepmc/pyEuropePMC__search_cancer.xml", "format=json"),
])
def test_unsupported_payloads_say_what_to_do(name, hint):
    with pytest.raises(ParseError, match=hint):
        parse_file(SAMPLES / name)


# --- seed article, abstracts -------------------------------------------------------------


def test_seed_article_as_text():
    [doc] = parse_file(SEED)
    assert doc.id == SEED.stem and doc.source_type == "other"
    assert doc.title == "Stem Cell Therapy Zimislecel Shows Promise in Type 1 Diabetes - EMJ"
    assert doc.text == SEED.read_text("utf-8")
    assert "83% of participants" in doc.text


def test_abstract_json_record():
    [doc] = parse_file(SAMPLES / "abstracts" / "pubmed_17005949.json")
    assert doc.id == "pmid:17005949" and doc.source_type == "paper"
    assert "Of the 36 subjects, 16 (44%) met the primary end point" in doc.text


@pytest.mark.parametrize("path,fmt", [
    ("pubmed/biopython__Tests_Entrez_pubmed1.xml", "pubmed_xml"),
    ("jats/biopython__Tests_Entrez_efetch_pmc.xml", "jats_xml"),
    ("ctgov/aact__NCT00763412.json", "ctgov_json"),
    ("ctgov/aact__legacy_v1_FullStudiesResponse_results_2.json", "ctgov_json"),
    ("europepmc/pyEuropePMC__search_cancer_core.json", "europepmc_json"),
])
def test_detect_format_samples(path, fmt):
    p = SAMPLES / path
    assert detect_format(p, p.read_bytes()[:8192]) == fmt
