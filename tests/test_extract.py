"""The spaCy trial-fact pipeline on the seed article, small parametrised cases, and invariants."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLES, SEED

from kb.extract import extract_document, extract_documents, extract_text, get_pipeline
from kb.models import Document, Fact
from kb.nlp import lexicon
from kb.nlp.sentences import split_sentences

GOLD = ROOT / "tests" / "gold"


def find(facts: list[Fact], kind: str, name: str | None = None, **attrs) -> list[Fact]:
    out = []
    for f in facts:
        if f.kind != kind or (name is not None and f.name != name):
            continue
        if all((abs((getattr(f, k) or 0) - v) < 1e-6 * max(1, abs(v))) if isinstance(v, float) else getattr(f, k) == v
               for k, v in attrs.items()):
            out.append(f)
    return out


@pytest.fixture(scope="module")
def seed_facts() -> list[Fact]:
    return extract_text(SEED.read_text(encoding="utf-8"), SEED.stem)


# ------------------------------------------------------------------------------ the seed article
def test_pipeline_is_blank_english_plus_kb_components():
    nlp = get_pipeline()
    assert nlp.lang == "en"
    assert nlp.pipe_names[-2:] == ["kb_sentence_spans", "kb_trial_facts"]


def test_seed_intervention_phase(seed_facts):
    assert find(seed_facts, "intervention", "zimislecel")
    assert [f.name for f in find(seed_facts, "phase")] == ["1/2"]


def test_seed_doses_with_their_parts(seed_facts):
    assert find(seed_facts, "dose", "zimislecel", value=4e8, unit="cells", group="part A")
    assert find(seed_facts, "dose", "zimislecel", value=8e8, unit="cells", group="parts B and C")


def test_seed_sample_sizes(seed_facts):
    assert find(seed_facts, "sample_size", value=14.0, group=None)
    assert find(seed_facts, "sample_size", value=2.0, group="part A")
    assert find(seed_facts, "sample_size", value=12.0, group="parts B and C")


def test_seed_outcomes(seed_facts):
    ii = find(seed_facts, "outcome", "insulin_independence", value=83.0, n=10, denominator=12)
    assert ii and ii[0].timepoint == "one year"
    assert find(seed_facts, "outcome", "severe_hypoglycemia_free", value=100.0)
    assert find(seed_facts, "outcome", "hba1c_target", value=100.0)
    tir = find(seed_facts, "outcome", "time_in_range", value=70.0)
    assert tir and tir[0].comparator == ">"


def test_seed_adverse_events(seed_facts):
    assert find(seed_facts, "adverse_event", "neutropenia", n=3, serious=True)
    assert find(seed_facts, "adverse_event", "death", n=2)
    assert find(seed_facts, "adverse_event", "cryptococcal meningitis", label="cause of death")


def test_seed_definition_sentence_gives_no_outcomes(seed_facts):
    # "HbA1c to below 7% ... at least one percentage point" defines the end point; it is no result.
    assert not [f for f in seed_facts if f.kind == "outcome" and "was defined as" in f.quote]


def test_seed_facts_have_rule_and_confidence(seed_facts):
    for f in seed_facts:
        assert f.rule and 0.0 <= f.confidence <= 1.0
        assert f.method == "rule"
    inferred = find(seed_facts, "outcome", "insulin_independence", n=10, denominator=12)[0]
    stated = find(seed_facts, "sample_size", value=12.0)[0]
    assert inferred.group == "parts B and C"  # inferred from the arm size
    assert inferred.confidence < stated.confidence


# ------------------------------------------------------------------------------ shapes, one per row
CASES = [
    # (text, kind, name, expected attributes)
    ("Ten of the 12 participants (83%) were insulin independent.", "outcome", "insulin_independence", {"n": 10, "denominator": 12, "value": 83.0}),
    ("Graft function was present in 112 (47%) of 240 recipients.", "outcome", "engraftment", {"n": 112, "denominator": 240, "value": 47.0}),
    ("Insulin independence was observed in 83% (10/12).", "outcome", "insulin_independence", {"n": 10, "denominator": 12}),
    ("All 14 participants showed islet engraftment.", "outcome", "engraftment", {"n": 14, "denominator": 14, "value": 100.0}),
    ("Spending more than 70% of their time in range.", "outcome", "time_in_range", {"value": 70.0, "comparator": ">"}),
    ("At least 60% were free of severe hypoglycaemic events.", "outcome", "severe_hypoglycemia_free", {"value": 60.0, "comparator": ">="}),
    ("Mean HbA1c was 8.0% at baseline.", "outcome", "hba1c", {"value": 8.0, "timepoint": "baseline"}),
    ("HbA1c improved by −1.2 percentage points (95% CI −1.5 to −0.9) versus placebo.", "outcome", "hba1c_change",
     {"value": -1.2, "ci_low": -1.5, "ci_high": -0.9, "contrast": "placebo"}),
    ("No severe hypoglycaemia was reported.", "adverse_event", "severe hypoglycemia", {"negated": True}),
    ("No level 3 (severe) hypoglycemia was reported.", "adverse_event", "severe hypoglycemia", {"negated": True}),
    ("No participant in Part B experienced severe hypoglycemia after Day 90.", "adverse_event", "severe hypoglycemia",
     {"negated": True, "group": "Part B"}),
    ("AV block was seen in three; no participant in either group had severe hypoglycaemia or diabetic ketoacidosis.",
     "adverse_event", "diabetic ketoacidosis", {"negated": True}),
    # a target that defines the primary end point it meets
    ("At 1 year, 71 of 86 recipients (83%) met the composite primary outcome of HbA1c < 7.0% with no severe hypoglycemic event.",
     "outcome", "primary_endpoint_met", {"n": 71, "denominator": 86}),
    ("42 of its 48 participants (87.5%) met the primary end point—HbA1c <7.0% with no severe hypoglycaemic events—at 1 year.",
     "outcome", "primary_endpoint_met", {"value": 87.5}),
    # (a met end point's definition does not make the sentence a definition of one)
    ("Insulin independence was achieved by 21 (66%) at 1 year, and 28 recipients (88%) met the composite primary end point of "
     "HbA1c <7.0% with freedom from severe hypoglycaemic events.", "outcome", "insulin_independence", {"n": 21, "value": 66.0}),
    ("Insulin independence was achieved by 21 (66%) at 1 year, and 28 recipients (88%) met the composite primary end point of "
     "HbA1c <7.0% with freedom from severe hypoglycaemic events.", "outcome", "primary_endpoint_met", {"n": 28, "value": 88.0}),
    # a change whose verb is not repeated
    ("Tirzepatide lowered HbA1c by 0.6 percentage points and body weight by 15.8% compared with placebo.", "outcome", "body_weight_change",
     {"value": -15.8, "contrast": "placebo"}),
    ("Tirzepatide lowered HbA1c by 0.6 percentage points and body weight by 15.8% compared with placebo.", "outcome", "hba1c_change",
     {"value": -0.6, "contrast": "placebo"}),
    ("Compared with placebo, semaglutide lowered HbA1c by 0.4 percentage points and bodyweight by 6.1 kg.", "outcome", "body_weight_change",
     {"value": -6.1, "unit": "kg"}),
    # no one who reached the outcome named after them
    ("Twelve participants received a full dose of zimislecel. At day 90 only 3 of the 12 (25%) had a peak stimulated C-peptide above "
     "100 pmol/L, and no participant became insulin independent.", "outcome", "insulin_independence", {"negated": True, "n": 0}),
    ("Encapsulated progenitors yielded a C-peptide of ≥0.1 nmol/l in 6 of 17 recipients (35%) at 6 months, although none became "
     "insulin independent.", "outcome", "insulin_independence", {"negated": True, "n": 0}),
    ("None of the group has had an episode of severe hypoglycaemia since the second month after the infusion.", "adverse_event",
     "severe hypoglycemia", {"negated": True}),
    ("By the end of follow-up, 14 recipients (45%) had lost all islet graft function.", "outcome", "graft_loss", {"n": 14, "value": 45.0}),
    ("None of the 12 had a severe hypoglycaemic event after day 90.", "adverse_event", "severe hypoglycemia", {"negated": True}),
    ("She became insulin independent on day 75 and remained so at 1 year, with time in range above 98% and an HbA1c of 5.1%.",
     "outcome", "time_in_range", {"value": 98.0, "comparator": ">"}),
    ("The recipient became insulin independent, with time in range rising from 43% to >96%.", "outcome", "time_in_range",
     {"value": 96.0, "comparator": ">"}),
    # a bare value after a "respectively" list takes the list's unit
    ("At week 26, HbA1c fell by 1.21, 1.64 and 1.88 percentage points with the 1.5, 3 and 6 mg doses, respectively, versus 0.27 "
     "with placebo.", "outcome", "hba1c_change", {"value": -0.27, "group": "placebo"}),
    # (and after an arm that is a dose: "2·37 with 10 mg, and 2·49 with 15 mg")
    ("HbA1c decreased by 2·16 percentage points with tirzepatide 5 mg, 2·37 with 10 mg, and 2·49 with 15 mg, compared with 1·44 "
     "with glargine.", "outcome", "hba1c_change", {"value": -2.49, "group": "tirzepatide 15 mg"}),
    # the next values of a list a change verb opened are relative changes too
    ("At week 52, C-peptide AUC had declined by 9%, 18% and 41% in the 10 mg/kg, 3 mg/kg and placebo arms, respectively.",
     "outcome", "c_peptide", {"value": -41.0, "unit": "%", "group": "placebo"}),
    ("At 12 mo, C-peptide AUC fell by 18% with verapamil vs 41% with placebo.", "outcome", "c_peptide", {"value": -41.0, "unit": "%"}),
    # the dose a sentence with eligibility words assigns, after the population between the verb and its "to"
    ("In this trial, 120 adults aged 18-65 years were randomized within 2 weeks of screening to LMX-204 100 mg or placebo for 24 weeks.",
     "dose", "lmx-204", {"value": 100.0, "unit": "mg"}),
    # a procedure some underwent "at least one" of
    ("Of 41 patients assessed, 28 underwent at least one intraportal islet transplantation.", "intervention", "islet transplantation", {}),
    # "down" marks a change as the verbs do
    ("• HbA1c: down 0.9% with AID and 0.3% with control.", "outcome", "hba1c_change", {"value": -0.3}),
    # a part's count right after another part's ("2 in part A and 3 in part B")
    ("Seventeen participants had been dosed: 2 in part A and 3 in part B at half the target dose, and 12 in part C.",
     "sample_size", "participants", {"value": 3.0, "group": "part B"}),
    # time in range written as its glucose band
    ("Time spent between 3·9 and 10·0 mmol/L on continuous glucose monitoring was 85% (78–91) after transplantation.",
     "outcome", "time_in_range", {"value": 85.0}),
    ("Time spent with sensor glucose between 5.6 and 10.0 mmol/L was 65.2% (SD 16.4) in the closed-loop group.",
     "outcome", "time_in_range", {"value": 65.2, "group": "closed-loop"}),
    ("In the phase 1/2 data set, 12/12 full-dose patients engrafted; 10 (83%) were insulin independent at Day 365.", "outcome",
     "engraftment", {"n": 12, "denominator": 12}),
    ("Children received verapamil at a weight-based dose of 120 to 360 mg/d or placebo.", "dose", "verapamil",
     {"value": 360.0, "unit": "mg/day"}),
    # a relative difference in C-peptide
    ("After 52 weeks, C-peptide was 27% higher in the verapamil group than in the placebo group.", "outcome", "c_peptide",
     {"value": 27.0, "unit": "%", "contrast": "placebo"}),
    ("Their C-peptide levels were about 30 percent higher than those in the placebo group.", "outcome", "c_peptide",
     {"value": 30.0, "contrast": "placebo"}),
    ("At Week 52, C-peptide AUC declined by 0.11 nmol/L with CLX-204 compared with a decline of 0.32 nmol/L with placebo.",
     "outcome", "c_peptide", {"value": -0.32}),
    ("Children were assigned to closed loop (n=85) or control (n=42). At 26 weeks, HbA1c was 7.0% with closed loop and 7.6% in "
     "controls, from 7.6% and 7.7% at baseline (adjusted difference −0.5 percentage points, 95% CI −0.7 to −0.3).", "outcome",
     "hba1c_change", {"value": -0.5, "timepoint": None}),
    ("Neutropenia (absolute neutrophil count <1,000/µL) occurred in 8 recipients (38%) and mouth ulceration in 11 (52%).",
     "adverse_event", "neutropenia", {"n": 8, "value": 38.0}),
    # insulin doses as written
    ("His total daily insulin dose nevertheless fell by 12% from baseline.", "outcome", "insulin_dose_change", {"value": -12.0}),
    ("The two recipients in cohort 1 kept partial graft function, with daily insulin requirements reduced by 51% and 38% relative "
     "to baseline.", "outcome", "insulin_dose_change", {"value": -38.0}),
    ("People with the strongest response cut their daily insulin by around 20%, but nobody stopped insulin completely.", "outcome",
     "insulin_dose_change", {"value": -20.0}),
    ("These effects came with slightly lower insulin requirements (−0·07 U/kg per day vs placebo).", "outcome", "insulin_dose_change",
     {"value": -0.07, "contrast": "placebo"}),
    # people by number: a list of them counts them, one of them is no count
    ("Participants 4 and 5 stopped exogenous insulin and were still insulin independent at month 12.", "outcome",
     "insulin_independence", {"n": 2}),
    # none in one arm, one (or some) in the other
    ("Adults were randomised to NV-220 or placebo. There was no diabetic ketoacidosis in the active arm and one episode in the placebo arm.",
     "adverse_event", "diabetic ketoacidosis", {"n": 1, "group": "placebo"}),
    ("Adults were randomised to NV-220 or placebo. There was no diabetic ketoacidosis in the active arm and one episode in the placebo arm.",
     "adverse_event", "diabetic ketoacidosis", {"negated": True, "group": "active"}),
    ("Adults were randomised to semaglutide or placebo. No diabetic ketoacidosis occurred in the semaglutide group, and one episode "
     "occurred in the placebo group.", "adverse_event", "diabetic ketoacidosis", {"n": 1, "group": "placebo"}),
    ("Adults were randomised to tirzepatide or placebo. Diabetic ketoacidosis occurred in two participants given tirzepatide (2%) and in "
     "none given placebo.", "adverse_event", "diabetic ketoacidosis", {"negated": True, "group": "placebo"}),
    # one episode is one person who had it (annotators give both; the event count stays an outcome)
    ("One severe hypoglycaemic episode occurred in the closed-loop group.", "adverse_event", "severe hypoglycemia", {"n": 1}),
    ("One severe hypoglycaemic episode occurred in the closed-loop group.", "outcome", "severe_hypoglycemia_events", {"value": 1.0}),
    ("There was one episode of severe hypoglycaemia in the AID group and none in the comparison group.", "adverse_event",
     "severe hypoglycemia", {"n": 1, "group": "AID"}),
    ("Participants received 0.8 × 109 cells of zimislecel.", "dose", "zimislecel", {"value": 8e8, "unit": "cells"}),
    ("Each participant received 1.5&#xd7;10<sup>6</sup> IEQ of donislecel.", "dose", "donislecel", {"value": 1.5e6, "unit": "IEQ"}),
    ("A total of 1,248 participants were randomised.", "sample_size", "participants", {"value": 1248.0}),
    ("Orforglipron 12 mg (n=132) was given once daily.", "sample_size", "participants", {"value": 132.0, "group": "orforglipron 12 mg"}),
    ("This phase I/II study enrolled adults.", "phase", "1/2", {}),
    ("A phase 1–2 trial.", "phase", "1/2", {}),
    ("Registered as ChiCTR2300072200.", "registry_id", "CHICTR2300072200", {}),
    ("EudraCT number 2019-001234-56.", "registry_id", "2019-001234-56", {}),
    ("Registered with the Clinical Research Information Service, KCT0006411.", "registry_id", "KCT0006411", {}),
    ("Serious adverse events were reported in six (3%), nine (4%), and five (2%) participants, respectively.",
     "adverse_event", "serious adverse event", {"n": 6, "value": 3.0}),  # "reported in six" is no event's name
    ("No serious treatment-related adverse events occurred.", "adverse_event", "serious adverse event", {"negated": True}),
    ("No episodes of major hypoglycaemia were recorded.", "adverse_event", "major hypoglycemia", {"negated": True}),
    # the whole trial, not the first arm of the list it was randomised to
    ("Overall, 240 patients were randomly assigned to semaglutide or placebo.", "sample_size", "participants", {"value": 240, "group": None}),
    ("In all, 240 patients were randomly assigned to ZT-0417 50 mg once daily (QD), 100 mg QD, 50 mg twice daily (BID), or placebo. "
     "HbA1c changes were −0.68%, −0.94%, −1.07% and −0.35% in the 50 mg QD, 100 mg QD, 50 mg BID and placebo groups.",
     "outcome", "hba1c_change", {"value": -1.07, "group": "50 mg BID"}),
    ("A glycated hemoglobin level of 6.5% or less was reached by 38.4% of the participants.", "outcome", "hba1c_target", {"value": 38.4}),
    # two kinds of recipient compared in one sentence are its arms
    ("At 1 year, 89.2% (239/268) of pancreas recipients and 52.4% (76/145) of islet recipients were insulin independent.",
     "outcome", "insulin_independence", {"value": 52.4, "group": "islet recipients"}),
    ("Twelve recipients (6.5%) died, from malignancy (n = 4), infection (n = 3) or unknown causes (n = 2).",
     "adverse_event", "malignancy", {"n": 4}),
    ("Time in range improved by 29 percentage points relative to control (95% CI 21 to 37).",
     "outcome", "time_in_range", {"value": 29.0, "contrast": "control"}),
    ("One participant developed a graft-site hematoma that needed drainage.", "adverse_event", "graft-site hematoma", {"n": 1}),
    ("In 344 adults with obesity, 36 weeks of BX-5529 at 20 mg, 40 mg, or 80 mg reduced bodyweight by 8.1%, 11.3%, and 14.6%, "
     "respectively, versus 1.9% with placebo.", "outcome", "body_weight_change", {"value": -11.3, "group": "40 mg"}),
    ("In 344 adults with obesity, BX-5529 at 20 mg or 40 mg reduced body weight by 8.1% and 11.3%, respectively.",
     "sample_size", "participants", {"value": 344, "group": None}),
    ("Adverse events, mostly gastrointestinal and mild, led to discontinuation in 4.1% of participants.",
     "outcome", "discontinuation_due_to_ae", {"value": 4.1}),
    ("About one in 10 patients on the highest dose, 10.3%, quit the study because of side effects.",
     "outcome", "discontinuation_due_to_ae", {"value": 10.3}),
    ("Every one of the 12 had an HbA1c below 7%.", "outcome", "hba1c_target", {"value": 100.0, "n": 12, "denominator": 12}),
    ("All 12 patients who got the full dose began making their own insulin within 90 days.",
     "outcome", "engraftment", {"value": 100.0, "n": 12}),
    ("None of them had a severe low-blood-sugar episode.", "adverse_event", "severe hypoglycemia", {"negated": True}),
    ("Eight adults received CiPI-01 cells, which were infused into the liver.", "intervention", "cipi-01", {}),
    ("One patient developed a lung infection that needed a hospital stay.", "adverse_event", "lung infection", {"n": 1}),
    ("Twelve islet recipients were treated. Fasting C-peptide was ≥0.3 nmol/L in 21 recipients (88%) at 1 year.",
     "outcome", "engraftment", {"value": 88.0, "n": 21}),
    ("A total of 1,012 infusions were performed in 412 recipients (ITA, n = 298; IAK, n = 114).",
     "sample_size", "participants", {"value": 114, "group": "IAK"}),
    ("Among 612 randomized participants (tirzepatide 10 mg, n = 204; 15 mg, n = 203; placebo, n = 205; mean age, 46.2 years).",
     "sample_size", "participants", {"value": 205, "group": "placebo"}),
    ("Nausea affected 9 (53%) liraglutide-treated recipients and 2 (12%) controls.", "adverse_event", "nausea", {"n": 2, "group": "control"}),
    ("Recipients taking liraglutide lost 3.8 kg on average, whereas controls gained 0.6 kg.",
     "outcome", "body_weight_change", {"value": 0.6, "group": "control"}),
    ("Confirmed hypoglycaemia (plasma glucose <3.9 mmol/L) was reported by 15 (2.5%) vs 121 (20.0%) participants.",
     "adverse_event", "confirmed hypoglycemia", {"n": 15}),
    ("Participants received golimumab 60 mg/m² (maximum, 50 mg) at week 0.", "dose", "golimumab", {"value": 60.0, "unit": "mg/m²"}),
    ("Lantidra was approved.", "intervention", "donislecel", {"aliases": ["Lantidra"]}),
    ("Patients were assigned to bexagliflozin or placebo.", "intervention", "bexagliflozin", {}),
    ("Participants were followed for a median of 3.2 years.", "follow_up", "follow_up", {"value": 3.2, "unit": "years"}),
    ("Neutropenia occurred in three participants.", "adverse_event", "neutropenia", {"n": 3}),
    ("There were no deaths.", "adverse_event", "death", {"negated": True}),
    ("Insulin independence was achieved in 6 of 10 participants with the 3-mg dose.", "outcome", "insulin_independence", {"n": 6, "group": "3 mg"}),
    ("HbA1c decreased by 1.1% in the 6 mg group (placebo-adjusted difference -0.9%, 95% CI -1.2 to -0.6).", "outcome", "hba1c_change",
     {"value": -0.9, "contrast": "placebo", "group": "6 mg"}),  # the 6 mg arm against placebo
    ("Patients (n = 48) were treated with CIT-07 islets.", "sample_size", "participants", {"value": 48.0, "group": None}),
    ("Seventy-two sites enrolled 1\u2009204 participants.", "sample_size", "participants", {"value": 1204.0}),
    # a count with a thousands separator beside events (it once raised ValueError and lost the document)
    ("Of the participants (n = 1,041), 52 had hypoglycaemia.", "sample_size", "participants", {"value": 1041.0}),
    ("Recipients received a median of 11\u2009850 IEQ/kg.", "dose", "islet transplantation", {"value": 11850.0, "unit": "IEQ/kg"}),  # thin-space thousands
    ("Insulin independence was achieved by 40%, 55% and 70% in the placebo, low-dose and high-dose groups, respectively.",
     "outcome", "insulin_independence", {"value": 55.0, "group": "low dose"}),
    # news and full-text shapes
    ("The first three received a half dose; the other 14 got the full dose.", "sample_size", "participants", {"value": 3.0, "group": "half dose"}),
    ("In all, 18 adults were treated: three received half the dose, and 15 received the full dose.", "sample_size", "participants",
     {"value": 15.0, "group": "full dose"}),
    ("17 were treated: three received half the target dose in part A, and 14 the full dose.", "sample_size", "participants",
     {"value": 3.0, "group": "part A"}),
    ("The study enrolled 17 people in total, including five who got half the dose.", "sample_size", "participants", {"value": 5.0}),
    ("A phase 3 trial evaluating its oral agonist ORB-31 in 559 adults with type 2 diabetes.", "sample_size", "participants", {"value": 559.0}),
    ("It was compared with degludec in 640 insulin-naïve adults.", "sample_size", "participants", {"value": 640.0}),
    ("14 participants were dosed: four in the low-dose cohort and ten in the high-dose cohort.", "sample_size", "participants", {"value": 10.0}),
    ("Parts A and B enrolled seven and ten participants, respectively.", "sample_size", "participants", {"value": 10.0, "group": "part B"}),
    ("Median follow-up is 16.5 months.", "follow_up", "follow_up", {"value": 16.5, "unit": "months"}),
    ("Median follow-up for Cohorts 1 and 2 was 26.5 months.", "follow_up", "follow_up", {"value": 26.5}),
    ("Participants will be followed for a total of 24 months.", "follow_up", "follow_up", {"value": 24.0, "unit": "months"}),
    ("The study ran for 13 weeks.", "follow_up", "follow_up", {"value": 13.0, "unit": "weeks"}),
    ("CGM time in range (70–180 mg/dL) rose from a mean of 48.2% at baseline to 91.6% at day 365.", "outcome", "time_in_range", {"value": 91.6}),
    ("Time in range was above 98% and HbA1c was 5.3% at the last visit.", "outcome", "time_in_range", {"value": 98.0}),
    ("Time spent in the target range rose from an average of 43 per cent to 96 per cent.", "outcome", "time_in_range", {"value": 96.0}),
    ("The other two had cut their daily insulin needs by 52 per cent and 70 per cent, respectively.", "outcome", "insulin_dose_change", {"value": -70.0}),
    ("The other two continued insulin at total daily doses 58% and 74% lower than at baseline.", "outcome", "insulin_dose_change", {"value": -58.0}),
    ("Mean daily insulin use down 54% from baseline in the high-dose cohort.", "outcome", "insulin_dose_change", {"value": -54.0}),
    ("Mean body weight changes were −5.4 kg and −7.9 kg with the 5 and 10 mg doses, respectively.", "outcome", "body_weight_change", {"value": -7.9}),
    ("Mean body weight reductions were 2.9 kg and 5.1 kg, respectively, versus 1.2 kg with placebo.", "outcome", "body_weight_change", {"value": -5.1}),
    ("Patients who took semaglutide lost an average of 4.1 kilograms over the year.", "outcome", "body_weight_change", {"value": -4.1, "unit": "kg"}),
    ("• Body weight: +2.4 kg with icodec and +1.8 kg with degludec.", "outcome", "body_weight_change", {"value": 1.8}),
    ("- AE-related discontinuation: 1.7% vs 1.0%.", "outcome", "discontinuation_due_to_ae", {"value": 1.7}),
    ("The therapy freed ten of 12 people from daily insulin injections for at least a year.", "outcome", "insulin_independence", {"n": 10, "denominator": 12}),
    ("Seven of the nine people on the full dose (78%) don't need to inject insulin at all.", "outcome", "insulin_independence", {"n": 7}),
    ("- 17 out of 24 people no longer needed to inject insulin at all", "outcome", "insulin_independence", {"n": 17}),
    ("Ten of the 12 (83%) needed no exogenous insulin at day 365.", "outcome", "insulin_independence", {"n": 10}),
    ("The first three recipients (cohort 1) were given a half dose; the remaining seven (cohort 2) received the full dose.",
     "sample_size", "participants", {"value": 7.0, "group": "cohort 2"}),
    ("In the 16 participants treated in parts A and B of the study (5 and 11, respectively), C-peptide was low.",
     "sample_size", "participants", {"value": 11.0, "group": "part B"}),
    ("118 children entered the run-in; 112 were then randomized to closed-loop therapy (n = 57) or pump therapy (n = 55).",
     "sample_size", "participants", {"value": 112.0, "group": None}),
    ("The study was a phase 2 trial of 96 children and teenagers, aged 8 to 17, within six weeks of diagnosis.",
     "sample_size", "participants", {"value": 96.0}),
    ("By day 90, C-peptide had become detectable in all 17 participants.", "outcome", "engraftment", {"n": 17, "denominator": 17}),
    ("C-peptide became measurable in six of the eight participants (75%) by week 12.", "outcome", "engraftment", {"n": 6}),
    ("All 17 began making their own insulin, shown by C-peptide in their blood.", "outcome", "engraftment", {"n": 17}),
    ("34 of the 36 people still had working islets.", "outcome", "engraftment", {"n": 34}),
    ("Zimislecel restored C-peptide in all 12 full-dose recipients.", "outcome", "engraftment", {"n": 12}),
    ("The primary efficacy end point (HbA1c ≤6.5% and no severe hypoglycaemic events at 1 year) was met by 19 of 29 participants (65.5%).",
     "outcome", "primary_endpoint_met", {"n": 19, "denominator": 29}),
    ("The primary end point was met by 16 of 25 [64%] in the islet group and 3 of 22 [14%] in the insulin group (risk difference 50 percentage points).",
     "outcome", "primary_endpoint_met", {"value": 50.0, "unit": "percentage points", "contrast": "insulin"}),
    ("Mean HbA1c at day 365 was 6.2 ± 0.4% (change −1.6 percentage points; p < 0.001).", "outcome", "hba1c_change", {"value": -1.6}),
    ("HbA1c fell from 7.8 ± 1.0% at baseline to 6.1 ± 0.4% at Day 365 (mean change −1.7 percentage points).",
     "outcome", "hba1c_change", {"value": -1.7}),
    ("HbA1c fell by 0.6 percentage points in the closed-loop arm, to 6.9% (52 mmol/mol).", "outcome", "hba1c", {"value": 52.0, "unit": "mmol/mol"}),
    ("Time in range (70–180 mg/dL) rose from 51% before infusion to more than 90%.", "outcome", "time_in_range", {"value": 90.0, "comparator": ">"}),
    ("After 13 weeks, people using Beacon spent 68% of the day in the target glucose range, versus 51% in the usual-care group.",
     "outcome", "time_in_range", {"value": 68.0}),
    ("Her glucose monitor shows her in range 88% of the time, compared with 47% before the infusion.", "outcome", "time_in_range", {"value": 88.0}),
    ("In this group, the time spent at 70–180 mg/dL rose from 48% to 93%.", "outcome", "time_in_range", {"value": 93.0}),
    ("Time in range improved by 7 percentage points over placebo.", "outcome", "time_in_range", {"value": 7.0, "contrast": "placebo"}),
    ("Tremor occurred in two versus 11 participants.", "adverse_event", "tremor", {"n": 2}),
    ("Low white blood cell counts (neutropenia) were the most common side effect, affecting seven of the 14.",
     "adverse_event", "neutropenia", {"n": 7}),
    ("One participant in the placebo group died (sudden cardiac death).", "adverse_event", "death", {"n": 1}),
    ("14 received an infusion: six at half dose (0.4 × 10⁹ cells; cohort 1) and eight at full dose (0.8 × 10⁹ cells; cohort 2).",
     "sample_size", "participants", {"value": 8.0, "group": "cohort 2"}),
    ("The team infused roughly 800 million cells into the livers of 12 volunteers.", "sample_size", "participants", {"value": 12.0}),
    ("* Pemvadec: n = 492, starting dose 70 U once weekly", "sample_size", "participants", {"value": 492.0, "group": "Pemvadec"}),
    ("The study is enrolling up to 50 participants.", "sample_size", "participants", {"value": 50.0}),
    ("The 12 full-dose recipients did well, with ten insulin independent at 1 year and all twelve below an HbA1c of 7%.",
     "outcome", "hba1c_target", {"n": 12, "denominator": 12}),
    ("The 12 full-dose recipients did well, with ten insulin independent at 1 year.", "outcome", "insulin_independence", {"n": 10}),
    ("• Freedom from SHEs from Day 90 to Day 365: 100%", "outcome", "severe_hypoglycemia_free", {"value": 100.0}),
    ("Almost nine in ten people on 15mg (87 per cent) reached the usual target of below 53mmol/mol, or 7 per cent.",
     "outcome", "hba1c_target", {"value": 87.0}),
    ("The randomized phase lasted 16 weeks, and 110 participants (98%) completed it.", "follow_up", "follow_up", {"value": 16.0, "unit": "weeks"}),
    ("All recipients completed at least 12 months of follow-up (median 18.5 months, range 12.0–26.1).", "follow_up", "follow_up", {"value": 18.5}),
    ("The extension lasted 140 weeks, giving a total observation period of 208 weeks.", "follow_up", "follow_up", {"value": 208.0}),
    ("The team plans to follow every participant for five years.", "follow_up", "follow_up", {"value": 5.0, "unit": "years"}),
    ("Median follow-up is now 19 months (range 12–31).", "follow_up", "follow_up", {"value": 19.0}),
    ("The team has now followed the volunteers for 26 weeks.", "follow_up", "follow_up", {"value": 26.0}),
    ("The annualised rate of severe hypoglycaemic events dropped from 2.9 ± 2.5 events per participant-year before enrolment to 0 after day 90.",
     "outcome", "severe_hypoglycemia_events", {"value": 2.9, "timepoint": "baseline"}),
    ("Two of the 12 recipients died, neither death being attributed to the cells.", "adverse_event", "death", {"n": 2}),
    ("One of the 12 died of a fungal infection.", "adverse_event", "fungal infection", {"n": 1}),
    ("Two patients in the trial have died, one from a blood clot and one in a car crash.", "adverse_event", "death", {"n": 2}),
    ("After subtracting the placebo effect, the top dose produced weight loss of 17.1%, the company said.",
     "outcome", "body_weight_change", {"value": -17.1, "contrast": "placebo"}),
    ("In people with type 1 diabetes, HbA1c, 7.9% at baseline, changed by −0.1 percentage points (95% CI −0.4 to 0.2).",
     "outcome", "hba1c_change", {"value": -0.1, "timepoint": None}),
    ("• Nearly two in three (19 of 30, 63%) no longer needed to take any insulin.", "outcome", "insulin_independence", {"n": 19}),
    ("• Everyone (30 out of 30) had an HbA1c below 53 mmol/mol (7%), and the average was 43 mmol/mol (6.1%).",
     "outcome", "hba1c_target", {"n": 30, "denominator": 30}),
    ("• 29 people (97%) had no severe hypos at all after the first three months.", "outcome", "severe_hypoglycemia_free", {"n": 29}),
    ("• On average, people spent 91% of the day with glucose between 3.9 and 10 mmol/L, up from 51% before treatment.",
     "outcome", "time_in_range", {"value": 91.0}),
    ("174 were randomly assigned: 116 to hybrid closed-loop therapy with the NovaLoop system and 58 to pump therapy (control).",
     "sample_size", "participants", {"value": 116.0, "group": "hybrid closed-loop therapy"}),
    ("Seventeen participants were dosed: three at half the target dose in Part A and 14 at the full target dose in Part B.",
     "sample_size", "participants", {"value": 14.0, "group": "Part B"}),
    ("1,248 participants were randomly assigned (tirzepatide 5 mg n=312, 10 mg n=311, 15 mg n=313; insulin glargine n=312).",
     "sample_size", "participants", {"value": 311.0, "group": "10 mg"}),
    ("Across both cohorts (N=21), ALR-310 was well tolerated; the most frequent adverse events were implant-site pain (n=9).",
     "sample_size", "participants", {"value": 21.0}),
    ("All 14 had restored production of their own insulin, measured by C-peptide, within three months.", "outcome", "engraftment", {"n": 14}),
    ("Twelve weeks later, all three were producing C-peptide, with peak levels of 0.11, 0.19 and 0.24 nmol/L, respectively.",
     "outcome", "c_peptide", {"value": 0.19}),
    ("• Every one of the twelve started making some of their own insulin again.", "outcome", "engraftment", {"n": 12}),
    ("Treatment was discontinued because of adverse events by 3, 6, 11 and 2 participants.", "outcome", "discontinuation_due_to_ae", {"n": 3}),
    ("New medicine: insulin tavodec. Participants were randomised to weekly tavodec (n = 492) or daily insulin glargine (n = 490).",
     "sample_size", "participants", {"value": 492.0, "group": "tavodec"}),
    ("Evidence comes from two studies: UIH-001 (Phase 1/2; n = 10) and UIH-002 (Phase 3; n = 20).",
     "sample_size", "participants", {"value": 10.0, "group": "UIH-001"}),
    # news and patient writing
    ("Nine of those eleven no longer inject any insulin.", "outcome", "insulin_independence", {"n": 9, "denominator": 11}),
    ("All 11 have an HbA1c below 7%, the level most clinics aim for.", "outcome", "hba1c_target", {"n": 11, "denominator": 11}),
    ("Nobody had a severe hypo after the first few weeks.", "adverse_event", "severe hypoglycemia", {"negated": True}),
    ("No one in the closed-loop group had a severe hypo, compared with two in the control group.",
     "adverse_event", "severe hypoglycemia", {"negated": True, "group": "closed-loop"}),
    ("No one in the closed-loop group had a severe hypo, compared with two in the control group.",
     "adverse_event", "severe hypoglycemia", {"n": 2, "group": "control", "negated": False}),
    ("These results cover the first 11 people who had the full dose and a year of follow-up.",
     "sample_size", "participants", {"value": 11.0, "group": "full dose"}),
    ("After one year, all eleven met the study's primary goal.", "outcome", "primary_endpoint_met", {"n": 11, "denominator": 11}),
    ("There was one episode of diabetic ketoacidosis in the pump group, after an infusion-set failure.",
     "adverse_event", "diabetic ketoacidosis", {"n": 1, "group": "pump"}),
    ("One child in the pump group developed diabetic ketoacidosis.", "adverse_event", "diabetic ketoacidosis", {"n": 1}),
    ("Two serious adverse events occurred (a port-site bleed and a wound infection), neither related to the cells.",
     "adverse_event", "serious adverse event", {"n": 2, "serious": True}),
    ("Eleven serious adverse events occurred in six participants.", "adverse_event", "serious adverse event", {"n": 6}),
    ("Serious AEs occurred in 5 of 16 participants (31%).", "adverse_event", "serious adverse event", {"n": 5, "denominator": 16}),
    ("The device was well tolerated, and no serious adverse events were considered related to it.",
     "adverse_event", "serious adverse event", {"negated": True}),
    ("Nausea occurred in 4 participants (5.1%) given ABX-310 and 2 (2.6%) given placebo.",
     "adverse_event", "nausea", {"n": 2, "value": 2.6}),
    ("One year on, every one of them had an HbA1c - the three-month average of blood glucose - below 7%.",
     "outcome", "hba1c_target", {"value": 100.0}),
    ("Of the 11 treated, 8 (73%) were off insulin at day 365 and all achieved an HbA1c below 7%.",
     "outcome", "hba1c_target", {"value": 100.0}),
    ("All eleven also brought their HbA1c below 7 per cent.", "outcome", "hba1c_target", {"n": 11, "denominator": 11}),
    # insulin dose changes as results sections and news write them
    ("In cohort 2, median daily insulin dose was 41% lower than at baseline.", "outcome", "insulin_dose_change", {"value": -41.0}),
    ("The remaining three cut their daily dose by a median of 64% (range 40-85%).", "outcome", "insulin_dose_change", {"value": -64.0}),
    ("Among recipients still on insulin, the daily dose was reduced by a median of 70%.", "outcome", "insulin_dose_change", {"value": -70.0}),
    ("Daily insulin use in cohort 1 decreased by a mean of 35% (±12%).", "outcome", "insulin_dose_change", {"value": -35.0}),
    ("The volunteers' insulin needs barely moved, falling by about 6 percent.", "outcome", "insulin_dose_change", {"value": -6.0}),
    ("Total daily insulin dose was 18% lower than at baseline in the semaglutide arm but 30% higher in the aspart arm.",
     "outcome", "insulin_dose_change", {"value": 30.0, "group": "aspart"}),
    ("Adults were randomly assigned to verapamil or placebo (n=40 per arm). Daily insulin dose was 0.12 U/kg lower with verapamil.",
     "outcome", "insulin_dose_change", {"value": -0.12, "group": "verapamil", "contrast": "placebo"}),
    ("In this placebo-controlled trial, 12 months of verapamil at a target dose of 360 mg/day preserved C-peptide.",
     "intervention", "verapamil", {}),
    ("Total daily insulin dose was 12% lower with the dual-hormone system (0.70 vs. 0.80 U/kg/day).",
     "outcome", "insulin_dose_change", {"value": -12.0}),
    ("Rash was seen in five children on the antibody, and one stopped treatment because of it.",
     "outcome", "discontinuation_due_to_ae", {"n": 1}),
    ("People on the top dose lost an average of 18.2% of their weight after 72 weeks, compared with 2.5% on placebo.",
     "follow_up", "follow_up", {"value": 72.0, "unit": "weeks"}),
    ("Adults were randomised 1:1 to once-weekly icodec (n=300) or once-daily insulin degludec (n=300). HbA1c change at week 52, "
     "−1.52 vs −1.33 percentage points (estimated treatment difference −0.19; 95% CI −0.33 to −0.05).",
     "outcome", "hba1c_change", {"value": -0.19, "unit": "percentage points", "contrast": "insulin degludec"}),
    ("Every one of those 11 began making their own insulin within three months.", "outcome", "engraftment", {"n": 11, "denominator": 11}),
    ("Fasting plasma glucose fell by 1.6, 2.4 and 3.1 mmol/L, respectively, versus 0.3 mmol/L with placebo.",
     "outcome", "fasting_glucose", {"value": -0.3, "group": "placebo"}),
    ("Their average HbA1c fell to 6.4% from 8.1% before treatment.", "outcome", "hba1c", {"value": 8.1, "timepoint": "baseline"}),
    ("Patients in the islet arm had 2 severe hypoglycaemic events, against 37 in the control arm.",
     "outcome", "severe_hypoglycemia_events", {"value": 37.0, "group": "control"}),
    ("In all, 14 people received zimislecel: two received half the target dose, and twelve received the full dose "
     "of 0.8 billion cells.", "dose", "zimislecel", {"value": 800000000.0, "group": "full dose"}),
    ("Every full-dose recipient had started making their own insulin within three months.",
     "outcome", "engraftment", {"value": 100.0, "group": "full dose"}),
    ("Six months after implantation, C-peptide - a marker of the body's own insulin production - was detectable in 5 of the 9 "
     "participants (56%).", "outcome", "engraftment", {"n": 5, "denominator": 9}),
    ("Every full-dose recipient reached the study's main goal, an HbA1c under 7 percent with no severe hypoglycemic episodes.",
     "outcome", "primary_endpoint_met", {"value": 100.0}),
    ("At enrolment, participants had experienced a median of 4 (IQR 2-6) severe hypoglycaemic events in the preceding year.",
     "outcome", "severe_hypoglycemia_events", {"value": 4.0, "timepoint": "baseline"}),
    ("Before the trial, participants had on average five severe hypos a year.",
     "outcome", "severe_hypoglycemia_events", {"value": 5.0, "timepoint": "baseline"}),
    ("At one year, all 11 had an HbA1c below 7% and were free of severe hypoglycaemic episodes after the first three months.",
     "outcome", "severe_hypoglycemia_free", {"n": 11, "denominator": 11}),
    ("Every one of them was free of the severe low blood sugar episodes that had put them at risk.",
     "outcome", "severe_hypoglycemia_free", {"value": 100.0}),
    ("Patients who received the highest, 12-milligram dose of the drug, HLV-2207, lost an average of 19.6% of their weight.",
     "dose", "hlv-2207", {"value": 12.0, "unit": "mg"}),
    ("Dosage: a minimum of 5,000 EQ/kg for the initial infusion and 4,500 EQ/kg for each later infusion of donislecel.",
     "dose", "donislecel", {"value": 4500.0, "unit": "IEQ/kg"}),
    ("Insulin tavodec is injected once a week, starting at 70 units/week in insulin-naive adults.",
     "dose", "insulin tavodec", {"value": 70.0}),
    ("Children were randomly assigned to verapamil or placebo. Forty-four took verapamil once a day, while the other forty "
     "took a look-alike dummy pill.", "sample_size", "participants", {"value": 40.0, "group": "placebo"}),
    ("Two single-arm studies, UIH-001 (NCT00566813) and UIH-002 (NCT03791567), together enrolled 30 participants "
     "(10 and 20, respectively).", "sample_size", "participants", {"value": 20.0, "group": "UIH-002"}),
    ("No participant had symptomatic hypotension.", "adverse_event", "symptomatic hypotension", {"negated": True}),
    ("Hyperglycaemia with ketosis occurred in 10, 6, 5 and 2 participants, respectively.",
     "adverse_event", "hyperglycemia with ketosis", {"n": 2}),
    ("Peak stimulated C-peptide was modest, and no participant became insulin independent.",
     "outcome", "insulin_independence", {"n": 0, "negated": True}),
    ("By the one-year mark, three of the four no longer injected insulin.", "outcome", "insulin_independence", {"n": 3, "denominator": 4}),
    ("Among the 14 full-dose patients, 11 — nearly four in five — were off insulin one year after the infusion.",
     "outcome", "insulin_independence", {"n": 11}),
    ("Of the 12 with a year of follow-up, 10 are insulin independent.", "outcome", "insulin_independence", {"n": 10}),
    ("In this randomised, placebo-controlled trial in children with new type 1 diabetes, oral verapamil given at a "
     "weight-based dose slowed the loss of C-peptide over 52 weeks.", "intervention", "verapamil", {}),
    ("Twelve people received the full dose. Two others got half that dose in an earlier stage of the trial.",
     "sample_size", "participants", {"value": 2.0, "group": "half dose"}),
    ("The phase 1 study, published today, followed fifteen adults with type 1 diabetes who each had four pouches implanted.",
     "sample_size", "participants", {"value": 15.0}),
    ("1046 individuals were screened, of whom 618 were randomly assigned to once-weekly subcutaneous semaglutide 2·4 mg (n=412) or "
     "placebo (n=206).", "sample_size", "participants", {"value": 618.0, "group": None}),
    ("The phase 1/2 trial, run at three hospitals, gave 14 adults a single infusion of ISL-210.",
     "sample_size", "participants", {"value": 14.0}),
    ("Data from the mid-stage trial, presented at the annual meeting, covered 15 patients.", "sample_size", "participants", {"value": 15.0}),
    ("The study, a phase 2 trial sponsored by Ortus Bio, aims to enroll 60 patients at 15 hospitals.",
     "sample_size", "participants", {"value": 60.0}),
    ("Adverse events were reported in 118 (96.7%) of 122 participants in the teplizumab group and 51 (83.6%) of 61 in the "
     "placebo group.", "sample_size", "participants", {"value": 61.0, "group": "placebo"}),
    ("The two studies enrolled a total of 30 adults with type 1 diabetes, 10 in UIH-001 and 20 in UIH-002.",
     "sample_size", "participants", {"value": 20.0, "group": "UIH-002"}),
    ("Randomised 2:1 to the Orbis system (n=143) or to usual injections (control, n=72); 215 in total, of whom 208 completed "
     "the 16-week study.", "sample_size", "participants", {"value": 215.0, "group": None}),
    ("Of 163 individuals screened, 12 declined to take part, leaving 54 who were randomly assigned (2:1) to MSC-031 or placebo.",
     "sample_size", "participants", {"value": 54.0}),
    ("Seventy-eight people took part. Fifty-two of them received eltralimab as a daily drip for 12 days; the other 26 got a "
     "placebo drip.", "sample_size", "participants", {"value": 52.0, "group": "eltralimab"}),
    ("The figures come from 12 adults who were given the full dose, roughly 800 million cells, as a single infusion.",
     "sample_size", "participants", {"value": 12.0, "group": "full dose"}),
    ("Time spent in the healthy glucose range climbed from 52% to 66% of the day.", "outcome", "time_in_range", {"value": 66.0}),
    ("In Part C, mean time-in-range (70–180 mg/dL) reached 93%.", "outcome", "time_in_range", {"value": 93.0, "group": "Part C"}),
    ("Four participants (3.3%) discontinued the infusion course because of adverse events, all in the teplizumab group.",
     "outcome", "discontinuation_due_to_ae", {"value": 3.3, "n": 4}),
    ("Weekly basal insulin dose rose in both groups; from week 0 to week 26 the mean dose increased by 93 U with icodec and by "
     "78 U with degludec.", "outcome", "insulin_dose_change", {"value": 78.0, "unit": "IU", "group": "insulin degludec"}),
    ("Two people had serious reactions: one case of cytokine release syndrome and one allergic reaction during the first infusion.",
     "adverse_event", "serious adverse event", {"n": 2}),
    ("Mild infusion reactions, mostly headache or a brief fever, happened in 9 of 40 young people given cells and 5 of 20 given "
     "placebo.", "adverse_event", "infusion reaction", {"n": 9, "denominator": 40}),
    ("One participant in the semaglutide 14 mg group died of myocardial infarction; the death was not considered treatment related.",
     "adverse_event", "myocardial infarction", {"n": 1, "group": "semaglutide 14 mg"}),
    ("One participant died at month 11 of pulmonary embolism after a fall.", "adverse_event", "pulmonary embolism", {"n": 1}),
    ("Two participants died, one of aspiration pneumonia and one of metastatic colorectal cancer.", "adverse_event",
     "aspiration pneumonia", {"n": 1}),
    ("There were 2 severe hypoglycemic events in the islet group and 19 in the closed-loop group.", "outcome",
     "severe_hypoglycemia_events", {"value": 19.0, "group": "closed-loop"}),
    ("Fasting plasma glucose fell by 2.1 mmol/L (38 mg/dL) with semaglutide vs 0.5 mmol/L (9 mg/dL) with placebo.",
     "outcome", "fasting_glucose", {"value": -9.0, "group": "placebo"}),
    ("Fasting plasma glucose decreased by 1.2 and 1.5 mmol/L with dapagliflozin 5 and 10 mg versus 0.3 mmol/L with placebo.",
     "outcome", "fasting_glucose", {"value": -0.3, "group": "placebo"}),
    ("Once-daily oral CTX-0915 lowered HbA1c by up to 1.9% and body weight by up to 10.2% over 26 weeks.",
     "outcome", "body_weight_change", {"value": -10.2}),
    ("PR-interval prolongation was detected in 6 participants (13%) receiving verapamil; no second-degree atrioventricular block occurred.",
     "adverse_event", "second-degree atrioventricular block", {"negated": True}),
    ("PR-interval prolongation was observed in four verapamil-treated participants, leading to dose reduction in three and to "
     "discontinuation of the study drug in one.", "adverse_event", "pr-interval prolongation", {"n": 4}),
    ("A prolonged PR interval on electrocardiography was observed in 6 verapamil recipients (12%) and 1 placebo recipient (2%).",
     "adverse_event", "prolonged pr interval", {"n": 6}),
    ("Severe hypoglycaemia occurred in 61 (1.3%) versus 79 (1.7%) participants, and adverse events led to permanent "
     "discontinuation of study drug in 9.6% versus 5.8%.", "adverse_event", "severe hypoglycemia", {"n": 79, "value": 1.7}),
    ("There are 12 patients taking part in a national study of OTX-5, lab-grown islet cells that are infused into the liver.",
     "intervention", "otx-5", {}),
    ("Each received a single intraportal infusion of the stem cell‐derived islet product PX‐402 under steroid‐free immunosuppression.",
     "intervention", "px-402", {}),
    ("Parts A, B and C had dosed 2, 4 and 6 participants, respectively.", "sample_size", "participants", {"value": 4.0, "group": "part B"}),
    ("The annualised rate of severe hypoglycaemic events dropped from 2.8 in the year before treatment to 0.",
     "outcome", "severe_hypoglycemia_events", {"value": 2.8, "timepoint": "baseline"}),
    ("Results: Of 412 eligible participants, 386 (93.7%) entered the extension: 259 in the continuation group and 127 in the "
     "switch group.", "sample_size", "participants", {"value": 127.0, "group": "switch"}),
    ("At month 12, peak C-peptide was 412, 538, 1,126, 987 and 1,354 pmol/L in participants 1 to 5, respectively.",
     "outcome", "c_peptide", {"value": 1126.0}),
    ("CIT-07 (NCT00434811), phase 3 [16]: 48 participants with impaired awareness of hypoglycaemia; primary end point met by 42 (87.5%).",
     "sample_size", "participants", {"value": 48.0}),
    ("Shares rose after the drugmaker said its experimental once-weekly injection, HB-4410, helped people with obesity lose an "
     "average of 17.9% of their body weight.", "intervention", "hb-4410", {}),
    ("Two serious adverse events occurred in two participants: a device-site infection that resolved with oral antibiotics, and a "
     "small-bowel obstruction judged related to the implantation procedure.", "adverse_event", "small-bowel obstruction", {"n": 1}),
    # a size per arm, the arms named before or after it
    ("In this double-blind trial, 96 adults were randomly assigned to sustained-release verapamil or placebo (48 per arm).",
     "sample_size", "participants", {"value": 48.0, "group": "verapamil"}),
    ("In this open-label trial of 640 adults (320 per group), once-weekly insulin tavodec lowered HbA1c by 1.4 percentage points, "
     "compared with 1.2 percentage points with insulin glargine.", "sample_size", "participants", {"value": 320.0, "group": "insulin glargine"}),
]


@pytest.mark.parametrize("text, kind, name, attrs", CASES, ids=[c[0][:40] for c in CASES])
def test_shapes(text, kind, name, attrs):
    facts = extract_text(text, "case")
    assert find(facts, kind, name, **attrs), [f.model_dump(exclude={"quote", "doc"}) for f in facts]


# Things that must never become facts: eligibility, logistics, background figures.
TRAPS = [
    ("One participant in each group had a level 3 (severe) episode; both recovered fully after glucagon was given.", ("intervention",)),
    ("Glucagon responses during the meal test were preserved.", ("intervention",)),
    ("Explanted devices contained cells positive for insulin, glucagon and somatostatin.", ("intervention",)),
    ("Adolescents used the ArcLoop system. There were 37 device-related adverse events in 19 participants.", ("dose",)),
    ("Two small trials tested liraglutide. In one of those trials, liraglutide 1.8 mg raised the rate of ketosis [4].", ("dose", "sample_size")),
    ("A larger phase 3 trial, aiming to enroll 50 patients, is now under way.", ("sample_size",)),
    ("A further expansion cohort, which will enrol up to 50 participants, is recruiting.", ("sample_size",)),
    ("Recipient 3 stopped exogenous insulin on day 148.", ("outcome",)),
    ("Of 163 individuals screened, 97 did not meet the eligibility criteria (fasting C-peptide <0.2 nmol/L, n=61; positive viral "
     "serology, n=9; other reasons, n=27).", ("sample_size",)),
    ("Adults with type 2 diabetes on basal-bolus insulin for ≥1 year, HbA1c 58–97 mmol/mol (7.5–11.0%).", ("outcome",)),
    ("Immunomodulators have achieved effects of a similar magnitude: golimumab preserved C-peptide by about 0.2 pmol/mL at 52 weeks.",
     ("outcome",)),
    ("A single-centre pilot trial in 24 adults reported a 32% smaller fall in C-peptide with verapamil over 12 months.",
     ("sample_size", "outcome")),
    # a discussion's comparisons with other work
    ("The size of the effect is similar to that reported for anti-CD3 antibodies, which frequently cause lymphopenia and rash in up to "
     "75% of recipients.", ("adverse_event",)),
    ("These findings agree with an earlier single-centre pilot study in adults, in which 24 participants were randomised and the "
     "effect was about 30%.", ("sample_size", "outcome")),
    ("Immunotherapies have produced somewhat larger effects, although 75% of recipients developed lymphopenia [14,15].", ("adverse_event",)),
    ("Eligible adults had an HbA1c of at least 7.0% but no more than 9.5% and a BMI of at least 23.", ("outcome", "sample_size")),
    ("The trial ran at 72 sites; allocation was 1:1:1:1 and a 4-hour meal test was done.", ("outcome", "sample_size")),
    ("The primary end point was defined as HbA1c below 7% and no severe hypoglycaemia.", ("outcome",)),
    ("Mean changes were -1.71% (SE 0.07) with orforglipron 12 mg.", ()),
    # other work, not this trial
    ("A meta-analysis of 11 trials (n=1,862) had found that GLP-1 receptor agonists lowered HbA1c by 0.2-0.3 percentage points.",
     ("outcome", "sample_size")),
    ("Phase 3 trials with at least 52 weeks of follow-up are now needed.", ("phase",)),
    ("Analysts had, on average, expected weight loss of about 13% at the top dose.", ("outcome",)),
    ("Injectable drugs have produced average weight loss of roughly 15% to 21% in their pivotal trials.", ("outcome",)),
    ("Pens: 700 units/1.4 mL and 2100 units/3 mL.", ("dose",)),
    ("About type 1 diabetes: an estimated 60,000 people in the U.S. and Europe live with recurrent severe hypoglycemic events.",
     ("adverse_event", "sample_size")),
    ("Results from ISLE-1 and VELA-2 were presented.", ("intervention",)),
    ("Mean weight change: −7.1 kg (4 mg), −9.4 kg (8 mg) and −2.8 kg (dulaglutide).", ("dose",)),
    ("The evidence came from two phase 3 trials in adults with type 1 diabetes and HbA1c 7.5–10.5% on insulin.", ("outcome",)),
    ("These trials reported weight reductions of 3–6 kg and HbA1c reductions of 0.2–0.4 percentage points.", ("outcome",)),
    ("Body weight: 98.2 kg.", ("outcome",)),  # a baseline characteristic, not a change
    ("Insulin glargine was titrated toward a fasting glucose level below 100 mg/dL in all groups.", ("outcome",)),  # a titration goal
    ("Cohort A received four devices containing a total of 3 × 10^8 cells.", ("sample_size",)),  # cells, not people
    ("With 36 participants completing both periods, the study had 90% power to detect a 10-percentage-point difference in "
     "time in range.", ("outcome",)),  # a sample-size calculation
    ("Anti-insulin antibodies developed in 12.6% of icodec-treated participants, with no apparent effect on HbA1c.", ("outcome",)),
    ("Glargine was titrated weekly towards a fasting glucose below 5.6 mmol/L (100 mg/dL).", ("outcome",)),
    ("Participants were randomized to tirzepatide or to insulin degludec titrated to a fasting glucose <5.0 mmol/L.", ("outcome",)),
    ("Participants will be followed for a total of 24 months.", ("sample_size",)),
    ("Twenty-nine participants died during follow-up (7, 8, 6 and 8, respectively).", ("sample_size",)),
    ("Serious adverse events were balanced across groups (n = 11, 12 and 10).", ("sample_size",)),
    ("Approximately 60,000 people in the U.S. and Europe live with type 1 diabetes and recurrent severe hypoglycemic events.",
     ("adverse_event", "sample_size")),
    ("\"We need a phase 3 trial before anyone is offered this outside research,\" said the presenting author.", ("phase",)),
    ("This press release contains forward-looking statements regarding the timing of a Phase 3 trial.", ("phase",)),
    ("None had enrolled people using automated insulin delivery, in whom control is already close to target.", ("intervention",)),
    ("The only side effect was minor bruising where the cells were injected, in two participants.", ("sample_size",)),
    # a difference in an event's rate is not the share that stopped because of it
    ("Hyperkalemia was more frequent with velnerenone (absolute difference, 6.2 percentage points), but the excess in "
     "permanent discontinuation because of hyperkalemia was small.", ("outcome",)),
    ("The phase 3 CIT-07 trial and two studies, UIH-001 (Phase 1/2; n = 10) and UIH-002 (Phase 3; n = 20), were done.",
     ("intervention",)),  # trials' names, not products
    ("Neutropenia resolved by day 30 in all but one child.", ("adverse_event",)),
    ("Almost everyone on the antibody (40 of 44) had a short-lived fall in lymphocytes; all of them were in the active arm.", ("outcome",)),
    ("For comparison, anti-CD3 courses lowered insulin use by 45-60% in earlier trials.", ("outcome",)),
    ("The company compared the results with a historical cohort of 41 people, who had a median of 4 severe hypoglycaemic events "
     "per year.", ("outcome",)),
    ("Twelve adults who had lived with type 1 for an average of 21 years each received one infusion after severe hypos.", ("outcome",)),
    ("In this phase 2 trial, adults with type 2 diabetes (HbA1c 7.0-10.5%) on diet and exercise were randomised.", ("outcome",)),
    ("The trials enrolled adults with type 1 diabetes whose HbA1c was 7.5% to 10.5% despite optimised insulin.", ("outcome",)),
    ("Both insulins were titrated weekly to a fasting glucose of 4.4-7.2 mmol/L.", ("outcome",)),
    ("We identified two small trials of liraglutide added to pump therapy (n=16 and n=28) that reported weight reductions of "
     "3-5 kg and HbA1c reductions of 0.2-0.3 percentage points.", ("outcome",)),
    ("Observational cohorts of tirzepatide in type 1 diabetes describe losses of 10-20% at 1 year.", ("outcome",)),
    ("Both regimens supported islet function, which may favour either when the two are otherwise equivalent.", ("outcome", "adverse_event")),
    # hypoglycaemia that says who took part
    ("In the largest study so far, a dozen people with severe hypos received a full infusion.", ("adverse_event",)),
    ("Eleven adults who had had at least two severe hypos in the previous year each received one infusion.", ("adverse_event",)),
]



@pytest.mark.parametrize("text", [
    "Fasting C-peptide was ≥0.3 nmol/L in 21 recipients (88%) at 1 year.",
    "Fasting C-peptide of 0.3 ng/mL or more was maintained in 41/44 (93%) throughout the first year.",
    "A peak C-peptide above 0.2 pmol/mL was maintained in 35/43 (81%) and 24/41 (59%) participants, respectively.",
    "A peak C-peptide of at least 0.2 nmol/L was maintained by 49 of 57 (86%) vs 18 of 28 (64%) participants.",
    "Peak C-peptide remained above 0.2 pmol/mL in 91% (29/32) vs 71% (22/31) of participants.",
])
def test_a_responder_threshold_is_no_level(text):
    assert not find(extract_text(text, "threshold"), "outcome", "c_peptide")


def test_a_c_peptide_threshold_counts_graft_function_only_in_a_graft_document():
    text = "Adults with type 1 diabetes received verapamil or placebo. Peak C-peptide remained ≥0.2 pmol/mL in 42 of 44 (95%)."
    assert not find(extract_text(text, "immunotherapy"), "outcome", "engraftment")
    responders = "Children received verapamil or placebo. Thirty of 46 verapamil recipients (65%) had a peak C-peptide of at least 0.2 nmol/L."
    assert not find(extract_text(responders, "immunotherapy"), "outcome", "engraftment")
    assert find(extract_text(text.replace("verapamil", "islet transplantation"), "graft"), "outcome", "engraftment", n=42)
    background = "Calcium-channel blockade reduces TXNIP expression in islets. " + text  # the pancreas's own islets are no graft
    assert not find(extract_text(background, "immunotherapy"), "outcome", "engraftment")


def test_a_clause_about_other_work_keeps_the_trials_own_values():
    facts = extract_text("Weight gain was modest and similar (mean +2.1 kg vs +1.8 kg), consistent with the "
                         "1.5–2.5 kg typically seen when basal insulin is started.", "discussion")
    assert sorted(f.value for f in find(facts, "outcome", "body_weight_change")) == [1.8, 2.1]

@pytest.mark.parametrize("text", [
    "There were no discontinuations due to adverse events.",
    "Zimislecel has been generally well tolerated, and no participant has discontinued because of an adverse event.",
    "Two had low blood pressure; their doses were lowered, and no child had to stop the drug because of side effects.",
    "No one had to leave the study because of side effects.",
])
def test_no_one_stopping_for_adverse_events_is_a_negated_discontinuation(text):
    assert find(extract_text(text, "stopped"), "outcome", "discontinuation_due_to_ae", negated=True)


def test_stopping_insulin_or_another_clauses_people_is_no_discontinuation():
    assert not find(extract_text("Lab-grown islet cells let 10 of 12 trial volunteers stop insulin for a year.", "stop"),
                    "outcome", "discontinuation_due_to_ae")
    text = ("Children were randomised to verapamil or placebo. Four children on verapamil had an abnormal ECG; their doses "
            "were lowered, and no child had to stop the drug because of side effects.")
    assert [f.n for f in find(extract_text(text, "clauses"), "outcome", "discontinuation_due_to_ae")] == [0]
    text = ("Adolescents were randomised to semaglutide or placebo. Nausea was common with semaglutide; no placebo recipient "
            "discontinued because of an adverse event.")
    assert find(extract_text(text, "arm"), "outcome", "discontinuation_due_to_ae", negated=True, group="placebo")


@pytest.mark.parametrize("text, events", [
    ("Two serious adverse events (one hypotension, one syncope) were attributed to verapamil.", {"hypotension": 1, "syncope": 1}),
    ("Three serious adverse events occurred in three participants (diabetic ketoacidosis, appendicitis and a wrist fracture).",
     {"diabetic ketoacidosis": 1, "appendicitis": 1, "wrist fracture": 1}),
    ("One serious adverse event, hospitalization for diabetic ketoacidosis, occurred before graft function was established.",
     {"diabetic ketoacidosis": 1}),
    ("Two serious adverse events, diabetic ketoacidosis and a wrist fracture, each occurred in one participant.",
     {"diabetic ketoacidosis": 1, "wrist fracture": 1}),
    ("There were two serious adverse events, both device-site infections that cleared after the devices were removed.",
     {"device-site infection": 2}),
])
def test_the_events_a_counted_serious_total_lists_are_serious_events(text, events):
    facts = extract_text(text, "breakdown")
    for name, n in events.items():
        assert find(facts, "adverse_event", name, n=n, serious=True), [f.model_dump(include={"name", "n", "serious"}) for f in facts]


def test_insulin_units_are_no_dose_of_another_drug_but_units_of_a_device_are_devices():
    text = ("Children were randomised to verapamil or placebo. The verapamil group needed a little less insulin: "
            "0.61 units per kilogram a day, against 0.72 with placebo.")
    assert not find(extract_text(text, "need"), "dose")
    text = ("Adults received PX-310, a macroencapsulation device loaded with stem cell-derived pancreatic endoderm. "
            "Cohort 1 (n=7) received four units and cohort 2 (n=12) received eight units.")
    assert {(f.value, f.unit) for f in find(extract_text(text, "units"), "dose", "px-310")} == {(4.0, "devices"), (8.0, "devices")}


def test_level_2_and_3_hypoglycaemia_together_is_no_severe_event_rate():
    text = ("Rates of combined clinically significant or severe hypoglycaemia were 0.31 and 0.15 events per patient-year of exposure; "
            "severe hypoglycaemia was reported in two participants in each group.")
    facts = extract_text(text, "levels")
    assert not find(facts, "outcome", "severe_hypoglycemia_events")
    assert find(facts, "adverse_event", "severe hypoglycemia", n=2)


def test_a_spread_after_a_value_is_no_value_of_a_shared_unit_list():
    text = "HbA1c at the end of each period was 7.1% ± 0.6 (54 mmol/mol) and 7.8% ± 0.8 (62 mmol/mol), respectively."
    assert sorted(f.value for f in find(extract_text(text, "sd"), "outcome", "hba1c")) == [7.1, 7.8, 54.0, 62.0]


def test_who_among_the_people_with_an_event_needed_more_is_no_second_count_of_it():
    text = "Intraperitoneal bleeding after percutaneous portal access occurred in three islet recipients, one of whom needed a transfusion."
    assert [f.n for f in find(extract_text(text, "whom"), "adverse_event", "intraperitoneal bleeding")] == [3]
    text = "Three people had internal bleeding after the procedure, and one of them needed a blood transfusion."
    assert [f.n for f in find(extract_text(text, "them"), "adverse_event", "internal bleeding")] == [3]
    text = "Serious adverse events were reported in five (8%) and three (9%) participants; two of them were diabetic ketoacidosis."
    assert find(extract_text(text, "them"), "adverse_event", "diabetic ketoacidosis", n=2)


def test_a_code_established_as_the_drug_names_the_doses_after_it_where_it_recurs():
    text = ("Adults on metformin were randomised to HSK-3381 5, 15 or 30 mg, placebo or semaglutide 1 mg. At week 26, HbA1c changed "
            "by -0.98%, -1.43% and -1.71% with HSK-3381 5, 15 and 30 mg, by -0.21% with placebo and by -1.29% with semaglutide.")
    doses = {(f.name, f.value) for f in find(extract_text(text, "code"), "dose")}
    assert ("hsk-3381", 30.0) in doses and not any(name == "semaglutide" and value != 1.0 for name, value in doses)


def test_counts_allocated_to_doses_are_no_dose_ranges():
    text = "Adults were randomized to GZR-418 or placebo. Overall, 122 patients were randomized: 31 to 20 mg, 30 to 40 mg, 31 to 80 mg and 30 to placebo."
    assert {f.value for f in find(extract_text(text, "alloc"), "dose")} == {20.0, 40.0, 80.0}


@pytest.mark.parametrize("text", [
    "In this placebo-controlled trial, tirzepatide lowered HbA1c by 0.5 percentage points relative to placebo and reduced body "
    "weight by a mean of 11.8%, against 1.2% with placebo.",
    "Compared with placebo, semaglutide lowered HbA1c by a further 0.5 percentage points, and body weight fell by 11.8% with "
    "semaglutide versus 1.2% with placebo.",
])
def test_a_value_set_against_the_other_arms_value_is_a_within_arm_change(text):
    weights = find(extract_text(text, "vs"), "outcome", "body_weight_change")
    assert {(f.value, f.contrast) for f in weights} == {(-11.8, None), (-1.2, None)}


def test_survival_is_no_death_rate():
    text = "Deaths numbered 14 after ITA and 39 after PTA, giving 5-year patient survival of 96.8% and 94.1% (p = 0.09)."
    assert not [f for f in find(extract_text(text, "survival"), "adverse_event") if f.value in (96.8, 94.1)]


def test_what_followed_an_event_counts_no_more_of_it():
    text = ("PR-interval prolongation was observed in four verapamil-treated participants, leading to dose reduction in three and to "
            "discontinuation of the study drug in one.")
    assert [f.n for f in find(extract_text(text, "conseq"), "adverse_event", "pr-interval prolongation")] == [4]


def test_combined_level_2_or_3_rates_are_not_the_severe_events_named_after_them():
    text = ("Combined level 2 or 3 hypoglycaemia occurred at 0.58 versus 0.45 events per participant-year (estimated rate ratio "
            "1.29); severe hypoglycaemia was reported by three participants on efsitora and two on degludec.")
    facts = extract_text(text, "levels")
    assert not find(facts, "outcome", "severe_hypoglycemia_events")
    assert {f.n for f in find(facts, "adverse_event", "severe hypoglycemia")} == {3, 2}


def test_an_event_rate_per_participant_year():
    facts = extract_text("Severe hypoglycaemic events fell from a mean of 2.6 per participant-year before treatment to none after day 90.", "rate")
    assert find(facts, "outcome", "severe_hypoglycemia_events", value=2.6, unit="events per patient-year")


def test_a_fall_by_more_with_one_arm_is_negative():
    facts = extract_text("HbA1c fell by 0.41 percentage points more with HCL than with SAP.", "more")
    assert [f.value for f in find(facts, "outcome", "hba1c_change")] == [-0.41]


def test_counts_of_people_are_no_difference_between_arms():
    text = ("Adults were randomized to semaglutide or placebo. HbA1c decreased by 1.6 and 0.4 percentage points, respectively "
            "(difference -1.2 percentage points), and 126 (57.8%) and 14 (12.8%) participants attained an HbA1c <6.5%.")
    facts = extract_text(text, "shares")
    assert find(facts, "outcome", "hba1c_change", value=-1.2)[0].contrast
    assert {(f.n, f.contrast) for f in find(facts, "outcome", "hba1c_target")} == {(126, None), (14, None)}


@pytest.mark.parametrize("text, value, unit", [
    ("Eighty-one participants (92%) attended the 52-week visit.", 52.0, "weeks"),
    ("Randomisation was 1:1. At 24 months, stimulated C-peptide was higher with the drug.", 24.0, "months"),
    ("Twelve children took part. After a year, seven of the 12 volunteers had measurable C-peptide.", 1.0, "years"),
])
def test_a_trial_that_states_no_follow_up_ran_to_its_last_visit(text, value, unit):
    assert [(f.value, f.unit) for f in find(extract_text(text, "length"), "follow_up")] == [(value, unit)]


@pytest.mark.parametrize("text, value", [
    ("Seven of nine adults with long-standing type 1 diabetes were able to stop insulin injections.", 9.0),
    ("In the 17-patient phase 1/2 trial (NCT05791201), mean peak C-peptide was ~50 pmol/L at the target dose.", 17.0),
])
def test_a_text_that_states_no_size_counts_its_participants_in_a_share(text, value):
    assert [f.value for f in find(extract_text(text, "size"), "sample_size")] == [value]


def test_a_stated_size_is_not_replaced_by_a_share():
    text = "In total, 30 participants were enrolled. Seven of nine adults in cohort 2 stopped insulin."
    assert [f.value for f in find(extract_text(text, "size"), "sample_size", group=None)] == [30.0]


def test_a_time_point_inside_a_sentence_is_no_follow_up():
    assert not find(extract_text("83% of participants treated with the full dose no longer required insulin after one year.", "tp"),
                    "follow_up")


def test_an_outcome_after_and_takes_no_values_of_the_clause_before():
    text = ("Genital infections were more frequent with dapagliflozin (11.9% and 10.2% vs. 2.6%), and adverse events led to "
            "discontinuation in 5.1%, 4.7%, and 3.3%.")
    facts = extract_text(text, "clauses")
    assert sorted(f.value for f in find(facts, "outcome", "discontinuation_due_to_ae")) == [3.3, 4.7, 5.1]
    assert sorted(f.value for f in find(facts, "adverse_event", "genital infection")) == [2.6, 10.2, 11.9]  # (the bracket keeps its values)


@pytest.mark.parametrize("text, kinds", TRAPS, ids=[t[0][:40] for t in TRAPS])
def test_traps(text, kinds):
    facts = extract_text(text, "trap")
    assert not [f for f in facts if f.kind in kinds]
    # Confidence intervals and dispersion never become facts of their own.
    assert not find(facts, "outcome", value=0.07)


def test_ci_is_attached_not_emitted():
    facts = extract_text("The difference in HbA1c was −0.48% (95% CI −0.65 to −0.31; p<0.0001) versus semaglutide 7 mg.", "ci")
    values = sorted(f.value for f in facts if f.kind == "outcome")
    assert values == [-0.48]


def test_html_entities_keep_offsets_valid():
    text = "HbA1c &lt;7.0% was reached by 9 of 15 participants (60%) at month 12."
    facts = extract_text(text, "ent")
    assert find(facts, "outcome", "hba1c_target", n=9, denominator=15)
    for f in facts:
        assert text[f.start : f.end] == f.quote


REGISTRY_RESULTS = """Study Type: Interventional
Enrollment (Actual): 30
Arm/Group Title: Drug A | Placebo
Started: Drug A 20 | Placebo 10

