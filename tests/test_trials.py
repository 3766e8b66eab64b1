"""kb.trials on hand-built documents and facts (no store, no spaCy)."""

from __future__ import annotations

import pytest

from kb.models import Document, Fact
from kb.trials import (
    group_documents,
    id_key,
    link_trials,
    registry_key,
    timepoint_days,
    timepoints_compatible,
)

PAPER = (
    "Zimislecel (VX-880) was tested in NCT04786262. The trial analysed 14 participants. "
    "In parts B and C, 10 of the 12 participants (83%) were insulin independent at day 365. "
    "Neutropenia occurred in 3 participants."
)
NEWS = (
    "A key finding was that 83% of participants treated with the full dose no longer required "
    "insulin after one year. All 14 participants showed engraftment. "
    "Reference: N Engl J Med 2025; DOI: 10.1056/NEJMoa2506549."
)
VX264 = (
    "VX-264 news. Press reports say 17 participants were treated. "
    "The registry enrolment is 7 participants."
)


def fact(doc: Document, quote: str, kind: str, name: str, **kw) -> Fact:
    start = doc.text.index(quote)
    return Fact(doc=doc.id, kind=kind, name=name, quote=quote, start=start,
                end=start + len(quote), **kw)


@pytest.fixture
def corpus() -> tuple[list[Document], list[Fact]]:
    paper = Document(id="pmid:40544428", source="pubmed", source_type="paper", title="Zimislecel paper",
                     text=PAPER, pmid="40544428", doi="10.1056/NEJMoa2506549",
                     registry_ids=["NCT04786262"], year=2025)
    news = Document(id="000_news", source="file", source_type="news", title="EMJ news", text=NEWS,
                    cites=["doi:10.1056/nejmoa2506549"])
    vx = Document(id="02_vx264", source="demo", source_type="summary", title="VX-264", text=VX264,
                  registry_ids=["NCT05791201"], cites=["nct:NCT05791201"])
    s1 = PAPER.split(". ")
    facts = [
        fact(paper, "Zimislecel (VX-880) was tested in NCT04786262.", "intervention", "zimislecel"),
        fact(paper, "Zimislecel (VX-880) was tested in NCT04786262.", "registry_id", "NCT04786262"),
        fact(paper, s1[1] + ".", "sample_size", "participants", value=14, unit="participants"),
        fact(paper, "In parts B and C, 10 of the 12 participants (83%) were insulin independent at day 365.",
             "outcome", "insulin_independence", value=83, unit="%", n=10, denominator=12,
             group="parts B and C", timepoint="day 365", confidence=0.9),
        fact(paper, "Neutropenia occurred in 3 participants.", "adverse_event", "neutropenia", n=3,
             serious=True),
        fact(news, NEWS.split(". ")[0] + ".", "intervention", "zimislecel"),
        fact(news, NEWS.split(". ")[0] + ".", "outcome", "insulin_independence", value=83, unit="%",
             group="parts B and C", timepoint="one year", confidence=0.6),
        fact(news, "All 14 participants showed engraftment.", "sample_size", "participants", value=14,
             unit="participants"),
        fact(vx, "VX-264 news.", "intervention", "vx-264"),
        fact(vx, "Press reports say 17 participants were treated.", "sample_size", "participants",
             value=17, unit="participants"),
        fact(vx, "The registry enrolment is 7 participants.", "sample_size", "participants",
             value=7, unit="participants"),
    ]
    return [paper, news, vx], facts


def test_registry_and_id_keys_are_normalised():
    assert registry_key("NCT04786262") == "nct:NCT04786262"
    assert registry_key("nct:nct04786262") == "nct:NCT04786262"
    assert registry_key("ChiCTR2300072200") == "chictr:ChiCTR2300072200"
    assert registry_key("chictr:ChiCTR2300072200") == "chictr:ChiCTR2300072200"
    assert id_key("doi:10.1056/NEJMoa2506549") == "doi:10.1056/nejmoa2506549"
    assert id_key("https://doi.org/10.1056/NEJMoa2506549") == "doi:10.1056/nejmoa2506549"
    assert id_key("pmid:40544428") == "pmid:40544428"
    assert registry_key("no id here") is None


