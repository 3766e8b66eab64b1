"""kb.evaluate: FACTS.md matching rules on hand-made cases, and the floors the extractor reaches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from kb.cli import cli
from kb.evaluate import evaluate, fact_matches, normalize_ae, same_group
from kb.models import Fact

GOLD = ROOT / "tests" / "gold"
# Floors reached by the rules (tuned set; held-out set scored once before any tuning on it).
# They only ever move up.
TUNED_FLOOR = {"precision": 0.98, "recall": 0.98, "arms": 0.95}
HELDOUT_FLOOR = {"precision": 0.95, "recall": 0.95}


def fact(**kw) -> Fact:
    base = dict(doc="d", kind="outcome", name="insulin_independence", quote="q", start=0, end=1)
    base.update(kw)
    return Fact(**base)


@pytest.mark.parametrize(
    "gold, pred, ok",
    [
        ({"kind": "outcome", "name": "insulin_independence", "value": 83}, fact(value=83.4), True),  # within 1%
        ({"kind": "outcome", "name": "insulin_independence", "value": 83}, fact(value=85.0), False),
        ({"kind": "outcome", "name": "insulin_independence", "value": 83, "n": 10, "denominator": 12}, fact(value=83.3, n=10, denominator=12), True),
        ({"kind": "outcome", "name": "insulin_independence", "n": 10, "denominator": 12}, fact(value=None, n=10, denominator=12), True),
        ({"kind": "outcome", "name": "insulin_independence", "value": 83}, fact(name="engraftment", value=83), False),
        ({"kind": "adverse_event", "name": "neutropenia", "n": 3}, fact(kind="adverse_event", name="Neutropaenia", n=3), True),
        ({"kind": "adverse_event", "name": "death", "negated": True}, fact(kind="adverse_event", name="deaths", negated=True), True),
        ({"kind": "adverse_event", "name": "death", "negated": True}, fact(kind="adverse_event", name="death", n=2), False),
        ({"kind": "outcome", "name": "hba1c_change", "value": -0.5, "contrast": "placebo"}, fact(name="hba1c_change", value=-0.5), False),
        ({"kind": "intervention", "name": "zimislecel"}, fact(kind="intervention", name="zimislecel"), True),
        # a number settles a match; the negated flag decides only facts without one
        ({"kind": "outcome", "name": "insulin_independence", "value": 0, "n": 0, "denominator": 9},
         fact(value=0.0, n=0, denominator=9, negated=True), True),
        ({"kind": "adverse_event", "name": "death", "negated": True}, fact(kind="adverse_event", name="death"), False),
        ({"kind": "adverse_event", "name": "death", "n": 0, "negated": True}, fact(kind="adverse_event", name="death", negated=True), True),
        ({"kind": "adverse_event", "name": "death", "n": 2}, fact(kind="adverse_event", name="death", negated=True), False),
        # hyphenation is spelling, not another therapy
        ({"kind": "intervention", "name": "antithymocyte globulin"}, fact(kind="intervention", name="anti-thymocyte globulin"), True),
        ({"kind": "intervention", "name": "autologous haematopoietic stem cell transplantation"},
         fact(kind="intervention", name="autologous hematopoietic stem cell transplantation"), True),
        ({"kind": "intervention", "name": "zimislecel"}, fact(kind="intervention", name="donislecel"), False),
        # an insulin's class word is dropped as often as written; "insulin" alone is another therapy
        ({"kind": "dose", "name": "efsitora alfa", "value": 100}, fact(kind="dose", name="insulin efsitora alfa", value=100.0), True),
        ({"kind": "intervention", "name": "insulin"}, fact(kind="intervention", name="insulin icodec"), False),
        # a name the project added to the vocabulary is the `other` an annotator labels with that measure
        ({"kind": "outcome", "name": "other", "label": "fasting plasma glucose change", "value": -1.27},
         fact(name="fasting_glucose", value=-1.27), True),
        ({"kind": "outcome", "name": "other", "label": "2-hour postprandial glucose", "value": -1.27},
         fact(name="fasting_glucose", value=-1.27), False),
    ],
)
def test_fact_matching_rules(gold, pred, ok):
    assert fact_matches(gold, pred) is ok


def test_normalisation_helpers():
    assert normalize_ae("Gastrointestinal events") == "gastrointestinal event"
    assert normalize_ae("haemorrhage") == "hemorrhage"
    assert normalize_ae("Epstein–Barr virus reactivation") == normalize_ae("Epstein-Barr virus reactivation")
    assert normalize_ae("Oedema") == "edema" and normalize_ae("oesophagitis") == "esophagitis"
    assert normalize_ae("serious infections") == normalize_ae("infection") != normalize_ae("serious adverse event")
    assert same_group("12 mg", "orforglipron 12 mg")
    assert same_group("low-dose group", "low dose")
    assert not same_group("12 mg", "36 mg")
    assert same_group("0·6 mg", "brx-0417 0.6 mg")  # the Lancet's mid-dot decimal
    assert same_group("1.0 mg", "semaglutide 1 mg") and not same_group("1.0 mg", "10 mg")


def _write_gold(folder: Path, facts: list[dict], text: str = "Some text.") -> None:
    (folder / "t.txt").write_text(text, encoding="utf-8")
    (folder / "t.json").write_text(json.dumps({"doc": "t", "text_file": "t.txt", "facts": facts}), encoding="utf-8")


def test_restatement_is_not_a_false_positive_and_optional_facts(tmp_path):
    _write_gold(tmp_path, [
        {"kind": "outcome", "name": "insulin_independence", "value": 83, "group": "parts B and C"},
        {"kind": "sample_size", "name": "participants", "value": 14, "optional": True},
        {"kind": "phase", "name": "1/2"},
    ])
    preds = [fact(value=83.0, group="parts B and C"), fact(value=83.0, group=None, start=2, end=3),
             fact(kind="sample_size", name="participants", value=14.0), fact(kind="phase", name="2")]
    report = evaluate(tmp_path, extractor=lambda text, doc: preds)
    assert report.overall.tp == 3 and report.overall.fp == 1  # phase 2 is the only false positive
    assert report.overall.gold == 2 and report.overall.found == 1  # phase 1/2 missed; optional not counted
    assert report.arm_total == 1 and report.arm_correct == 1
    assert [m.description for m in report.misses] == ["phase:1/2"]


def test_bad_gold_file_is_reported_and_others_scored(tmp_path):
    _write_gold(tmp_path, [{"kind": "phase", "name": "1/2"}])
    (tmp_path / "broken.json").write_text("{nope", encoding="utf-8")
    (tmp_path / "missing.json").write_text(json.dumps({"doc": "m", "text_file": "nowhere.txt", "facts": []}), encoding="utf-8")
    report = evaluate(tmp_path, extractor=lambda text, doc: [fact(kind="phase", name="1/2")])
    assert report.documents == 1
    assert len(report.errors) == 2 and any("broken.json" in e for e in report.errors)
    assert any("nowhere.txt" in e for e in report.errors)


def test_tuned_gold_floor():
    report = evaluate(GOLD)
    assert report.documents >= 21 and not report.errors
    assert report.overall.precision >= TUNED_FLOOR["precision"], report.format(verbose=True)
    assert report.overall.recall >= TUNED_FLOOR["recall"], report.format(verbose=True)
    assert report.arm_accuracy >= TUNED_FLOOR["arms"], report.format(verbose=True)


# The held-out sets: each was written from its texts (gold first) and scored once before any
# rule change; that first run is the honest held-out measure and is kept here. The misses
# were then fixed as general rules, so every set is now a regression floor, not a held-out
# measure. (set, documents, first run P / R and what it missed, floors P / R)
HELDOUT_SETS = [
    ("heldout", 6, "previous session", HELDOUT_FLOOR["precision"], HELDOUT_FLOOR["recall"]),
    ("heldout2", 8, "P 0.915 / R 0.860", 0.95, 0.95),
    ("heldout3", 6, "P 0.913 / R 0.691: sample sizes in long or eligibility-laden sentences, "
                    "allocation lists, differences without 'versus placebo'", 0.95, 0.95),
    ("heldout4", 6, "P 0.829 / R 0.821: thresholds ('7.5% or higher'), 'one of 30 patients', "
                    "'of those, 18', events a later phrase owns, 'X versus Y'", 0.95, 0.95),
    ("heldout5", 6, "P 1.000 / R 0.697: a drug in an eligibility-laden assignment sentence, a "
                    "unit shared by a list, 'over a median of', 'occurred in no participant'",
     0.95, 0.93),
    ("heldout6", 6, "P 0.818 / R 0.556: lay phrasing of the field's news ('stop insulin "
                    "injections', 'produced their own insulin'), registry 'Arm A ...: 16 "
                    "participants', 'a study of 8 people'", 0.95, 0.92),
    ("heldout7", 6, "P 0.971 / R 0.857: 'and 28 received', registry group labels", 0.95, 0.90),
    ("heldout8", 6, "P 0.957 / R 0.833: an islet dose given to an antibody, 'no longer needed "
                    "daily insulin', 'Safety population: 57 participants'", 0.95, 0.92),
    ("heldout9", 6, "P 0.880 / R 0.864: 'endogenous insulin secretion was restored', '80 "
                    "percent', 'among participants in part B', background epidemiology read "
                    "as events", 0.95, 0.93),
    # From heldout10 on, each set was written by an annotator who never saw the extractor, its
    # rules or the other sets (full structured abstracts, PubMed plain text, registry records,
    # news). Their first runs are the honest estimate of quality on unseen text.
    ("heldout10", 6, "P 0.803 / R 0.697: arm lists '(1 mg, 64; ...)', mean ± SD, entry HbA1c "
                     "ranges, 'adverse events led to discontinuation'", 0.99, 0.96),
    ("heldout11", 6, "P 0.707 / R 0.569: a registry results layout, '-cel' products, graft "
                     "survival, event rates per patient-year, lay news wording", 0.96, 0.96),
    ("heldout12", 6, "P 0.765 / R 0.557: entities and lost superscripts, a named primary end "
                     "point ('remission'), '4 vs. 5 episodes', semicolon lists", 0.97, 0.96),
    ("heldout13", 6, "P 0.828 / R 0.727 (first run after heldout10-12 were fixed)", 0.97, 0.87),
    ("heldout14", 6, "P 0.828 / R 0.607: news, a press release, a flattened registry record",
     0.98, 0.87),
    ("heldout15", 6, "P 0.922 / R 0.843: large metabolic RCTs", 1.00, 0.97),
    ("heldout16", 6, "P 0.813 / R 0.642 (first run after heldout13-15 were fixed)", 0.94, 0.86),
    ("heldout17", 6, "P 0.889 / R 0.755 (first run after heldout13-15 were fixed)", 0.96, 0.87),
    ("heldout18", 6, "P 0.903 / R 0.795 (first run after heldout16-17 were looked at)", 0.96, 0.92),
    ("heldout19", 6, "P 0.849 / R 0.824 (first run after heldout16-17 were looked at)", 0.95, 0.92),
    ("heldout20", 6, "P 0.928 / R 0.862 (first run after heldout18-19 were looked at)", 0.96, 0.97),
    ("heldout21", 6, "P 0.858 / R 0.805 (first run after heldout18-19 were looked at)", 0.95, 0.90),
    ("heldout22", 6, "P 0.904 / R 0.857: structured abstracts, Lancet middle dots, arm lists "
                     "named once (first run after heldout20-21 were looked at)", 0.98, 0.98),
    ("heldout23", 6, "P 0.828 / R 0.689: news, press releases, an investor update, an editorial",
     0.97, 0.84),
    ("heldout24", 6, "P 0.750 / R 0.693: one-paragraph metabolic abstracts with PubMed artefacts "
                     "('>or=', '+/-'), 'X% vs Y% vs Z%', '(n = 131, 128 and 133)' (first run after "
                     "heldout22-23 were looked at)", 0.96, 0.98),
    ("heldout25", 6, "P 0.844 / R 0.780: full-text results sections with subheadings, figure and "
                     "citation markers, a discussion quoting earlier trials", 0.95, 0.93),
    ("heldout26", 6, "P 0.850 / R 0.769: PubMed abstracts of beta-cell replacement (first run "
                     "after heldout24-25 were looked at)", 0.96, 0.86),
    ("heldout27", 6, "P 0.820 / R 0.699: a conference abstract, a prevention trial, a crossover, "
                     "an extension, a real-world cohort, a pooled safety analysis", 0.92, 0.89),
    ("heldout28", 6, "P 0.948 / R 0.744: cell-therapy and immunotherapy abstracts in six journal "
                     "styles (first run at the end of the session, after heldout26-27 were looked at)",
     0.96, 0.88),
    ("heldout29", 6, "P 0.834 / R 0.813: metabolic trials, four-arm lists, differences only "
                     "versus placebo (first run at the end of the session)", 0.97, 0.96),
    ("heldout30", 6, "P 0.946 / R 0.808: the project's own field (zimislecel parts, donislecel, "
                     "teplizumab, AID, an encapsulated product, a meta-analysis); last first run",
     0.99, 0.90),
    ("heldout31", 6, "P 0.925 / R 0.847: 2024-2026 metabolic abstracts in six journal styles; "
                     "last first run", 0.98, 0.96),
    ("heldout32", 6, "P 0.867 / R 0.846: PubMed abstracts of islet and stem-cell islet trials, "
                     "induction arms named in brackets with their doses (first run after "
                     "heldout26-31 were looked at)", 0.89, 0.91),
    ("heldout33", 6, "P 0.870 / R 0.796: type 2 diabetes and obesity RCTs in four journal styles, "
                     "a results section with citation markers", 0.98, 0.96),
    ("heldout34", 6, "P 0.856 / R 0.844: news, a charity blog, a press release, a conference "
                     "report, a physician news summary, a Q&A", 0.94, 0.91),
    ("heldout35", 6, "P 0.928 / R 0.765: type 1 diabetes immunotherapy and closed-loop trials, a "
                     "crossover, a poster with values in arm order", 0.94, 0.85),
    ("heldout36", 6, "P 0.853 / R 0.713: a research letter, a clipped poster abstract, a brief "
                     "report, a registry summary, a meeting report of two trials, a systematic review "
                     "(first run after heldout32-35 were looked at)", 0.95, 0.90),
    ("heldout37", 6, "P 0.882 / R 0.790: full-text results and methods of islet and stem-cell "
                     "trials, patient-by-patient narration, citation markers", 0.93, 0.84),
    ("heldout38", 6, "P 0.852 / R 0.720: islet and immunotherapy abstracts in six house styles, a "
                     "registry analysis by era, a paediatric mg/m2 trial", 0.90, 0.76),
    ("heldout39", 6, "P 0.884 / R 0.868: a topline press release, a label's clinical studies, a "
                     "head-to-head news piece, a Chinese trial, a CVOT, an extension", 0.94, 0.96),
    ("heldout40", 6, "P 0.898 / R 0.741: the project's own field, one product type per abstract "
                     "(first run at the end of the session, after heldout36-39 were looked at)", 0.91, 0.78),
    ("heldout41", 6, "P 0.876 / R 0.660: diabetes trials in six export layouts (MEDLINE tags, "
                     "web-page leftovers, one long results sentence)", 0.99, 0.77),
    ("heldout42", 6, "P 0.942 / R 0.918: ordinary structured RCT abstracts, 2023-2026, chosen as "
                     "typical rather than tricky (first run after heldout40-41 were looked at)", 0.98, 0.94),
    ("heldout43", 6, "P 0.929 / R 0.732: third-party summaries of islet trials (a review, an evidence "
                     "table, an HTA summary, registry prose, a feature, a press release); last first run of "
                     "the session before",
     0.95, 0.79),
    ("heldout44", 6, "P 0.930 / R 0.858: one-paragraph PubMed abstracts of beta-cell replacement "
                     "(islet alone and after kidney, stem-cell islets, an encapsulated device, a 10-year "
                     "cohort, a national phase 3); first run after heldout36-43 were looked at", 0.93, 0.88),
    ("heldout45", 6, "P 0.950 / R 0.891: phase 2 dose-ranging and phase 3 obesity and type 2 "
                     "diabetes trials with three to five arms, in six journals' house styles", 0.97, 0.90),
    ("heldout46", 6, "P 0.940 / R 0.898: type 1 diabetes trials other than cell therapy "
                     "(immunotherapy, closed loop and a crossover, adjunct drugs)", 0.96, 0.91),
    ("heldout47", 6, "P 0.896 / R 0.791: results copied from elsewhere (registry results prose, a "
                     "conference abstract, a full-text results section, a plain-language summary, "
                     "charity news, a research-in-context box)", 0.89, 0.79),
    ("heldout48", 6, "P 0.934 / R 0.916: ordinary PubMed abstracts across diabetes care (insulin "
                     "regimens, incretins, an SGLT2 inhibitor, islets, stem-cell islets, teplizumab); "
                     "first run after heldout44-47 were looked at", 0.93, 0.91),
    ("heldout49", 6, "P 0.945 / R 0.940: Europe PMC and PubMed abstracts of type 1 diabetes and "
                     "beta-cell replacement trials; last first run", 0.94, 0.94),
    ("heldout50", 6, "P 0.930 / R 0.887: phase 2 dose-finding and phase 3 multi-arm trials in "
                     "diabetes and obesity, results per arm; first run after heldout44-49 were looked at", 0.93, 0.88),
    ("heldout51", 6, "P 0.918 / R 0.839: islet and beta-cell replacement cohorts (single-centre, "
                     "islet-after-kidney, stem-cell islet dose cohorts, devices, a registry, an RCT)", 0.91, 0.83),
    ("heldout52", 6, "P 0.940 / R 0.891: cardiometabolic and kidney outcome trials and mid-size RCTs "
                     "(hazard ratios, events per arm, median follow-up)", 0.94, 0.89),
    ("heldout53", 6, "P 0.897 / R 0.789: conference abstracts and registry results summaries in type 1 "
                     "diabetes (closed loop, immunotherapy, stem-cell islets, adjunct drugs)", 0.89, 0.78),
    ("heldout54", 6, "P 0.898 / R 0.797: PubMed abstracts of beta-cell replacement trials (stem-cell "
                     "islets, islets vs insulin, devices, islet-after-kidney); first run after heldout50-53 "
                     "were looked at", 0.89, 0.79),
    ("heldout55", 6, "P 0.955 / R 0.917: type 2 diabetes and obesity RCTs with active comparators", 0.95, 0.91),
    ("heldout56", 6, "P 0.942 / R 0.862: six journals' house styles (NEJM, Lancet, JAMA, Diabetes Care, "
                     "Diabetologia, Nature Medicine), two to four arms", 0.94, 0.86),
    ("heldout57", 6, "P 0.901 / R 0.786: new-onset type 1 diabetes immunotherapy and closed loop "
                     "(Europe PMC)", 0.90, 0.78),
    ("heldout58", 6, "P 0.891 / R 0.746: cell therapy for type 1 diabetes (stem-cell islets by three "
                     "routes, CiPSC islets, islet immunosuppression RCT, omental islets, a registry); first run "
                     "after heldout54-57 were looked at", 0.89, 0.74),
    ("heldout59", 6, "P 0.966 / R 0.899: type 1 diabetes RCTs other than cell therapy (adjuncts, AID, "
                     "insulins, glucagon, teplizumab, a paediatric trial)", 0.96, 0.89),
    ("heldout60", 6, "P 0.919 / R 0.852: varied designs (noninferiority, 2x2 factorial, extension, "
                     "treat-to-target, five arms, cluster)", 0.91, 0.85),
    ("heldout61", 6, "P 0.900 / R 0.750: non-journal writing (science news, a press release, a charity "
                     "summary, hospital news, a guideline summary, conference news)", 0.90, 0.75),
    ("heldout62", 6, "P 0.944 / R 0.847: islet and beta-cell replacement PubMed abstracts from 2001 to "
                     "2025; first run after heldout58-61 were looked at", 0.94, 0.84),
    ("heldout63", 6, "P 0.968 / R 0.943: type 2 diabetes and obesity RCTs", 0.96, 0.94),
    ("heldout64", 6, "P 0.936 / R 0.908: type 1 diabetes trials (immunotherapy, adjuncts, closed loop, "
                     "islets) from Europe PMC", 0.93, 0.90),
    ("heldout65", 6, "P 0.948 / R 0.815: abstracts as copied from PubMed, Europe PMC, a journal page, "
                     "a registry, medRxiv and a conference", 0.94, 0.81),
    ("heldout66", 6, "P 0.967 / R 0.837: beta-cell replacement PubMed abstracts (split-dose and hypoimmune "
                     "stem-cell islets, tegoprubart, islets vs insulin, long-term zimislecel, CiPSC islets); "
                     "first run after heldout62-65 were looked at", 0.96, 0.83),
    ("heldout67", 6, "P 0.941 / R 0.924: type 2 diabetes RCTs incl. Asian and paediatric populations", 0.94, 0.92),
    ("heldout68", 6, "P 0.939 / R 0.897: type 1 diabetes trials other than cell therapy", 0.93, 0.89),
    ("heldout69", 6, "P 0.951 / R 0.825: summaries written about cell-therapy and immunotherapy trials "
                     "(news, research summary, pharmacy newsletter, explainer, blog, editorial)", 0.95, 0.82),
    ("heldout70", 6, "P 0.914 / R 0.907: beta-cell replacement PubMed abstracts 2010-2026; first run after "
                     "heldout66-69 were looked at", 0.91, 0.90),
    ("heldout71", 6, "P 0.948 / R 0.934: obesity and type 2 diabetes drug trials", 0.94, 0.93),
    ("heldout72", 6, "P 0.934 / R 0.855: type 1 diabetes trials other than cell therapy", 0.93, 0.85),
    ("heldout73", 6, "P 0.912 / R 0.832: full-text Results, Discussion and Research-in-context passages", 0.91, 0.83),
    ("heldout74", 6, "P 0.900 / R 0.723: beta-cell replacement and its comparators (pancreas vs islets, "
                     "closed loop around islet grafts, a crossover); first run after heldout70-73 were looked at", 0.90, 0.72),
    ("heldout75", 6, "P 0.926 / R 0.902: two- and three-arm diabetes and obesity RCTs", 0.92, 0.90),
    ("heldout76", 6, "P 0.950 / R 0.764: type 1 diabetes immunotherapy and technology trials", 0.94, 0.76),
    ("heldout77", 6, "P 0.863 / R 0.667: stem-cell and islet trial summaries for different readers (wire "
                     "story, press releases, congress news, explainer, HTA)", 0.86, 0.66),
    ("heldout78", 6, "P 0.941 / R 0.891: PubMed abstracts of cell therapy and transplantation in type 1 "
                     "diabetes; first run after heldout74-77 were looked at", 0.94, 0.89),
    ("heldout79", 6, "P 0.945 / R 0.910: PubMed abstracts of type 2 diabetes and obesity drug RCTs", 0.94, 0.91),
    ("heldout80", 6, "P 0.992 / R 0.944: PubMed and Europe PMC abstracts of type 1 diabetes trials", 0.99, 0.94),
    ("heldout81", 6, "P 0.896 / R 0.812: writing about zimislecel and the trials it is compared with (news, "
                     "review, conference report, company statement, patient group, regulatory summary)", 0.89, 0.81),
    ("heldout82", 6, "P 0.928 / R 0.901: PubMed abstracts of islet and beta-cell replacement 2005-2026; "
                     "first run after heldout78-81 were looked at; last first run of the session", 0.92, 0.90),
    ("heldout83", 6, "P 0.967 / R 0.902: type 2 diabetes and obesity RCTs", 0.96, 0.90),
    ("heldout84", 6, "P 0.878 / R 0.810: type 1 diabetes trials other than cell therapy, incl. children", 0.87, 0.81),
    ("heldout85", 6, "P 0.842 / R 0.752: Europe PMC records of diabetes trials of any kind", 0.84, 0.75),
    ("heldout86", 6, "P 0.954 / R 0.900: PubMed abstracts of islet, stem-cell islet and other beta-cell "
                     "replacement; first run after heldout82-85 were looked at", 0.95, 0.90),
    ("heldout87", 6, "P 0.944 / R 0.927: type 2 diabetes and obesity drug RCTs", 0.94, 0.92),
    ("heldout88", 6, "P 0.978 / R 0.921: type 1 diabetes trials other than cell therapy", 0.97, 0.92),
    ("heldout89", 6, "P 0.953 / R 0.898: Europe PMC records of diabetes trials of any kind", 0.95, 0.89),
    ("heldout90", 6, "P 0.925 / R 0.812: PubMed abstracts of islet, stem-cell islet and other beta-cell "
                     "replacement; first run with no change to the extractor since heldout86-89", 0.92, 0.81),
    ("heldout91", 6, "P 0.939 / R 0.890: type 2 diabetes and obesity drug RCTs", 0.93, 0.89),
    ("heldout92", 6, "P 0.986 / R 0.971: type 1 diabetes trials other than cell therapy", 0.98, 0.97),
    ("heldout93", 6, "P 0.953 / R 0.964: Europe PMC records of diabetes trials of any kind", 0.95, 0.96),
    ("heldout94", 6, "P 0.899 / R 0.874: full-text Results, Discussion and Research-in-context passages of "
                     "diabetes trials; first run after heldout86-93 were looked at", 0.89, 0.87),
    ("heldout95", 6, "P 0.903 / R 0.811: stem-cell and islet trial summaries for different readers (wire story, "
                     "press releases, congress news, explainer, HTA)", 0.90, 0.81),
    ("heldout96", 6, "P 0.925 / R 0.815: summaries of diabetes and obesity drug, immunotherapy and device trials "
                     "for different readers", 0.92, 0.81),
    ("heldout97", 6, "P 0.924 / R 0.902: writing about zimislecel and the trials it is compared with (news, review, "
                     "conference report, company statement, patient group, regulatory summary)", 0.92, 0.90),
    ("heldout98", 6, "P 0.873 / R 0.789: full-text Results, Discussion and Research-in-context passages of islet, "
                     "stem-cell islet and pancreas transplantation studies; first run after heldout94-97 were looked at", 0.87, 0.78),
    ("heldout99", 6, "P 0.924 / R 0.872: full-text Results, Discussion and Research-in-context passages of drug, "
                     "device and immunotherapy trials", 0.92, 0.87),
    ("heldout100", 6, "P 0.887 / R 0.768: stem-cell and islet trial summaries for different readers", 0.88, 0.76),
    ("heldout101", 6, "P 0.893 / R 0.840: summaries of diabetes and obesity drug, immunotherapy and device trials "
                      "for different readers", 0.89, 0.84),
    # round Y: four abstract sets and four of other text, first run after heldout94-101 were looked at
    ("heldout102", 6, "P 0.973 / R 0.891: PubMed abstracts of islet, stem-cell islet and encapsulated-cell trials", 0.97, 0.89),
    ("heldout103", 6, "P 0.964 / R 0.965: type 2 diabetes and obesity drug RCTs with two to five arms", 0.96, 0.96),
    ("heldout104", 6, "P 0.977 / R 0.926: type 1 diabetes trials other than cell therapy, adults and children", 0.97, 0.92),
    ("heldout105", 6, "P 0.943 / R 0.879: Europe PMC records of diabetes trials of any kind", 0.94, 0.87),
    ("heldout106", 6, "P 0.953 / R 0.936: full-text Results, Discussion and Research-in-context passages", 0.95, 0.93),
    ("heldout107", 6, "P 0.902 / R 0.693: stem-cell and islet trial summaries for different readers", 0.90, 0.69),
    ("heldout108", 6, "P 0.916 / R 0.874: summaries of diabetes and obesity drug, immunotherapy and device trials", 0.91, 0.87),
    ("heldout109", 6, "P 0.918 / R 0.809: writing about zimislecel and the trials it is compared with", 0.91, 0.80),
    # round Z: the same mix, first run after heldout102-109 were looked at
    ("heldout110", 6, "P 0.962 / R 0.857: PubMed abstracts of islet, stem-cell islet and encapsulated-cell trials", 0.96, 0.85),
    ("heldout111", 6, "P 0.953 / R 0.904: type 2 diabetes and obesity drug RCTs with two to five arms", 0.95, 0.90),
    ("heldout112", 6, "P 0.959 / R 0.858: type 1 diabetes trials other than cell therapy, adults and children", 0.95, 0.85),
    ("heldout113", 6, "P 0.931 / R 0.942: Europe PMC records of diabetes trials of any kind (its annotator glimpsed "
                      "other sets' event and unit names, not their texts)", 0.93, 0.94),
    ("heldout114", 6, "P 0.904 / R 0.899: full-text Results, Discussion and Research-in-context passages", 0.90, 0.89),
    ("heldout115", 6, "P 0.922 / R 0.745: stem-cell and islet trial summaries for different readers", 0.92, 0.74),
    ("heldout116", 6, "P 0.978 / R 0.789: summaries of diabetes and obesity drug, immunotherapy and device trials", 0.97, 0.78),
    ("heldout117", 6, "P 0.939 / R 0.808: writing about zimislecel and the trials it is compared with", 0.93, 0.80),
    # round AA: the same mix, first run after heldout110-117 were looked at
    ("heldout118", 6, "P 0.952 / R 0.874: PubMed abstracts of islet, stem-cell islet and encapsulated-cell trials", 0.95, 0.87),
    ("heldout119", 6, "P 0.954 / R 0.928: type 2 diabetes and obesity drug RCTs with two to five arms", 0.95, 0.92),
    ("heldout120", 6, "P 0.973 / R 0.895: type 1 diabetes trials other than cell therapy, adults and children", 0.97, 0.89),
    ("heldout121", 6, "P 0.944 / R 0.909: Europe PMC records of diabetes trials of any kind", 0.94, 0.90),
    ("heldout122", 6, "P 0.919 / R 0.918: full-text Results, Discussion and Research-in-context passages", 0.91, 0.91),
    ("heldout123", 6, "P 0.909 / R 0.807: stem-cell and islet trial summaries for different readers", 0.90, 0.80),
    ("heldout124", 6, "P 0.895 / R 0.847: summaries of diabetes and obesity drug, immunotherapy and device trials", 0.89, 0.84),
    ("heldout125", 6, "P 0.926 / R 0.838: writing about zimislecel and the trials it is compared with", 0.92, 0.83),
    ("heldout126", 6, "P 0.854 / R 0.906: full-text Results, Discussion and Research-in-context passages", 0.85, 0.90),
    ("heldout127", 6, "P 0.901 / R 0.812: stem-cell and islet trial summaries for different readers", 0.90, 0.81),
    ("heldout128", 6, "P 0.988 / R 0.813: summaries of diabetes and obesity drug, immunotherapy and device trials", 0.98, 0.81),
    ("heldout129", 6, "P 0.947 / R 0.900: writing about zimislecel and the trials it is compared with", 0.94, 0.90),
    ("heldout130", 6, "P 0.859 / R 0.864: full-text Results (per recipient, four arms, immunotherapy, extension), Discussion, "
                      "Research in context", 0.85, 0.86),
    ("heldout131", 6, "P 0.900 / R 0.776: stem-cell and islet trial summaries for different readers", 0.90, 0.77),
    ("heldout132", 6, "P 0.918 / R 0.811: summaries of diabetes and obesity drug, immunotherapy and device trials", 0.91, 0.81),
    ("heldout133", 6, "P 0.871 / R 0.820: writing about zimislecel and the trials it is compared with", 0.87, 0.82),
    ("heldout134", 6, "P 0.902 / R 0.861: full-text Results, Discussion and Research-in-context passages", 0.90, 0.86),
    ("heldout135", 6, "P 0.935 / R 0.784: stem-cell and islet trial summaries for different readers", 0.93, 0.78),
    ("heldout136", 6, "P 0.972 / R 0.865: summaries of diabetes and obesity drug, immunotherapy and device trials", 0.97, 0.86),
    ("heldout137", 6, "P 0.916 / R 0.800: writing about zimislecel and the trials it is compared with", 0.91, 0.80),
    ("heldout138", 6, "P 0.920 / R 0.882: full-text Results (per recipient, four arms, immunotherapy, extension), Discussion, "
                      "Research in context", 0.91, 0.88),
    ("heldout139", 6, "P 0.841 / R 0.808: stem-cell and islet trial summaries for different readers", 0.84, 0.80),
    ("heldout140", 6, "P 0.906 / R 0.814: summaries of diabetes and obesity drug, immunotherapy and device trials", 0.90, 0.81),
    ("heldout141", 6, "P 0.957 / R 0.854: writing about zimislecel and the trials it is compared with", 0.95, 0.85),
    ("heldout142", 6, "P 0.963 / R 0.918: abstracts of islet, stem-cell islet and encapsulated-cell trials", 0.96, 0.91),
    ("heldout143", 6, "P 0.982 / R 0.895: abstracts of type 2 diabetes and obesity drug RCTs", 0.98, 0.89),
    ("heldout144", 6, "P 0.962 / R 0.901: type 1 diabetes trials other than cell therapy, adults and children", 0.96, 0.90),
    ("heldout145", 6, "P 0.950 / R 0.955: Europe PMC records of diabetes trials of any kind", 0.95, 0.95),
    ("heldout146", 6, "P 0.855 / R 0.817: full-text Results, Discussion and Research-in-context passages", 0.85, 0.81),
    ("heldout147", 6, "P 0.955 / R 0.826: stem-cell and islet trial summaries for different readers", 0.95, 0.82),
    ("heldout148", 6, "P 0.971 / R 0.767: summaries of diabetes and obesity drug, immunotherapy and device trials", 0.97, 0.76),
    ("heldout149", 6, "P 0.950 / R 0.882: writing about zimislecel and the trials it is compared with", 0.95, 0.88),
    ("heldout150", 6, "P 0.855 / R 0.843: full-text Results, Discussion and Research-in-context passages", 0.85, 0.84),
    ("heldout151", 6, "P 0.878 / R 0.806: stem-cell and islet trial summaries for different readers", 0.87, 0.80),
    ("heldout152", 6, "P 0.939 / R 0.847: summaries of diabetes and obesity drug, immunotherapy and device trials", 0.93, 0.84),
    ("heldout153", 6, "P 0.941 / R 0.818: writing about zimislecel and the trials it is compared with (drafts swept into "
                      "commit 192483a unread)", 0.94, 0.81),
    ("heldout154", 6, "P 0.902 / R 0.830: full-text Results (per recipient, four arms, immunotherapy, extension), Discussion, "
                      "Research in context", 0.90, 0.82),
    ("heldout155", 6, "P 0.911 / R 0.835: stem-cell and islet trial summaries for different readers", 0.91, 0.83),
    ("heldout156", 6, "P 0.947 / R 0.883: summaries of diabetes and obesity drug, immunotherapy and device trials", 0.94, 0.88),
    ("heldout157", 6, "P 0.960 / R 0.824: writing about zimislecel and the trials it is compared with", 0.95, 0.82),
    # Round AG (this session, scored once at e606abb after the session's rule changes)
    ("heldout158", 6, "P 0.938 / R 0.929: PubMed abstracts of islet, stem-cell islet and encapsulated-cell trials", 0.93, 0.92),
    ("heldout159", 6, "P 0.944 / R 0.947: PubMed abstracts of glucose- and weight-lowering drug RCTs", 0.94, 0.94),
    ("heldout160", 6, "P 0.962 / R 0.894: full-text Results, Discussion and Research-in-context passages", 0.96, 0.89),
    ("heldout161", 6, "P 0.938 / R 0.929: stem-cell and islet trial summaries for different readers", 0.93, 0.92),
    ("heldout162", 6, "P 0.865 / R 0.875: summaries of diabetes and obesity drug, immunotherapy and device trials", 0.86, 0.87),
    ("heldout163", 6, "P 0.963 / R 0.848: writing about zimislecel and the trials it is compared with", 0.96, 0.84),
    ("heldout164", 6, "P 0.861 / R 0.828: full-text Results (per recipient, four arms, immunotherapy, extension), Discussion, "
                      "Research in context", 0.86, 0.82),
    ("heldout165", 6, "P 0.934 / R 0.893: stem-cell and islet trial summaries for different readers", 0.93, 0.89),
    # Round AH (2026-11-30, third session: written by helpers at the session's start, scored once at
    # ef0bf93 after that session's first rule changes)
    ("heldout166", 6, "P 0.958 / R 0.857: PubMed abstracts of beta-cell replacement and preservation trials", 0.95, 0.85),
    ("heldout167", 6, "P 0.919 / R 0.935: PubMed abstracts of drug RCTs (non-inferiority, crossover, dose escalation)", 0.91, 0.93),
    ("heldout168", 6, "P 0.944 / R 0.860: PubMed abstracts of single-arm, extension, registry, pooled, pilot and paediatric "
                      "studies", 0.94, 0.86),
    ("heldout169", 6, "P 0.926 / R 0.797: full-text Results, Methods+Results, Discussion and Research-in-context passages", 0.92, 0.79),
    ("heldout170", 6, "P 0.887 / R 0.882: full-text Results, Safety, Abstract+Introduction and Discussion passages", 0.88, 0.88),
    ("heldout171", 6, "P 0.924 / R 0.786: stem-cell and islet trial summaries for different readers", 0.92, 0.78),
    ("heldout172", 6, "P 0.935 / R 0.874: summaries of diabetes and obesity drug, immunotherapy and device trials", 0.93, 0.87),
    ("heldout173", 6, "P 0.927 / R 0.824: writing about zimislecel and the trials it is compared with", 0.92, 0.82),
    # Round AI (2026-11-30, third session: written by helpers after round AH was scored, scored once
    # at 3e701f9 after the session's rule changes)
    ("heldout174", 6, "P 0.951 / R 0.883: PubMed abstracts of islet, pancreas-versus-islet, stem-cell, device and gene-edited "
                      "islet studies", 0.95, 0.88),
    ("heldout175", 6, "P 0.932 / R 0.916: PubMed abstracts of randomised trials in type 1 diabetes", 0.93, 0.91),
    ("heldout176", 6, "P 0.964 / R 0.955: PubMed abstracts of type 2 diabetes and obesity drug trials", 0.96, 0.95),
    ("heldout177", 6, "P 0.877 / R 0.857: full-text Results, Safety, flow, registry and Discussion passages of islet and "
                      "stem-cell trials", 0.87, 0.85),
    ("heldout178", 6, "P 0.879 / R 0.856: full-text Results, Safety, crossover, Discussion and Research-in-context passages", 0.87, 0.85),
    ("heldout179", 6, "P 0.948 / R 0.904: stem-cell and islet trial summaries for different readers", 0.94, 0.90),
    ("heldout180", 6, "P 0.880 / R 0.841: summaries of diabetes and obesity drug, immunotherapy and device trials", 0.88, 0.84),
    ("heldout181", 6, "P 0.922 / R 0.768: writing about zimislecel and the trials it is compared with", 0.92, 0.76),
    # Round AJ (2026-11-30, fourth session: written by helpers at the session's start, whose replies
    # listed only their files; scored once at 681410e after the session's rule changes)
    ("heldout182", 6, "P 0.911 / R 0.867: PubMed abstracts of islet, stem-cell islet, device and new-onset immunotherapy studies", 0.91, 0.86),
    ("heldout183", 6, "P 0.971 / R 0.953: PubMed abstracts of randomised type 1 and type 2 diabetes trials", 0.97, 0.95),
    ("heldout184", 6, "P 0.921 / R 0.876: PubMed abstracts of phase 1-2 cell, gene and drug studies", 0.92, 0.87),
    ("heldout185", 6, "P 0.925 / R 0.734: full-text passages of islet, stem-cell and device trials", 0.92, 0.73),
    ("heldout186", 6, "P 0.879 / R 0.811: full-text passages of diabetes drug and immunotherapy trials", 0.87, 0.81),
    ("heldout187", 6, "P 0.892 / R 0.690: stem-cell, islet and gene-edited islet trial summaries for different readers", 0.89, 0.68),
    ("heldout188", 6, "P 0.949 / R 0.840: summaries of diabetes and obesity drug, insulin, immunotherapy and device trials", 0.94, 0.84),
    ("heldout189", 6, "P 0.936 / R 0.828: writing about zimislecel and the trials it is compared with", 0.93, 0.82),
    # Round AK, written from a brief rebuilt from memory (the earlier one was lost): its annotators
    # also annotated outcomes outside the vocabulary as `other` (79 required facts, none before), and
    # its documents are denser (31 required facts each against 18 in round AJ)
    ("heldout190", 6, "P 0.899 / R 0.842: PubMed abstracts of islet, stem-cell islet, device and new-onset immunotherapy trials", 0.89, 0.84),
    ("heldout191", 6, "P 0.900 / R 0.708: abstracts of randomised type 1 and type 2 diabetes trials with several arms", 0.90, 0.70),
    ("heldout192", 6, "P 0.880 / R 0.785: abstracts of single-arm, extension, pooled, registry and paediatric studies", 0.88, 0.78),
    ("heldout193", 6, "P 0.836 / R 0.792: full-text passages of islet, stem-cell islet and device trials", 0.83, 0.79),
    ("heldout194", 6, "P 0.883 / R 0.736: full-text passages of diabetes drug and immunotherapy trials", 0.88, 0.73),
    ("heldout195", 6, "P 0.901 / R 0.772: news and press releases on stem-cell, islet and gene-edited islet therapies", 0.90, 0.77),
    ("heldout196", 6, "P 0.879 / R 0.773: news and press releases on diabetes drugs, insulins, immunotherapies and devices", 0.87, 0.77),
    ("heldout197", 6, "P 0.917 / R 0.772: writing about zimislecel and the therapies it is compared with", 0.91, 0.77),
    # Round AL, written at the start of the next session from tests/gold/BRIEF.md word for word (the
    # first round written from a brief kept in the repository); scored once at bf13688, after that
    # session's rule changes. 32 required facts per document, 100 of them `other`
    ("heldout198", 6, "P 0.943 / R 0.883: PubMed abstracts of islet, stem-cell islet, device and new-onset immunotherapy trials", 0.94, 0.88),
    ("heldout199", 6, "P 0.924 / R 0.831: abstracts of randomised type 1 and type 2 diabetes trials with several arms", 0.92, 0.83),
    ("heldout200", 6, "P 0.924 / R 0.743: abstracts of single-arm, extension, pooled, registry and paediatric studies", 0.92, 0.74),
    ("heldout201", 6, "P 0.856 / R 0.725: full-text passages of islet, stem-cell islet and device trials", 0.85, 0.72),
    ("heldout202", 6, "P 0.857 / R 0.707: full-text passages of diabetes drug and immunotherapy trials", 0.85, 0.70),
    ("heldout203", 6, "P 0.881 / R 0.805: news and press releases on stem-cell, islet and gene-edited islet therapies", 0.88, 0.80),
    ("heldout204", 6, "P 0.872 / R 0.783: news and press releases on diabetes drugs, insulins, immunotherapies and devices", 0.87, 0.78),
    ("heldout205", 6, "P 0.835 / R 0.824: writing about zimislecel and the therapies it is compared with", 0.83, 0.82),
    # Round AM, written the same way at the start of the session after; scored once at 8a56c18, after
    # that session's rule changes
    ("heldout206", 6, "P 0.950 / R 0.874: PubMed abstracts of islet, stem-cell islet, device and new-onset immunotherapy trials", 0.95, 0.87),
    ("heldout207", 6, "P 0.910 / R 0.803: abstracts of randomised type 1 and type 2 diabetes trials with several arms", 0.90, 0.80),
    ("heldout208", 6, "P 0.952 / R 0.715: abstracts of single-arm, extension, pooled, registry and paediatric studies", 0.95, 0.71),
    ("heldout209", 6, "P 0.915 / R 0.881: full-text passages of islet, stem-cell islet and device trials", 0.91, 0.88),
    ("heldout210", 6, "P 0.839 / R 0.749: full-text passages of diabetes drug and immunotherapy trials", 0.83, 0.74),
    ("heldout211", 6, "P 0.909 / R 0.796: news and press releases on stem-cell, islet and gene-edited islet therapies", 0.90, 0.79),
    ("heldout212", 6, "P 0.854 / R 0.799: news and press releases on diabetes drugs, insulins, immunotherapies and devices", 0.85, 0.79),
    ("heldout213", 6, "P 0.865 / R 0.774: writing about zimislecel and the therapies it is compared with", 0.86, 0.77),
    # Round AN, written the same way at the start of the session after; scored once at 3e4e6d4, after
    # that session's rule changes
    ("heldout214", 6, "P 0.940 / R 0.890: PubMed abstracts of islet, stem-cell islet, device and new-onset immunotherapy trials", 0.94, 0.89),
    ("heldout215", 6, "P 0.975 / R 0.883: abstracts of randomised type 1 and type 2 diabetes trials with several arms", 0.97, 0.88),
    ("heldout216", 6, "P 0.859 / R 0.727: abstracts of single-arm, extension, pooled, registry and paediatric studies", 0.85, 0.72),
    ("heldout217", 6, "P 0.827 / R 0.786: full-text passages of islet, stem-cell islet and device trials", 0.82, 0.78),
    ("heldout218", 6, "P 0.901 / R 0.748: full-text passages of diabetes drug and immunotherapy trials", 0.90, 0.74),
    ("heldout219", 6, "P 0.899 / R 0.810: news and press releases on stem-cell, islet and gene-edited islet therapies", 0.89, 0.81),
    ("heldout220", 6, "P 0.920 / R 0.737: news and press releases on diabetes drugs, insulins, immunotherapies and devices", 0.92, 0.73),
    ("heldout221", 6, "P 0.894 / R 0.808: writing about zimislecel and the therapies it is compared with", 0.89, 0.80),
]


@pytest.mark.parametrize("name, documents, first_run, precision, recall", HELDOUT_SETS,
                         ids=[h[0] for h in HELDOUT_SETS])
def test_heldout_gold_floors(name, documents, first_run, precision, recall):
    report = evaluate(GOLD / name)
    assert report.documents >= documents and not report.errors
    assert report.overall.precision >= precision, report.format(verbose=True)
    assert report.overall.recall >= recall, report.format(verbose=True)


# Arm-attribution floors, each on the pool of independent sets it was set on (heldout10 up to the
# set named). A new round of weaker text gets a pool and floor of its own, so no floor ever drops.
ARM_FLOORS = [
    # (floors raised 2026-11-30 to the pools after that session's changes: 7178/8625, 7313/8799,
    # 7584/9180, 7991/9684 and 8282/10093)
    (129, 0.83),   # 6961/8484 = 0.820 once heldout126-129 joined
    (133, 0.83),   # 7082/8647 = 0.819 with heldout130-133 (first run 114/162)
    (141, 0.825),  # 7344/9047 = 0.812 with heldout134-141 (first run 230/359)
    (149, 0.825),  # 7733/9549 = 0.810 with heldout142-149 (first run 383/491: abstracts 273/320, others 110/171)
    (157, 0.82),   # 7998/9951 = 0.804 with heldout150-157 (first run 259/395)
    (165, 0.82),   # 8615/10487 = 0.821 with heldout158-165 (first run 333/394: abstracts 123/133, others 210/261)
    (173, 0.82),   # 9011/10964 = 0.822 with heldout166-173 (first run 345/417: abstracts 170/194, others 175/223)
    (181, 0.82),   # 9424/11487 = 0.820 with heldout174-181 (first run 395/502: abstracts 219/255, others 176/247)
    (189, 0.82),   # 9824/11980 = 0.820 with heldout182-189 (first run 282/388: abstracts 138/183, others 144/205)
    (197, 0.81),   # 10363/12716 = 0.815 with heldout190-197 (first run 458/661: abstracts 173/232, others 285/429)
    (205, 0.80),   # 11606/14343 = 0.809 with heldout198-205 (first run 539/743: abstracts 237/310, others 302/433)
    (213, 0.80),   # 12292/15220 = 0.808 with heldout206-213 (first run 575/782: abstracts 187/263, others 388/519)
    (221, 0.80),   # 13046/16120 = 0.809 with heldout214-221 (first run 540/806: abstracts 256/355, others 284/451)
]


def test_arm_attribution_on_the_independent_sets():
    """Of the matched facts whose gold names an arm, how many the extractor gave that arm, over
    every set written by an independent annotator (heldout10 on). A floor after the fixes, not
    a held-out measure: it was 0.45-0.55 on first runs before the arm-order pass existed, and
    0.62-0.65 on the first runs of heldout32-41, 0.70 on heldout44-47, 0.84 on heldout48-49 and
    0.68-0.86 on the first runs of heldout50-89 (0.86 on heldout86-89), 0.83 on heldout90-93, and
    0.66-0.68 on the full-text and news rounds heldout94-101, which pulled the pool from 0.838 to
    0.827 (floor 0.83 before they were added, 0.82 with them); 0.70-0.88 on the rounds of
    heldout102-125, the pool then 6795/8260 = 0.823; then the news and full-text rounds
    heldout126-141, 0.30-0.87 per set on first run (ARM_FLOORS)."""
    sets = [name for name, *_ in HELDOUT_SETS if int(name.removeprefix("heldout") or 0) >= 10]
    reports = {name: evaluate(GOLD / name) for name in sets}
    assert int(sets[-1].removeprefix("heldout")) == ARM_FLOORS[-1][0], "a new round of sets needs its own pool in ARM_FLOORS"
    for last, floor in ARM_FLOORS:
        pool = [n for n in sets if int(n.removeprefix("heldout")) <= last]
        correct = sum(reports[n].arm_correct for n in pool)
        total = sum(reports[n].arm_total for n in pool)
        assert total > 1000
        assert correct / total >= floor, f"heldout10-{last}: {correct}/{total}"


def test_kb_eval_cli(tmp_path):
    result = CliRunner().invoke(cli, ["eval", str(GOLD), "-v"])
    assert result.exit_code == 0, result.output
    assert "OVERALL" in result.output and "arm attribution" in result.output
    empty = CliRunner().invoke(cli, ["eval", str(tmp_path)])
    assert empty.exit_code != 0 and "no readable gold files" in empty.output