Primary Outcome Measure
Title: Number of Participants Who Are Insulin Independent [Time Frame: Day 365]
Overall Number of Participants Analyzed: 18 | 9
Drug A: 12 (66.7%) | Placebo: 0 (0.0%)

Adverse Events
Serious Adverse Events, Total: 4/20 (20.00%) | 1/10 (10.00%)
Portal vein bleed 2/20 (10.00%) | 0/10 (0.00%)
"""


def test_registry_results_layout_is_read_by_column():
    """A results table copied from a registry: each column is an arm, each title an outcome."""
    facts = extract_text(REGISTRY_RESULTS, "reg")
    assert find(facts, "sample_size", "participants", value=30.0, group=None)
    assert find(facts, "sample_size", "participants", value=20.0, group="Drug A")
    assert find(facts, "sample_size", "participants", value=10.0, group="Placebo")
    ii = find(facts, "outcome", "insulin_independence", group="Drug A")
    assert len(ii) == 1 and (ii[0].n, ii[0].denominator, ii[0].value, ii[0].timepoint) == (12, 18, 66.7, "Day 365")
    assert find(facts, "outcome", "insulin_independence", group="Placebo", n=0)
    assert find(facts, "adverse_event", "serious adverse event", group="Placebo", n=1, denominator=10, serious=True)
    bleed = find(facts, "adverse_event", "portal vein bleed", group="Drug A")
    assert len(bleed) == 1 and bleed[0].n == 2
    assert find(facts, "adverse_event", "portal vein bleed", group="Placebo", negated=True)
    for f in facts:
        assert REGISTRY_RESULTS[f.start : f.end] == f.quote


ARM_ORDER = (
    "Adults were randomised to drug X 5 mg (n=60), drug X 10 mg (n=61) or placebo (n=59). "
    "Mean changes in HbA1c were -0.9%, -1.2% and -0.2% in the 5 mg, 10 mg and placebo groups, "
    "respectively; placebo-adjusted differences were -0.7% and -1.0%. "
    "The proportions reaching HbA1c <7.0% were 41.0%, 48.5% and 17.0%. "
    "Nausea was reported by 9 (15%), 12 (20%) and 3 (5%) participants. "
    "Body weight fell by 2.1 kg in the 10 mg group.")


def test_unnamed_value_lists_take_the_arms_last_listed():
    """A list that names no arm, as long as the last list of arms, takes them in order;
    differences against placebo take the other arms."""
    facts = extract_text(ARM_ORDER, "arms")
    target = {f.value: f.group for f in find(facts, "outcome", "hba1c_target")}
    assert target == {41.0: "5 mg", 48.5: "10 mg", 17.0: "placebo"}
    diffs = {f.value: (f.group, f.contrast) for f in find(facts, "outcome", "hba1c_change") if f.contrast}
    assert diffs == {-0.7: ("5 mg", "placebo"), -1.0: ("10 mg", "placebo")}
    nausea = {f.n: f.group for f in find(facts, "adverse_event", "nausea")}
    assert nausea == {9: "5 mg", 12: "10 mg", 3: "placebo"}
    # A value the sentence attributes itself is not re-ordered.
    assert find(facts, "outcome", "body_weight_change", value=-2.1, group="10 mg")


def test_arms_named_in_news_and_lists():
    """"people using Beacon" names the device arm; a dose in brackets belongs to the part before
    it, not to the next item of the list."""
    tir = {f.value: f.group for f in find(extract_text(
        "After 13 weeks, people using Beacon spent 68% of the day in the target glucose range, versus 51% in the usual-care group.",
        "device"), "outcome", "time_in_range")}
    assert tir == {68.0: "Beacon", 51.0: "usual-care"}
    doses = {f.value: f.group for f in find(extract_text(
        "Two participants in part A received half the target dose (0.4 × 10⁹ cells) of tereslecel and 12 in parts B and C "
        "received the full dose of 0.8 × 10⁹ cells.", "parts"), "dose", "tereslecel")}
    assert doses == {400000000.0: "part A", 800000000.0: "parts B and C"}


def test_the_people_who_got_a_dose_are_that_dose_arm():
    """"Ten of the 12 patients who received a full dose ...": the 12 are the full-dose arm, and a
    proportion of those 12 is that arm's."""
    facts = extract_text("Ten of the 12 patients who received a full dose of the treatment no longer needed insulin one year later.", "dose")
    assert find(facts, "sample_size", "participants", value=12.0, group="full dose")
    assert find(facts, "outcome", "insulin_independence", n=10, group="full dose")
    assert find(extract_text("The analysis focused on the 12 who received the full dose.", "dose"), "sample_size", "participants",
                value=12.0, group="full dose")