@pytest.mark.parametrize("a,b,same", [
    ("day 365", "one year", True), ("day 365", "12 months", True), ("week 52", "1 year", True),
    ("day 90", "day 365", False), ("baseline", "day 365", False), (None, "day 90", True),
    ("at some point", "at some point", True), ("at some point", "for at least 1 year", False),
])
def test_timepoints_compatible(a, b, same):
    assert timepoints_compatible(a, b) is same


def test_timepoint_days():
    assert timepoint_days("day 75") == 75
    assert timepoint_days("month 4") == timepoint_days("4 months")
    assert timepoint_days("soon") is None


def test_news_citing_the_doi_joins_the_paper_trial(corpus):
    docs, facts = corpus
    trials = link_trials(docs, facts)
    assert len(trials) == 2
    zim = next(t for t in trials if "zimislecel" in t.therapies)
    assert zim.id == "nct:NCT04786262"
    assert set(zim.doc_ids) == {"pmid:40544428", "000_news"}
    assert zim.doc_ids[0] == "pmid:40544428"  # the paper ranks above the news page
    ii = [v for v in zim.values if v.kind == "outcome" and v.name == "insulin_independence"]
    assert len(ii) == 1, "83% at one year and 10/12 (83%) at day 365 are the same value"
    assert {f.doc for f in ii[0].facts} == {"pmid:40544428", "000_news"}
    assert (ii[0].n, ii[0].denominator, ii[0].conflict) == (10, 12, False)


def test_disagreeing_sample_sizes_are_both_kept_and_flagged(corpus):
    docs, facts = corpus
    vx = next(t for t in link_trials(docs, facts) if "vx-264" in t.therapies)
    assert vx.id == "nct:NCT05791201"
    sizes = [v for v in vx.values if v.kind == "sample_size"]
    assert sorted(v.value for v in sizes) == [7, 17]
    assert all(v.conflict for v in sizes)


def test_registry_value_is_shown_first_and_conflicts_across_documents(corpus):
    docs, facts = corpus
    registry = Document(id="nct:NCT05791201", source="ctgov", source_type="registry",
                        title="VX-264 study", text="Enrollment: 7 participants",
                        registry_ids=["NCT05791201"])
    facts = facts + [fact(registry, "Enrollment: 7 participants", "sample_size", "participants",
                          value=7, unit="participants", method="registry")]
    vx = next(t for t in link_trials(docs + [registry], facts) if t.id == "nct:NCT05791201")
    assert vx.doc_ids[0] == "nct:NCT05791201"
    sizes = [v for v in vx.values if v.kind == "sample_size"]
    assert [v.value for v in sizes] == [7, 17]  # registry-backed value first
    assert {f.doc for f in sizes[0].facts} == {"nct:NCT05791201", "02_vx264"}


def test_human_fact_outranks_registry(corpus):
    docs, facts = corpus
    vxdoc = docs[2]
    human = fact(vxdoc, "Press reports say 17 participants were treated.", "sample_size",
                 "participants", value=17, unit="participants", method="human")
    vx = next(t for t in link_trials(docs, facts + [human]) if "vx-264" in t.therapies)
    sizes = [v for v in vx.values if v.kind == "sample_size"]
    assert sizes[0].value == 17 and any(f.method == "human" for f in sizes[0].facts)


def test_review_citing_two_trials_does_not_merge_them(corpus):
    docs, facts = corpus
    text = ("We review NCT04786262 and NCT05791201. In NCT05791201, 9 participants were treated. "
            "Another trial enrolled 99 participants.")
    review = Document(id="review", source="file", source_type="paper", title="Review", text=text,
                      cites=["nct:NCT04786262", "nct:NCT05791201"])
    facts = facts + [
        fact(review, "In NCT05791201, 9 participants were treated.", "sample_size", "participants",
             value=9, unit="participants"),
        fact(review, "Another trial enrolled 99 participants.", "sample_size", "participants",
             value=99, unit="participants"),
    ]
    groups = group_documents(docs + [review], facts, classes={})
    assert sorted(len(g) for g in groups) == [1, 2]  # paper + news page; VX-264; no review
    trials = link_trials(docs + [review], facts)
    vx = next(t for t in trials if t.id == "nct:NCT05791201")
    zim = next(t for t in trials if t.id == "nct:NCT04786262")
    # The review's sentence naming NCT05791201 goes to that trial; the unnamed one to none.
    assert "review" in vx.doc_ids and "review" not in zim.doc_ids
    sizes = {v.value for v in vx.values if v.kind == "sample_size"}
    assert sizes == {7, 9, 17}
    assert not any(v.value == 99 for t in trials for v in t.values)