def test_a_counted_lead_phrase_names_the_arm_of_the_sentence():
    facts = extract_text("Among the 14 full-dose patients, 11 were off insulin entirely one year after the infusion, "
                         "and all 14 had an HbA1c under 7%.", "lead")
    assert find(facts, "outcome", "insulin_independence", n=11, group="full dose")
    assert find(facts, "outcome", "hba1c_target", n=14, group="full dose")


def test_event_totals_are_counts_only_when_no_one_is_counted():
    """"Two serious adverse events occurred (...)" counts two; "at least one adverse event" and
    "Eleven serious adverse events occurred in six participants" do not count events."""
    assert not find(extract_text("All participants had at least one adverse event, most of them mild.", "ae"), "adverse_event", n=1)
    facts = extract_text("Eleven serious adverse events occurred in six participants.", "sae")
    assert {f.n for f in find(facts, "adverse_event")} == {6}


def test_every_participant_takes_the_known_total_as_denominator():
    """After "Sixteen participants were dosed", "detectable in every participant" is 16 of 16, also
    where the wider "everyone" reading matches the same words."""
    facts = extract_text("Sixteen participants were dosed. By day 90, C-peptide became detectable in every participant.", "every")
    assert find(facts, "outcome", "engraftment", value=100.0, n=16, denominator=16)


def test_everyone_is_all_only_with_a_result_verb():
    """"every one of them had an HbA1c below 7%" is 100%; "all of them require lifelong
    immunosuppression" says nothing about the outcome named before it."""
    facts = extract_text("Ten of 12 recipients stopped insulin, but all of them require lifelong immunosuppression.", "all")
    assert find(facts, "outcome", "insulin_independence", n=10) and not find(facts, "outcome", "insulin_independence", value=100.0)


def test_the_levels_behind_a_relative_change_are_not_changes():
    facts = extract_text("Total daily insulin dose was 12% lower with the dual-hormone system (0.70 vs. 0.80 U/kg/day).", "levels")
    assert [f.value for f in find(facts, "outcome", "insulin_dose_change")] == [-12.0]


def test_therapies_named_only_for_other_work_are_not_interventions():
    """A search strategy's drugs and "earlier trials of liraglutide" are other work; the trial's
    own drug, named in its results, stays."""
    text = ("We searched PubMed for randomised trials of exenatide or dulaglutide in type 1 diabetes. "
            "In this trial, tirzepatide 5 mg lowered HbA1c by 0.5 percentage points more than placebo.")
    names = {f.name for f in find(extract_text(text, "ric"), "intervention")}
    assert "tirzepatide" in names and not names & {"exenatide", "dulaglutide"}