def test_different_denominators_are_not_a_conflict():
    d = Document(id="edm", source="demo", source_type="summary",
                 text="21 of the 36 (58%) were independent. 5 of 16 (31%) were independent.")
    f1 = fact(d, "21 of the 36 (58%) were independent.", "outcome", "insulin_independence",
              value=58, unit="%", n=21, denominator=36)
    f2 = fact(d, "5 of 16 (31%) were independent.", "outcome", "insulin_independence",
              value=31, unit="%", n=5, denominator=16)
    trial = link_trials([d], [f1, f2])[0]
    assert not any(v.conflict for v in trial.values)


def test_unanchored_document_joins_by_therapy_and_design(corpus):
    docs, facts = corpus
    blog = Document(id="blog", source="web", source_type="news", text="VX-880 is promising.")
    facts = facts + [fact(blog, "VX-880 is promising.", "intervention", "zimislecel")]
    zim = next(t for t in link_trials(docs + [blog], facts) if t.id == "nct:NCT04786262")
    assert "blog" in zim.doc_ids


def test_trial_ids_are_stable_without_registry_ids():
    a = Document(id="lantidra_a", source="file", source_type="news", text="Lantidra news A.")
    b = Document(id="lantidra_b", source="file", source_type="news", text="Lantidra news B.")
    fa = fact(a, "Lantidra news A.", "intervention", "donislecel")
    fb = fact(b, "Lantidra news B.", "intervention", "donislecel")
    one = link_trials([a, b], [fa, fb])
    two = link_trials([b, a], [fb, fa])
    assert len(one) == 1 and one[0].id == two[0].id and one[0].id.startswith("trial:")
    assert link_trials([a], [fa])[0].id == one[0].id  # adding a document keeps the id


def test_different_timepoints_are_not_a_conflict():
    d = Document(id="lantidra", source="demo", source_type="summary",
                 text="21 of the 30 were independent for at least 1 year. 25 at some point.")
    f1 = fact(d, "21 of the 30 were independent for at least 1 year.", "outcome",
              "insulin_independence", n=21, denominator=30, timepoint="at least 1 year")
    f2 = fact(d, "25 at some point.", "outcome", "insulin_independence", n=25,
              timepoint="at some point")
    trial = link_trials([d], [f1, f2])[0]
    vals = [v for v in trial.values if v.kind == "outcome"]
    assert len(vals) == 2 and not any(v.conflict for v in vals)


# ----------------------------------------------------------------------------- real corpus


@pytest.fixture(scope="module")
def demo_and_seed():
    """The bundled demo corpus plus the seed article, parsed and extracted by the real pipeline."""
    from conftest import ROOT, SEED

    from kb.extract import extract_documents
    from kb.parse import parse_file

    docs = [d for path in sorted((ROOT / "kb" / "data" / "demo").glob("*.md"))
            for d in parse_file(path)] + parse_file(SEED)
    facts = [f for fs in extract_documents(docs) for f in fs] + [f for d in docs for f in d.facts]
    return docs, facts


def test_seed_news_joins_the_demo_zimislecel_trial(demo_and_seed):
    docs, facts = demo_and_seed
    trials = link_trials(docs, facts)
    zim = next(t for t in trials if t.id == "nct:NCT04786262")
    assert zim.therapies[0] == "zimislecel"
    assert {"01_zimislecel_vx880", "000_0cbdcfa0bd007382"} <= set(zim.doc_ids)
    ii = [v for v in zim.values if v.kind == "outcome" and v.name == "insulin_independence"
          and v.n == 10 and v.denominator == 12]
    assert len(ii) == 1 and {"01_zimislecel_vx880", "000_0cbdcfa0bd007382"} <= {f.doc for f in ii[0].facts}
    # The overview document names six trials: it links none of them together.
    assert len({t.id for t in trials if t.id.startswith(("nct:", "chictr:"))}) >= 6
    for t in trials:
        assert len([d for d in t.doc_ids if not d.startswith("10_")]) <= 2, t.doc_ids


def test_trial_ids_do_not_depend_on_input_order(demo_and_seed):
    docs, facts = demo_and_seed
    forward = [(t.id, tuple(t.doc_ids)) for t in link_trials(docs, facts)]
    backward = [(t.id, tuple(t.doc_ids)) for t in link_trials(docs[::-1], facts[::-1])]
    assert forward == backward