def test_a_rival_named_only_to_compare_is_no_intervention():
    text = ("Luxen Pharma's LX-2207, an oral GLP-1 receptor agonist, lowered HbA1c by 1.8% in the phase 2 trial. It requires no fasting, "
            "unlike oral semaglutide, and it works differently from teplizumab.")
    names = {f.name for f in find(extract_text(text, "rival"), "intervention")}
    assert "lx-2207" in names and not names & {"semaglutide", "teplizumab"}


def test_a_panels_evidence_before_this_study_is_other_work():
    """In a Research-in-context panel, "Evidence before this study" reports other trials; the
    panel's "Added value of this study" reports this one."""
    text = ("Research in context\nEvidence before this study\nWe searched PubMed for trials of GLP-1 receptor agonists. "
            "We identified 11 trials (n=1398); liraglutide 1.8 mg lowered HbA1c by 0.2-0.3 percentage points.\n\n"
            "Added value of this study\nIn this trial of 120 adults, tirzepatide lowered HbA1c by 0.5 percentage points more than placebo.")
    facts = extract_text(text, "panel")
    assert {f.name for f in find(facts, "intervention")} == {"tirzepatide"}
    assert {f.value for f in find(facts, "sample_size")} == {120.0}
    assert [f.value for f in find(facts, "outcome", "hba1c_change")] == [-0.5]


def test_a_code_called_after_a_name_is_its_alias():
    facts = extract_text("Everyone got a single infusion of orvalecel (also called OT-55) into a vein in the liver.", "alias")
    assert [f.name for f in find(facts, "intervention")] == ["orvalecel"]
    assert find(facts, "intervention")[0].aliases == ["OT-55"]
    facts = extract_text("She received NRX-52 (orvislecel), a full dose of 0.8 billion cells, in March.", "alias")
    assert [f.name for f in find(facts, "intervention")] == ["orvislecel"]
    assert find(facts, "dose", "orvislecel", value=800000000.0)


def test_a_product_with_no_generic_name_is_called_what_the_document_calls_it_first():
    facts = extract_text("In the ViaCyte VC-02 (PEC-Direct) open-device study, C-peptide was detected in 6 of 17 participants.", "vc")
    assert [f.name for f in find(facts, "intervention")] == ["vc-02"]
    facts = extract_text("ViaCyte's PEC-Direct device (VC-02) was implanted in 17 participants.", "vc")
    assert [f.name for f in find(facts, "intervention")] == ["pec-direct"]
    facts = extract_text("Zimislecel (VX-880) was infused in 12 participants.", "vx")
    assert [f.name for f in find(facts, "intervention")] == ["zimislecel"]  # a generic name is always the name
    text = ("Recipients were randomly assigned to islet transplantation, with anti-thymocyte globulin induction and tacrolimus plus "
            "mycophenolate maintenance, or to a hybrid closed-loop system. Islet recipients received 11,850 IEQ/kg.")
    facts = extract_text(text, "mmf")
    assert find(facts, "intervention", "mycophenolate") and not find(facts, "intervention", "mycophenolate mofetil")
    assert find(facts, "dose", "islet transplantation", value=11850.0)  # (the name as written is still no cell product)
    facts = extract_text(text.replace("mycophenolate maintenance", "mycophenolate mofetil maintenance"), "mmf")
    assert find(facts, "intervention", "mycophenolate mofetil")


@pytest.mark.parametrize("text, name", [
    ("Children were randomly assigned to the Arvia closed-loop system (n = 57) or to sensor-augmented pump therapy.",
     "arvia closed-loop system"),
    ("Participants used the GlucoSync automated insulin delivery (AID) system for 13 weeks.", "glucosync"),
    ("Adults were assigned to the AURA-2 hybrid closed-loop system or to usual care.", "aura-2"),
    ("Hybrid closed-loop system for young children. We tested whether hybrid closed-loop (HCL) insulin delivery "
     "improves control in 80 children.", "hybrid closed-loop insulin delivery"),
    ("Adults were randomly assigned to advanced hybrid closed-loop insulin delivery or to usual care.", "advanced hybrid closed-loop"),
    ("Tubeless closed loop. Children used a tubeless AID system at home.", "automated insulin delivery"),
])
def test_a_closed_loop_device_keeps_the_trials_name_for_it(text, name):
    """A device has no generic name: the brand or the kind of closed loop as the trial writes it,
    with the generic name as an alias; a capitalised common word is no brand."""
    interventions = find(extract_text(text, "device"), "intervention")
    assert [f.name for f in interventions] == [name]
    if name != "automated insulin delivery":
        assert "automated insulin delivery" in interventions[0].aliases


def test_a_code_that_names_a_study_is_no_drug_anywhere():
    text = ("Effectiveness was shown in two single-arm studies: UIH-001, a phase 1/2 study (n=10), and UIH-002, a "
            "phase 3 study (n=20), of donislecel. Rates were 60% and 75% in UIH-001 and UIH-002, respectively.")
    assert [f.name for f in find(extract_text(text, "studies"), "intervention")] == ["donislecel"]
    title = "Once-weekly ripaglutide versus dulaglutide in people with type 2 diabetes on metformin (TIDE-3): a randomised, phase 3 trial."
    assert "tide-3" not in {f.name for f in find(extract_text(title, "acronym"), "intervention")}  # a trial's acronym


def test_a_cell_products_code_is_its_name():
    """The cells are what the product is; the code that is given at a cell dose names it. A
    congress abstract's number is no drug."""
    text = ("Two infusions of umbilical cord-derived mesenchymal stromal cells preserved C-peptide (abstract LB-07). "
            "Adults were randomised 2:1 to the cell product NV-220 (2 × 10⁶ cells/kg; n = 44) or placebo (n = 22).")
    interventions = find(extract_text(text, "msc"), "intervention")
    assert [f.name for f in interventions] == ["nv-220"]
    assert interventions[0].aliases == ["mesenchymal stromal cells"]


def test_a_paragraph_goes_on_about_the_arm_it_named():
    """In a trial of two cohorts, the sentence after "Among the 12 full-dose recipients, ..." that
    names no arm is still about them; a new paragraph starts afresh."""
    text = ("Two participants received a half dose and 12 received the full dose.\n\n"
            "Among the 12 full-dose recipients, C-peptide was detectable in all by day 90. "
            "At 1 year, ten (83%) were no longer using insulin.\n\n"
            "Nausea occurred in three participants (21%).")
    facts = extract_text(text, "carry")
    assert find(facts, "outcome", "insulin_independence", n=10, group="full dose")
    assert find(facts, "adverse_event", "nausea", n=3, group=None)


def test_a_new_insulins_short_name_is_its_arm():
    """After "insulin tavodec", a bare "tavodec" names the same arm, so later "X vs Y" lists that
    name no arm follow the order the arms were randomised in."""
    text = ("New medicine: insulin tavodec, a once-weekly basal insulin. Participants were randomised to weekly "
            "tavodec (n = 492) or daily insulin glargine U100 (n = 492). Time in range on CGM was 71.2% vs 67.8%.")
    tir = {f.value: f.group for f in find(extract_text(text, "insulin"), "outcome", "time_in_range")}
    assert tir == {71.2: "insulin tavodec", 67.8: "insulin glargine"}


# ------------------------------------------------------------------------------ invariants
def _all_texts() -> list[tuple[str, str]]:
    from kb.evaluate import gold_files, load_gold

    texts = []
    for folder in (GOLD, *sorted(p for p in GOLD.iterdir() if p.is_dir() and p.name.startswith("heldout"))):
        for path in gold_files(folder):
            gold, text = load_gold(path)
            texts.append((gold["doc"], text))
    texts.append((SEED.stem, SEED.read_text(encoding="utf-8")))
    for path in sorted((SAMPLES / "abstracts").glob("*.json")):
        texts.append((path.stem, json.loads(path.read_text())["abstract"]))
    return texts


def test_every_fact_quote_matches_offsets():
    docs = [Document(id=doc_id, source="file", text=text) for doc_id, text in _all_texts()]
    results = extract_documents(docs, batch_size=8)
    assert sum(len(r) for r in results) > 100
    for doc, facts in zip(docs, results, strict=True):
        for f in facts:
            assert doc.text[f.start : f.end] == f.quote, (doc.id, f.rule)
            assert f.doc == doc.id
        assert facts == extract_document(doc)  # batch and single paths agree


def test_lexicon_api():
    aliases = lexicon.therapy_aliases()
    assert aliases["vx-880"] == "zimislecel" and aliases["lantidra"] == "donislecel"
    info = lexicon.therapy_info()
    assert info["zimislecel"]["sponsor"] == "Vertex"
    vocab = lexicon.outcome_vocabulary()
    assert {"insulin_independence", "hba1c_change", "time_in_range", "other"} <= set(vocab)
    assert lexicon.adverse_event_terms()["neutropaenia"] == "neutropenia"
    ids = [row["id"] for row in lexicon.patterns("outcomes")]
    assert len(ids) == len(set(ids))


def test_kb_extract_cli_prints_contract_without_heavy_imports():
    code = (
        "import sys, json\n"
        "from click.testing import CliRunner\n"
        "from kb.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['extract', '--json', {str(SEED)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "rows = [json.loads(line) for line in r.output.splitlines()]\n"
        "heavy = [m for m in ('torch', 'chromadb', 'sentence_transformers') if sys.modules.get(m) is not None]\n"
        "print(json.dumps({'rows': rows, 'heavy': heavy}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["heavy"] == []
    rows = out["rows"]
    required = {"doc", "kind", "name", "value", "unit", "comparator", "n", "denominator", "group", "contrast",
                "timepoint", "negated", "serious", "quote", "start", "end"}
    text = SEED.read_text(encoding="utf-8")
    for row in rows:
        assert required <= set(row)
        assert row["doc"] == SEED.stem
        assert text[row["start"] : row["end"]] == row["quote"]
    assert any(r["kind"] == "outcome" and r["name"] == "insulin_independence" and r["n"] == 10 for r in rows)


def test_kb_extract_reports_bad_file_and_continues(tmp_path):
    from click.testing import CliRunner

    from kb.cli import cli

    good = tmp_path / "good.txt"
    good.write_text("Two deaths occurred.", encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--json", str(bad), str(good)])
    assert result.exit_code != 0
    assert "bad.json" in result.output
    assert '"name": "death"' in result.output


def test_epidemiology_abstracts_are_not_read_as_trial_events():
    """A negative control: 25 real Europe PMC abstracts about cancer epidemiology and screening
    (../shared/samples). The disease a paper studies is not an adverse event of a treatment, and
    prevalence figures are not trial outcomes; a lexicon change that turns "cancer" or
    "infection" into events floods this corpus with false facts."""
    from kb.parse import parse_file

    docs = parse_file(SAMPLES / "europepmc" / "pyEuropePMC__search_cancer_core.json")
    assert len(docs) >= 20
    facts = [f for doc, fs in zip(docs, extract_documents(docs), strict=True) for f in fs]
    events = [f for f in facts if f.kind == "adverse_event"]
    outcomes = [f for f in facts if f.kind == "outcome"]
    assert len(events) <= 5, [(f.name, f.quote[:80]) for f in events]
    assert not any(f.name in ("malignancy", "skin cancer", "lymphoma") for f in events)
    assert len(outcomes) <= 3, [(f.name, f.quote[:80]) for f in outcomes]


def test_death_counts_are_the_people_who_died():
    """The part that died, not the group it was part of; causes in brackets are not more deaths;
    "No one died" is no death."""
    deaths = find(extract_text("Three participants died (two cardiovascular deaths and one from metastatic colorectal cancer).", "d"),
                  "adverse_event", "death")
    assert [f.n for f in deaths] == [3]
    none = find(extract_text("No one died.", "d"), "adverse_event", "death")
    assert none and all(f.negated for f in none)


def test_it_carries_the_measure_the_last_sentence_named():
    facts = extract_text("Average HbA1c dropped from 8.2% to 7.2% in the pump group. In the usual-care group it went from 8.1% to 7.7%.", "it")
    assert {f.value for f in find(facts, "outcome", "hba1c")} == {8.2, 7.2, 8.1, 7.7}


def test_respectively_pairs_outcomes_named_in_turn_with_their_values():
    facts = extract_text("At 1 year, mean HbA1c and time in range were 6.1 ± 0.4% and 93.2 ± 5.1%, respectively.", "r")
    assert {(f.name, f.value) for f in facts if f.kind == "outcome"} == {("hba1c", 6.1), ("time_in_range", 93.2)}


def test_changes_from_baseline_that_name_no_measure_are_of_the_one_named_just_before():
    text = ("QW-5127 lowered HbA1c in a dose-dependent manner (Figure 2A). Least-squares mean changes from baseline to week 24 "
            "were −0.4, −1.2 and −1.9 percentage points in the placebo, 1.5 mg and 6 mg groups, respectively.")
    changes = [(f.value, f.group) for f in extract_text(text, "t") if f.name == "hba1c_change"]
    assert changes == [(-0.4, "placebo"), (-1.2, "1.5 mg"), (-1.9, "6 mg")]
    # (only right after it: a measure named two sentences before is not the one meant)
    far = text.replace("(Figure 2A). ", "(Figure 2A). Tolerability was good. ")
    assert not [f for f in extract_text(far, "t") if f.name == "hba1c_change"]


def test_what_a_study_is_of_is_a_drug_even_with_its_registry_id_after_it():
    facts = extract_text("Hypogen released data from its phase 1 study of HG-401 (NCT06610293), donor islets edited to "
                         "delete HLA class I and II.", "t")
    assert "hg-401" in {f.name for f in facts if f.kind == "intervention"}
    facts = extract_text("UIH-001 (NCT05100001) enrolled ten adults who received islets.", "t")
    assert "uih-001" not in {f.name for f in facts if f.kind == "intervention"}


def test_a_line_of_a_listing_by_participant_is_one_person_per_event():
    text = ("Ten serious adverse events occurred in seven participants.\n"
            "Participant 05 (cohort A): grade 4 neutropenia on day 112 requiring hospitalization.\n"
            "Participant 11 (cohort B): pneumonia (day 201) and acute kidney injury (day 204) during the same admission.\n"
            "Participant 09 (cohort B): subcutaneous hematoma at the implant site requiring surgical evacuation.")
    events = {(f.name, f.n, f.group) for f in extract_text(text, "t") if f.rule == "adverse_event.listed_participant"}
    assert events == {("neutropenia", 1, "cohort A"), ("pneumonia", 1, "cohort B"), ("acute kidney injury", 1, "cohort B"),
                      ("subcutaneous hematoma", 1, "cohort B")}
    # (a participant's number is no count anywhere else)
    assert not [f for f in extract_text("Participant 05 was lost to follow-up after neutropenia.", "t") if f.n == 5]


def test_it_fell_by_is_a_change_of_the_measure_the_sentence_before_named():
    facts = extract_text("Mean baseline HbA1c was 7.9%. It fell by 1.6 and 1.5 percentage points in the two arms.", "t")
    assert [f.value for f in facts if f.name == "hba1c_change"] == [-1.6, -1.5]


@pytest.mark.parametrize("text, owned", [
    # a measure followed right by its own value owns it; the value before it is the clause before's
    ("At 6 months her HbA1c was 5.9% and time in range 96%.", {("hba1c", 5.9), ("time_in_range", 96.0)}),
    # a change after "while" has its own verb, so the value before "while" is the first measure's
    ("Total daily insulin dose decreased by 14% while time in range increased from 49% to 61%.",
     {("insulin_dose_change", -14.0), ("time_in_range", 49.0), ("time_in_range", 61.0)}),
])
def test_a_measure_with_its_own_value_or_verb_leaves_the_value_before_it(text, owned):
    assert {(f.name, f.value) for f in extract_text(text, "t") if f.kind == "outcome"} == owned


def test_a_value_that_opens_a_clause_of_its_own_is_the_next_outcomes():
    facts = extract_text("At last contact, 9 of 41 surviving recipients (22%) were still off insulin and 27 of 41 (66%) retained "
                         "graft function.", "t")
    assert {(f.name, f.n) for f in facts if f.kind == "outcome"} == {("insulin_independence", 9), ("engraftment", 27)}


def test_a_gapped_change_after_and_in():
    facts = extract_text("Placebo-adjusted reductions in body weight were 2.9% and 3.6%, and in total daily insulin dose 8.6% and "
                         "11.2%, respectively.", "t")
    assert [f.value for f in facts if f.name == "insulin_dose_change"] == [-8.6, -11.2]
    assert [f.value for f in facts if f.name == "body_weight_change"] == [-2.9, -3.6]


def test_an_example_of_the_events_counted_is_not_what_was_counted():
    facts = extract_text("Adverse events, mostly infusion-site reactions, were reported in 19 of 68 children (28%).", "t")
    assert [(f.name, f.n) for f in facts if f.kind == "adverse_event"] == [("adverse event", 19)]


@pytest.mark.parametrize("text", [
    "Empagliflozin 2.5 mg lowered HbA1c modestly without a clear excess of ketoacidosis.",
    "KRX-118 increased time in range in AID users without excess hypoglycemia or ketosis.",
    "Sitagliptin produced a reduction in HbA1c without weight gain or excess hypoglycaemia.",
    "There was no rise in severe hypoglycaemia with tirzepatide.",
])
def test_no_excess_of_an_event_is_no_event_that_did_not_occur(text):
    assert not [f for f in extract_text(text, "t") if f.kind == "adverse_event"]


def test_no_excess_of_an_event_that_is_then_counted_keeps_the_counts():
    facts = extract_text("Results were achieved without an excess of level 3 (severe) hypoglycaemia, which occurred in four "
                         "participants receiving tirzepatide.", "t")
    assert [(f.name, f.n, f.negated) for f in facts if f.kind == "adverse_event"] == [("severe hypoglycemia", 4, False)]


@pytest.mark.parametrize("text, arms", [
    ("Eleven participants died during the study (tirzepatide 5 mg, three; 10 mg, two; 15 mg, two; glargine, four).",
     {("tirzepatide 5 mg", 3, None), ("10 mg", 2, None), ("15 mg", 2, None), ("glargine", 4, None)}),
    ("During follow-up, 71 recipients died (IAK 34 [13.8%], ITA 37 [4.7%]).", {("IAK", 34, 13.8), ("ITA", 37, 4.7)}),
])
def test_a_bracket_that_breaks_a_count_down_by_arm_gives_each_arms_count(text, arms):
    facts = [f for f in extract_text(text, "t") if f.name == "death"]
    assert {(f.group, f.n, f.value) for f in facts if f.group} == arms
    assert [f.n for f in facts if not f.group] == [sum(n for _, n, _ in arms)]


def test_a_bracket_of_causes_or_counts_that_do_not_add_up_is_no_breakdown_by_arm():
    for text in ("Four recipients died (myocardial infarction, 2; metastatic colorectal cancer, 1; unknown, 1).",
                 "Five participants died (IAK 3, ITA 1)."):
        assert not [f for f in extract_text(text, "t") if f.name == "death" and f.group]


def test_a_goal_doctors_aim_for_is_no_result():
    facts = extract_text("Their HbA1c fell to 6.6% from 8.3% before treatment, well under the 7% level that doctors recommend.", "t")
    assert not [f for f in facts if f.kind == "outcome" and f.value == 7.0]


def test_a_value_and_its_baseline_are_one_arms_not_a_list_of_the_arms():
    text = ("Three received half the target dose; the other 12 received the full dose. Their average HbA1c fell to 6.4% "
            "from 7.9% before treatment.")
    facts = [f for f in extract_text(text, "t") if f.name == "hba1c"]
    assert {(f.value, f.timepoint) for f in facts} == {(6.4, None), (7.9, "baseline")}
    assert len({f.group for f in facts}) == 1  # (not one value per arm of the sentence before)


def test_every_value_of_a_list_opened_by_a_colon_after_the_measure_is_the_measures():
    text = ("Mean weight change from baseline to week 32 was as follows: dapilintide 1.2 mg, −6.1%; 2.4 mg, −8.4%; "
            "4.5 mg, −9.9%; combination, −17.3%; semaglutide, −12.0%; placebo, −1.8%.")
    values = [f.value for f in extract_text(text, "t") if f.name == "body_weight_change"]
    assert values == [-6.1, -8.4, -9.9, -17.3, -12.0, -1.8]


@pytest.mark.parametrize("text, label, values", [
    ("Partial remission (IDAA1c of 9 or less) at week 48 occurred in 21 of 39 participants (54%) with baricitinib 4 mg "
     "and 9 of 37 (24%) with placebo.", "Partial remission (IDAA1c of 9 or less)", [54.0, 24.0]),
    ("Time below 70 mg/dL was 1.9% during run-in and 1.4% during the study phase.", "Time below 70 mg/dL", [1.9, 1.4]),
    ("Rates of clinically significant or severe hypoglycemia were 0.58, 0.46 and 0.45 events per participant-year "
     "with titration, fixed-dose escalation and degludec.", "clinically significant or severe hypoglycemia", [0.58, 0.46, 0.45]),
    ("Combined level 2 or 3 hypoglycaemia occurred at 0.58 versus 0.45 events per participant-year.",
     "level 2 or 3 hypoglycaemia", [0.58, 0.45]),
])
def test_an_outcome_outside_the_vocabulary_is_other_labelled_as_written(text, label, values):
    facts = [f for f in extract_text(text, "t") if f.kind == "outcome"]
    assert [(f.name, f.label, f.value) for f in facts] == [("other", label, v) for v in values]


def test_an_outcome_outside_the_vocabulary_takes_only_the_values_it_can_have():
    # a rate of events is no share of people; a composite target's part and a goal are no results
    for text in ("Level 2 or 3 hypoglycaemia rates were 0.27 vs 0.14 events per patient-year; severe episodes were reported in three participants.",
                 "An HbA1c of less than 7.0% without level 2 or 3 hypoglycaemia was reached by 279 (59.9%) participants with efsitora.",
                 "Time below range (<3.0 mmol/L) stayed under the recommended 1% threshold in both arms (0.6% vs 0.5%)."):
        others = [f for f in extract_text(text, "t") if f.name == "other"]
        assert all(f.unit != "%" or f.value in (0.6, 0.5) for f in others) and not [f for f in others if f.n is not None], text
    # "in partial remission" says who was measured; time in range is theirs, and the remission takes no value
    facts = extract_text("Among the seven participants in partial remission, CGM time in range averaged 78% during the two weeks "
                         "before the month 12 visit.", "t")
    assert [(f.name, f.value) for f in facts if f.kind == "outcome"] == [("time_in_range", 78.0)]
    facts = extract_text("HCL increased time in range by more than 11 percentage points and reduced time in hypoglycaemia compared with SAP.", "t")
    assert [(f.name, f.value) for f in facts if f.kind == "outcome"] == [("time_in_range", 11.0)]


def test_a_daily_insulin_dose_is_a_level_outside_the_vocabulary_and_its_change_is_in_it():
    def outcomes(text):
        return [(f.name, f.value, f.unit) for f in extract_text(text, "t") if f.kind == "outcome"]
    assert outcomes("Daily insulin dose at week 96 was 0.48 U/kg/day in the continuing group and 0.63 U/kg/day in the switch group.") \
        == [("other", 0.48, "IU/kg/day"), ("other", 0.63, "IU/kg/day")]
    # the doses a change went between are levels; the change is the change
    assert outcomes("Total daily insulin dose fell by 14% with semaglutide (from 74 to 64 U/day).") \
        == [("insulin_dose_change", -14.0, "%"), ("other", 74.0, "IU/day"), ("other", 64.0, "IU/day")]
    assert outcomes("Total daily insulin dose changed by −0.11 U/kg/day in the liraglutide group and by +0.03 U/kg/day with placebo.") \
        == [("insulin_dose_change", -0.11, "IU/kg/day"), ("insulin_dose_change", 0.03, "IU/kg/day")]
    assert ("insulin_dose_change", -14.0, "%") in outcomes("HbA1c fell 0.4% vs 0.1%, body weight 8.2% vs 0.6%, and total daily insulin 14% vs 2%.")
    # a threshold of who took part is no level
    assert outcomes("Patients with HbA1c 7.5% to 10.5% on a stable insulin dose of ≥20 IU/day were randomised.") == []


@pytest.mark.parametrize("text, expected", [
    ("A weight loss of at least 5% at week 26 was reached by 19 of 28 participants (68%).", [("weight loss of at least 5%", 68.0)]),
    ("Weight reductions of ≥5%, ≥10% and ≥15% were achieved by 86%, 71% and 49% of participants on 16 mg.",
     [("Weight reductions of ≥5%", 86.0), ("Weight reductions of ≥10%", 71.0), ("Weight reductions of ≥15%", 49.0)]),
    # without a graft, people over a C-peptide threshold respond to an immunotherapy
    ("Thirty of 46 verapamil recipients (65%) had a peak C-peptide of at least 0.2 nmol/L.", [("peak C-peptide of at least 0.2 nmol/L", 65.0)]),
    ("A peak C-peptide of at least 0.2 pmol/mL was maintained by 115 of 121 (95%) in the verapamil group.",
     [("peak C-peptide of at least 0.2 pmol/mL", 95.0)]),
    # responders, not a weight change
    ("At least 5% weight reduction was achieved by 86.9% and 92.4% of people on the 2 doses.",
     [("At least 5% weight reduction", 86.9), ("At least 5% weight reduction", 92.4)]),
    ("More people on obetide than on placebo lost at least 5% of their baseline weight (79.4% [816/1,028] v 32.1% [165/514]).",
     [("lost at least 5% of their baseline weight", 79.4), ("lost at least 5% of their baseline weight", 32.1)]),
    # (the second threshold, "and ≥15% by 41.7%", is not read: a miss, not a wrong label)
    ("At week 208, ≥10% weight loss was maintained by 189/302 (62.6%), and ≥15% by 41.7%.", [("≥10% weight loss", 62.6)]),
    # a share of people is no bare count ("nine in ten")
    ("Roughly nine in ten patients on the top dose lost at least 5% of their starting weight.", []),
])
def test_responders_over_a_threshold_are_other_outcomes_one_label_per_threshold(text, expected):
    facts = [f for f in extract_text(text, "t") if f.kind == "outcome"]
    assert [(f.label, f.value) for f in facts] == expected and all(f.name == "other" for f in facts)


def test_a_list_of_means_with_dispersions_shares_the_unit_written_last():
    facts = extract_text("Total daily insulin dose was 0.42 ± 0.20 and 0.55 ± 0.24 U/kg/day, respectively.", "t")
    assert [(f.value, f.unit) for f in facts if f.kind == "outcome"] == [(0.42, "IU/kg/day"), (0.55, "IU/kg/day")]


def test_one_arms_shares_over_a_list_of_thresholds_are_that_arms():
    text = ("Weight reductions of ≥5%, ≥10% and ≥15% were achieved by 86%, 71% and 49% of participants on 16 mg, "
            "compared with 31%, 11% and 4% on placebo.")
    facts = [f for f in extract_text(text, "t") if f.kind == "outcome"]
    assert [(f.value, f.group) for f in facts][:3] == [(86.0, "16 mg"), (71.0, "16 mg"), (49.0, "16 mg")]


@pytest.mark.parametrize("text, arms", [
    ("Of 114 participants who underwent randomisation, 39, 38 and 37 were assigned to baricitinib 4 mg, baricitinib 2 mg "
     "and placebo, respectively.", {(39.0, "baricitinib 4 mg"), (38.0, "baricitinib 2 mg"), (37.0, "placebo")}),
    ("A total of 793 participants were randomized (263, 265 and 265 to the 200 mg, 400 mg and placebo groups).",
     {(263.0, "200 mg"), (265.0, "400 mg"), (265.0, "placebo")}),
    ("Of 1,012 patients screened, 284 were randomised: 71 to 50 mg once daily, 72 to 50 mg twice daily, 70 to 75 mg twice "
     "daily and 71 to placebo.", {(71.0, "50 mg once daily"), (72.0, "50 mg twice daily"), (70.0, "75 mg twice daily"), (71.0, "placebo")}),
    ("Participants were randomly assigned to one of three doses or to placebo: 104 on 6 mg, 103 on 18 mg, 102 on 36 mg and 103 on placebo.",
     {(104.0, "6 mg"), (103.0, "18 mg"), (102.0, "36 mg"), (103.0, "placebo")}),
])
def test_counts_assigned_to_arms_size_each_arm(text, arms):
    facts = [f for f in extract_text(text, "t") if f.kind == "sample_size" and f.group]
    assert {(f.value, f.group) for f in facts} == arms


def test_a_size_in_brackets_after_an_arm_is_that_arms_and_after_a_share_is_none():
    text = ("Participants were randomly allocated to intravenous pelvotamab at 10 mg/kg (33 participants) or 3 mg/kg "
            "(31 participants), or to a matching placebo (32 participants), every four weeks for 48 weeks.")
    assert {(f.value, f.group) for f in extract_text(text, "t") if f.kind == "sample_size"} \
        == {(33.0, "pelvotamab 10 mg/kg"), (31.0, "pelvotamab 3 mg/kg"), (32.0, "placebo")}
    for text in ("After one year, more than 70 per cent of participants (34 people) no longer needed to inject insulin.",
                 "Discontinuations due to adverse events reached 10.8% at 36 mg (11 patients) in the randomised trial."):
        assert not [f for f in extract_text(text, "t") if f.kind == "sample_size" and f.value in (34.0, 11.0)], text


@pytest.mark.parametrize("text, arms", [
    ("Nine participants died during the study: two in the tirzepatide 5 mg group, three in the 10 mg group, one in the "
     "15 mg group and three in the glargine group.", {("tirzepatide 5 mg", 2), ("10 mg", 3), ("15 mg", 1), ("glargine", 3)}),
    ("Two participants died: one receiving sotagliflozin 400 mg (sudden cardiac death) and one receiving placebo (road "
     "traffic accident); neither death was considered related to study treatment.", {("sotagliflozin 400 mg", 1), ("placebo", 1)}),
])
def test_a_count_broken_down_by_arm_after_a_colon_gives_each_arms_count(text, arms):
    deaths = [f for f in extract_text(text, "t") if f.name == "death"]
    assert {(f.group, f.n) for f in deaths if f.group} == arms


@pytest.mark.parametrize("text, expected", [
    ("Body weight fell by 2.2 kg with 200 mg and 2.6 kg with 400 mg, and total daily bolus insulin was reduced by 9.8% and "
     "12.3%, respectively.", [("insulin_dose_change", -9.8, "%"), ("insulin_dose_change", -12.3, "%")]),
    ("The mean daily insulin dose rose from baseline by 0.08 U per kilogram of body weight in the baricitinib group and by "
     "0.23 U per kilogram in the placebo group.", [("insulin_dose_change", 0.08, "IU/kg"), ("insulin_dose_change", 0.23, "IU/kg")]),
    ("His total daily insulin dose is about 12% lower than before treatment.", [("insulin_dose_change", -12.0, "%")]),
    # levels of two arms in a sentence that mentions a difference elsewhere are no difference
    ("Average HbA1c was 6.7% with verapamil and 6.9% with placebo, a difference that was not statistically significant, and "
     "daily insulin doses were 0.45 and 0.50 IU/kg/day.", [("other", 0.45, "IU/kg/day"), ("other", 0.5, "IU/kg/day")]),
])
def test_insulin_dose_changes_and_levels_in_more_shapes(text, expected):
    facts = [f for f in extract_text(text, "t") if f.name in ("insulin_dose_change", "other")]
    assert [(f.name, f.value, f.unit) for f in facts] == expected and not [f for f in facts if f.name == "other" and f.contrast]


@pytest.mark.parametrize("text, expected", [
    ("Estimated glomerular filtration rate declined by a mean of 19 mL/min/1.73 m².", [-19.0]),
    ("Estimated GFR fell by a mean of 9.4 mL/min/1.73 m² after transplantation versus 2.1 mL/min/1.73 m² with insulin therapy.", [-9.4, -2.1]),
    ("Estimated glomerular filtration rate fell from 78 to 66 mL/min/1.73 m2 in the transplant group.", [78.0, 66.0]),
    ("Adults with eGFR 25 to 75 mL/min/1.73 m² and albuminuria were enrolled.", []),  # a criterion's range
    ("Mean sensor glucose was 145 mg/dL with closed loop and 160 mg/dL with pump therapy.", [145.0, 160.0]),
])
def test_kidney_function_and_glucose_measures_are_other_outcomes(text, expected):
    facts = [f for f in extract_text(text, "t") if f.kind == "outcome"]
    assert [f.value for f in facts] == expected and all(f.name == "other" and f.label for f in facts)


def test_a_primary_end_point_in_more_shapes_and_its_definition_is_not_counted():
    def outcomes(text):
        return [(f.name, f.value, f.n) for f in extract_text(text, "t") if f.kind == "outcome"]
    # a primary end point named by a head word with a Greek letter is found again later
    assert ("primary_endpoint_met", 61.5, 16) in outcomes(
        "The primary end point was the proportion of participants with a modified β-score of 6 or more at 6 months. "
        "At 6 months, a β-score of 6 or more was present in 16 of 26 participants in the islet group.")
    # "primary goal"
    assert ("primary_endpoint_met", 77.0, 27) in outcomes(
        "The primary goal, a combination of an HbA1c below 7.0% and no severe hypoglycaemia at twelve months, was reached by "
        "27 of the 35 transplant recipients (77%).")
    # "every one met ..., defined as ...": the end point, not the parts of its definition
    assert outcomes("Among the 12 participants in parts B and C, every one met the study's primary end point, defined as freedom "
                    "from severe hypoglycaemic events between day 90 and day 365 together with an HbA1c below 7%, and 10 (83.3%) "
                    "had stopped exogenous insulin altogether by one year.") \
        == [("primary_endpoint_met", 100.0, None), ("insulin_independence", 83.3, 10)]


@pytest.mark.parametrize("text, expected", [
    ("Participants were randomly assigned to baricitinib or placebo for 48 weeks, followed by 24 weeks off treatment "
     "(total follow-up, 72 weeks).", (72.0, "weeks")),
    ("All participants have completed 12 months of follow-up, and the median follow-up at data cut-off was 21 months.", (21.0, "months")),
    ("Children were randomly assigned (1:1:1) to 26 weeks of closed loop with URLi, closed loop with lispro, or usual care.", (26.0, "weeks")),
])
def test_follow_up_in_more_shapes(text, expected):
    assert expected in [(f.value, f.unit) for f in extract_text(text, "t") if f.kind == "follow_up"]


def test_exposure_time_in_participant_weeks_is_no_count_of_people():
    facts = extract_text("Over 3,210 participant-weeks of exposure, nasopharyngitis was the most frequent adverse event "
                         "(29 of 71 participants, 41%).", "t")
    assert [(f.name, f.n) for f in facts if f.kind == "adverse_event"] == [("nasopharyngitis", 29)]


@pytest.mark.parametrize("text", [
    "Clinically significant (level 2; plasma glucose <3.0 mmol/L) or severe (level 3) hypoglycaemia was experienced by 26 participants (8.8%).",
    "Clinically significant hypoglycaemia (blood glucose <54 mg/dL [<3.0 mmol/L]) or severe hypoglycaemia occurred in 26 participants (8.8%).",
])
def test_level_2_or_3_hypoglycaemia_written_with_its_definitions_is_not_severe_hypoglycaemia(text):
    events = [f for f in extract_text(text, "t") if f.kind == "adverse_event"]
    assert [(f.name, f.n) for f in events] == [("clinically significant or severe hypoglycemia", 26)]


@pytest.mark.parametrize("text, n", [
    ("The study, formally a phase 1 trial, has so far treated a single participant: a man in his forties.", 1.0),
    ("One participant, a man in his early forties who has had type 1 diabetes since childhood, received UP421 as an injection.", 1.0),
    ("Results: Six participants (four women; median age 41 years [range, 29–55]; median diabetes duration 24 years) were "
     "implanted between January and June 2024.", 6.0),
])
def test_sample_sizes_of_one_person_and_after_a_long_bracket(text, n):
    assert [f.value for f in extract_text(text, "t") if f.kind == "sample_size"] == [n]


def test_the_remaining_count_allocated_to_an_arm_sizes_it():
    facts = extract_text("Of 188 children screened, 126 were randomly assigned to take verapamil once a day, and the remaining 62 "
                         "to an identical-looking placebo.", "t")
    assert (62.0, "identical-looking placebo") in [(f.value, f.group) for f in facts if f.kind == "sample_size"]


@pytest.mark.parametrize("text, values", [
    ("Her continuous glucose monitor showed that time in the target range rose from 41% at baseline to more than 97% at "
     "month 12, and she has had no episodes of severe hypoglycaemia since the procedure.", [41.0, 97.0]),
    ("The share of time spent in the 70–180 mg/dL target range on continuous glucose monitoring rose from 49.5% to 92.8%.", [49.5, 92.8]),
])
def test_time_in_range_after_showed_that_and_written_with_its_band(text, values):
    facts = extract_text(text, "t")
    assert [f.value for f in facts if f.name == "time_in_range"] == values
    assert not [f for f in facts if f.kind == "adverse_event" and f.value is not None]


def test_body_weight_changes_against_placebo_and_after_an_aside_and_its_baseline_level():
    facts = [f for f in extract_text("At week 52, body weight relative to placebo was lower by 2.9 kg with 200 mg and by "
                                     "3.6 kg with 400 mg.", "t") if f.kind == "outcome"]
    assert [(f.name, f.value, f.contrast) for f in facts] == [("body_weight_change", -2.9, "placebo"), ("body_weight_change", -3.6, "placebo")]
    facts = [f for f in extract_text("Mean body weight, 100.2 kg at baseline, fell by 3.6, 6.2 and 8.4 kg from the lowest to "
                                     "the highest dose.", "t") if f.kind == "outcome"]
    assert [(f.name, f.value) for f in facts] == [("other", 100.2), ("body_weight_change", -3.6), ("body_weight_change", -6.2),
                                                  ("body_weight_change", -8.4)]
    assert facts[0].label == "body weight" and facts[0].timepoint == "baseline"


def test_a_sentence_ends_after_a_unit_in_litres_and_a_fall_continues_past_a_bracketed_semicolon():
    text = ("Mean fasting plasma glucose was 9.6 mmol/L. Least-squares mean HbA1c decreased by 0.52%, 0.89% and 1.03% in the "
            "three groups. The placebo-adjusted reductions were 0.25 percentage points (95% CI 0.00–0.50; p=0.051) with 50 mg "
            "once daily, 0.62 (0.37–0.87) with 50 mg twice daily and 0.76 (0.51–1.01) with 75 mg twice daily.")
    assert len(split_sentences(text)) == 3
    facts = [f for f in extract_text(text, "t") if f.name == "hba1c_change" and f.contrast]
    assert [f.value for f in facts] == [-0.25, -0.62, -0.76]


@pytest.mark.parametrize("text, sizes", [
    ("The modified intention-to-treat population comprised all randomised participants: 230 in the 5 mg group, 229 in "
     "the 10 mg group and 228 in the placebo group.", [(230.0, "5 mg"), (229.0, "10 mg"), (228.0, "placebo")]),
    ("Participants were randomly assigned to one of three doses of ralaglipron -- 3 mg, 12 mg or 36 mg once daily -- or "
     "placebo, with 140, 139, 141 and 139 people in the four groups, respectively.",
     [(140.0, "ralaglipron 3 mg"), (139.0, "ralaglipron 12 mg"), (141.0, "ralaglipron 36 mg"), (139.0, "placebo")]),
    # the total randomised in a sentence that also states who was eligible
    ("In all, 1,482 adults with type 2 diabetes inadequately controlled on metformin were screened, and 918 were randomly "
     "assigned (1:1:1:1) to tirzepatide 5 mg, 10 mg or 15 mg or to placebo.", [(918.0, None)]),
    # a count assigned to a list of arms is their total; the last item of a list of counts is its arm's own
    ("Of 1,482 adults screened, 918 were randomly assigned to tirzepatide or placebo.", [(918.0, None)]),
])
def test_arm_sizes_by_dose_group_after_the_doses_and_totals_of_several_arms(text, sizes):
    assert [(f.value, f.group) for f in extract_text(text, "t") if f.kind == "sample_size"] == sizes


def test_the_last_count_of_an_allocation_list_keeps_its_arm_before_a_gloss():
    facts = extract_text("Forty-seven were randomly assigned to take verapamil once a day and forty-one to take a placebo, or "
                         "dummy pill, for a year.", "t")
    assert (41.0, "take a placebo") in [(f.value, f.group) for f in facts if f.kind == "sample_size"]


def test_an_enrolled_count_used_as_an_adjective_is_no_size():
    facts = extract_text("Products meeting release criteria were manufactured for 25 of them; two enrolled participants were "
                         "not infused.", "t")
    assert 2.0 not in [f.value for f in facts if f.kind == "sample_size"]


def test_weight_changes_after_a_time_point_with_a_restated_share_and_gained_by_an_arm():
    facts = [f for f in extract_text("Mean body weight at week 40 had decreased by 7.1 kg, 9.4 kg and 11.2 kg in the 5 mg, 10 mg "
                                     "and 15 mg groups.", "t") if f.kind == "outcome"]
    assert [(f.name, f.value, f.group) for f in facts] == [("body_weight_change", -7.1, "5 mg"), ("body_weight_change", -9.4, "10 mg"),
                                                           ("body_weight_change", -11.2, "15 mg")]
    facts = [f for f in extract_text("Body weight at week 24 was 2.2 kg (2.7%) lower than at baseline with 200 mg and 3.0 kg "
                                     "(3.7%) lower with 400 mg, whereas participants assigned to placebo gained 0.4 kg.", "t") if f.kind == "outcome"]
    assert sorted((f.value, f.unit, f.group) for f in facts) == [(-3.7, "%", "400 mg"), (-3.0, "kg", "400 mg"), (-2.7, "%", "200 mg"),
                                                                (-2.2, "kg", "200 mg"), (0.4, "kg", "placebo")]
    assert not [f for f in facts if f.contrast]


def test_shares_that_gained_in_value_are_no_weight_change():
    facts = extract_text("Corvane's shares, which have gained about 40% so far this year, were last up 14% at $31.20.", "t")
    assert not [f for f in facts if f.kind == "outcome"]


@pytest.mark.parametrize("text, value, unit", [
    ("Follow-up is planned for 5 years; this interim analysis covers the first year after infusion.", 5.0, "years"),
    ("The patient will be monitored for at least 15 years, as regulators require for gene-modified cells.", 15.0, "years"),
    ("We will follow her for at least five years.", 5.0, "years"),
    ("Participants are being followed off treatment for a further 52 weeks, for 104 weeks in total.", 104.0, "weeks"),
    ("Follow-up will continue to five years.", 5.0, "years"),
    ("Follow-up was limited to 52 weeks, and whether the difference persists is unknown.", 52.0, "weeks"),
    ("Vextacitinib in recent-onset type 1 diabetes: 96-week results from the open-label extension of a phase 2 trial", 96.0, "weeks"),
    ("3 Results to 26 weeks", 26.0, "weeks"),
])
def test_planned_and_total_follow_up_and_a_reports_span(text, value, unit):
    assert [(f.value, f.unit) for f in extract_text(text, "t") if f.kind == "follow_up"] == [(value, unit)]


def test_glucose_monitored_for_days_is_no_follow_up():
    assert not [f for f in extract_text("Interstitial glucose was monitored for 14 days before randomisation.", "t") if f.kind == "follow_up"]


def test_a_titles_span_that_restates_the_stated_follow_up_in_other_units_is_dropped():
    text = ("Encapsulated pancreatic endoderm cells in type 1 diabetes: 1-year results of a phase 1/2 study.\n"
            "Participants were followed for 12 months after implantation.")
    assert [(f.value, f.unit) for f in extract_text(text, "t") if f.kind == "follow_up"] == [(12.0, "months")]


def test_it_and_the_corresponding_values_carry_the_measure_the_sentence_before_named():
    facts = [f for f in extract_text("At the start of the study, average C-peptide was 0.62 nanomoles per litre. After a year it "
                                     "stood at 0.57 nmol/L in the high-dose group, 0.49 nmol/L in the low-dose group and 0.36 "
                                     "nmol/L among those on placebo.", "t") if f.kind == "outcome"]
    assert [(f.name, f.value, f.unit, f.group, f.timepoint) for f in facts] == [
        ("c_peptide", 0.62, "nmol/L", None, "baseline"), ("c_peptide", 0.57, "nmol/L", "high dose", None),
        ("c_peptide", 0.49, "nmol/L", "low dose", None), ("c_peptide", 0.36, "nmol/L", "placebo", None)]
    facts = [f for f in extract_text("Mean C-peptide at 12 months was 1.5, 1.1 and 0.7 ng/mL in the high-dose, low-dose and "
                                     "control groups. At 24 months, the corresponding values were 1.2, 0.9 and 0.5 ng/mL.", "t")
             if f.kind == "outcome" and f.timepoint == "24 months"]
    assert [(f.name, f.value, f.group) for f in facts] == [("c_peptide", 1.2, "high dose"), ("c_peptide", 0.9, "low dose"),
                                                           ("c_peptide", 0.5, "control")]


def test_units_spelled_out():
    facts = extract_text("Fasting glucose fell to 110 milligrams per deciliter.", "t")
    assert [(f.name, f.value, f.unit) for f in facts if f.kind == "outcome"] == [("fasting_glucose", 110.0, "mg/dL")]


def test_a_value_in_units_spelled_out_takes_its_time_point_and_the_arm_of_the_lead_phrase():
    facts = [f for f in extract_text("Among the 15 full-dose recipients in parts B and C, the mean peak C-peptide level during a "
                                     "mixed-meal tolerance test was 1.34 ng per milliliter at day 180 and 1.62 ng per milliliter "
                                     "at day 365.", "t") if f.kind == "outcome"]
    assert [(f.name, f.value, f.unit, f.group, f.timepoint) for f in facts] == [
        ("c_peptide", 1.34, "ng/mL", "parts B and C", "day 180"), ("c_peptide", 1.62, "ng/mL", "parts B and C", "day 365")]


def test_a_list_of_values_before_its_measure_and_a_breakdown_between_a_share_and_its_verb():
    facts = [f for f in extract_text("At 1, 5 and 10 years after the last infusion, 53% (95% CI, 50–56), 27% (24–30) and 15% "
                                     "(11–19) of recipients were insulin independent.", "t") if f.kind == "outcome"]
    assert [(f.name, f.value, f.timepoint, f.ci_low) for f in facts] == [
        ("insulin_independence", 53.0, "1 year", 50.0), ("insulin_independence", 27.0, "5 years", 24.0),
        ("insulin_independence", 15.0, "10 years", 11.0)]
    facts = [f for f in extract_text("Eight of the ten (80%), five ITA and three IAK recipients, became insulin independent.", "t")
             if f.kind == "outcome"]
    assert [(f.name, f.value, f.n, f.denominator) for f in facts] == [("insulin_independence", 80.0, 8, 10)]


def test_a_count_after_in_belongs_to_its_own_event_not_the_next_clauses_measure():
    facts = extract_text("Serious adverse events occurred in 94 participants (9.0%), and 41 (3.9%) discontinued permanently "
                         "owing to adverse events.", "t")
    assert [f.value for f in facts if f.name == "discontinuation_due_to_ae"] == [3.9]


@pytest.mark.parametrize("text, n", [
    ("After islet infusion, all 21 participants had a stimulated C-peptide level of at least 0.1 nmol per litre by day 90.", 21),
    ("Glucose-responsive C-peptide appeared in all twelve participants by day 90.", 12),
    ("Every dosed participant -- 13 of 13 -- had endogenous, glucose-responsive C-peptide production by day 90.", 13),
    ("Fasting C-peptide was undetectable at screening; all 15 had detectable, glucose-responsive C-peptide by day 90.", 15),
])
def test_graft_function_written_as_c_peptide_that_appeared_or_is_produced(text, n):
    facts = [f for f in extract_text(text, "t") if f.kind == "outcome"]
    assert [(f.name, f.value, f.n, f.denominator) for f in facts] == [("engraftment", 100.0, n, n)]


@pytest.mark.parametrize("text, denominator", [
    ("No participant in either cohort became insulin independent.", None),
    ("Both Part A participants showed partial graft function; neither became insulin independent.", 2),
    ("Neither half-dose recipient became insulin independent.", 2),
    ("The two recipients reduced their insulin needs by 44% and 61%, but neither became insulin independent.", 2),
])
def test_no_one_and_neither_became_insulin_independent(text, denominator):
    facts = [f for f in extract_text(text, "t") if f.name == "insulin_independence"]
    assert [(f.value, f.n, f.denominator, f.negated) for f in facts] == [(0.0, 0, denominator, True)]


def test_insulin_dose_in_u_per_kg_per_d_and_a_total_daily_dose_lower_than_at_baseline():
    facts = [f for f in extract_text("Total daily insulin dose increased from baseline by 0.12, 0.09, and 0.27 U/kg/d in the "
                                     "low-dose, high-dose, and placebo groups, respectively.", "t") if f.kind == "outcome"]
    assert [(f.name, f.value, f.unit, f.group) for f in facts] == [
        ("insulin_dose_change", 0.12, "IU/kg/day", "low dose"), ("insulin_dose_change", 0.09, "IU/kg/day", "high dose"),
        ("insulin_dose_change", 0.27, "IU/kg/day", "placebo")]
    facts = extract_text("Among the six evaluable participants still using insulin, the median total daily dose was 71% lower "
                         "than at baseline.", "t")
    assert [(f.name, f.value) for f in facts if f.kind == "outcome"] == [("insulin_dose_change", -71.0)]


def test_within_group_changes_from_randomisation_carry_the_measure_named_before():
    facts = extract_text("Mean HbA1c was 8.1% in both groups at randomisation. The within-group changes from randomisation were "
                         "−1.8 and −0.2 percentage points, respectively.", "t")
    assert [(f.name, f.value) for f in facts if f.name == "hba1c_change"] == [("hba1c_change", -1.8), ("hba1c_change", -0.2)]


def test_blood_pressure_is_an_other_outcome_in_mmhg_with_its_sign():
    facts = [f for f in extract_text("Seated systolic blood pressure fell by 7.9 +/- 11.2, 9.6 +/- 10.8 and 12.4 +/- 12.0 mmHg "
                                     "vs. 2.1 +/- 10.5 mmHg with placebo.", "t") if f.kind == "outcome"]
    assert [(f.name, f.value, f.unit) for f in facts] == [("other", -7.9, "mmHg"), ("other", -9.6, "mmHg"), ("other", -12.4, "mmHg"),
                                                          ("other", -2.1, "mmHg")]
    assert {f.label.lower() for f in facts} == {"systolic blood pressure"}
    facts = [f for f in extract_text("Mean systolic blood pressure was 132 mm Hg at baseline and 5.1 mmHg lower at week 52.", "t")
             if f.kind == "outcome"]
    assert [(f.value, f.unit, f.timepoint) for f in facts] == [(132.0, "mmHg", "baseline"), (-5.1, "mmHg", "week 52")]


def test_an_other_change_more_than_with_placebo_is_a_difference():
    facts = [f for f in extract_text("Systolic blood pressure fell by 3.4 mm Hg more than with placebo.", "t") if f.kind == "outcome"]
    assert [(f.name, f.value, f.unit, f.contrast) for f in facts] == [("other", -3.4, "mmHg", "placebo")]


@pytest.mark.parametrize("text, sizes", [
    ("Of 96 randomized participants, 32 received low-dose verapamil, 33 high-dose verapamil, and 31 placebo.",
     [(32.0, "low dose"), (33.0, "high dose"), (31.0, "placebo"), (96.0, None)]),
    ("Sixty-five of the 78 participants who completed the parent trial entered the extension — 44 in the continuation group "
     "and 21 in the delayed-start group — and 60 completed week 96.", [(21.0, "delayed-start"), (44.0, "continuation"), (60.0, None)]),
    ("In all, 1,046 youths were screened and 164 aged 10 to 17 years were randomly assigned to verapamil or placebo.", [(164.0, None)]),
])
def test_arm_sizes_after_a_dose_level_and_a_dash_and_a_total_after_and(text, sizes):
    assert sorted((f.value, f.group) for f in extract_text(text, "t") if f.kind == "sample_size") == sorted(sizes, key=lambda x: (x[0], x[1] or ""))


def test_a_death_attributed_to_nothing_and_a_time_before_its_cause_is_no_count():
    assert not [f for f in extract_text("No death was attributed to diabetic ketoacidosis.", "t") if f.kind == "adverse_event"]
    facts = extract_text("One participant died 26 months after device implantation of an acute subdural haematoma after a fall.", "t")
    assert [(f.name, f.n) for f in facts if f.kind == "adverse_event"] == [("death", 1), ("subdural hematoma", 1)]


@pytest.mark.parametrize("text", [
    "This phase 1/2 study of tegalicel (formerly BRX-412), a stem-cell-derived islet product, enrolled 12 adults.",
    "The HALO-1 study of ravislecel, formerly known as HCT-220, an islet cell therapy, treated 15 participants.",
])
def test_a_former_code_name_is_an_alias_of_the_drug_it_follows(text):
    facts = [f for f in extract_text(text, "t") if f.kind == "intervention"]
    assert len(facts) == 1 and facts[0].name in ("tegalicel", "ravislecel") and len(facts[0].aliases) == 1


def test_a_therapy_assigned_after_a_count_is_the_trials():
    facts = extract_text("Between 2017 and 2020, 56 participants were randomly assigned, 28 to immediate islet transplantation "
                         "and 28 to continued intensive insulin therapy.", "t")
    assert "islet transplantation" in [f.name for f in facts if f.kind == "intervention"]


@pytest.mark.parametrize("text, arms", [
    ("Median time below range was 1.1% (IQR 0.6–2.0) during dual-hormone closed loop, 2.3% (1.4–3.5) during insulin-only "
     "closed loop and 3.6% (2.2–5.1) during sensor-augmented pump therapy.",
     {1.1: "dual-hormone closed loop", 2.3: "insulin-only closed loop", 3.6: "sensor-augmented pump therapy"}),
    ("Over 13 weeks, mean time in range was 66% with the insulin-only configuration, 71% with the bihormonal configuration "
     "and 48% with usual care.", {66.0: "insulin-only configuration", 71.0: "bihormonal configuration", 48.0: "usual care"}),
    ("Time in range was 74.3 ± 7.9% with the faster insulin and 58.6 ± 11.4% with sensor-augmented pump therapy.",
     {74.3: "faster insulin", 58.6: "sensor-augmented pump therapy"}),
    ("The mean stimulated C-peptide AUC at 12 months was 0.55 nmol/L after ATG alone, 0.50 nmol/L after ATG+G and 0.38 nmol/L "
     "after placebo.", {0.55: "ATG alone", 0.5: "ATG+G", 0.38: "placebo"}),
    ("An HbA1c below 7.0% at week 52 was reached by 81.4%, 87.2% and 89.6% of participants receiving tirzepatide 5, 10 and 15 mg.",
     {81.4: "5 mg", 87.2: "10 mg", 89.6: "tirzepatide 15 mg"}),
])
def test_a_list_whose_values_each_name_their_own_arm(text, arms):
    assert {f.value: f.group for f in extract_text(text, "t") if f.kind == "outcome"} == arms


@pytest.mark.parametrize("text", [
    "Fasting plasma glucose fell by 1.6 and 1.9 mmol/L with the two dapagliflozin doses versus 0.4 mmol/L with placebo.",
    "Fasting plasma glucose fell by 2.9 mmol/L and 3.4 mmol/L on active treatment versus 0.6 mmol/L on placebo.",
    "Time in range was 62% in the first year, 68% in the second year and 71% in the third year.",
])
def test_a_phrase_several_values_share_or_a_time_is_no_arm_of_one_value(text):
    groups = {f.value: f.group for f in extract_text(text, "t") if f.kind == "outcome"}
    assert groups and not [g for g in groups.values() if g and re.search(r"two|active|year", g)]


def test_a_deaths_arm_between_its_count_and_its_cause_splits_the_total():
    facts = extract_text("Two participants died during the trial: one in the 10 mg group, from myocardial infarction on day 131, "
                         "and one in the placebo group, from COVID-19 pneumonia.", "t")
    assert sorted((f.name, f.n, f.group) for f in facts if f.kind == "adverse_event") == [
        ("covid-19 pneumonia", 1, "placebo"), ("death", 1, "10 mg"), ("death", 1, "placebo"), ("death", 2, None),
        ("myocardial infarction", 1, "10 mg")]


@pytest.mark.parametrize("text, sizes", [
    ("In total, 34 adults were transplanted: 10 in the Phase 1/2 study and 24 in the Phase 3 study.",
     [(34.0, None), (10.0, "Phase 1/2 study"), (24.0, "Phase 3 study")]),
    ("Together they treated 30 participants, twenty in the first study and ten in the second.",
     [(30.0, None), (20.0, "first study"), (10.0, "second")]),
    ("Of 78 participants who completed the parent study, 47 (aged 6–21 years; 26 male) entered the extension: 31 in the "
     "continuation group and 16 in the delayed-start group.", [(47.0, None), (31.0, "continuation group"), (16.0, "delayed-start group")]),
])
def test_counts_that_add_up_to_the_total_before_them_are_its_arms(text, sizes):
    assert sorted((f.value, f.group or "") for f in extract_text(text, "t") if f.kind == "sample_size") == sorted((v, g or "") for v, g in sizes)


@pytest.mark.parametrize("text", [
    "The primary end point was met by 4 of the 15 participants (27%) — 1 in the low-dose group and 3 in the high-dose group.",
    "Three deaths occurred: two in the 15-mg group and one in the placebo group.",
])
def test_a_split_of_responders_or_deaths_is_no_arm_size(text):
    assert not [f for f in extract_text(text, "t") if f.kind == "sample_size" and f.group]


def test_an_arm_before_its_verb_sizes_that_arm_and_a_decimal_is_no_total():
    facts = extract_text("Part A tested a half dose in two participants dosed sequentially; part B gave the full dose to three participants "
                         "with staggered dosing; and part C enrolled seven participants who received the full dose concurrently.", "t")
    assert ("part C", 7.0) in [(f.group, f.value) for f in facts if f.kind == "sample_size"]
    facts = extract_text("Each participant received three devices carrying a total of 1.5 × 10⁸ cells.", "t")
    assert not [f for f in facts if f.kind == "sample_size"]


def test_signed_items_share_the_unit_written_after_the_last():
    facts = extract_text("Mean body weight changed by −5.1, −7.4 and −8.9 kg with tirzepatide versus +1.2 kg with placebo.", "t")
    assert sorted(f.value for f in facts if f.name == "body_weight_change") == [-8.9, -7.4, -5.1, 1.2]


def test_kidney_function_in_ml_per_minute_per_1_73_m2_is_read():
    facts = extract_text("The mean estimated glomerular filtration rate fell from 98 ml per minute per 1.73 m² of body-surface area "
                         "at baseline to 84 ml per minute per 1.73 m² at last follow-up.", "t")
    assert sorted((f.value, f.unit) for f in facts if f.kind == "outcome") == [(84.0, "mL/min/1.73 m²"), (98.0, "mL/min/1.73 m²")]


@pytest.mark.parametrize("text, name", [
    ("Hypothyroidism occurred in four patients.", "hypothyroidism"),
    ("Septic shock developed in one participant.", "septic shock"),
    ("First-degree AV block was recorded in five participants.", "first-degree av block"),
    ("One participant had cytomegalovirus colitis.", "cytomegalovirus colitis"),
    ("Epistaxis was reported by 3 children.", "epistaxis"),
])
def test_common_clinical_events_beyond_the_first_lexicon(text, name):
    assert name in [f.name for f in extract_text(text, "t") if f.kind == "adverse_event"]


def test_the_share_keeping_peak_c_peptide_above_0_2_is_its_own_outcome():
    facts = extract_text("Peak C-peptide remained at or above 0.2 nmol/L in 68 of the 74 participants treated with baricitinib (91.9%).", "t")
    [fact] = [f for f in facts if f.kind == "outcome"]
    assert (fact.name, fact.value, fact.n, fact.denominator) == ("other", 91.9, 68, 74)
    assert fact.label.startswith("Peak C-peptide")


@pytest.mark.parametrize("unit", ["ml per min per 1.73 m2", "ml per minute per 1.73m²", "ml per min per 1.73m2"])
def test_every_written_form_of_kidney_function_has_one_unit(unit):
    facts = extract_text(f"The eGFR was 84 {unit} at last follow-up.", "t")
    assert [(f.value, f.unit) for f in facts if f.kind == "outcome"] == [(84.0, "mL/min/1.73 m²")]
