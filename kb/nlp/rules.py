"""Rule-based trial-fact extraction over sentences (the engine behind the spaCy components).

Contract: ``TrialRules.extract(text, sentences)`` takes a document's text and its sentence
character spans and returns ``RuleFact`` records whose ``sent`` is the index of the sentence
they came from (the fact's quote). Values are read from a normalised copy of each sentence
(``numbers.normalize``), never from rewritten document text, so the quote and its offsets
always come from the original. Every record names the rule that fired (``rule``) and carries
a confidence in [0, 1] that is lowered when something was inferred (arm, outcome, drug).

Design for speed: compiled regexes over sentence text, no per-token Python work; sentences
without digits or number words skip the quantity stages entirely.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field, replace
from typing import Any

from kb.nlp import lexicon
from kb.nlp.numbers import (
    NUMBER_WORD_RE,
    literal_trie,
    normalize,
    parse_number,
    proportion,
    value_beside_unit,
    words_to_number,
)
from kb.nlp.registry_layout import looks_like_registry, read_layout
from kb.nlp.rule_fact import RuleFact
from kb.trials import timepoint_days

# ----------------------------------------------------------------------------- shared regex parts
INT = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\u2009\u202f\u00a0]\d{3})+|\d+|" + NUMBER_WORD_RE + r")"
DEC = r"(?:\d+(?:\.\d+)?)"
SDEC = r"(?:[-+]?\d+(?:\.\d+)?)"
PERSON = (
    r"(?:participants?|patients?|subjects?|individuals?|people|persons?|adults?|children|"
    r"adolescents?|recipients?|volunteers?|men|women|cases?|infants?|those|transplant recipients?|completers|youths?|users|pts|kids|child(?![a-z])|kid(?![a-z]))"
    r"(?![-\s](?:years?|months?|weeks?|days?)\b)"  # "0.6 deaths per 100 patient-years" is a rate's denominator
)
NUMSCI = (
    r"(?:(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\u2009\u202f\u00a0]\d{3})+(?![\d.,])|\d{1,3}(?: \d{3})+(?= ?(?:ieq|islet equiv))|\d+)(?:\.\d+)?(?:\s?(?:×|x|X|\*)\s?10\s?(?:\^\s?[-+]?\d{1,2}|\([-+]?\d{1,2}\)|<sup>[-+]?\d{1,2}</sup>"
    r"|⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}|\d{1,2}(?!\d)))?(?: (?:million|billion))?|" + NUMBER_WORD_RE + r"(?: (?:million|billion))?)"
)
CELL_DOSE_UNITS = frozenset({"cells", "cells/kg", "IEQ", "IEQ/kg", "EIN/kg"})
DURATION_UNIT = r"(?:days?|weeks?|months?|years?|wk|mo)"

UNIT_CANON = {
    "cells/kg": "cells/kg", "cells": "cells", "cell": "cells", "ieq/kg": "IEQ/kg", "ieq": "IEQ", "ein/kg": "EIN/kg", "ein": "EIN",
    "islet equivalents": "IEQ", "islet equivalents/kg": "IEQ/kg", "mg/kg": "mg/kg", "mg/day": "mg/day",
    "mg per day": "mg/day", "mg daily": "mg/day", "mg/d": "mg/day", "mg": "mg", "µg": "µg", "μg": "µg", "mcg": "µg",
    "iu/kg": "IU/kg", "iu": "IU", "units/kg": "IU/kg", "units": "IU", "u/kg": "IU/kg", "ml": "mL",
    "devices": "devices", "device": "devices", "mg/dl": "mg/dL", "mmol/l": "mmol/L",
    "mmol/mol": "mmol/mol", "pmol/l": "pmol/L", "nmol/l": "nmol/L", "ng/ml": "ng/mL", "kg": "kg",
    "percentage points": "percentage points", "percentage point": "percentage points",
    "bpm": "bpm", "mmhg": "mmHg", "mm hg": "mmHg", "µg/m²": "µg/m²", "µg/m2": "µg/m²", "μg/m²": "µg/m²", "μg/m2": "µg/m²", "pmol/ml": "pmol/mL",
    "mg/m²": "mg/m²", "mg/m2": "mg/m²", "mg per square meter": "mg/m²", "mg per square metre": "mg/m²",
    "ieq per kilogram": "IEQ/kg", "ieq per kilogram of body weight": "IEQ/kg", "ieq per kg": "IEQ/kg",
    "events per patient-year": "events per patient-year", "events/patient-year": "events per patient-year",
    "episodes per patient-year": "events per patient-year", "events per patient-years": "events per patient-year",
    "events per person-year": "events per patient-year", "events per 100 patient-years": "events per 100 patient-years",
    "events per 100 person-years": "events per 100 patient-years", "iu/day": "IU/day", "u/day": "IU/day",
    "units/day": "IU/day", "mg per deciliter": "mg/dL", "mg per decilitre": "mg/dL", "mmol per liter": "mmol/L",
    "mmol per litre": "mmol/L", "pmol per liter": "pmol/L", "pmol per litre": "pmol/L", "nmol per liter": "nmol/L",
    "nmol per litre": "nmol/L", "mmol per mole": "mmol/mol",
    # "fell from a mean of 2.6 per participant-year": the events the sentence named
    **{f"{e}per {h}{who}-year{s}": "events per 100 patient-years" if h else "events per patient-year"
       for e in ("", "events ", "episodes ") for h in ("", "100 ") for who in ("patient", "person", "participant") for s in ("", "s")},
    "pmol per milliliter": "pmol/mL", "pmol per millilitre": "pmol/mL", "ng per milliliter": "ng/mL", "ng per millilitre": "ng/mL",
    "nmol l-1": "nmol/L", "pmol l-1": "pmol/L", "mmol l-1": "mmol/L",
    # news spells units out: "0.62 nanomoles per litre"
    **{f"{pre}moles per lit{end}": f"{p}mol/L" for pre, p in (("nano", "n"), ("pico", "p"), ("milli", "m")) for end in ("er", "re")},
    **{f"{pre} per millilit{end}": unit for pre, unit in (("picomoles", "pmol/mL"), ("nanograms", "ng/mL")) for end in ("er", "re")},
    **{f"milligrams per decilit{end}": "mg/dL" for end in ("er", "re")},
    # C-peptide AUC per minute and insulin per kg per day
    "nmol/l/min": "nmol/L/min", "nmol/l per min": "nmol/L/min", "pmol/ml/min": "pmol/mL/min",
    "iu/kg/day": "IU/kg/day", "u/kg/day": "IU/kg/day", "units/kg/day": "IU/kg/day", "u/kg per day": "IU/kg/day",
    "iu/kg/d": "IU/kg/day", "u/kg/d": "IU/kg/day", "units/kg/d": "IU/kg/day",
    # "a minimum of 5,000 EQ/kg"; a weekly insulin's "70 U once weekly", "70 units/week"
    "eq/kg": "IEQ/kg", "units/week": "IU", "u/week": "IU", "u": "IU",
    # kidney function
    "ml/min/1.73 m²": "mL/min/1.73 m²", "ml/min/1.73 m2": "mL/min/1.73 m²", "ml/min/1.73m²": "mL/min/1.73 m²",
    "ml/min/1.73m2": "mL/min/1.73 m²", "ml/min per 1.73 m²": "mL/min/1.73 m²", "ml/min per 1.73 m2": "mL/min/1.73 m²",
    # (every form UNIT_RE reads as "ml per min(ute) per 1.73 m²")
    **{f"ml per {mi} per 1.73{sp}m{sq}": "mL/min/1.73 m²" for mi in ("min", "minute") for sp in ("", " ") for sq in ("²", "2")},
    # "rose by 0.08 U per kilogram of body weight"
    "u per kilogram": "IU/kg", "u per kilogram of body weight": "IU/kg", "units per kilogram": "IU/kg",
    "units per kilogram of body weight": "IU/kg",
}
DOSE_UNITS = {"cells", "cells/kg", "IEQ", "IEQ/kg", "EIN/kg", "mg", "mg/kg", "mg/day", "µg", "µg/m²", "mg/m²", "IU", "IU/kg", "IU/day", "mL", "devices"}
UNIT_RE = (
    r"(?P<u>cells/kg|cells?|ieq/kg|ieq per (?:kilogram(?: of body weight)?|kg)|ieq|ein/kg|eq/kg|units/week|u/week|(?-i:U)(?= once (?:weekly|daily|a week|a day)| (?:with|in|vs\.?|versus|and)\b)|islet equivalents(?:/kg)?|mg/kg|mg/day|mg per day|mg daily|mg/dl|mg/d|mg/m[²2]|mg per square met(?:er|re)|"
    r"mg per decilit(?:er|re)|[mpn]mol\s+per lit(?:er|re)|(?:nano|pico|milli)moles per lit(?:er|re)|(?:picomoles|nanograms) per millilit(?:er|re)|milligrams per decilit(?:er|re)|mmol per mole|(?:pmol|ng)\s+per millilit(?:er|re)|[mpn]mol l-1|mg|µg|μg|mcg|"
    r"nmol/l/min|nmol/l per min|pmol/ml/min|iu/kg/day|u/kg/day|units/kg/day|u/kg per day|(?:iu|u|units)/kg/d(?![a-z])|"
    r"iu/kg|iu/day|u/day|units/day|(?:u|units) per kilogram(?: of body weight)?|iu|units/kg|units|u/kg|ml/min(?:/| per )1\.73 ?m[²2]|ml per min(?:ute)? per 1\.73 ?m[²2]|ml|devices?(?!-)|mmol/l|mmol/mol|pmol/l|pmol/ml|nmol/l|ng/ml|kg|percentage points?|bpm|mm ?hg|"
    r"[µμ]g/m[²2]|(?:(?:events|episodes) )?per (?:100 )?(?:patient|person|participant)-years?|events/patient-year)(?![\w/])"
)

_COMPARATOR_BEFORE = re.compile(
    r"(?P<c>more than|greater than|over|above|exceeding|in excess of|>=|≥|at least|no less than|>|"
    r"less than|fewer than|below|under|lower than|<=|≤|up to|at most|no more than|<|"
    r"approximately|about|around|~|nearly|almost|roughly)\s?$",
    re.I,
)
_COMPARATOR_MAP = {
    "more than": ">", "greater than": ">", "over": ">", "above": ">", "exceeding": ">", "in excess of": ">",
    ">": ">", ">=": ">=", "≥": ">=", "at least": ">=", "no less than": ">=", "less than": "<",
    "fewer than": "<", "below": "<", "under": "<", "lower than": "<", "<": "<", "<=": "<=", "≤": "<=",
    "up to": "<=", "at most": "<=", "no more than": "<=", "approximately": "~", "about": "~",
    "around": "~", "~": "~", "nearly": "~", "almost": "~", "roughly": "~",
}

_HAS_NUMBER = re.compile(r"\d|(?<![\w-])(?:" + NUMBER_WORD_RE + r"|all|none|no|not|never|neither|nobody|zero|without|free|an? (?:year|month|week|day))(?![\w])", re.I)
_ELIGIBILITY = re.compile(
    r"\b(?:(?<!assessed for )(?<!screened for )(?<!evaluated for )(?<!\d )eligib\w*|inclusion criteria|exclusion criteria|were included if|were excluded if|"
    r"inadequately controlled|we (?:enrolled|recruited|included) (?:adults|patients|participants|people|individuals|men|women|children)(?! \d)|"
    r"aged (?:between |≥ ?|>= ?|over |at least )?\d+|(?<=\W)≥ ?18 years|18 years or older|body[- ]mass index (?:of|between|≥|>)|bmi (?:of )?(?:at least|≥|>|between|\d))",
    re.I,
)
_DEFINITION = re.compile(
    r"\b(?:(?:was|were|is|are) defined as|definition of|(?<!met the )(?<!reached the )(?<!achieved the )(?<!attained the )(?<!met the composite )(?<!reached the composite )(?<!achieved the composite )primary (?:end ?point|outcome|objective|aim) (?:was|is|were|of)\b(?! (?:met|achieved|reached|attained|not met)\b)|"
    r"(?:(?:secondary|primary|key|other|exploratory) )?(?:end ?points?|outcomes?) (?:was|were|included|include)\b(?! (?:met|achieved|reached|attained|not met)\b)|aimed to|aims? (?:was|were) to|objective (?:was|of)|"
    r"designed to|powered to|margin of|we hypothesi[sz]ed|will be)",
    re.I,
)
_NEXT_CLAUSE_VALUE = re.compile(r"(?:[;,]|\s[-—])\s+(?:and |but |while |whereas )?[^;,]*\d")
_DIFFERENCE_BEFORE = re.compile(r"(?:\b(?:treatment )?differences?\b|\bETDs?\b|\bplacebo[- ](?:adjusted|corrected|subtracted)\b)(?:[^;.]|(?<=vs)\.|\.(?=\d))*$", re.I)
# Words without which _DEFINITION, _ELIGIBILITY and _ARM_LIST_CUE cannot match: a substring test
# on the lower-cased sentence is far cheaper than a case-insensitive scan of every sentence.
_DEFINITION_WORDS = ("defin", "end point", "endpoint", "outcome", "aim", "objective", "designed to", "powered to",
                     "margin of", "hypothesi", "will be")
_ELIGIBILITY_WORDS = ("eligib", "criteria", "included if", "excluded if", "inadequately controlled", "we enrolled",
                      "we recruited", "we included", "aged ", "≥", "18 years", "body", "bmi")
_ARM_LIST_WORDS = ("randomi", "assigned", "allocat", "enrolled", "entered", "treated", "dosed", "comprised", "included",
                   "received", "underwent", "infused", "implanted", "transplanted", "compared")
_WEIGHT_THRESHOLD = re.compile(r"\b(?:(?:body )?weight[- ]?(?:loss|reduction|decrease)s?|(?:loss|reduction)s? (?:in|of) (?:body )?weight|(?:a|the) (?:loss|reduction)) (?:of )?"
                               r"(?:(?:≥ ?|>= ?|> ?|at least |more than |greater than )\d+(?:\.\d+)? ?%|\d+(?:\.\d+)? ?% or (?:more|greater|higher|above))"
                               # (or written first: "≥10% weight loss was maintained by", "At least 5% weight reduction was achieved by")
                               r"|(?:≥ ?|>= ?|\bat least |\bmore than )\d+(?:\.\d+)? ?% (?:body ?)?weight[- ](?:loss|reduction)s?\b"
                               # ("lost at least 5% of their baseline weight (79.4% v 32.1%)")
                               r"|\blost (?:≥ ?|>= ?|at least |more than )\d+(?:\.\d+)? ?% of (?:their )?(?:baseline |initial |starting |body ?)?weight\b", re.I)
_BASELINE_BRACKET = re.compile(r"\bbaseline \((?:mean |median )?(?:hba1c |a1c )?(?:of |was |= ?)?$", re.I)
_AND_NEW_CLAUSE = re.compile(r"\s?,?\s?(?:and|but|while|whereas)\s")
_ARM_LETTER = re.compile(r" (?-i:([A-Z]))(?![\w-])")  # "fovelitide A": one therapy's arm by letter
_COMPARISON_RIGHT_AFTER = re.compile(r"\s?(?:kg|%|mmol/l|mg/dl|percentage points?)?\s(?:more|less|greater|lower|higher|further) than\b", re.I)
PLURAL_MARK = "*"
_ACTIVE_LABELS = frozenset({"active", "active treatment", "treatment", "drug"})  # "the active groups": every arm but the controls
# A list whose every value is followed by its own arm: "1.1% (IQR 0.6-2.0) during dual-hormone closed
# loop, 2.3% (1.4-3.5) during insulin-only closed loop and 3.6% during sensor-augmented pump therapy",
# "66% with the insulin-only configuration, 71% with the bihormonal configuration and 48% with usual care".
# Each value's phrase names an arm the group patterns do not know; two or more such items, joined as
# one list with the same preposition, are the sentence's arms (one alone may be a subgroup or a setting).
_PARALLEL_ARM_ITEM = re.compile(
    r"(?<![\w.·])[−–-]?\d+(?:[.·]\d+)?(?:\s?(?:±|\+/-)\s?\d+(?:[.·]\d+)?)?\s?(?:%|[a-zµμ/²]+(?:/[\w.²]+)*(?: per [\w-]+)?)?"
    r"(?:\s?\((?:[^()]|\([^()]*\))*\))?\s+(?P<prep>with|during|in|among|on|after)\s"
    r"(?P<arm>(?!(?:an?|any|each|both|all|those|which|whom|whose|total|range|turn|part|particular|addition|contrast|comparison|"
    r"people|participants|patients|adults|children|week|month|year|day|the (?:first|second|third|last|final|same|other|trial|study))\b)"
    r"(?:the\s)?[a-z][^,;:()\d]{2,48}?)(?=\s?(?:,|;|\(|\.(?:\s|$)|$|\sand\s[−–-]?\d|\sor\s[−–-]?\d|\s(?:vs\.?|versus|compared|respectively)\b))",
    re.I)
_PARALLEL_ARM_JOIN = re.compile(r"(?:\s?\([^()]*\))?(?:,\s(?:and\s|or\s)?|\s(?:and|or|vs\.?|versus)\s|;\s)(?:(?:it was|they were|was|were)\s)?$", re.I)
# (a value list before a phrase: "1.6 and 1.9 mmol/L with the two doses", see _parallel_arms)
_SHARED_BY_VALUES = re.compile(r"\d(?:[.·]\d+)?\s?(?:%|[a-zµμ/]+(?:/\w+)*)?(?:\s?\([^()]*\))?(?:,|\sand|\sor)\s$", re.I)
# (not a time or a setting: "in the run-in period", "during follow-up", "in 2020")
_NOT_AN_ARM_PHRASE = re.compile(r"\b(?:weeks?|months?|years?|days?|baseline|visit|period|run-in|follow-up|phase|analysis|trial|study|population|"
                                r"total|range|overall|men|women|boys|girls|subgroup|subset|sensitivity|patients|participants|adults|children)\b"
                                r"|\b(?:was|were|is|are|had|has|have|been)\b", re.I)
# One count of a total's breakdown and where it belongs: "10 in the Phase 1/2 study", "ten in the second",
# "15 in the under-60 kg band", "one above 100 kg", "20 enrolled in a phase 3 study (NCT03791567)"
_TOTAL_SPLIT_ITEM = re.compile(
    rf"(?<![\w.,])(?P<n>{INT})(?:\s{PERSON})?(?:\s(?:were|was))?(?:\s(?:enrolled|treated|transplanted|randomi[sz]ed|assigned|included|implanted|dosed))?"
    r"\s(?P<arm>(?:in|into|to|above|below|under|over|aged)\s(?!(?:total|all|each|both|whom|which|turn|addition|part\b(?!\s\w\b)))[^,;:()\[\]%]{2,60}?)"
    r"(?<=\w)(?=\s?(?:,|;|\)|\.(?:\s|$)|$|\sand\s|\sor\s|\s\(|\s[-–—]\s))", re.I)
# arms that can be a clause's subject ("part B enrolled", "cohort 2 treated"), as the group patterns name them
_SUBJECT_ARM_RULES = frozenset({"group.parts", "group.cohort", "group.arm", "group.the_x_group", "group.sized_arm"})
# (what makes a stated number a total of people who took part, and what a count of events looks like)
_TOOK_PART_VERB = re.compile(r"\b(?:enrol(?:l?ed|ling)|treated|transplanted|randomi[sz]ed|entered|included|implanted|dosed|infused|assigned|covers|took part|participated)\b", re.I)
_EVENTS_COUNTED = re.compile(r"\b(?:died|deaths?|events?|episodes?|cases?|infusions|procedures|devices)\b", re.I)
_TOTAL_SPLIT_JOIN = re.compile(r"(?:\s?\([^()]*\))?(?:,\s(?:and\s|while\s)?|\sand\s|;\s(?:and\s)?)")
_STATED_INT = re.compile(rf"(?<![\w.,]){INT}(?![\w.,]\d)", re.I)  # a whole number as written, not part of a decimal
_TOTAL_SPLIT_PREP = re.compile(r"^(?:in|into|to)\s(?:(?:the|a|an)\s)?", re.I)
_PLURAL_ARMS_AFTER = re.compile(r"\s(?:dose\s|treatment\s)?(?:groups|arms)\b", re.I)
# the last item of an assignment list before a size bracket: "to X (n = 1), Y (n = 2), or Z ("
_ASSIGNED_ITEM = re.compile(r"(?:\bto|,|;|\bor|\band)\s(?:the\s|either\s)?(?P<label>[A-Za-z][^,;()]*?)\s?$")
_THERAPY_GROUP_RULES = frozenset({"group.drug", "group.drug_dose", "group.dose_ctx_drug"})
_PRIMARY_DEFINED_MET = re.compile(r"\bprimary (?:end ?point|endpoint|outcome) \([^()]{3,160}\) (?:was |were |had been |has been |have been )?(?:met|achieved|reached|attained)\b", re.I)
_VERSUS_WORD = re.compile(r"\bv(?:s\.?|(?= ))|\bversus\b", re.I)
_ARM_LIST_JOIN = re.compile(r",? (?:and|or) |, ")  # between two arms named in one list
# "(1 mg, 64; 3 mg, 63; placebo, 64)", "(RYGB n=50; SG n=50)", "(98 to A and 49 to B)": the
# arms of a randomisation, listed with their sizes.
_ARM_LIST_CUE = re.compile(r"\b(?:randomi[sz]\w*|randomly assigned|assigned|allocated|allocation|enrolled|entered|underwent randomi[sz]ation|"
                           r"treated|dosed|comprised|included|received|underwent|infused|implanted|transplanted|randomi[sz]ing|compared)\b", re.I)
_PAREN = re.compile(r"\(([^()]{6,240})\)")
_ARM_ITEM = re.compile(rf"^\s*(?:and\s+)?(?P<arm>[A-Za-z0-9][\w .%/+-]{{0,40}}?)\s*(?:,\s*|:\s*|\s)(?:n\s?=\s?)?(?P<n>{INT})\s*$", re.I)
# "(1,210 dapagliflozin, 1,208 placebo)": the count first, then the arm in at most three words
_ARM_ITEM_N_FIRST = re.compile(rf"^\s*(?:and\s+)?(?P<n>{INT})\s+(?P<arm>[A-Za-z][\w.%/+-]*(?: [\w.%/+-]+){{0,2}})\s*$", re.I)
_NOT_AN_ARM = re.compile(r"\b(?:age|aged|years?|bmi|women|men|female|male|weight|duration|hba1c)\b", re.I)  # demographics in brackets
_ARM_ITEM_TO = re.compile(rf"^\s*(?:and\s+)?(?P<n>{INT})\s+(?:(?:were\s+)?(?:assigned|randomi[sz]ed|allocated)\s+)?(?:to|in|on)\s+(?:the\s+|an?\s+)?(?P<arm>[A-Za-z0-9][\w .%/+-]{{0,40}}?)(?:\s+(?:group|arm)s?)?\s*$", re.I)


def _arm_list(s: str) -> list[tuple[int, int, int, str]]:
    """(n, start, end, arm) for each arm of a listed allocation; [] unless at least two parse."""
    for m in _PAREN.finditer(s):
        body, base = m.group(1), m.start(1)
        sep = ";" if ";" in body else r",(?!\d{3}\b)"  # not the thousands separator of "2,604 to A"
        items, pos = [], 0
        for piece in re.split(rf"{sep}|\band\b", body):
            start = body.index(piece, pos)
            pos = start + len(piece)
            if not piece.strip():
                continue
            im = _ARM_ITEM.match(piece) or _ARM_ITEM_TO.match(piece) or _ARM_ITEM_N_FIRST.match(piece)
            if im is None:
                items = []
                break
            n = _int(im.group("n"))
            arm = im.group("arm").strip()
            if n is None or not arm or arm.lower() in ("n", "total", "median", "mean", "range", "iqr", "sd") or _NOT_AN_ARM.search(arm):
                items = []
                break
            items.append((n, base + start + im.start("n"), base + start + im.end("n"), arm))
        if len(items) >= 2:
            return items
    return []


# "HbA1c (7.0% vs 7.1%)": a parenthesis opened right after a mention, still open at the value.
_OPEN_PAREN_AFTER = re.compile(r"^[^()\d]{0,25}\([^()]*$")
# Sample-size rules that capture the arm's label as written ("120 to the closed-loop system").
_ARM_NAMED_RULES = frozenset({"sample_size.n_after_label", "sample_size.n_at_label", "sample_size.allocated_to", "sample_size.arm_colon", "sample_size.arm_consisted",
                              "sample_size.n_in_part", "sample_size.dose_arm", "sample_size.n_in_group", "sample_size.of_n_in_group"})
# Words that are never a drug's name: English words that end like one ("cancel", "concept") and
# the words around a dose in an assignment sentence ("to matching placebo", "receive either").
_NOT_DRUG_WORDS = frozenset({"cancel", "parcel", "excel", "marcel", "concept", "concepts", "intercept", "accept", "except", "percept", "placebo", "interleukin", "matching", "receive", "either", "dose", "doses",
                             "daily", "weekly", "twice", "once", "total", "median", "mean", "group", "groups", "arm", "arms",
                             "study", "drug", "treatment", "therapy", "insulin", "control", "standard", "usual", "care"})
_ASSIGNED_DRUG_DOSE = re.compile(
    r"\b(?:to|receive|either|or|and|plus)\s+(?:(?:oral|subcutaneous|intravenous|inhaled|once-weekly|once-daily|daily|weekly|"
    r"extended-release|modified-release|low-dose|high-dose)\s+)?(?P<drug>[a-z][a-z-]{4,})\s+\d+(?:\.\d+)?\s?(?:mg|µg|mcg|g|iu|units)\b")
_SUBSET_FOLLOW_UP = re.compile(r"\b(?:who (?:had )?(?:completed|reached|had)|with (?:at least |a minimum of )?|those (?:with|completing))\s*$", re.I)
_DIFFERENCE_JUST_BEFORE = re.compile(r"[(\[][^\d;()\[\]]{0,30}\b(?:differences?|ETDs?|placebo-adjusted|placebo-corrected)\b[^\d;()]{0,25}$", re.I)
_FUTURE_TRIAL = re.compile(r"\b(?:plans?|planned|planning|will|would|should|next|upcoming|future|further|larger|warrants?|"
                           r"merits?|support(?:s|ing)?(?: a| further)?|to (?:start|begin|launch|initiate|move into|enter)|forward into|(?:advance|progress)(?:e?d)? (?:in)?to|selected for|"
                           r"(?:we |they |still )?needs? an?|timing of an?|initiation of an?)\b[^.;]{0,40}$", re.I)
_FUTURE_AFTER = re.compile(r"[^.;]{0,120}\b(?:(?:is|are) (?:now |still |therefore |urgently |clearly )?(?:(?:being )?planned|warranted|needed|under way|underway|ongoing|expected to|due to|set to|scheduled to))\b"
                           r"|\s(?:testing|evaluation|development)\b", re.I)
_HBA1C_TARGETS = frozenset({6.0, 6.5, 7.0, 7.5, 8.0})
_ALL_BUT = re.compile(rf"\b(?:all|everyone|every (?:patient|participant|recipient)) (?:but|except(?: for)?) (?P<k>{INT})\b", re.I)
_DENOMINATOR_BEFORE = re.compile(rf"\b(?:of|among|in) (?:the|these|all|all of the|all the) (?P<d>{INT})\b", re.I)
# "fell by 0.9 mmol/L": a level's change, given as the size of a fall
# (each earlier value may name its arm: "declined by 0.14 nmol/L with 0.5 mg/kg, 0.11 nmol/L with 1.5 mg/kg and")
_BY_AMOUNT = re.compile(r"\bby (?:a (?:mean|median) (?:of )?|an average of |about |approximately |roughly |~|more than |less than |at least |up to )?"
                        # (a dispersion moved aside leaves spaces: "fell by 7.9         , 9.6          and 12.4 mmHg")
                        r"(?:[−-]?\d+(?:\.\d+)?\s*(?:%|kg|mmol/l|mg/dl|nmol/l|pmol/ml|pmol/l|mm ?hg|percentage points?)?(?: (?:with|in|for|on) [^,;()\d]{0,20}[\d.]*[^,;()\d]{0,12}?)?"
                        r"\s*(?:,? respectively,?(?: v(?:s\.?|(?= ))| versus| compared with)?|,|,? and|,? or| v(?:s\.?|(?= ))| versus)? )*$", re.I)
_CLAUSE_BREAK = re.compile(r";|(?<!\bvs)(?<!\bi\.e)(?<!\be\.g)(?<!\bapprox)\. ")
# Words that say which event it was ("hepatic haemorrhage", "immunosuppression-related infection"),
# kept in its name as written.
_AE_MODIFIER = re.compile(
    # (not a relatedness: "treatment-related serious adverse events", "procedure-related bleeding" are those events;
    # a site is: "graft-site haematoma", "device-site infection")
    r"(?<![\w-])(?P<mod>(?:(?:(?!(?:treatment|drug|device|study|graft|procedure|product|trial|infusion|cell|therapy|transplant)-(?!site))"
    r"[a-z]+-(?:related|site|associated|induced)|hepatic|disseminated|fungal|bacterial|viral|invasive|"
    r"symptomatic|intraperitoneal|intra-abdominal|subarachnoid|subdural|epidural|intracranial|cerebral|cardiac|pneumocystis|progressive|brain|lung|pulmonary|skin|"
    r"subcapsular|perihepatic|catheter|wound|postoperative|post-operative|procedural|aspiration|metastatic|nosocomial|internal|subcutaneous|"
    r"wrist|hip|ankle|rib|vertebral|level [1-3]|(?:second|third)[- ]degree|cytomegalovirus|cmv|ebv|epstein[-–]barr virus) )+)$", re.I)
# Outcomes that head a composite target ("HbA1c below 7% without ... hypoglycaemia").
_COMPOSITE_HEADS = frozenset({"hba1c_target", "primary_endpoint_met", "insulin_independence"})
_DID_NOT_OCCUR = re.compile(r"(?:\s(?:events?|episodes?))?\s(?:(?:was|were|had been|has been)\s)?(?:occurred|reported|observed|recorded|seen|documented)\b", re.I)
_GAPPED_CHANGE = re.compile(r"(?:[,;] (?:and )?|(?<=[\w%)]) and )(?:in )?(?P<x>(?:body ?)?weight|(?:total )?(?:daily )?insulin(?: dose| requirements?| use)?)(?= (?:by )?(?:up to |about |approximately |around |nearly |a mean of |an average of )?[-−]?\d)", re.I)
# "The primary end point, <its definition>, was met by 13 of the 14": the definition's
# outcomes (HbA1c < 7%, no severe hypoglycaemia) are not what was counted.
_PRIMARY_MET_BY = re.compile(
    # (the aside between commas, dashes or brackets: "end point-HbA1c <7.0% with no severe hypoglycemic event-was met by",
    # "end point (HbA1c ≤6.5% and no severe hypoglycaemic events at 1 year) was met by")
    r"\bprimary (?:efficacy |composite )?(?:end ?point|endpoint|outcome|goal|objective)\b(?P<app>(?:,(?:[^.;]|\.(?=\d)){10,220}?,\s|\s?[-—](?:[^.;]|\.(?=\d)){10,220}?[-—]\s?"
    r"|\s\((?:[^.;()]|\.(?=\d)|\[[^\[\]]{1,20}\]){10,220}?\)\s))(?P<met>(?:was|were) "
    r"(?:met|achieved|reached|attained)(?: by| in)?)\b", re.I)
_PRIMARY_NAMED_BEFORE = re.compile(r"\bprimary (?:efficacy |composite )?(?:end ?point|endpoint|outcome)(?: of)?\s?[(—–,-]?\s?(?:an? |the )?$", re.I)
_PRIMARY_IS = re.compile(
    r"\bprimary (?:efficacy )?(?:end ?point|outcome) (?:was|is)(?: the)?(?: (?:rate|proportion|percentage) of (?:participants|patients) "
    r"(?:with|achieving|who achieved)(?: an?| the)?)? (?P<x>[^\W\d_][\w-]*(?: [^\W\d_][\w-]*){0,2}?)(?=\s?\(|,|\.|;| defined\b| at\b| by\b| in\b| after\b| from\b| of \d|$)", re.I)
_GENERIC_END_POINT_WORDS = frozenset({"change", "changes", "rate", "rates", "time", "level", "levels", "proportion", "percentage",
                                      "number", "difference", "area", "incidence", "occurrence", "composite", "safety", "efficacy",
                                      "events", "event", "endpoint", "outcome", "measure"})
# "the cough group (n = 37)": the size of a group, not a count of events
_GROUP_SIZE_BEFORE = re.compile(r"\b(?:groups?|arms?|cohorts?)\s?[(\[]\s?[nN]\s?=\s?$")
# A list of events with their values: "were nasopharyngitis (104 patients, 31.0%), back pain (6.5%)".
_AE_LIST_CUE = re.compile(r"\b(?:adverse (?:events?|reactions?)|side effects|most (?:common|frequent)|frequently reported|TEAEs?|events included)\b", re.I)
_AE_LIST_ITEM = re.compile(r"(?:(?<=[:,;] )|(?<=\bwere )|(?<=\bincluded )|(?<=\bincluding )|(?<=\band ))"
                           r"(?P<name>[a-z][a-z'-]*(?: [a-z][a-z'-]*){0,4}) \((?=[^()]{0,30}\d[^()]{0,30}\))")
# ("the remainder withdrew consent (n = 21), were lost to follow-up (n = 13)": reasons for leaving, not events)
_NOT_EVENT_ANY = frozenset({"withdrew", "withdrawn", "were", "was", "lost", "had", "consent", "remainder", "reasons",
                            "reported", "occurring", "occurred", "observed", "seen", "noted", "recorded",  # "reported in six (3%)"
                            "died", "discontinued", "completed", "received", "enrolled",
                            # "were more frequent after transplantation (10 vs 3 participants)": a comparison, not an event
                            "frequent", "common", "more", "less", "higher", "lower", "similar", "comparable"})
_NOT_EVENT_WORDS = frozenset({"the", "a", "an", "in", "with", "of", "and", "or", "vs", "versus", "patients", "participants",
                              "subjects", "those", "placebo", "group", "groups", "arm", "arms", "dose", "mg", "respectively",
                              "total", "overall", "each", "all", "both", "one", "two", "three", "events", "event", "who", "which"})
_DOSE_AFTER_NAME = re.compile(r"\s?(?:\(|,\s|at (?:a (?:dose|total daily dose) of )?)?(?:≥|>=|≤|<=|at least |of at least |up to )?\s?")
# "(0.46 vs. 0.35 nmol/L/min at week 104)": two arms' values side by side, not a difference
# ("11.8%, against 1.2% with placebo", "14.2%, compared with 1.1% in the placebo group": each arm's own value)
_VS_NEXT = re.compile(r"\s?(?:%|[a-zA-Z/]+)?(?:\s(?:with|in|on)\s(?:the\s)?[\w-]+(?:\s(?:group|arm))?)?(?:\s(?:v(?:s\.?|(?= ))|versus)|,\s(?:against|compared with))\s[-+−]?\d", re.I)
_VS_PREV = re.compile(r"\d(?:\s?(?:%|[a-zA-Z/]+))?(?:\s(?:with|in|on)\s(?:the\s)?[\w-]+(?:\s(?:group|arm))?)?(?:\s(?:v(?:s\.?|(?= ))|versus)|,\s(?:against|compared with))\s$", re.I)
_WHO_GOT_DOSE = re.compile(rf"(?: [\w-]+)?(?: {PERSON})? (?:who|that) (?:received|got|were given|had) (?:a |an |the )?"
                           r"(?P<arm>(?:half|full|low|high|lower|higher|reduced|standard)(?: the)?(?: planned| target| intended)? doses?)\b", re.I)
# "three received half the target dose in part A": the part named after a dose phrase
_LABEL_AFTER_DOSE = re.compile(r"(?:[^,;.()]|\.(?=\d)){0,40}?\bin (?P<label>(?:parts?|cohorts?|arms?|groups?) (?-i:[A-F]|\d)(?:(?:,|,? and) (?-i:[A-F]|\d))*)(?!\w)"
                               r"|\s?\((?:[^();]{1,40}; ?)?(?P<bracketed>(?:part|cohort|arm|group) (?-i:[A-F]|\d))\)", re.I)  # "six at half dose (0.4 × 10⁹ cells; cohort 1)"
# "UIH-001 (Phase 1/2; n = 10)": an aside that opens the bracket before the size
_ASIDE_BEFORE_N = re.compile(r"\([^();=]{1,30}; ?$")
# "from 8.1%", "from a median of 49.5%": what opens a from-to pair, right before its first value
_FROM_BEFORE = re.compile(r"\bfrom(?: an? (?:mean|median|average) of)?\s$", re.I)
# "from 8.4% before treatment to 7.6%": what may stand between a from-to pair's values
# (spaces: a mean's dispersion is blanked out, "8.3 ± 1.2% (67 mmol/mol) before transplantation to 6.5%")
_PAIR_TO = re.compile(r"\s*(?:\([^()]{0,40}\)\s*)?(?:[a-z]+\s){0,3}to\s(?:a\s|an\s)?(?:[<>≤≥]=?\s?)?", re.I)
_BRACKET_OPENS = re.compile(r"\s*[(\[]\s?(?:from\s)?")  # what may stand between a value and a bracket that opens after it ("(from 8.2% to 6.9%)")
_TIMEPOINT_LIST = re.compile(r"\bat (?P<ns>\d+(?:, \d+)*,? and \d+) (?P<u>years?|months?|weeks?|days?)\b", re.I)
# (or "86%, 71% and 49% of participants on 16 mg, compared with ...", "... of semaglutide-treated participants":
# one arm's shares over thresholds)
_RUN_IN_ONE_ARM = re.compile(r"(?:\s(?:in|among)|\sof\s(?:the\s)?(?:participants|patients|people)\s(?:on|with|receiving)|\sof(?=\s(?:the\s)?[\w-]+-treated\s))\s(?:the\s)?[^\s,;()]+"
                             r"(?:\s(?:mg|group|arm|recipients|participants|patients))?(?:\s?(?:[,;()]|and\b|\.|$))")
_ELIDED_HAD = re.compile(r"\s(?:had\s)?(?:a|an|at least one|one or more)\s")
# "from 51% before infusion to more than 90%": the "to" of a from-to pair, and the bound its second value may carry
_PAIR_TO_END = re.compile(r"\bto(?: (?:more than|over|above|almost|nearly|about|around|roughly|approximately|less than|under|below))?\s*$", re.I)
_BRACKET_CHANGE = re.compile(r"\s*(?:(?:at|by) (?:day|week|month|year) \d+\s)?[(\[]\s?(?:mean |median )?change,?:?\s", re.I)  # "6.1 ± 0.4% (mean change −1.7 percentage points)"
_BRACKET_FROM = re.compile(r"\s?[(\[]\s?from\s")
_IN_THE_RESPECTIVE = re.compile(r"\bin the respective (?:groups|arms|cohorts)\b")
_W_SLASH = re.compile(r"(?<![\w/])w/o?(?=\s)")
_HARD_WRAP = re.compile(r"[ \t]*\n[ \t]*")
# "investigators judged neither death to be related": a judgement on events that happened
_RELATED_AFTER = re.compile(r"\s(?:was |were |is |are )?(?:(?:judged |considered |deemed |thought )(?:to be )?|to be )(?:related|attribut\w+|drug-related|treatment-related)\b", re.I)
# "Nine recipients died; no death was attributed to the procedure", "neither death was linked to
# HB-301": the deaths happened, the clause only says what caused them
_LINKED_AFTER = re.compile(r"\s(?:was|were) (?:related|attributed|attributable|linked)\b", re.I)
_EVENT_JOIN = re.compile(r"\s*(?:,|,?\s(?:and|or))\s*", re.I)
_DEATH_BRACKET = re.compile(r"(?:\s(?:occurred|were reported|were recorded))?\s?\((?P<body>[^()]{4,200})\)")
_DEATH_ITEM = re.compile(rf"(?:^|(?<=[,;] )|(?<=\band )|(?<=\())(?P<n>{INT})\s(?:(?:in|on|with|receiving|after)\s(?:the\s)?)?"
                         rf"(?P<arm>[^,;()\[\]]+?)(?:\s\[[^\]]*\])?(?=\s*(?:[,;)]|\band\b|$))", re.I)
# "... vomiting in 48 (9.2%), compared with 19 (3.7%), 27 (5.2%) and 6 (1.2%) with dapagliflozin": the
# same events' values for the arm named after the run, in the order the events were listed
_COMPARED_VALUE = r"(?:\d+ \()?\d+(?:\.\d+)?\s?%\)?"
_RUN_FOR_AN_ARM = rf"(?P<run>{_COMPARED_VALUE}(?:, {_COMPARED_VALUE})*,? and {_COMPARED_VALUE})(?= (?:with|in|among|on|for|receiving) )"
_VERSUS_RUN = re.compile(r"\b(?:versus|vs\.?|compared with) " + _RUN_FOR_AN_ARM)
_COMPARED_RUN = re.compile(r"\bcompared with " + _RUN_FOR_AN_ARM)
# "compared with 5.1%, 6.8%, 1.9% and 3.6%, respectively": a run of values matched against an earlier list
_RESPECTIVELY_RUN = re.compile(r"(?P<run>(?<![\w.])\d+(?:\.\d+)?\s?%(?:,\s\d+(?:\.\d+)?\s?%)*,?\s(?:and|v(?:s\.?|(?= ))|versus)\s\d+(?:\.\d+)?\s?%)(?:\s?\([^()]*\))?,?\srespectively\b")
_COUNT_WORD = rf"(?:\d+|{NUMBER_WORD_RE})"
# ("in five ATG, six alemtuzumab and one basiliximab recipient": each count may carry its arm's name)
# ("six and five people": a pair needs no comma)
_COUNT_LIST_BEFORE = re.compile(rf"(?<![\w.,])(?:(?:{_COUNT_WORD}(?: [A-Za-z][\w-]*)?, )+(?:{_COUNT_WORD}(?: [A-Za-z][\w-]*)?,? )?|{_COUNT_WORD} )(?:and|or) $", re.I)
_COUNT_VS_BEFORE = re.compile(rf"(?<![\w.,])(?P<a>\d+|{NUMBER_WORD_RE}) (?:v(?:s\.?|(?= ))|versus) $", re.I)
_EVENT_COUNT = re.compile(rf"(?<![\w.,%-])(?P<a>\d+|{NUMBER_WORD_RE})(?: (?:v(?:s\.?|(?= ))|versus|and) (?P<b>\d+))? (?:severe )?(?:hypoglyc\w+ )?(?:episodes?|events?)\b", re.I)
_TREATED_WITH = re.compile(r"\b(?:received|were given|were treated with|were infused with|infusions? of|injections? of)\b", re.I)
_INSULIN_NEED = re.compile(r"\binsulin (?:requirements?|doses?|use|needs)\b|\b(?:total )?daily insulin\b|\bunits of insulin\b", re.I)
# the past-tense verbs of a change, shared by the "changed by" patterns
_CHANGE_VERB = r"(?:declined|decreased|fell|fallen|dropped|increased|rose|risen|reduced|changed|lowered)"
_CHANGED_BY = re.compile(rf"\b(?:{_CHANGE_VERB}|"
                         r"reducing|increasing|lowering|decreasing|cutting)\b[^;]{0,80}?\bby (?:a (?:mean|median) of |about |approximately |more than |less than |at least |up to )?$", re.I)
# A list of arms and their values after a colon: ": dapilintide 1.2 mg, −6.1%; 2.4 mg, −8.4%; placebo, −1.8%"
_COLON_ITEM = r"[^;:()]{1,40}?,?\s[-−+]?\d+(?:\.\d+)?\s?(?:%|kg|percentage points?|mmol/mol|nmol/l|pmol/ml)"
_COLON_LIST = re.compile(rf":\s(?:{_COLON_ITEM};\s)+(?:and\s)?{_COLON_ITEM}", re.I)
# the next values of a list a change verb opened: "declined by 9%, 18% and 41%", "fell by 18% with verapamil vs 41%"
_CHANGED_BY_LIST = re.compile(rf"\b{_CHANGE_VERB}\b[^;]{{0,80}}?\bby "
                              r"[-−]?\d+(?:\.\d+)?\s?%(?:\s(?:with|in)\s[^;,%]{1,30}?)?(?:(?:,\s(?:and\s|or\s)?|\s(?:and|or|vs\.?|versus)\s)"
                              r"[-−]?\d+(?:\.\d+)?\s?%(?:\s(?:with|in)\s[^;,%]{1,30}?)?)*(?:,\s(?:and\s|or\s)?|\s(?:and|or|vs\.?|versus)\s)$", re.I)
_EVERY_PARTICIPANT = re.compile(r"\b(?:in|by|for) (?:every|each) (?:participant|patient|recipient)\b|\bin (?:every one|each|all) of them\b|\b(?:every|each) (?:participant|patient|recipient) (?=had|was|achieved|became|showed|reached|remained)", re.I)
_EXAMPLE_BEFORE = re.compile(r"\b(?:mostly|mainly|chiefly|predominantly|primarily|including|such as|especially|e\.g\.,?|notably)(?: (?:mild|moderate|transient|grade [12]|mild-to-moderate|mild or moderate|mild and transient|low-grade))?(?: (?:mild|moderate|transient|grade [12]))?\s+$", re.I)
_CASES_OF = re.compile(r"\s*(?:(?:participants?|patients?) )?(?:(?:cases?|episodes?|events?|instances?|reports?) )?of (?:a |an )?", re.I)
# (thousands separators too: "412, 538, 1,126, 987 and 1,354 pmol/L")
_LIST_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?"
# (a dispersion moved aside leaves spaces: "0.42 ± 0.20 and 0.55 ± 0.24 U/kg/day")
# ("changed by -5.1, -7.4 and -8.9 kg": signed items too)
_LIST_BEFORE = re.compile(rf"(?<![\w.,-])(?P<head>[-+]?{_LIST_NUMBER}(?:\s*, [-+]?{_LIST_NUMBER})*\s*,? (?:and|or) )$")
_BACKGROUND_THERAPY = re.compile(r"\b(?:standard|usual|basal|background|existing|their|optimi[sz]ed|intensive|conventional|ongoing|stable|current|matching)\s+$", re.I)
# ("2.2 kg (2.7%) lower": a bracketed share before the direction word)
_FALL_AFTER = re.compile(r"(?:(?:,|,? and) \d+(?:\.\d+)? ?%)*\)?\s?(?:percentage points?\s|\w+\s)?(?:reductions?|decreases?|declines?|falls?|drops?|loss|lower|less|smaller)\b", re.I)
_RISE_AFTER = re.compile(r"\)?\s?(?:percentage points?\s|\w+\s)?(?:higher|greater|more|increases?|rises?|gains?)\b(?! than\b)", re.I)
_LOWER_WITH_AFTER = re.compile(r"\s?(?:percentage points?|%|kg|U/kg(?:/day| per day)?|IU/kg(?:/day| per day)?|units?(?:/day| per day)?|mmol/mol|mmol/l|mg/dl)?\s"
                               r"(?:lower|higher|less|greater|more|smaller|larger) (?:with|in|on|among|for) (?:the\s)?", re.I)
# "No death was attributed to ...": a death named only to deny it a cause
_DEATH_ATTRIBUTED_AFTER = re.compile(r"\s(?:was|were) (?:attributed|related|due|judged related|considered related)\b", re.I)
# a value right after one of these words belongs to what precedes it ("occurred in 94 participants")
_VALUE_OF_BEFORE = re.compile(r"\b(?:in|of|was|were|by|to|at|from|reached|with)\s$", re.I)
# "week 26": masked as no value, still a time point
_TIME_LABEL = re.compile(r"(?:week|day|month|year) \d+", re.I)
# "At the start of the study, ...": what the sentence measures is the baseline, unless it says what changed
_AT_THE_START = re.compile(r"^\W*(?:at|on) (?:the )?(?:start|outset|beginning) of (?:the )?(?:study|trial|treatment)\b", re.I)
_RESTATED_SHARE = re.compile(r"^\s?\([-−]?\d+(?:\.\d+)? ?%\)")  # "2.2 kg (2.7%)": the same change as a share
_THAN_BASELINE = re.compile(r"\bthan (?:at |before )?(?:baseline|before|treatment|enrolment|enrollment)\b", re.I)
# Context-required names too generic to mark an arm wherever they recur ("insulin independence")
_CONTEXT_NAMES_NOT_RECURRING = frozenset({"insulin", "placebo", "continuous glucose monitoring", "islet transplantation", "pancreas transplantation"})
# "0.6 percentage points lower ... in the A group than in the placebo group": a difference against what follows "than".
_THAN_AFTER = re.compile(r"\s?(?:percentage points?|%|kg|mmol/mol|mmol/l|mg/dl)?\s(?:lower|higher|less|greater|more|smaller|larger)\b"
                         r"[^;(]{0,60}?\bthan\s(?:in\s|with\s|among\s|on\s|for\s)?(?:the\s|those\s(?:receiving|given|on|in)\s(?:the\s)?)?", re.I)
_BEFORE_TREATMENT = re.compile(r"\s*(?:\([^()]{0,40}\)\s*)?(?:\w+ )?(?:before|prior to) (?:the )?(?:treatment|transplant\w*|infusion|implantation|enrol\w*|randomi[sz]ation|therapy|surgery)\b", re.I)
# "nine were off insulin": a bare count as the subject of an outcome's verb counts people.
_STOPPED_AFTER = re.compile(r" (?:stopped|discontinued|withdrew|quit)\b", re.I)
_SUBJECT_COUNT = re.compile(rf"(?<![\w.,-])(?<!\bevery )(?<!\beach )(?<!\bthe )(?P<n>{INT})(?=(?: [-–—] [^-–—;.]{{1,40}} [-–—])? (?:of them |others? )?(?:were|are|remained|stayed|became|no longer|achieved|reached|attained|stopped|discontinued|withdrew|quit)\b"
                            r"| insulin[- ]independent\b)", re.I)  # ("with ten insulin independent at 1 year")
_ALLOCATION = re.compile(r"\brandomi[sz]|\bassign|\ballocat|\bcohorts?\b|\bdose groups?\b", re.I)
_SCHEDULE = re.compile(r"\bthen\b|\bfollowed by\b|\bthereafter\b|\bescalat|\btitrat|\bmaintenance\b", re.I)
_OWN_CHANGE_AFTER = re.compile(r"\s(?:\([^()]{1,30}\)\s)?(?:(?:was|were|had)\s)?(?:rose|fell|increased|decreased|improved|declined|dropped|changed)\s(?:from|by|to)\s", re.I)
_DOSE_LIST_ARMS = re.compile(r"\b(?:with|on|to|in|for|of|receiving|given|taking|treated with|assigned to) (?:[a-z][\w-]+ ){0,2}(?P<head>\d+(?:\.\d+)?(?:, \d+(?:\.\d+)?)*,? (?:and|or) )\d+(?:\.\d+)? ?(?P<u>mg|µg|mcg)\b", re.I)
# "nausea (n = 412; 18.2%)", "nasopharyngitis (104 patients, 31.0%)", "bruising (6, 35%)"
_N_EQ_PCT = re.compile(r"(?:(?P<eq>\b[nN] ?= ?)|(?<=[(\[]))(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?: (?:patients|participants|subjects|people|recipients|children|adults))?"
                       r"\s?[;,]\s?(?P<p>\d+(?:\.\d+)?)\s?%(?(eq)|(?=[)\]]))")
_PER_GROUP = re.compile(r"\b(?:n ?= ?)?(?P<n>\d+) (?:participants? |patients? |subjects? )?(?:per|in each|for each) (?:group|arm|dose group|treatment group)\b", re.I)
_BRACKET_SIZE_RULES = frozenset({"sample_size.n_eq", "sample_size.n_people_bracket"})  # an arm's size in brackets after the arm
# "to tirzepatide or placebo": a count assigned to a list of arms is their total (an arm's own size has its count: "and 103 to placebo")
_UNCOUNTED_ARM_AFTER = re.compile(r"(?:\s\([^()]{1,40}\))?,? (?:or|versus|vs\.?) (?:to )?(?:receive )?(?:the |a |an |matching )?(?!\d)(?!(?:the )?(?:remaining|other)\b)[a-z]", re.I)
_EACH_TO = re.compile(rf"(?<![\w.])(?P<n>{INT}) each to ", re.I)
_EACH_TO_ITEM = re.compile(r"([^,]+?)(?:,? and |, |$)")
# "Forty-four participants were assigned to each group"
_ASSIGNED_TO_EACH = re.compile(rf"\b(?P<n>\d+|{NUMBER_WORD_RE}) (?:participants |patients |subjects |children |adults )?(?:were )?"
                               r"(?:(?:assigned|randomi[sz]ed|allocated) to|started in|enrolled in) each (?:group|arm)\b", re.I)
_N_LIST = re.compile(r"\(n ?= ?(?P<ns>\d[\d,]*(?:, ?(?:n ?= ?)?\d[\d,]*)*,? (?:and|&) (?:n ?= ?)?\d[\d,]*)(?:,? respectively)?[);]", re.I)
# ("with 140, 139, 141 and 139 people in the four groups, respectively")
_N_LIST_RESPECTIVELY = re.compile(rf"\b(?:comprised|included|enrolled|randomi[sz]ed|of|were|to|dosed|treated|implanted|transplanted|with) (?P<ns>{INT}(?:, {INT})*,? (?:and|&) {INT}) {PERSON}"
                                  r"(?: in (?:the|each of the) (?:\w+ )?(?:groups|arms|cohorts))?,? respectively\b", re.I)
_TREATED_BEFORE = re.compile(r"\b(?:enrolled|randomi[sz]ed|treated|dosed|implanted|transplanted|included|received (?:at least )?(?:one|an?|a single) (?:infusion|transplant|implant))\b", re.I)
_N_LIST_BRACKET_RESPECTIVELY = re.compile(rf"\((?P<ns>{INT}(?:, {INT})*,? (?:and|&) {INT})(?: {PERSON})?,? respectively\)", re.I)
# "Parts A and B enrolled seven and ten participants, respectively": one mention naming several labelled arms
_LABEL_RUN = re.compile(r"(?P<kind>part|cohort|arm|group)s (?P<labels>[A-F0-9]{1,2}(?:, [A-F0-9]{1,2})*,? (?:and|&) [A-F0-9]{1,2})", re.I)
_NUMBER_OF_ARMS_WAS = re.compile(r"\bnumbers? of (?:participants|patients|subjects|people|adults|children) (?:randomi[sz]ed|assigned|allocated|enrolled) to\b[^;.]{3,120}?"
                                 r"\b(?:was|were) (?P<ns>\d[\d,]*(?:, \d[\d,]*)*,? (?:and|&) \d[\d,]*)\b", re.I)
_DIFFERENCE_BETWEEN = re.compile(r"\bdifferences?\s(?:in\s[\w ]{1,30}\s)?between\s(?:the\s)?$", re.I)
_INSULIN_COMPOUND = re.compile(r"[\s-](?:independen\w*|needs?|requirements?|doses?|use|secretion|sensitivity|resistance|production|"
                               r"injections?|pumps?|delivery|naive|titration|initiation|levels?|free)\b", re.I)
_RECEIVED_N = re.compile(rf"\breceived (?:{INT}|a single|one or more)\b(?! (?:participants|patients|adults|children))", re.I)
_PRIOR_WORK = re.compile(r"\b(?:earlier|previous(?:ly)?|prior|historical(?:ly)?|other (?:trials?|studies)|"
                         r"(?:first|later|another|one|an?) (?:[\w-]+ ){0,3}(?:study|trial))\b", re.I)
_CITATION = re.compile(r"\s?\[\d{1,3}(?:\s?[–,-]\s?\d{1,3})*\]")
_IN_EACH_ARM = re.compile(r"(?:\s[\w-]+){0,3}?\s(?:in|for|with)\s(?:each|both)\s(?:of the (?:two|three|four)\s)?(?:groups?|arms?|treatment groups?)\b", re.I)
_VERSUS_BEFORE = re.compile(r"\b(?:versus|v(?:s\.?|(?= ))|compared with|relative to|than)\s(?:the\s)?$", re.I)
_TRAILING_ARMS = re.compile(r"(?:\s?(?:percentage points?|%|kg|mmol/l|mg/dl|mmol/mol))?(?:\s*[(\[][^()\[\]]*[)\]])*(?:\s(?:of\s(?:the\s)?)?(?:participants|patients|subjects|recipients|children|adults))?"
                            r"\s*,?\s+(?:for|in|with|among|on|given|receiving|treated with|assigned to|of)\s(?:the\s)?", re.I)
# "2.01 percentage points (SE 0.06) with A 6 mg, 2.24 (0.06) with A 12 mg, and 1.38 (0.06) with B"
_BARE_AFTER_ARM = re.compile(r"(?:\s?\([^()]{1,40}\))?\s(?:with|in|for|on|among)\s(?:the\s)?(?!\d(?![\d.]*\s?(?:mg|µg|mcg)\b))[^;,()%]{1,40}?(?:,\s(?:and\s)?|,?\s(?:and|v(?:s\.?|(?= ))|versus|compared with)\s)(?:by\s)?"
                             r"(?P<b>[-+]?\d+(?:\.\d+)?)(?=(?:\s?\([^()]{1,40}\))?\s(?:with|in|for|on|among)\b)", re.I)
# "1.21, 1.64 and 1.88 percentage points with the 1.5, 3 and 6 mg doses, respectively, versus 0.27 with placebo"
_BARE_AFTER_RESPECTIVELY = re.compile(r"\s(?:with|in|for|on|among)\s[^;()%]{1,60}?,\srespectively,?\s(?:v(?:s\.?|(?= ))|versus|compared with)\s(?:by\s)?"
                                      r"(?P<b>[-+−]?\d+(?:\.\d+)?)(?=(?:\s?\([^()]{1,40}\))?\s(?:with|in|for|on|among)\b)", re.I)
# "-0.63 percentage points (95% CI -0.80 to -0.46) and -0.86 (-1.03 to -0.69), respectively"
_BARE_RESPECTIVELY = re.compile(r"(?:[^()]{0,60}\))?(?:\s?\([^()]{1,60}\))?(?:,\s(?:and\s)?|\sand\s)(?P<b>[-+]?\d+(?:\.\d+)?)"
                                r"(?=(?:\s?\([^()]{1,60}\))?,?\s(?:respectively\b|and\s[-+]?\d))", re.I)
_PER_YEAR = r" (?:(?:severe )?(?:hypoglyc\w+ )?(?:events?|episodes?)\s+)?(?:per|a|/) ?(?:(?:patient|person|participant)[- ])?years?"  # (\s+: a dispersion moved aside leaves spaces)
_RATE_FROM_TO = re.compile(rf"\bfrom (?:a (?:median|mean) of )?(?P<a>\d+(?:\.\d+)?)(?: \([^()]{{0,30}}\)| ?± ?\d+(?:\.\d+)?)?(?P<ua>{_PER_YEAR})?(?: (?:before|at|prior to|in) [\w -]{{1,30}}?)? to (?P<b>\d+(?:\.\d+)?)(?!\.?\d|%| ?(?:mg|mmol|kg|percentage|nmol|pmol|U\b))(?P<ub>{_PER_YEAR})?", re.I)
_FROM_TO_END = re.compile(r"\bfrom [−-]?\d[^;]{0,50}?\bto (?:a |an )?$", re.I)
_OWN_VALUES_AFTER = re.compile(r"(?:,[^,;\d]{1,40},)?\s(?:(?:was|were)\s)?(?:(?:reported|observed|seen|noted)\s)?(?:by|in|:)\s(?:[a-z]+\s)?\(?\d", re.I)
_HAD_EVENT = re.compile(r"\s(?:(?:participants?|patients?|recipients?|people|of them)\s)?(?:had|experienced|reported|developed)"
                        r"\s(?:at least one|one or more|an?|any)?\s?(?:serious\s)?", re.I)
_GOAL_WITHOUT = re.compile(r"(?:\b(?:achiev\w*|attain\w*|reach\w*|glyc\w*mic control|target|goal)\b[^.;]{0,30}|\b(?:hba1c|a1c) ?(?:<|≤|below|of less than) ?\d+(?:\.\d+)? ?% )"
                           r"\b(?:without|with no|and no)\s+(?:any\s+)?(?:episodes? of\s+)?$", re.I)
_NO_EXCESS = re.compile(r"(?:\b(?:without|no|not|nor)\s+(?:an?\s+)?(?:(?:clear|apparent|significant|meaningful|notable|signal of|sign of)\s+)?"
                        r"(?:increas\w*|excess|rise|more|raising|worsening|higher|added|additional|extra)\b(?:\s+(?:in|of)\b)?"
                        r"|(?:,|\bor|\bnor)\s+excess)(?:\s+(?:the\s+)?(?:risk|rates?|incidence|frequency)\s+of)?\s*$", re.I)
# ("randomly assigned (1:1:1) to 26 weeks of closed loop with URLi, ...": the period the arms ran)
_ASSIGNED_FOR = re.compile(rf"\b(?:randomi[sz]ed|randomly assigned|assigned|allocated)\b(?:[^.;]|\.(?=\d)){{0,220}}? for (?P<v>\d+(?:\.\d+)?|{NUMBER_WORD_RE}) (?P<u>{DURATION_UNIT})\b"
                           rf"|\b(?:randomi[sz]ed|randomly assigned|assigned|allocated)(?: \([\d:]+\))? to (?P<v2>\d+|{NUMBER_WORD_RE}) (?P<u2>{DURATION_UNIT}) of\b", re.I)
_PRIMARY_AT = re.compile(rf"\bprimary (?:efficacy )?(?:end ?point|outcome) (?:was|is)\b[^.;]{{0,120}}? at (?:(?P<v>\d+(?:\.\d+)?) (?P<u>{DURATION_UNIT})|(?P<u2>week|month)s? (?P<v2>\d+))\b"
                         rf"|\bAt (?:(?P<v3>\d+(?:\.\d+)?) (?P<u3>{DURATION_UNIT})|(?P<u4>week|month) (?P<v4>\d+)), the primary (?:end ?point|outcome)\b", re.I)
# "52-week results of the extension", "one-year results", "presented 6-month data" (a report's
# title may name the time of its results and its text a longer median follow-up: a fallback)
_RESULTS_AT = re.compile(rf"(?<![\w.])(?P<v>\d+(?:\.\d+)?|{NUMBER_WORD_RE})[- ](?P<u>week|month|year|wk|mo)s? (?:results|data|outcomes|findings)\b", re.I)
_OVER_WEEKS = re.compile(r"\bover (?P<v>\d+) (?P<u>weeks|months|years)\b")  # "more weight loss than semaglutide over 52 weeks"
# news: "lost an average of 19.6% of their weight after 72 weeks", "After 13 weeks, people using ..."
# ("a year later" is left out: annotators read it as a time point as often as a follow-up)
_AFTER_PERIOD = re.compile(rf"(?<!explanted )(?<!removed )(?<!retrieved )\b(?:after|at the end of) (?P<v>\d+|{NUMBER_WORD_RE}) (?P<u>weeks|months)\b", re.I)
# "Eighty-one participants (92%) attended the 52-week visit", "completed the 13-week randomised
# period", "the 48-week duration cannot address durability": how long the trial ran
_PERIOD_VISIT = re.compile(r"\b(?P<v>\d+)-(?P<u>week|month)s? (?:visit|randomi[sz]ed period|treatment period|duration|study period)\b", re.I)
# Last: "At 24 months, stimulated C-peptide ...", a result sentence opening at its time point, and
# news's "After a year, seven of the 12 ..." (opening a sentence, which annotators read as the
# follow-up more often than not; "... insulin after one year" inside one is a time point)
_AT_PERIOD_OPENING = re.compile(r"(?:^|(?<=[.!?] )|(?<=\n))At (?P<v>\d+) (?P<u>weeks|months|years),")
_AFTER_A_YEAR = re.compile(r"(?:^|(?<=[.!?] )|(?<=\n))(?:After|At the end of) (?P<v>a|one) (?P<u>year),")
# ("No participant in either cohort became ...", "Neither half-dose recipient became ...", "no child was ...")
_NO_ONE_WHO = (r"(?:(?:no|none of the)(?: [\w-]+){0,3}? (?:participants?|patients?|recipients?|subjects?|child|children)\b"
               r"(?: (?:in|from) (?:the |either |each |both )?[\w -]{1,30}?(?:groups?|arms?|cohorts?|parts?)(?: [A-F0-9])?)?"
               r"|none|neither(?: (?:[\w-]+ )?(?:participant|patient|recipient|subject|child)\b)?)")
_NO_ONE = re.compile(r"^\W*(?:(?:in|among|for) (?:the )?[\w -]{1,30}?,?\s)?" + _NO_ONE_WHO +
                     r"(?= (?:became|was|were|achieved|reached|remained|attained|stopped|discontinued|withdrew))", re.I)
# "There were no discontinuations due to adverse events", "..., and no child had to stop the drug
# because of side effects", "no participant has discontinued because of an adverse event": none stopped
_NO_ONE_STOPPED = re.compile(r"\bno (?=(?:treatment )?discontinuations? (?:due to|because of))"
                             r"|(?:^\W*|[,;]\s(?:and\s|but\s)?|\band\s)(?P<who>no(?: [\w-]+){0,2}? (?:one|participants?|patients?|recipients?|subjects?|child|children)\b|nobody)"
                             r"(?= (?:had to |has |have )?(?:stop|stopped|discontinued|withdrew|leave|left|quit)\b)", re.I)
# (later in a sentence only with a verb of reaching: "..., and no participant became insulin independent";
# "..., and none was related" is about events already counted)
_NO_ONE_LATER = re.compile(r"(?:[,;]\s(?:and\s|but\s|although\s|though\s|whereas\s|while\s)?|\b(?:and|but|although|though|whereas|while)\s)" + _NO_ONE_WHO +
                           r"(?= (?:became|achieved|reached|attained|was|were) (?:insulin[- ]independen|independence|the primary|an hba1c))", re.I)
_ASSIGNED = re.compile(r"\b(?:randomi[sz]ed|randomly assigned|assigned|allocated)(?: \([\d:]+\)| in a [\d:]+ ratio| [\d:]+)? to\b", re.I)
_COUNT_BEFORE = re.compile(rf"(?:\d|\b{NUMBER_WORD_RE}) ?$", re.I)
_ASSIGNED_AFTER_POPULATION = re.compile(r"\b(?:randomi[sz]ed|randomly assigned|assigned|allocated)\b[^;.]{1,80}?\bto(?= (?:receive |either )?[a-z])", re.I)
_USERS_AFTER = re.compile(r"(?:\s[\w-]+)?\s(?:users|recipients|participants|patients)\b", re.I)
_PEPTIDE_THRESHOLD_AFTER = re.compile(
    r"(?:\s(?:levels?|concentrations?|values?))?(?:\s(?:was|were|remained|stayed|of))?\s?"
    r"(?:(?:≥|>|>=|above|over|greater than|more than|(?:of )?at least|at or above)\s?\d+(?:\.\d+)?\s?(?:nmol/l|pmol/l|ng/ml|pmol/ml)"
    r"|\d+(?:\.\d+)?\s?(?:nmol/l|pmol/l|ng/ml|pmol/ml) or (?:more|higher|greater|above))", re.I)
# ("expression in islets", "islet autoantibodies": the pancreas's own islets, no graft)
# (the lookbehinds after the word: before it they would cost a scan five times as slow)
_GRAFT_DOCUMENT = re.compile(r"\b(?:islets?\b(?<!\bin islet)(?<!\bin islets)(?<!\bof islet)(?<!\bof islets)(?! auto)|stem[- ]cell|transplant|grafts?\b|"
                             r"encapsulat|zimislecel|donislecel|vx-(?:880|264)\b|up421\b|cipsc)", re.I)
_SHARE = re.compile(r"\d\s?%|\b\d+ (?:out )?of (?:the )?\d+\b|\b\d+/\d+\b")
_SUBJECT_VERB = re.compile(r"\s(?:gained|lost|had|showed|reported|achieved|experienced|spent)\b", re.I)
_CLAUSE_SUBJECT_BEFORE = re.compile(r"(?:^|[;,]\s(?:whereas\s|while\s|but\s|and\s)?|\b(?:whereas|while)\s)(?:the\s)?$"
                                    r"|(?:^|[;,]\s)(?:(?:whereas|while|but|and)\s)?(?:participants|patients|recipients|people|those|subjects|children)\s(?:taking|receiving|given|on|using|treated with|(?:randomly\s)?assigned to)\s$", re.I)
_VALUE_BEFORE_LABEL = re.compile(r"\d\s?(?:%|kg|percentage points?|mmol/mol|mmol/l|mg/dl|nmol/l)\s?\($", re.I)
_LABEL_N_EQ = re.compile(r"(?:\(|;\s?)(?P<label>(?![nN]\s?=)[A-Za-z0-9][^,;()=]{0,40}?),\s?[nN]\s?=\s?$"
                         r"|(?:\(|[;,]\s?)(?P<bare>(?![nN]\s?=)[A-Za-z0-9][^,;()=]{0,40}?)\s[nN]\s?=\s?$"  # "(tirzepatide 5 mg n=312, 10 mg n=311"
                         r"|^\W*(?P<item>(?-i:[A-Z])[\w-]{1,30}(?: [\w-]+){0,2}):\s?[nN]\s?=\s?$")  # a list item: "* Pemvadec: n = 492"
_RECIPIENT_KIND = re.compile(r"(?<![\w-])(?P<arm>(?!(?:adult|all|the|these|those|other|eligible|transplant|graft|organ|first|second|remaining|evaluable|treated|study|trial)\b)"
                             r"[a-z][a-z-]+) recipients\b")
_COUNT_LEAD = re.compile(r"(?:(?:\d+|[a-z]+(?:-[a-z]+)?) of )?(?:\d{1,3}(?:,\d{3})+|\d+|[a-z]+(?:-[a-z]+)?) ", re.I)
_LABEL_IN_BRACKET = re.compile(r"(?:\s?\()?[^()]{0,40}?;\s?(?P<arm>(?!\d)[\w-]+(?: [\w-]+)?) (?:group|arm|cohort)\)")
_ENROLMENT_VERB = re.compile(r"\b(?:enrolled|randomi[sz]ed|randomly assigned|allocated|underwent (?:randomi[sz]ation|implantation|transplantation)|"
                             r"were (?:implanted|transplanted|treated|dosed)|received)\b", re.I)
_PROPORTION_OF = re.compile(r"\b(?:proportion|percentage|number|rate|incidence) of\b", re.I)  # a sentence's own measure
_NOT_PEOPLE_AFTER = re.compile(r"(?: [\w-]+){0,2} (?:infusions|procedures|transplants|transplantations|devices|events|episodes|injections|doses|visits|samples|units)\b"
                               r"|\s?[×x]\s?10"  # "a total of 3 × 10^8 cells": a cell count
                               r"|[- ](?:days|weeks|months|years)\b", re.I)  # "followed for a total of 24 months": a duration
_ATTRITION = re.compile(r"\b(?:withdr[ae]w\w*|discontinu\w*|dropped out|lost to follow-up|excluded|died)\b", re.I)
_SCREENING = re.compile(r"\b(?:screened|assessed|approached|invited|evaluated for)\b", re.I)
# Sample-size shapes that hold in a sentence with eligibility words ("a phase 3a trial in 984 insulin-naive
# adults ... inadequately controlled on ...", "adults ... inadequately controlled on metformin were screened,
# and 918 were randomly assigned")
_ELIGIBILITY_SAFE_SS = frozenset({"sample_size.verb_n", "sample_size.n_verb", "sample_size.n_eq", "sample_size.section_label", "sample_size.n_in_group",
                                  "sample_size.total", "sample_size.enrolment", "sample_size.allocated_to", "sample_size.clause_with", "sample_size.treated_in",
                                  "sample_size.study_of", "sample_size.clause_n_verb"})
# "Graft function, defined as fasting C-peptide of at least 0.1 ng/mL, was present in ...": the
# threshold of a definition is not a value.
_DEFINED_AS = re.compile(r"\b(?:defined as|defined by)\b[^,;()]*", re.I)
_CHANGE_FROM = re.compile(
    r"\b(?:rose|rising|increased|increasing|improved|improving|fell|falling|decreased|decreasing|"
    r"declined|declining|dropped|went|changed|reduced|moved|and) from (?:a (?:mean|median) of )?$", re.I)
_OCCURRED_IN = re.compile(r"\s*(?:(?:occurred|developed|was (?:seen|observed|reported)|were (?:seen|observed|reported)) )?in\s*"
                          r"|\s(?:by|among)\s", re.I)  # ("discontinued because of adverse events by 3, 6, 11 and 2 participants")
_COMPARATOR_ARM = re.compile(r"\b(?:placebo|control (?:group|arm)|controls|standard care|usual care|sham|"
                             r"versus|v(?:s\.?|(?= ))|compared with|randomi[sz]ed)\b", re.I)
_CONTROL_ARM = re.compile(r"\b(?:placebo|control|controls|usual care|standard care|standard therapy|sham|mdi|injections)\b", re.I)
# A between-arm difference whose comparator the sentence does not name (see _name_comparators).
UNNAMED_COMPARATOR = "comparator"
_THRESHOLD = re.compile(r"\bor (?:more|greater|higher|above|over|less|lower|fewer|below)\b|(?:reductions?|loss|losses|gains?|decreases?) of (?:at least |[≥>] ?)\d+(?:\.\d+)?\s?%|\b\d+(?:\.\d+)?\s?% threshold\b", re.I)
_ADJUSTED = re.compile(r"\b(?:placebo|control)[- ](?:adjusted|corrected|subtracted)\b", re.I)
# Direction words: a change written as a size ("decreased by 4.5%", "weight loss of 12%")
# is stored signed, so a table never puts an unsigned fall beside a signed "-0.9".
_DIRECTION = re.compile(
    r"\b(?:(?P<down>decreas\w*|reduc\w*|lower(?:ed|ing)?|fell|fall(?:s|ing|en)?|declin\w*|drop(?:s|ped)?|"
    r"loss|losses|los(?:t|ing)|weight-loss|cut(?:s|ting)?(?!-)|shed|slash\w*|down)|(?P<up>increas\w*|rose|ris(?:e|es|ing)|gain(?:s|ed)?|higher))\b",
    re.I)
# "reduced HbA1c by 1.87, 1.89 and 2.07 percentage points": the leading numbers share the unit.
_SHARED_UNIT_LIST = re.compile(
    # "-3.3 (95% CI -4.6 to -2.0), -6.6 (-7.9 to -5.3) and -9.1 (...) percentage points": brackets may follow each value
    r"(?<![\w.\-−])(?P<head>[-+−]?\d+(?:\.\d+)?(?: ?\([^()]{1,40}\))?(?:, [-+−]?\d+(?:\.\d+)?(?: ?\([^()]{1,40}\))?)*,?\s+(?:and|or|v(?:s\.?|(?= ))|versus) "
    r"|[-+−]?\d+(?:\.\d+)?\s*;\s*(?:[-+−]?\d+(?:\.\d+)?\s*;\s*)*)"  # "-2.4; -2.0; -0.9 percentage points"
    r"(?P<last>[-+−]?\d+(?:\.\d+)?)(?P<lastbr> ?\([^()]{1,40}\))?\s?(?P<u>%|percentage points?)(?!\s?(?:ci\b|confidence))", re.I)
_VS_BEFORE = re.compile(r"(?<![\w.,-])(?P<a>[-+]?\d+(?:\.\d+)?)(?:\s?\([^()]{1,24}\))?\s+(?:v(?:s\.?|(?= ))|versus) $", re.I)
# "compared with a decline of 0.32 nmol/L with placebo": a change of a level, by its noun
_CHANGE_OF = re.compile(r"\b(?:an? )?(?:mean |median )?(?:declines?|decreases?|falls?|drops?|reductions?|increases?|rises?) of (?:about |approximately )?$", re.I)
_RELATIVELY_AFTER = re.compile(r"\s(?:higher|lower|greater|smaller)\s(?:in|with|than|among)\b", re.I)
# A text's count of who took part when it states none: "the 17-patient phase 1/2 trial", "Six of
# eight people with type 1 diabetes who received ...", "42 of its 48 participants (87.5%)"
_N_PATIENT_TRIAL = re.compile(r"\b(?P<m>\d{1,3}(?:,\d{3})+|\d+)-(?:patient|participant|person|subject)s? (?:[\w/.-]+ ){0,3}(?:study|trial)\b", re.I)
_SHARE_OF_ALL = re.compile(rf"\b(?P<a>{INT}) (?:of|out of) (?:the |its |their )?(?P<m>{INT})(?: [\w-]+){{0,3}}? "
                           r"(?:participants|patients|people|recipients|adults|volunteers|children|subjects)\b", re.I)
_GRADED_BEFORE = re.compile(r"\b(?:severe\s\((?:level|grade)\s[34]\)|(?:level|grade)\s3\s\(severe\))\s$", re.I)
# "clinically significant (level 2) or severe ...", "level 2 or ...": hypoglycaemia of levels 2 and 3 together
# ("Clinically significant hypoglycaemia (blood glucose <54 mg/dL [<3.0 mmol/L]) or severe hypoglycaemia")
_LEVEL_2_OR = re.compile(r"\b(?:clinically significant|level 2)(?:\shypoglyc\w+)?(?:\s\([^()]{0,60}\))?\s(?:or|and|/)\s?$", re.I)
# "Combined level 2 or 3 hypoglycaemia occurred at 0.58 versus 0.45 events per participant-year": no severe-event rate
_LEVEL_2_OR_3 = re.compile(r"\blevel 2 (?:or|and|/) ?(?:level )?3 hypoglyc\w*(?: events?| episodes?)?", re.I)
# --- Outcomes outside the vocabulary (FACTS.md's `other`), each named where a rule reads it
# the values a combined level 2 or 3 hypoglycaemia takes: its rates
_HYPO_RATE_ACCEPTS = ("events per patient-year", "events per 100 patient-years")
# a difference named right before a value ("rate ratio 2.19", "placebo-adjusted difference ..."): only then is an `other` value one
_DIFFERENCE_NEAR_BEFORE = re.compile(r"\b(?:differen\w*|ETD|(?:rate |odds |hazard )?ratio|placebo-(?:adjusted|corrected))\b[^;]*$", re.I)
# the "from" of a from-to pair: the only range an `other` level takes ("fell from 78 to 66 mL/min/1.73 m²")
_FROM_BEFORE_RANGE = re.compile(r"\bfrom (?:a (?:mean|median) of )?(?:[-+]?\d+(?:\.\d+)?\s?(?:to|-)\s?)?$", re.I)
# the definition after an end point: "met the primary end point, defined as freedom from ... together with an HbA1c below 7%"
_DEFINED_AFTER = re.compile(r",? (?:which was |that was |was )?defined as (?P<body>[^;]*?)(?=,? and \d|,? and (?:an? |the )?\w+ (?:\(|of \d)|;|\.(?!\d)|$)", re.I)
# a measure named as unaffected: "with no apparent effect on HbA1c"
_NO_EFFECT_ON = re.compile(r"\b(?:no|without|little|any) (?:apparent |clear |significant |meaningful |measurable |discernible )?(?:effect|impact|influence) (?:on|upon) (?:the )?$", re.I)
# "the monitor showed that time in range ...": a result follows, not a description of who
_REPORTING_THAT = re.compile(r"\b(?:showed|shows|show|found|finds|reported|reports|noted|indicated|indicates|suggested|suggests|demonstrated|"
                             r"revealed|confirmed|means|meant) that\s+$", re.I)
_CLOSES_FIRST = re.compile(r"[^()]*\)")  # the text from here closes a bracket before it opens one
# one threshold of a list: "Weight reductions of ≥5%, ≥10% and ≥15%"
_THRESHOLD_ITEM = re.compile(r"(?:≥ ?|>= ?)?\d+(?:\.\d+)? ?%")
# "without any increase in time below 70 mg/dL (1.8% vs 2.0%)": no result, and the values are no other outcome's
_WITHOUT_RAISING = re.compile(r"\bwithout (?:(?:increasing|raising|worsening|changing|affecting)|an? (?:increase|rise) in|any (?:increase|rise) in) (?:the )?$", re.I)
# "HbA1c below 7% without level 2 or 3 hypoglycaemia": part of a composite target
_WITHOUT_BEFORE = re.compile(r"\b(?:without|free (?:of|from)|no)(?: any)?(?: combined)? $", re.I)


def _label_as_written(text: str) -> str:
    """The label of an outcome outside the vocabulary: its words as written, on one line."""
    return " ".join(text.split()).strip(" ,;:(")


# "None of the 12 had a severe hypoglycaemic event": the number counts who, the event is negated
_NONE_OF_THE_N = re.compile(r"\b(?:none|not one|no one|neither) of (?:the |these |those |its |our )?\d+\b", re.I)
_LEVEL_BRACKET = re.compile(r"\s?\((?:level|grade) \d\)", re.I)
_NONE_IN_ARM = re.compile(r"[^;.]{0,60}?\b(?:and|but|while|whereas|vs\.?|versus),? (?:in )?(?:none|no (?:participants?|patients?|one|recipients?))"
                          r"(?: (?:in|of|on|with|receiving|given|taking))? (?:the )?(?P<arm>[\w+/.-]+(?: [\w+/.-]+){0,2}?)(?P<label> (?:group|arm|period))?(?=[,;.)]|$| group| arm| period)", re.I)
_NONE_SEVERE = re.compile(r"\b(?:none(?: of (?:which|them|these|the [\w -]{1,30}?))?|no (?:event|episode|case)s?)\s+(?:was|were)\s+(?:severe|level 3)\b", re.I)
_SPECIFIED_BY = re.compile(r"[^;]{0,12}?,? (?:most commonly|mostly|mainly|chiefly|predominantly|most often|including|especially)\b", re.I)
_OWN_NOUN = re.compile(rf"{INT} (?!(?:participants?|patients?|people|subjects?|adults?|children|individuals?|persons?)\b)(?:[a-z][\w-]* )?[a-z][\w-]*s\b")
_BARE_POINTS = re.compile(r"(?<=\d) points?\b(?! (?:on|in) (?:the )?[\w-]+ (?:score|scale|questionnaire))")
_PLACEBO_SUBTRACTED_LEAD = re.compile(r"^\W*(?:after|once) subtracting (?:the )?placebo(?: effect| response)?,", re.I)
# "QW-5127 lowered HbA1c in a dose-dependent manner. Least-squares mean changes from baseline to
# week 24 were −0.4, −1.2 ...": changes that name no measure are of the one the sentence before named
_UNNAMED_CHANGES = re.compile(r"^(?:[\w-]+ ){0,3}(?:mean )?changes? from (?:baseline|randomi[sz]ation)\b", re.I)
# A bracket that breaks a count down by arm: "(tirzepatide 5 mg, three; 10 mg, two)", "(IAK 34 [13.8%], ITA 37 [4.7%])"
# (or a colon: "Nine participants died during the study: two in the tirzepatide 5 mg group, three in ...")
_BREAKDOWN_OPEN = re.compile(r"[^();:\d]{0,60}?(?P<open>[(:])")
_BREAKDOWN_ITEM = re.compile(rf"(?P<label>[A-Za-z0-9][^;,()\[\]]{{0,40}}?),?\s(?P<n>\d+|{NUMBER_WORD_RE})(?:\s?\[(?P<pct>\d+(?:\.\d+)?)\s?%\])?"
                             rf"|(?P<n2>\d+|{NUMBER_WORD_RE})\s(?:(?:in|receiving|on|given)\s)?(?:the\s)?(?P<label2>[A-Za-z0-9][^;,()\[\]]{{0,40}}?)(?:\s(?:group|arm))?", re.I)
_BREAKDOWN_ASIDE = re.compile(r"\s?\([^()]*\)")  # "one receiving sotagliflozin 400 mg (sudden cardiac death)": the cause
# (labels that name arms even where no arm was found: a dose, an abbreviation such as IAK)
_ARM_LIKE_LABEL = re.compile(r"(?:[\w-]+ )?\d+(?:\.\d+)? ?(?:mg|µg|mcg)|[A-Z]{2,6}")
# A line of a listing by participant: "Participant 07 (cohort B): ...", "Patient 3: ..."
_LISTED_PARTICIPANT = re.compile(r"(?:participant|patient|recipient|subject|case)\s(?:no\.\s?|#)?\d{1,3}[a-z]?\s?(?:\((?P<grp>[^():;]{2,40})\))?\s?:\s", re.I)
# "After a year it stood at 0.57 nmol/L in the high-dose group", "At 24 months, the corresponding values were
# 1.2, 0.9 and 0.5 ng/mL": the measure the sentence before named, at a later time
_PRONOUN_LEVEL = re.compile(r"\b(?:it|this) (?:stood at|was|had (?:fallen|risen|dropped|declined) to|reached|averaged|remained at)\s(?:[a-z-]+ ){0,2}?[-−]?\d"
                            r"|\bthe corresponding (?:values|figures|levels|means|medians) (?:were|was)\b", re.I)
_PRONOUN_FROM_TO = re.compile(r"\b(?:it|this) (?:(?:barely |hardly |only )?(?:went|moved|changed|rose|fell|dropped|increased|decreased|improved|climbed|declined))\b,? (?:[a-z]+ ){0,2}(?:from|by)\b", re.I)
_SUBJECT_BRACKET = re.compile(r"^\W*(?:[A-Za-z-]+ ){0,4}[A-Za-z-]+ \($")
_PART_OF_BEFORE = re.compile(rf"(?<![\w.])(?P<k>{INT}) of (?:the |all |these |its )?$", re.I)
# Named in nearly every diabetes trial as a measuring tool or the background treatment; a therapy
# under test only when participants are assigned to it.
_TOOLS_UNLESS_ASSIGNED = frozenset({"insulin", "continuous glucose monitoring"})
# "adults who use automated insulin delivery", "an adjunct to AID": a tool the drug under test is added to
_USED_BACKGROUND = re.compile(r"\b(?:using|use|used|uses|users of|adjunct to|added to|adjunct therapy to)\s(?:an?\s|the\s|their\s)?$", re.I)
# Cells a product is made of, and the words that make a code that product: "the cell product NV-220",
# "NXS-201 (2 × 10⁶ cells/kg each)"
_CELL_DESCRIPTIONS = frozenset({"mesenchymal stromal cells"})
_CELL_PRODUCT_NEAR = re.compile(r"cell product|cells/kg", re.I)
# After a code, words that make it a trial's name: "UIH-001 (Phase 1/2; ...)", "UIH-002, a phase 3 study (n=20)"
_TRIAL_AFTER_CODE = re.compile(r"\s\((?:phase|NCT)|,\s(?:an?|the)\s(?:[\w/–-]+\s){0,4}?(?:study|trial)\b", re.I)
# Insulin units by what follows them: "38 units a day", "at 4 and 7 units per day", "4 units of insulin"
_INSULIN_UNITS_AFTER = re.compile(r"(?:\s?(?:,|and|or|to|–|-)\s?\d+(?:\.\d+)?\s?(?:units?|IU|U))?\s?(?:a day|per day|daily|/day|of (?:\w+ )?insulin)\b", re.I)
# A closed-loop device has no generic name: the trial's own name for it is the one a reader looks
# for. A brand comes first ("the Arvia closed-loop system", "the GlucoSync automated insulin
# delivery (AID) system", "NovaLoop system"); a capitalised word that the text also writes in
# lower case ("Tubeless closed loop") is no brand, nor is a word of an all-capitals title.
_DEVICE_BRAND = re.compile(r"(?<![\w-])(?P<brand>[A-Z][A-Za-z]*(?:-\d+)?(?: Loop)?)\s+(?P<kind>(?:(?:hybrid|fully)\s+)?(?:closed-loop|automated insulin delivery|AID)\s+)?"
                           r"(?:\(AID\)\s+)?system\b")
_NOT_BRAND = frozenset({"The", "A", "An", "This", "That", "Our", "Their", "Its", "Each", "Every", "Any", "Hybrid", "Fully", "Commercial",
                        "Investigational", "Automated", "Insulin", "Delivery", "AID", "HCL", "Background", "Summary", "Methods", "Results"})
# Without a brand, the kind of closed loop as written: "fully closed-loop insulin delivery",
# "advanced hybrid closed-loop (AHCL) therapy", "hybrid closed-loop (HCL) insulin delivery".
_CLOSED_LOOP_KIND = re.compile(r"\b(?P<kind>fully|advanced hybrid|hybrid)\s+closed[- ]loop(?:\s+\([A-Z]+\))?(?P<delivery>\s+insulin delivery)?", re.I)


def device_name(text: str) -> str | None:
    """The name a trial gives its automated-insulin-delivery device, or None for the generic one."""
    for m in _DEVICE_BRAND.finditer(text):
        brand = m.group("brand")
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if brand in _NOT_BRAND or line.upper() == line or re.search(rf"(?<![\w-]){re.escape(brand.lower())}(?![\w-])", text):
            continue
        kind = (m.group("kind") or "").lower().strip()
        # ("the Arvia closed-loop system", "the Meridian AID system": the device's full name; "the
        # ArcLoop closed-loop system", "the AURA-2 hybrid closed-loop system": the brand says it)
        if kind in ("closed-loop", "aid") and not brand.lower().endswith("loop"):
            return f"{brand.lower()} {kind} system"
        return brand.lower()
    kinds = [(m.group("kind").lower(), bool(m.group("delivery"))) for m in _CLOSED_LOOP_KIND.finditer(text)]
    if not kinds:
        return None
    if any(k == "fully" for k, _ in kinds):
        return "fully closed-loop insulin delivery"
    if any(k == "advanced hybrid" for k, _ in kinds):
        return "advanced hybrid closed-loop"
    return "hybrid closed-loop insulin delivery" if any(delivery for _, delivery in kinds) else "hybrid closed-loop"


# (a closed bracket, a comma and words start a clause too)
_BRACKET_CLAUSE_BREAK = re.compile(_CLAUSE_BREAK.pattern + r"|\), (?=[A-Za-z])(?!respectively|and\b|or\b|vs\b|versus\b|compared\b|with\b|in\b)")
# "Nausea was the most frequent adverse event (24 [19.8%], 31 [25.4%], and six [5.0%] participants)"
_MOST_COMMON_BRACKET = re.compile(r"\s(?:was|were) the most (?:common|frequent|frequently reported) (?:adverse )?(?:events?|effects?|reactions?)\s?[(\[]", re.I)
_CI_BRACKET_OPEN = re.compile(r"\((?:9[05]% ?(?:CI|confidence)|CI\b)", re.I)
_REMISSION_DEFINED = re.compile(r"\bremission\b[^.;]{0,25}?(?:\(|\[|,? defined as|:)\s?(?:peak |stimulated |fasting |an? )?$", re.I)
# "... in 79 (1.7%) participants, and adverse events led to ...": a clause ends before a new subject
_AND_NEW_SUBJECT = re.compile(r"[a-z)],\s(?:and|but|while|whereas)\s$", re.I)
_NEW_SUBJECT = re.compile(r",\s(?:and|but|while|whereas)\s(?:no|none|all)\b", re.I)  # "..., and no child stopped treatment"
# "Corresponding reductions in FPG were 1.52, 1.87 and 1.94 mmol/L versus 0.36 mmol/L": a level's change
_CHANGES_WERE = re.compile(r"\b(?:reductions?|decreases?|declines?|falls?|increases?|rises?) (?:in|of) [\w -]{1,30}? (?:were|was|of)\s(?:[\d.,]+|and|versus|vs\.?|mmol/l|mg/dl|\s)*$", re.I)
# causes of death listed one after another ("from X, Y and Z", "of X and of Y")
_CAUSE_LISTED = re.compile(r"\b(?:of|from|due to)\s[\w -]{2,40}?(?:,\s|\sand\s(?:of\s|from\s)?)[\w-]", re.I)
_NONE_AFTER = re.compile(r"\s+(?:occurred|was (?:seen|reported|observed)|developed) in (?:no|none of the)\b"
                         r"|\s+(?:was|were) not (?:seen|reported|observed)\b", re.I)
# What may stand between the values of one list: "40.6%, 45.1% and 17.8%", "0.4% vs 0.1%",
# "2.95 and 3.31 mmol/L" (brackets removed first: "5.8% (5.5-6.1%) and 6.2%").
_LIST_JOIN = re.compile(r"\s*(?:%|[a-zA-Zµ/]+(?:/[a-zA-Z]+)?)?\s*[,;]?\s*(?:and|v(?:s\.?|(?= ))|versus|or|to)?\s*", re.I)
_BRACKETED = re.compile(r"\s?(?:\([^()]*\)|\[[^\[\]]*\])")
# A value that is the subject of the verb after it: "27 of 41 (66%) retained graft function"
_SUBJECT_OF_VERB_AFTER = re.compile(r"(?:\s(?:\w+\s){0,2}?|\s?\)\s)(?:were|was|had|have|retained|achieved|became|reached|remained|maintained|"
                                    r"lost|met|developed|experienced|showed|needed|required)\b", re.I)
_NEXT_CLAUSE = re.compile(r"[;,]\s+(?:and|but|while|whereas)\b", re.I)
# "For context, among 41 recipients treated between 2008 and 2019, ...": another cohort's figures.
_CONTEXT_OPENING = re.compile(r"^\W*(?:for context|for comparison|by comparison|historically|in (?:a |an |our )?historical (?:cohort|control|comparison|series))\b", re.I)
# "A meta-analysis of 11 trials (n=1,862) had found that ...", "consistent with the 1.5-2.5 kg
# typically seen when basal insulin is started": a clause about other work; its numbers are not
# this trial's. The clause runs from the last boundary before the cue (a semicolon, or a comma
# opening a comparison) to the next semicolon.
_OTHER_WORK_WORDS = ("meta-analys", "systematic review", "had found", "had shown", "had reported", "have reported", "have shown",
                     "has shown", "typically", "earlier", "previous", "prior ", "other trials", "other studies", "analyst", "their pivotal",
                     "their own trials", "their trials", "than that reported", "than those reported", "these trials", "these studies",
                     "those trials", "those studies", "most reported", "most showed", "that reported", "which reported", " describe ",
                     "reported for", "reported with", "pilot study", "paediatric trial", "pediatric trial", "larger trial", "separate trial",
                     "larger study", "produced", "achieved", "programme", "program ", "pilot trial")
# (and what others expected or got: "Analysts had, on average, expected weight loss of about 13%",
# "Injectable drugs ... have produced weight loss of 15% to 21% in their pivotal trials")
_OTHER_WORK = re.compile(r"\b(?:meta-analys[ie]s|systematic reviews?|(?:had|have|has) (?:previously |also )?(?:found|shown|reported|demonstrated)|"
                         r"analysts?\b[^;.]{0,40}\b(?:expected|forecast|predicted|anticipated|modell?ed)|in their (?:own |pivotal |registration )?trials|than (?:that|those) reported\b|"
                         r"typically (?:seen|reported|observed)|(?:these|those) (?:[\w-]+ )?(?:trials|studies) (?:reported|showed|found|produced)|"
                         # "two small randomised trials of liraglutide ... that reported weight reductions of 3-5 kg",
                         # "observational cohorts of tirzepatide in type 1 diabetes describe losses of 10-20%"
                         r"(?:trials|studies|cohorts|programmes|programs)\b[^;.]{0,80}?\b(?:that|which) reported|(?:trials|studies|cohorts) of [\w -]{1,40}? describe|^\W*most (?:reported|showed)|(?:earlier|previous|prior|other) (?:[\w-]+ ){0,3}(?:trials|studies|programmes|programs|reports|series)|"
                         # "the earlier adult pilot study, in which", "a single-centre pilot study reported", "the benefit
                         # reported for teplizumab", "Immunotherapies have produced", "in the sotagliflozin programme [24]"
                         r"(?:earlier|previous|prior) (?:(?!of\b|the\b)[\w-]+ ){0,3}(?:trial|study)|the first (?:[\w-]+ ){0,2}pilot (?:study|trial)|pilot (?:study|trial)\b[^;.]{0,60}?\b(?:reported|found|showed|in which)|"
                         r"(?:benefits?|effects?|range|reductions?|differences?|that|those) (?:[\w-]+ )?reported (?:for|with)|(?:paediatric|pediatric|larger|separate) (?:trial|study)\b[^;.]{0,20}?\b(?:in which|found|reported|showed)|"
                         r"(?<!who )(?<!that )(?<!which )(?:have|has|had) (?:also )?(?:produced|achieved)|\bin the [\w-]+ (?:programme|program)|"
                         # "In one of those trials, liraglutide 1.8 mg raised the rate of ketosis"
                         r"\b(?:in|of|from) (?:one|two|three|some|several|each|many|most) of (?:those|these|the (?:earlier|previous|prior)) (?:[\w-]+ )?(?:trials|studies))\b", re.I)
_OTHER_WORK_BOUNDARY = re.compile(r";\s|,\s(?=(?:which is |and )?(?:consistent with|in line with|similar to|comparable to|compared with|versus|"
                                  r"(?:larger|smaller|higher|lower|greater|better|worse) than|as in|as seen|as reported)\b)", re.I)
# "As in previous studies, HbA1c fell ...": the cue in a leading phrase covers only that phrase
_OTHER_WORK_LEAD = re.compile(r"^\W*(?:as in|as with|like|unlike|consistent with|in line with|similar to|in contrast to|compared with)\s(?:the\s)?(?:[\w-]+\s){0,3}$", re.I)


def _other_work_spans(s: str) -> list[tuple[int, int]]:
    """The clauses of a sentence that report other work (see _OTHER_WORK), as spans to mask."""
    spans = []
    for m in _OTHER_WORK.finditer(s):
        if _CITATION.match(s, m.end()) or _CITATION.search(s[m.end() : m.end() + 25]):
            continue  # "reported in up to 5.8% of recipients in earlier trials [7], occurred in two": the citation marks the value
        if _OTHER_WORK_LEAD.match(s[: m.start()]):
            end = s.find(", ", m.end())
            spans.append((0, len(s) if end < 0 else end))
            continue
        start = max((b.end() for b in _OTHER_WORK_BOUNDARY.finditer(s, 0, m.start())), default=0)
        end = s.find(";", m.end())
        spans.append((start, len(s) if end < 0 else end))
    return spans




# "We searched PubMed ... for trials of liraglutide, exenatide or semaglutide": a search strategy
_LEVELS_BRACKET = re.compile(r"[^()]{0,40}?\s?\((?=[^()]*\bv(?:s\.?|ersus)\s)[^()]*\)")
_EVIDENCE_BEFORE = re.compile(r"^[ \t]*Evidence before this study\b", re.I | re.M)
_PANEL_NEXT = re.compile(r"^[ \t]*(?:Added value of this study|Implications of all the available evidence)\b", re.I | re.M)
_SEARCH_STRATEGY = re.compile(r"\bwe searched\b|\bsearch terms?\b|\bsearch(?:es|ed)? (?:of )?(?:pubmed|medline|embase|the cochrane)", re.I)


def _evidence_before_spans(text: str) -> list[tuple[int, int]]:
    """The "Evidence before this study" part of a Lancet-style Research-in-context panel, up to the
    panel's next heading: a search and what other trials found."""
    spans = []
    for m in _EVIDENCE_BEFORE.finditer(text) if "vidence before" in text else ():
        end = _PANEL_NEXT.search(text, m.end())
        spans.append((m.start(), end.start() if end else len(text)))
    return spans


# a therapy named as a rival ("unlike oral semaglutide", "a challenge to ... Zepbound"), not one the document studied
_RIVAL_BEFORE = re.compile(r"\b(?:unlike|differently from|(?:a )?challenge to|rivals?|competitors?|competing with)\b[^.;:,()]{0,50}$", re.I)


def _drop_other_works_therapies(therapies: list[RuleFact], drug_spans, text: str, sentences, sent_of,
                                evidence_before: list[tuple[int, int]] = ()) -> list[RuleFact]:
    """A therapy named only where the text reports other work (a search strategy, "earlier trials of
    liraglutide", "than that reported for teplizumab", a panel's "Evidence before this study") is not
    one this document studied."""
    if not sentences:
        return therapies
    other: dict[int, list[tuple[int, int]]] = {}

    def in_other_work(a: int) -> bool:
        if any(x <= a < y for x, y in evidence_before):
            return True
        if _RIVAL_BEFORE.search(text, max(0, a - 50), a):
            return True  # "unlike oral semaglutide", "a challenge to Novo Nordisk's Wegovy and Eli Lilly's Zepbound": a rival named
        si = sent_of(a)
        s0, s1 = sentences[si]
        if si not in other:
            raw = text[s0:s1]
            low = raw.lower()
            other[si] = [(0, len(raw))] if "search" in low and _SEARCH_STRATEGY.search(raw) \
                else _other_work_spans(raw) if _has_any(low, _OTHER_WORK_WORDS) else []
        return any(x <= a - s0 < y for x, y in other[si])

    keep = []
    for f in therapies:
        mentions = [a for name, a, _ in drug_spans if name == f.name]
        if f.rule != "intervention.code_name" and mentions and all(in_other_work(a) for a in mentions):
            continue
        keep.append(f)
    return keep
# "Type 1 diabetes affects about 9 million people worldwide, and 30% ... each year": the
# disease's epidemiology, not the trial's events or outcomes.
_BACKGROUND_WORDS = ("worldwide", "globally", "each year", "every year", "per year", "affects", "estimates that", "estimate that", "an estimated")
_BACKGROUND_GATE = (*_BACKGROUND_WORDS, "people in ", "people across ", "people around ")  # (what a sentence needs before _BACKGROUND is tried)
_BACKGROUND = re.compile(r"\b(?:worldwide|globally|each year|every year|estimates? that|(?<!\d )(?<!events )(?<!episodes )per year|affects (?:about |approximately |around |some |up to )?\d"
                         r"|an estimated (?:\d[\d,.]*|[a-z]+ (?:million|thousand)) (?:people|adults|children|patients|americans|europeans)\b"
                         # ("Approximately 60,000 people in the U.S. live with ...": a population, in thousands)
                         r"|(?:approximately|about|roughly|some|nearly|more than) \d{1,3}(?:,\d{3})+ (?:people|adults|children|patients|americans|europeans) (?:in|across|around)\b)", re.I)
_PAIR_GAP = re.compile(r"\s?(?:\([^()]{0,40}\)\s?)?(?:at baseline\s)?(?:to|→)\s")  # between a from-to pair's values
_LATER = re.compile(r"\b(?:later|thereafter|afterwards|subsequently)\b", re.I)
_PVALUE = re.compile(r"\b[pP]\s?(?:=|<|>|≤|≥|<=|>=)\s?0?\.\d+(?:\s?[×x]\s?10\s?\^?-?\d+)?|\b[pP][- ]?values?\b")
_CI_AFTER = re.compile(
    r"^\s?[\(\[,;]?\s?(?:(?:95|90|99)\s?% ?(?:ci|confidence interval(?: \[ci\])?|cri)[,:]?\s?|ci[,:]?\s?)?"
    r"\[?(?P<lo>[-+]?\d+(?:\.\d+)?)\s?%?\s?(?:to|-|,|–)\s?(?P<hi>[-+]?\d+(?:\.\d+)?)\s?%?\]?(?=[\);,\]])",
    re.I,
)
_CI_MARK = re.compile(r"(?:95|90|99)\s?% ?(?:ci|confidence interval|cri)\b", re.I)
_DISPERSION_AFTER = re.compile(
    r"^\s?(?:[\(\[]\s?(?:se|sd|sem|s\.e\.|s\.d\.|iqr|range|±|\+/-)?[,:=]?\s?[-+]?\d+(?:\.\d+)?\s?%?[\)\]]"
    # "6.0% (interquartile range, 5.6%-6.6%)": a spread, not values
    r"|[\(\[]\s?(?:iqr|interquartile range|range)[,:=]?\s?[-+]?\d+(?:\.\d+)?\s?%?\s?(?:to|-|–|,)\s?[-+]?\d+(?:\.\d+)?\s?%?(?=[\)\];])"
    r"|±\s?\d+(?:\.\d+)?\s?%?|\+/-\s?\d+(?:\.\d+)?\s?%?)",
    re.I,
)
# Labels, not counts: "cohort 2", "part 1", "month 14", "grade 3" (found from the digits, which
# are far rarer than word starts: one regex alternation over these words was the slowest mask).
_LABEL_WORDS = frozenset({"cohort", "part", "group", "arm", "type", "grade", "stage", "level", "study", "period", "visit", "day",
                          "week", "month", "year", "step", "site", "centre", "center"})
_ID_WORDS = frozenset({"participant", "recipient", "patient", "subject"})
_MORE_IDS = re.compile(r"(?:(?:, | and |, and )\d+\b)+")
_PERSON_AFTER = re.compile(rf"(?: [\w-]+){{0,2}} {PERSON}")
# "Participants 4 and 5 stopped exogenous insulin", "Patients 1, 2 and 3": two (three) people, by number
_ID_LIST = re.compile(r"\b(?:participants|patients|recipients|subjects) (?P<ids>\d+(?:(?:, | and |, and )\d+)+)\b(?! (?:[\w-]+ ){0,2}(?:participants|patients|adults|people))", re.I)
_SPACED_NUMBER = re.compile(r" (\d+)\b(?!\s?[/%(.,]\d|/| of\b)")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)$")


_COMPARATOR_ONLY = re.compile(r"\s(?:above|below|over|under|exceeding|more than|less than|greater than|of more than|of over)\s?", re.I)


def _outcome_distance(o, q, s: str) -> int:
    """How far a value is from an outcome mention, in characters, plus penalties for what lies
    between them (clause breaks, closed brackets, a comparison); the outcome and event passes
    both measure ownership with it."""
    if q.end <= o.start:
        between = s[q.end : o.start]
        # a semicolon after a value closes its clause: the mention after it owns what follows it
        dist = len(between) + (90 if ";" in between else 0) + (15 * between.count(","))
        if ":" in between:
            dist += 60  # "Four SAEs were reported in 3 participants: neutropenia in two": a colon opens a breakdown
        if _AND_NEW_CLAUSE.fullmatch(between) and (re.search(r"\s(?:was|were|had been)\s\w+$", o.text)
                                                   or re.match(r"\s(?:was|were|is|are)\s|\s(?:of\s)?[-−]?\d", s[o.end : o.end + 6])):
            dist += 40  # "HbA1c was 7.0% and insulin use was reduced", "was 5.9% and time in range 96%": the next clause has its own
        if ")" in between and "(" not in between and not _SUBJECT_BRACKET.match(s, 0, q.start):
            dist += 60  # the value closed a parenthesis that belongs to an earlier phrase
            # (unless the bracket sizes the sentence's subject: "• Everyone (30 out of 30) had an HbA1c below 7%")
        if _NEXT_CLAUSE.search(between):
            dist += 80  # "1.8% vs. 3.1% (P=0.04), and HbA1c ...": a new clause owns what follows it
        if re.search(r",|\b(?:and|while|whereas|but)\b", between) and (_OWN_CHANGE_AFTER.match(s, o.end) or re.search(r"\bby$", o.text)):
            dist += 40  # "fell by a mean of 21% and time in range rose from 49% to 63%": the next outcome has its own values
        if _FROM_TO_END.search(s, max(0, q.start - 70), q.start):
            dist += 60  # "HbA1c decreased from 8.4% (SD 1.1) to 6.1% (0.4) and time in range ...": the end of a from-to pair
        return dist
    between = s[o.end : q.start]
    dist = len(between) + 5 + (40 if ";" in between else 0) + (10 * between.count(","))
    if _AND_NEW_CLAUSE.fullmatch(between) and _SUBJECT_OF_VERB_AFTER.match(s, q.end):
        dist += 40  # "were still off insulin and 27 of 41 (66%) retained graft function": the value opens a clause of its own
    if _OPEN_PAREN_AFTER.match(between):
        return min(dist, 10)  # "HbA1c (7.0% vs 7.1%)": the parenthesis gives the mention's values
    if _COMPARATOR_ONLY.fullmatch(between):
        return min(dist, 5)  # "with time in range above 98% and an HbA1c of 5.1%": the value the comparator joins to it
    if re.search(r"\b(?:than|versus|vs|compared (?:with|to)|relative to)\b", between):
        dist += 30
    return dist


def _label_numbers(s: str) -> list[tuple[int, int]]:
    out = []
    for m in _SPACED_NUMBER.finditer(s):
        w = _WORD_BEFORE.search(s, max(0, m.start() - 13), m.start())
        word = w.group(1).lower().removesuffix("s") if w else ""
        if word in _LABEL_WORDS:
            out.append((w.start(), m.end()))
        elif word in _ID_WORDS and not _MORE_IDS.match(s, m.end()) and not _PERSON_AFTER.match(s, m.end()):
            # "Recipient 3 stopped insulin": who, by number (a list of them counts them: _ID_LIST;
            # a heading's "Participants 614 adults with type 2 diabetes" counts them too)
            out.append((w.start(), m.end()))
    return out


# Numbers that are never values: allocation ratios "1:1:1:1", years, and thresholds ("HbA1c of
# 7.5% or higher", "weight reductions of 5% or more"); each scan runs only when its cue is there.
_MASK_PATTERNS = (
    (":", re.compile(r"\b\d+(?::\d+)+\b")),
    # a breakdown set between a share and its verb: "Eight of the ten (80%), five ITA and three IAK
    # recipients, became insulin independent" (the share is the outcome)
    ("%), ", re.compile(r"(?<=%\), )(?:[\w-]+ ){1,3}(?:and|or) (?:[\w-]+ ){1,3}?(?:recipients|participants|patients|people)?(?=, (?:became|were|remained|achieved|reached|had)\b)", re.I)),
    # a strength, not a dose: "pens of 700 units/1.4 mL", "100 U/mL"
    ("/", re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?\s?(?:units?|U|IU|mg)\s?/\s?(?:\d+(?:\.\d+)?\s?)?mL\b", re.I)),
    ("", re.compile(r"\b(?:19|20)\d{2}\b")),
    (" or ", re.compile(
        r"(?<![\w.])\d+(?:\.\d+)?\s?(?:%|mmol/mol|mg/dl|mmol/l|nmol/l|pmol/l|ng/ml|pmol/ml)?(?:\s?\(\d+(?:\.\d+)?\s?(?:%|mmol/mol)\))?\s?or (?:higher|more|greater|above|over|lower|less|below|fewer)\b",
        re.I)),
)

# Masks that need a word of their own: each runs only when the sentence has one of its words
# (lower case), which keeps the per-sentence cost low.
_GATED_MASKS = tuple((gate, re.compile(pattern, re.I)) for gate, pattern in (
    (("not ",), r"\bnot (?:one|a single)\b"),  # "Not one person had ...": a negation, no count
    # who was turned away, not an arm: "97 did not meet the eligibility criteria (fasting C-peptide <0.2 nmol/L, n=61; ...)"
    (("did not meet", "exclu", "ineligible"), r"\b(?:did not meet (?:the )?(?:eligibility|inclusion) criteria|were excluded|ineligible)\s?\([^()]{0,200}\)"),
    # who could enrol, not a result: "adults with type 2 diabetes (HbA1c 7.0-10.5%)", "whose HbA1c was 7.5% to 10.5% despite"
    # (or a criteria list's bare range: "Adults with type 2 diabetes on basal-bolus insulin for ≥1 year, HbA1c 58–97 mmol/mol (7.5–11.0%)")
    (("a1c",), r"(?:^|[,;]\s)hba1c\s\d+(?:\.\d+)?\s?(?:%|mmol/mol)?\s?[-–]\s?\d+(?:\.\d+)?\s?(?:%|mmol/mol)(?:\s?\(\d+(?:\.\d+)?\s?%?\s?[-–]\s?\d+(?:\.\d+)?\s?%\))?(?=\s?[.;,)]|$)"),
    (("a1c",), r"\b(?:diabetes|adults|patients|participants|people)\b[^.;]{0,25}?(?:\(|\bwhose |\bwith an |\band an |\bwith )\s?hba1c(?: of| was| levels? of)?\s"
               r"\d+(?:\.\d+)?\s?(?:%|mmol/mol)?\s?(?:[-–]|to)\s?\d+(?:\.\d+)?\s?(?:%|mmol/mol)(?:\s?\(\d+(?:\.\d+)?\s?%?\s?(?:[-–]|to)\s?\d+(?:\.\d+)?\s?%\))?"),
    # an insulin's titration target, not a result: "both titrated weekly to a fasting glucose of 4.4-7.2 mmol/L"
    (("titrat", "toward"), r"\b(?:titrat\w*|towards?)\b[^.;]{0,60}?\bfasting (?:plasma |blood )?glucose (?:target )?(?:of|between) "
                           r"\d+(?:\.\d+)?\s?(?:[-–]|to|and)\s?\d+(?:\.\d+)?\s?(?:mmol/l|mg/dl)"),
    # "compared the results with a historical cohort of 41 people ..., who had a median of 4
    # severe events a year": what follows is another cohort's
    (("historical",), r"\bhistorical (?:cohort|control|comparator|controls)\b.*"),
    (("ml", "mg"), (
        # albuminuria: "UACR >or=100 mg per gram"; a flow rate in ml per minute ("eGFR of 25 to 75 ml per minute"
        # in a criterion is dropped with its sentence), unless it is kidney function per 1.73 m², an `other` outcome
        r"\b\d+(?:\.\d+)?(?:\s?(?:to|-)\s?\d+(?:\.\d+)?)?\s?ml per min(?!(?:ute)? per 1\.73)|\b\d+(?:\.\d+)?\s?mg(?:/g\b|/mmol\b| per (?:gram|g|mmol)\b)"
    )),
    (("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), (
        r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\w*\.? \d{1,2}\b"  # dates
    )),
    (("kg/m",), r"\b\d+(?:\.\d+)? ?kg/m2\b"),
    (("hour", "hr", "min", " h"), r"\b\d+[- ](?:hour|hr|minute|min|h)\b"),  # test logistics "4-hour test"
    (("site", "centre", "center", "hospital", "countr", "clinic"), (
        r"\b\d+ (?:sites?|centres?|centers?|hospitals?|countries|medical research centres|clinics)\b"
    )),
    (("phase",), r"\bphases? (?:[0-4]|i{1,3}|iv)[ab]?(?:/(?:[0-4]|i{1,3}|iv)[ab]?)?\b"),  # "phase 1/2" is no proportion, "phase 3 trials" no count
    # a threshold written in both units: "a target of below 53 mmol/mol, or 7%" (the second is the same threshold)
    (("mmol/mol",), r"(?:<|≤|\bbelow|\bunder|\bless than|\blower than) ?\d+ ?mmol/mol(?:,? or \d+(?:\.\d+)?\s?%| \(\d+(?:\.\d+)?\s?%\))"),
    ((" in ",), (
        # a ratio in words: "fewer than one in five recipients", "about 7 in 10"
        rf"(?<![\w.-])(?:\d+|{NUMBER_WORD_RE}) in (?:\d+|{NUMBER_WORD_RE})\b(?! (?:of|the|each|all|both|either|patients|participants)\b)"
    )),
    (("detect", "lloq", "quantification"), (
        # "C-peptide above 0.03 nmol/L was detected in 4 of 6": a detection threshold
        r"(?:above|over|≥|>|at least|greater than|more than) \d+(?:\.\d+)? ?(?:nmol/l|pmol/l|ng/ml|pmol/ml)(?= (?:was|were) detected)|"
        r"\b(?:limit of detection|detection limit|lower limit of (?:quantification|detection)|lloq)\W{0,4}(?:[<>≥≤] ?)?\d+(?:\.\d+)?\s?(?:nmol/l|pmol/l|pmol/ml|ng/ml)"
    )),
    (("assessed", "screened"), (
        # "41 patients with type 1 diabetes and problematic hypoglycaemia were assessed": who was screened
        r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?= (?:[a-z-]+ ){1,12}?(?:were|was) (?:assessed|screened)\b)"
    )),
    ((" age",), (
        # demographics of the population: "mean age 54.3 years, 58% men", "547 [52.2%] women"
        r"\b(?:mean|median|average)(?: \[?sd\]?| \(sd\))? age(?:,| was| of)? \d+(?:\.\d+)?(?: ?[(\[][^()\[\]]{0,20}[)\]])? ?(?:years|yrs?|y)\b"
    )),
    (("men", "male", "boys", "girls"), (
        r"(?<![\w.])\d+(?:\.\d+)?\s?%\s(?:were\s)?(?:men|women|male|female|boys|girls)\b"
    )),
    (("established", "history", "prior", "previous", "known"), (
        # the population at entry: "71.4% of the patients had established cardiovascular disease"
        r"(?<![\w.])\d+(?:\.\d+)?\s?% of (?:the )?(?:patients|participants) (?:had|with) (?:established|a history of|prior|previous|known)\b"
    )),
    (("duration",), (
        r"\b(?:diabetes )?duration(?: of (?:type [12] )?diabetes)?(?:,| was| of)? \d+(?:\.\d+)?(?: ?[(\[][^()\[\]]{0,20}[)\]])? ?(?:years|yrs?|y)\b"
    )),
    (("loss", "reduction"), (
        # a responder threshold: "A weight loss of at least 5% was achieved by 87.6%"
        r"\b(?:weight[- ]loss|weight reductions?|losses|loss|reductions?)\s(?:of\s)?(?:at least|≥|>=|more than|>|greater than)\s?\d+(?:\.\d+)?\s?%"
        r"(?:,?\s(?:and\s|or\s)?(?:≥\s?|>=\s?)?\d+(?:\.\d+)?\s?%)*"  # ("of at least 5%, 10% and 15%")
        r"|(?:\bat least|≥|>=|\bmore than)\s?\d+(?:\.\d+)?\s?%(?=\s(?:body\s?)?weight[- ](?:loss|reduction)|\sof (?:their )?(?:baseline |initial |starting |body ?)?weight\b)"  # ("≥10% weight loss was maintained by", "lost at least 5% of their weight")
    )),
    (("≥", ">=", "at least"), (
        # "adverse events reported in ≥5% of patients": the table's reporting threshold
        r"\b(?:reported|occurring|occurred|observed|seen|events?) in (?:≥|>=|at least )\s?\d+(?:\.\d+)?\s?%"
    )),
    (("i²", "i2", "i^2", "tau", "τ"), (
        # a meta-analysis's heterogeneity, not a result
        r"\b(?:I²|I2|I\^2|tau²|tau2|τ²)\s?[=:<>]\s?\d+(?:\.\d+)?\s?%?"
    )),
    (("hr", "or", "rr", "ratio", "relative risk"), (
        r"\b(?:(?-i:a?HR|OR|RR|IRR)|hazard ratio|odds ratio|rate ratio|risk ratio|relative risk)\b[,:=]?\s?\d+(?:\.\d+)?(?![\d%])"
    )),
    (("target",), (
        # a titration target: "titrated to a fasting glucose target of 4·4–7·0 mmol/L (80–130 mg/dL)"
        r"\btarget(?: range)?(?: of)?\s?(?:[<>≤≥]\s?)?\d+(?:\.\d+)?(?:\s?(?:[-–]|to)\s?\d+(?:\.\d+)?)?\s?(?:mmol/l|mg/dl)"
        r"(?:\s?\((?:[<>≤≥]\s?)?\d+(?:\.\d+)?(?:\s?(?:[-–]|to)\s?\d+(?:\.\d+)?)?\s?(?:mmol/l|mg/dl)\))?"
    )),
    (("power",), (
        # a sample-size calculation: "the study had 90% power to detect a 10-percentage-point difference in time in range"
        r"\b\d+(?:\.\d+)?\s?% power\b|\bpower to detect an? (?:difference of |reduction of |increase of )?(?:at least )?[-−]?\d+(?:\.\d+)?"
        r"(?:[- ]?(?:%|percentage[- ]points?|mmol/mol|kg)(?:[- ]point)?)?"
    )),
    (("titrat",), (
        # "titrated toward a fasting glucose level below 100 mg/dL", "titrated weekly towards a fasting glucose below
        # 5.6 mmol/L (100 mg/dL)": the goal of the titration, no measured glucose
        r"\btitrat\w*\b[^.;]{0,60}?(?:\b(?:below|under|of)|<|≤)\s?\d+(?:\.\d+)?\s?(?:mmol/l|mg/dl)"
        r"(?:\s?\(\d+(?:\.\d+)?\s?(?:mmol/l|mg/dl)\))?"
    )),
    (("range", "tir"), (
        # the range that defines time in range: "CGM time in range (3·9–10·0 mmol/L)"
        r"\b(?:time in (?:the )?(?:target )?range|tir)\s?(?:\(|\[|of\s)?\d+(?:\.\d+)?\s?(?:[-–]|to)\s?\d+(?:\.\d+)?\s?(?:mmol/l|mg/dl)[)\]]?"
    )),
    (("remained", "stayed", "kept"), (
        # "HbA1c ... remained below 7% in patients with a functioning graft": the HbA1c target held, not a value
        r"\b(?:remained|stayed|kept)\s(?:\w+\s)?(?:below|under|<)\s?(?:6\.5|7(?:\.0)?)\s?%"
    )),
    (("doctors", "clinicians", "guideline", "experts"), (
        # a treatment goal in news: "fell to 6.6%, well under the 7% level that doctors aim for", "below 7 percent,
        # the level doctors generally aim for"
        r"\d+(?:\.\d+)?\s?(?:%|per ?cent|percent)(?=(?:,? the)? (?:level |target |goal |mark |threshold )?(?:that |which )?(?:most )?"
        r"(?:doctors|clinicians|guidelines|experts)\b)"
    )),
    (("threshold",), (
        r"\bthreshold(?: of| at)? (?:[<>≥≤] ?)?\d+(?:\.\d+)?\s?(?:nmol/l|pmol/l|pmol/ml|ng/ml|mg/dl|mmol/l|mmol/mol|%)"
        # "stayed under the recommended 1% threshold", "reached the 5% threshold": a goal or a cut-off, no result
        r"|\b(?:recommended|consensus|guideline|international|the) (?:[<>≥≤] ?)?\d+(?:\.\d+)?\s?% (?:threshold|target|goal|limit)\b"
    )),
    (("≥", ">", "≤", "<", " or more", " or greater", " or higher", " or above", " or less", " or lower", " or below", "above", "at least",
      "exceed"), (
        # responder thresholds: "A peak C-peptide ≥0.2 pmol/mL was maintained by 95%", "C-peptide of
        # 0.3 ng/mL or more was maintained in 41/44", "Fasting C-peptide was ≥0.3 nmol/L in 21 recipients (88%)",
        # "A peak C-peptide above 0.2 pmol/mL was retained by 38 of 43", "exceeded 0.2 nmol/L in 9"
        r"(?:(?:≥|>|≤|<|\babove|\bat least|\bexceed(?:ed|ing)?)\s?\d+(?:\.\d+)?\s?(?:pmol/ml|pmol/l|nmol/l|ng/ml|mg/dl|mmol/l|%)"
        r"|\d+(?:\.\d+)?\s?(?:pmol/ml|pmol/l|nmol/l|ng/ml|mg/dl|mmol/l|%) or (?:more|greater|higher|above|less|lower|below))"
        rf"(?=\s(?:was|were)\s(?:maintained|retained|preserved|achieved|reached|attained|observed|present|seen)\b|\s(?:in|by)\s(?:\d|(?:{NUMBER_WORD_RE})\b))"
    )),
    (("c-peptide",), (
        # an entry threshold of the population: "adults ... and stimulated C-peptide <0.1 nmol/L received"
        r"\b(?:with|and|had|having)\s(?:an?\s)?(?:(?:stimulated|fasting|peak|random|undetectable)\s)?c-peptide(?:\s(?:levels?|concentrations?))?(?:\sof)?\s?"
        r"(?:<|≤|below|less than|under|>|≥|above|of at least|at least)\s?\d+(?:\.\d+)?\s?(?:nmol/l|pmol/l|ng/ml|pmol/ml)"
    )),
    (("hba1c", "a1c", "glycated"), (
        # an entry threshold of HbA1c: "adults with type 2 diabetes and HbA1c ≥58 mmol/mol (7.5%) despite ..."
        r"(?:\b(?:with|and|had|having)|,)\s(?:an?\s)?(?:hba1c|glycated h[a]?emoglobin|a1c)(?: levels?)?(?: of)?\s?(?:≥|>=|>|of at least|at least|above)\s?"
        r"\d+(?:\.\d+)?\s?(?:%|mmol/mol)(?:\s?\(\d+(?:\.\d+)?\s?(?:%|mmol/mol)\))?|"
        # an entry range of the population: "adults with type 1 diabetes and HbA1c 7.5-10.0% (58-86 mmol/mol)"
        r"(?:\b(?:with|and|had|having)|,)\s(?:an?\s)?(?:hba1c|glycated h[a]?emoglobin|a1c)(?: levels?)?(?: of|,|:)?\s(?:between\s)?"
        r"\d+(?:\.\d+)?\s?%?\s?(?:-|–|to|and)\s?\d+(?:\.\d+)?\s?%(?:\s?\(\d+\s?(?:-|–|to)\s?\d+\s?mmol/mol\))?"
    )),
))


def _mask_spans(s: str, lower: str) -> list[tuple[int, int]]:
    """Spans of numbers that are no values (see _MASK_PATTERNS and _GATED_MASKS)."""
    spans = [(m.start(), m.end()) for cue, rx in _MASK_PATTERNS if cue in lower for m in rx.finditer(s)]
    for gate, rx in _GATED_MASKS:
        if any(g in lower for g in gate):
            spans += [(m.start(), m.end()) for m in rx.finditer(s)]
    return spans


_GENERIC_AE = {"adverse event", "serious adverse event"}
# "..., leading to dose reduction in three and to discontinuation in one": what followed an event, for how many
_CONSEQUENCE_IN = re.compile(r"\b(?:leading|led|resulting) (?:to|in) (?:[\w-]+ ){0,6}in (?:(?:\d+|[a-z]+) and (?:to )?(?:[\w-]+ ){0,6}in )?$", re.I)
# "giving 5-year patient survival of 96.8% and 94.1%": who lived, no event rate
_SURVIVAL_OF = re.compile(r"\bsurvival (?:rates? )?(?:of|was|were|at [\w-]+(?: years?)? (?:was|were)|:)?\s?(?:[\d.]+%(?:,? (?:and )?|\s))*$", re.I)
# "fell by 2.1 mmol/L (38 mg/dL) with A vs 0.5 mmol/L": the same fall in other units, or the other arm's, follows
_FALL_CONTINUES = re.compile(r"\s?\(|\)?[^;.()]{0,60}?\b(?:vs\.?|versus|compared with|against)\s", re.I)
# "31 to 20 mg, 30 to 40 mg ... and 30 to placebo": counts allocated to doses, no dose ranges
_ALLOCATED_TO_DOSE = re.compile(r"(?<![\d.])\d+ to (?:placebo\b|\d+(?:\.\d+)? ?(?:mg|µg|mcg)\b)", re.I)
# A hormone the lexicon also knows as a drug, measured, stained for or given as rescue
_HORMONE_MEASURED = re.compile(r"\s(?:responses?|secretion|levels?|concentrations?|stimulation|was given|were given|rescue was)\b", re.I)
_HORMONE_STAINED = re.compile(r"\bpositive for (?:[\w-]+,? )*(?:and )?$", re.I)
# A trial other than the one reported, planned or under way ("A further expansion cohort", "an
# ongoing multicentre trial", "A larger phase 3 trial")
_ANOTHER_TRIAL = re.compile(r"\b(?:further|larger|next|another|ongoing|new|expansion|follow-on|subsequent|pivotal|confirmatory)\b(?: [\w-]+){0,3}? (?:trial|study|cohort)\b", re.I)
_NUMERIC = re.compile(r"\d|(?<![\w-])(?:" + NUMBER_WORD_RE + r"|all|none|each|an? (?:year|month|week|day)|no (?:[\w-]+ )?(?:participant|patient|recipient|subject)s?"
                      r"|no (?:child|one)|nobody|neither|no (?:treatment )?discontinuations?)(?![\w])", re.I)
_NEGATION_QUICK = re.compile(r"\b(?:no|none|not|without|zero|never|free|nobody|neither)\b", re.I)
# Substring gates (on the lower-cased sentence): far cheaper than running the full patterns.
_TIME_WORDS = ("day", "week", "month", "year", "baseline", "wk", "mo", "follow")
_PERSON_WORDS = ("participant", "patient", "subject", "individual", "people", "person", "adult", "child", "kid",
                 "adolescent", "recipient", "volunteer", "men", "case", "infant", "those", "completers", "youth", "users", "pts")
_UNIT_WORDS = ("mg", "ml", "iu", "unit", "cell", "ieq", "ein/", "islet equiv", "mol", "ng/", "kg", "percentage point", "bpm", "mmhg", "mm hg",
               "device", "µg", "μg", "mcg", "per patient-year", "per person-year", "per participant-year", "per 100 p", "u/day", "/patient-year", " u ",
               "per millilit", "per decilit")  # ("1.34 ng per milliliter")

# --- Shapes of news, press releases and full-text results (each named where a rule reads it)
# "No one in the pump group had a severe hypo, compared with three in the control group": a count of another arm follows
_OTHER_ARM_AFTER = re.compile(r"[^.;]{0,40}?,? (?:(?:compared with|compared to|versus|vs\.?|against|but|while|whereas) (?:in )?(?:" + NUMBER_WORD_RE + r"|\d)"
                              # ("no diabetic ketoacidosis in the active arm and one episode in the placebo arm")
                              r"|and (?:" + NUMBER_WORD_RE + r"|\d+) (?:episodes? |events? |cases? )?(?:occurred )?in (?:the |a )?[\w-]+(?: [\w-]+)? (?:group|arm|participants?|recipients?|patients?)\b)", re.I)
# "once-weekly insulin tevodec reduced HbA1c by 1.47 percentage points": the therapy as the subject of its result names the arm
_RESULT_VERB_AFTER = re.compile(r"\s(?:reduced|lowered|decreased|improved|increased|raised|cut|produced|achieved|led to|resulted in)\b", re.I)
# Hypoglycaemia that describes who took part, not an event of the trial
_WITH_HYPOS_BEFORE = re.compile(r"\b(?:people|patients|adults|participants|individuals|those|children|volunteers|recipients) with (?:the most |frequent |repeated |recurrent |problematic |dangerous )?$", re.I)
_IN_YEAR_BEFORE_ENTRY = re.compile(r"(?:\s(?:episodes?|events?))?\s(?:in|during|over) the (?:previous|preceding|prior|past) (?:year|12 months)\b", re.I)
# "Two serious adverse events occurred (...)": the events counted, when no people are (_PERSON_COUNT_AFTER)
_EVENT_TOTAL_BEFORE = re.compile(rf"(?<![\w.,-])(?<!least )(?<!than )(?P<n>\d+|{NUMBER_WORD_RE}) (?:treatment-emergent )?$", re.I)
_PERSON_COUNT_AFTER = re.compile(rf"(?:\s(?:were|was|have been|had been))?(?:\s(?:reported|recorded|observed|occurred|seen|noted))?\s(?:in|among|by) (?:\d+|{NUMBER_WORD_RE}|all|none)\b", re.I)
# "Two serious adverse events (pneumonia and acute kidney injury) were recorded", "One serious
# adverse event, a wound infection that ..., was", "Three serious adverse events occurred in three
# participants (A, B and C)", "Two serious adverse events occurred: one A and one B": the events listed
_SAE_BREAKDOWN = re.compile(r"\s?(?:(?:occurred|were reported|was reported|were recorded|was recorded)(?: in (?:\w+ )?(?:separate )?(?:participants?|patients?|recipients?))?)?\s?(?P<open>[(:,—–])\s?", re.I)
_LISTED_COUNT_BEFORE = re.compile(rf"\b(?P<n>{NUMBER_WORD_RE}|\d+|both)(?: (?:episodes?|cases?|events?) of)?(?: an?)? (?:[\w-]+ ){{0,3}}$", re.I)
# "every one of them had an HbA1c below 7%", "in every recipient": all, out of a denominator given before
_EVERYONE = re.compile(r"(?<!almost )(?<!nearly )\b(?:(?:every one of (?:them|those)|(?<=, )every one|all of them|each of them|everyone|every (?:[\w-]+ )?(?:participant|patient|recipient)|"
                       r"(?:(?<=, )|(?<=\band ))all)(?= (?:also |still )?(?:had|have|has|achieved|reached|brought|became|met|attained|remained|stayed|"
                       r"no longer|produced|made|kept|maintained|was|were)\b)|everyone's|(?<=\bin )every (?:[\w-]+ )?(?:participant|patient|recipient)\b)", re.I)
# "ETD −0.19 (95% CI ...)", "estimated treatment difference −0.22": a difference written without its unit
_DIFFERENCE_BARE = re.compile(r"\b(?:ETDs?|(?:estimated |adjusted |mean |absolute )*(?:treatment )?difference)[,:]?\s(?:of\s)?(?P<v>[-+−]\d+(?:\.\d+)?)"
                              r"(?!\s?(?:%|percentage|mmol|kg|mg|nmol|pmol|µg|u\b|iu\b|units?\b|events?\b|per\b)|\d|\.\d)", re.I)
# "3 severe hypoglycaemic events in the transplant arm, against 41 in the control arm"
# ("6 severe hypoglycaemic events occurred in the rtCGM group and 23 in the SMBG group", "(two events with tirzepatide, three with placebo)")
_EVENTS_AGAINST = re.compile(rf"[^;.()]{{0,40}}?(?:,?\s(?:against|versus|vs\.?|compared with|and)|,)\s(?P<b>\d+|{NUMBER_WORD_RE})(?=\s(?:in|with|among|on)\b)", re.I)
# "the full dose of 0.8 × 10⁹ cells", "a half dose, 0.4 billion cells": the dose arm of a cell dose
_DOSE_NAMED_BEFORE = re.compile(r"\b(?P<level>full|half)(?: the)?(?: target)? dose(?: of| was|,| \(|:)?\s?(?:about |approximately |roughly |around |~)?$", re.I)
# the severe hypoglycaemia a trial's participants had before it (see TrialRules._baseline_event_rate)
_SEVERE_HYPO_WORDS = re.compile(r"\bsevere (?:hypo|low)|\bSHEs?\b|\bsuch events\b")
_BASELINE_EVENT_RATE = re.compile(
    rf"\b(?:a (?:median|mean) of|an average of|on average|averag(?:ed|ing)(?: of)?|(?<!at least )had experienced|experienced)\s"
    rf"(?P<v>{DEC}|{NUMBER_WORD_RE})\b(?!\s?(?:%|years?\b|months?\b|weeks?\b|days?\b|kg\b|mmol|mg\b|units?\b))(?:\s?\([^()]{{0,30}}\))?(?:\s(?:such\s|severe\s)?(?:hypoglyc\w+\s)?(?:events?|episodes?|hypos|SHEs))?"
    rf"(?:\s?\([^()]{{0,30}}\))?(?P<per>\s(?:per|a) (?:participant-year|patient-year|person-year|participant|patient|person|year))?", re.I)
_BEFORE_ENTRY = re.compile(r"[^.;]{0,60}?\b(?:in the (?:year|12 months) (?:before|prior to|preceding)|(?:in|during) the (?:previous|preceding|prior|past) "
                           r"(?:year|12 months)|before (?:enrolment|enrollment|treatment|transplant\w*|the trial|dosing|infusion|randomi[sz]ation))", re.I)
_BEFORE_ENTRY_LEAD = re.compile(r"^\W*before (?:the (?:trial|study|treatment|infusion)|their transplants?|enrolment|enrollment|treatment)\b", re.I)
# "all 12 had an HbA1c below 7% and were free of ...": a second predicate of one subject (_shared_subject)
_AND_WERE_BEFORE = re.compile(r"\band (?:were|was|had|have|became)(?: been| also| all| still)? (?:[\w-]+ )?$", re.I)
# "NRX-52 (orvislecel)", "orvalecel (also called OT-55)", "tolvacel or CLR-207": a code and the name it stands for
_NAME_IN_BRACKET_AFTER = re.compile(r"\s?\((?:also (?:called|known as) |generic name )?(?P<name>[A-Za-z][\w-]{3,40})\)")
# ("tegalicel (formerly BRX-412)", "ravislecel, formerly known as HCT-220", "autologous Tregs (product code TRC-06)")
_CALLED_BEFORE = re.compile(r"(?:\s?\((?:also (?:called|known as) |a\.?k\.?a\.? |(?:formerly|previously)(?: known as| called)? |(?:product|development) code )?"
                            r"|,? (?:also (?:called|known as)|or|a\.?k\.?a\.?|(?:formerly|previously)(?: known as| called)?) )$", re.I)
# "UIH-001 (NCT00566813) and UIH-002 (...) ... (10 and 20, respectively)": studies named by code label their sizes
_STUDY_CODE = re.compile(r"\b(?-i:[A-Z]{2,6}-\d{2,4})\b(?=\s\((?:phase|NCT|n ?=))", re.I)
# "Fifty took verapamil ... and 46 took a placebo": arm sizes as news writes them (_took_arm)
_N_TOOK = re.compile(rf"(?:^\W*|[,;:] |\band |\bwhile |\bwhereas )(?:the other |the remaining )?(?P<n>{INT})(?: of them)? (?:took|got|received) (?:a |an |the )?", re.I)
_PLACEBO_TAKEN = re.compile(r"(?:look-alike |dummy |matching |identical )?(?:placebo|dummy pills?)\b", re.I)
# "No one in the pump group", "not one of the 12", "all but one": no count of one
_NO_ONE_BEFORE = re.compile(r"\bno[t]?[- ]$|\bbut $", re.I)
# "one episode of diabetic ketoacidosis", "One severe hypoglycaemic episode occurred in each group":
# one event, one person who had it (for hypoglycaemia the event count stays an outcome too:
# annotators give it either way, and as a person count more often)
_ONE_EVENT_OF = re.compile(r"(?:one|1) (?:(?:episode|event|case) of |(?:episode|event|case) (?=in the |occurred)|severe (?:\((?:level|grade) 3\) )?hypoglyc\w* (?:episode|event)\b)", re.I)


_RECEIVED_HEAD = re.compile(rf"(?:^|[,;:] |\bwhom )(?P<n>{INT}) (?:participants |patients |subjects |children |adults |recipients )?(?:had |have )?(?:received|were given|continued|switched (?:from|to)) (?:the |a |an )?"
                            # "24 had a functioning kidney graft (islet-after-kidney, IAK) and 42 received islets alone (ITA)"
                            rf"|(?:^|[,;:] |\bwhom )(?P<n_had>{INT}) (?:had|underwent) (?:the |a |an )?(?=[^()]{{0,80}}\((?:[^(),]{{1,40}}, )?(?=[\w-]*[A-Z][\w-]*[A-Z])[A-Za-z][\w-]{{1,9}}\))", re.I)
_RECEIVED_NEXT = re.compile(rf"(?:,? and |, )(?P<n>{INT}) (?:had |have )?(?:(?:received|were given|continued|switched (?:from|to)) )?(?:the |a |an )?", re.I)
_DOSE_OF_AFTER = re.compile(r" of (?:[\d.,]+|[a-z]+)(?: (?:million|billion))?(?: [A-Za-z/²]+){1,2}(?=,| and\b|;|\.|$)")
_ITEM_ABBR = re.compile(r"[A-Za-z][^()]{0,80}? \((?:[^(),]{1,40}, )?(?P<label>(?=[\w-]*[A-Z][\w-]*[A-Z])[A-Za-z][\w-]{1,9})\)"
                        r"(?: (?!and\b|or\b)[a-z][\w-]*){0,2}(?=[,;.]|,? and | or |$)")
_ARM_WORD = re.compile(rf"(?!{NUMBER_WORD_RE}\b|\d)[A-Za-z][\w-]*(?= \(|,|;|\.(?!\d)| and\b| or\b| - |$)")


def _received_list(s: str, groups: list[Mention]) -> list[tuple[int, int, int, str]]:
    """(n, start, end, arm) for "N received A, N B(,) and N C"; [] unless two or more arms parse.
    An arm is a group mention starting where the item's words end (a drug, a dose, placebo),
    else one word ("corvadec"); "received two infusions" names no arm."""
    for head in _RECEIVED_HEAD.finditer(s):
        items, m, at = [], head, head.end()
        while m is not None:
            g = next((g for g in groups if g.start == at), None)
            key = "n" if m.group("n") else "n_had"
            n = _int(m.group(key))
            # "57 received islet-after-kidney (IAK) transplantation and 74 islet transplantation
            # alone (ITA)": an item of several words is named by the abbreviation it defines.
            if abbr := _ITEM_ABBR.match(s, at):
                if n is None:
                    break
                items.append((n, m.start(key), m.end(key), abbr.group("label")))
                m = _RECEIVED_NEXT.match(s, abbr.end())
                at = m.end() if m else -1
                continue
            word = None if g else _ARM_WORD.match(s, at)
            if not g and not word:
                break
            end = g.end if g else word.end()
            if n is None:
                break
            if g is not None and (dose_of := _DOSE_OF_AFTER.match(s, end)):
                end = dose_of.end()  # "three received a low dose of 50 million cells and three ..."
            # "143 had received dalvoglutide (continuers)": the label in brackets is what the text calls the arm
            label = re.match(r" \((?P<label>[A-Za-z][\w/+-]*(?: [A-Za-z][\w/+-]*){0,2})\)", s[end:])
            items.append((n, m.start(key), m.end(key), label.group("label") if label else g.text if g else word.group(0)))
            end += len(re.match(r"(?: \([^()]{1,40}\))?", s[end:]).group(0))
            if g is not None and g.rule == "group.dose_level" and (drug_word := _ARM_WORD.match(s, end + 1)) and s[end : end + 1] == " " \
                    and _RECEIVED_NEXT.match(s, drug_word.end()):
                end = drug_word.end()  # "32 received low-dose verapamil, 33 high-dose verapamil": the dose level's drug
            m = _RECEIVED_NEXT.match(s, end)
            at = m.end() if m else -1
        if len(items) >= 2:
            return items
    return []


# "39, 38 and 37 were assigned to baricitinib 4 mg, baricitinib 2 mg and placebo, respectively",
# "(263, 265 and 265 to the 200 mg, 400 mg and placebo groups)": a list of counts and a list of arms
_COUNTS_TO_ARMS = re.compile(
    rf"(?<![\w.,])(?P<ns>{INT}(?:, {INT})*,? and {INT})(?: {PERSON})? (?:were |was )?(?:(?:randomly )?(?:assigned|randomi[sz]ed|allocated) )?"
    r"to (?:the |receive )?(?P<arms>[^;:()]{3,160}?)(?:(?P<plural> (?:groups|arms|cohorts))|,? respectively)(?=[\s,;.)]|$)", re.I)


def _counts_to_arms(s: str) -> list[tuple[int, int, int, str]]:
    """(n, start, end, arm) for a list of counts assigned to as many arms (_COUNTS_TO_ARMS); [] when
    the lists differ in length."""
    out: list[tuple[int, int, int, str]] = []
    for m in _COUNTS_TO_ARMS.finditer(s):
        counts = list(re.finditer(INT, m.group("ns")))
        arms = [a.strip() for a in _ARM_LIST_JOIN.split(m.group("arms")) if a.strip()]
        if len(arms) != len(counts) or any(len(a) > 40 for a in arms):
            continue
        for c, arm in zip(counts, arms, strict=True):
            n = _int(c.group(0))
            if n:
                out.append((n, m.start("ns") + c.start(), m.start("ns") + c.end(), arm))
    return out


_EACH_ARM_BRACKET = re.compile(rf"(?: occurred| were reported)?\s?\((?P<n>{INT})(?= (?:in each|per) (?:group|arm)\))", re.I)
_ARM_ABBREVIATION = re.compile(r"(?<![\w-])(?-i:[A-Z]{2,6})(?![\w-])")
_NOT_ARM_ABBREVIATIONS = frozenset({"CI", "SD", "SE", "IQR", "BMI", "NCT", "HR", "OR", "RR", "ITT", "MMTT", "USA", "UK", "EU", "US", "HBA", "TIR",
                                    "TBR", "TAR", "DKA", "SAE", "AE", "AUC", "PK", "PD", "FDA", "EMA", "ADA", "EASD", "NHS", "ISRCTN", "IV", "II", "III",
                                    "IU", "BID", "QD", "QW", "GLP", "GIP", "SGLT", "DPP", "LS", "ETD", "MD", "NS", "NA", "PI",
                                    "SR", "XR", "ER", "IR", "DR", "MR"})  # (formulations: "extended-release (SR)")
_THIS_COHORT = re.compile(r"(?:In|Among|For) ((?:this|that|the same) (?:cohort|part|group|dose group))\b")
_ABBR_COUNT_ITEM = re.compile(r"(?P<n>\d{1,3}(?:,\d{3})+|\d+) (?P<a>(?-i:[A-Z]{2,6}))\b")
_ABBR_COUNT_RUN = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})*(?:\d)* (?-i:[A-Z]{2,6})\b(?:(?:, |,? and )\d{1,3}(?:,\d{3})*(?:\d)* (?-i:[A-Z]{2,6})\b)+"
                             r"(?= (?:recipients|patients|participants|transplants|procedures)\b|[,;.)]| were\b)")
_ERA_BEFORE = re.compile(r"(?<![\w–-])((?:19|20)\d{2}[–-](?:19|20)?\d{2}) ?$")
_DOSE_LEVEL_BEFORE = re.compile(r"\b((?:low|lower|high|higher|full|half|standard|intermediate|middle|medium|mid)[- ]dose)(?: group| arm| cohort)? ?$", re.I)


def _bracket_owner(s: str, at: int, drugs) -> str | None:
    """"rabbit antithymocyte globulin (rATG, 6 mg/kg total; n = 24) or alemtuzumab (30 mg;
    n = 24)": the arm a bracket with an arm's size belongs to, named by the abbreviation that
    opens it or else by the drug right before it, as written."""
    opening = s.rfind("(", 0, at)
    if opening < 0 or ")" in s[opening:at] or not re.fullmatch(r"(?:[^()]{0,50}?[;,]\s?)?", s[opening + 1 : at]):
        return None
    label = re.match(r"\(((?:cohort|part|group|arm|stage|level) [A-Z0-9]{1,2}|[a-z][\w-]*(?: [\w-]+)? (?:group|arm|cohort))[,;]\s", s[opening:], re.I)
    if label:
        return label.group(1)  # "(cohort 2; n = 6)", "(transplant group, n=28)"
    abbr = re.match(r"\(([A-Za-z][A-Za-z0-9-]{1,11})[,;]\s", s[opening:])
    if abbr and re.search(r"[A-Z]", abbr.group(1)) and not re.fullmatch(r"[nN]|SD|SE|IQR|range|mean|median", abbr.group(1)):
        return abbr.group(1)
    owner = next((d for d in drugs if d[2] == opening - 1 and s[opening - 1] == " "), None) \
        or next((d for d in drugs if d[2] == opening), None)
    if owner is None:
        # "low-dose (0.3 × 10⁹ cells; n = 3), middle-dose (...)": a dose level names its bracket;
        # "three eras: 2000–2006 (n = 412), 2007–2013 (n = 538)": so does a period
        level = _DOSE_LEVEL_BEFORE.search(s, max(0, opening - 30), opening) or _ERA_BEFORE.search(s, max(0, opening - 12), opening)
        return level.group(1) if level else None
    return s[owner[1] : owner[2]]


def _singular(name: str) -> str:
    """"mouth ulcers" -> "mouth ulcer": event names are singular (FACTS.md)."""
    if name.endswith(("ss", "is", "us", "ia")) or not name.endswith("s"):
        return name
    return name[:-2] if name.endswith(("ches", "shes", "xes")) else name[:-1]


def _list_joined(s: str, end: int, start: int) -> bool:
    """Two values at s[..end] and s[start..] are items of one list ("40.6%, 45.1% and 17.8%")."""
    return bool(_LIST_JOIN.fullmatch(_BRACKETED.sub("", s[end:start])))


def _bracket_restatements(facts: list[RuleFact], norm: dict[int, str]) -> None:
    """"6.9% (52 mmol/mol) and 7.3% (56 mmol/mol), respectively": a value restated in another unit
    in brackets right after a value is the same arm's."""
    by_sent: dict[int, list[RuleFact]] = {}
    for f in facts:
        if f.kind == "outcome" and f.span is not None:
            by_sent.setdefault(f.sent, []).append(f)
    for sent, fs in by_sent.items():
        s = norm.get(sent, "")
        for f in fs:
            if f.group is not None:
                continue
            host = next((h for h in fs if h is not f and h.group and h.name == f.name and h.span[1] <= f.span[0]
                         and re.fullmatch(r"\s*[(\[]\s*", s[h.span[1] : f.span[0]])), None)
            if host is not None:
                f.group, f.group_inferred = host.group, True


def _carry_paragraph_arm(facts: list[RuleFact], text: str, sentences: list[tuple[int, int]]) -> None:
    """"Among the 12 full-dose recipients, C-peptide was detectable in all by day 90. At 1 year, ten
    (83%) were off insulin": in a trial of several arms, a sentence that names no arm goes on about
    the one arm the sentence before it named, to the end of the paragraph."""
    arms = {_arm_key(f.group) for f in facts if f.group and f.kind in ("sample_size", "dose", "outcome", "adverse_event")}
    if len(arms) < 2 or not sentences:
        return
    by_sent: dict[int, list[RuleFact]] = {}
    for f in facts:
        by_sent.setdefault(f.sent, []).append(f)
    current: str | None = None
    for si in range(len(sentences)):
        if si and "\n" in text[sentences[si - 1][1] : sentences[si][0] + 1]:
            current = None  # a new paragraph
        fs = [f for f in by_sent.get(si, ()) if f.kind in ("sample_size", "dose", "outcome", "adverse_event")]
        named = {_arm_key(f.group): f.group for f in fs if f.group}
        if len(named) == 1:
            current = next(iter(named.values()))
        elif len(named) > 1 or any(f.contrast for f in fs):
            current = None  # a comparison of arms: what follows is not one arm's
        elif current is not None:
            for f in fs:
                if f.kind in ("outcome", "adverse_event") and f.group is None:
                    f.group, f.group_inferred = current, True


def _shared_subject(s: str, out_facts: list[RuleFact], outcomes: list) -> list[RuleFact]:
    """"all 12 had an HbA1c below 7% and were free of severe hypoglycaemic episodes": the one
    proportion is the subject of both predicates, so both outcomes have it."""
    extra = []
    named = {f.name for f in out_facts}
    for mn in outcomes:
        if mn.name in named or mn.name.startswith("_"):
            continue
        lead = _AND_WERE_BEFORE.search(s, max(0, mn.start - 40), mn.start)
        if lead is None:
            continue
        f = next((f for f in reversed(out_facts) if f.span and f.span[1] <= lead.start() and f.unit == "%" and f.value == 100.0
                  and f.rule.endswith(("prop.all_n", "prop.everyone"))), None)
        if f is not None and not re.search(r"[;:]|\bbut\b", s[f.span[1] : lead.start()]):
            extra.append(replace(f, name=mn.name, rule=f"outcome.{mn.name}.shared_subject"))
            named.add(mn.name)
    return extra


def _took_arm(s: str, at: int, drugs) -> str | None:
    """The arm named right after "took"/"got": a therapy of the sentence, or a placebo."""
    drug = next((name for name, a, _ in drugs if a == at), None)
    if drug:
        return drug
    return "placebo" if _PLACEBO_TAKEN.match(s, at) else None


def _levels_behind_a_change(facts: list[RuleFact], norm: dict[int, str]) -> list[RuleFact]:
    """"Total daily insulin dose was 10% lower with A (0.74 vs. 0.82 U/kg/day)": the bracket after a
    relative change holds the arms' levels, not further changes."""
    drop: set[int] = set()
    for h in facts:
        if h.kind != "outcome" or h.span is None or h.unit != "%" or not h.name.endswith("_change"):
            continue
        s = norm.get(h.sent, "")
        bracket = _LEVELS_BRACKET.match(s, h.span[1])
        if bracket is None:
            continue
        for f in facts:
            if f is not h and f.sent == h.sent and f.name == h.name and f.span and f.unit not in ("%", "percentage points") and not f.contrast \
                    and bracket.start() < f.span[0] < bracket.end():
                drop.add(id(f))
    return [f for f in facts if id(f) not in drop] if drop else facts


def _timepoint_list(s: str, cands: list[Quantity]) -> dict[int, str]:
    """"graft survival at 1, 5 and 10 years was 90%, 72% and 55% in IAK and 94%, 76% and 61% in
    SIK": each run of as many values as the times listed takes those times in order."""
    out: dict[int, str] = {}
    for m in _TIMEPOINT_LIST.finditer(s):
        times = re.findall(r"\d+", m.group("ns"))
        unit = m.group("u").lower().rstrip("s")
        labels = [f"{t} {unit}" + ("" if t == "1" else "s") for t in times]
        run: list[int] = []
        for qi, q in enumerate(cands):
            if q.start < m.end():
                continue
            if run and not _list_joined(s, cands[run[-1]].end, q.start):
                if len(run) == len(labels):
                    out.update(zip(run, labels, strict=True))
                run = []
            run.append(qi)
        if len(run) == len(labels):
            out.update(zip(run, labels, strict=True))
    return out


def _one_arm_for_a_comparison(facts: list[RuleFact], norm: dict[int, str]) -> None:
    """"more frequent with ertugliflozin (8.4% and 9.5% vs 2.3%)": values compared with one
    another in one list are not all the arm named before the list; they lose that arm, and the
    arm-order pass reads them as the arms the text last listed."""
    runs: dict[tuple, list[RuleFact]] = {}
    for f in facts:
        if f.kind in ("outcome", "adverse_event") and f.span is not None and f.group and not f.contrast:
            runs.setdefault((f.sent, f.kind, f.name, f.unit, f.group), []).append(f)
    for (sent, *_), fs in runs.items():
        if len(fs) < 2:
            continue
        fs.sort(key=lambda f: f.span[0])
        s = norm.get(sent, "")
        joins = [s[a.span[1] : b.span[0]] for a, b in zip(fs, fs[1:], strict=False)]
        if all(_LIST_JOIN.fullmatch(j) for j in joins) and any(_VERSUS_WORD.search(j) for j in joins):
            for f in fs:
                f.group = None


def _shared_contrast(facts: list[RuleFact], norm: dict[int, str]) -> None:
    """"Body weight fell by 2.9 kg and 3.4 kg more than with placebo": a comparison written once
    after a list of values is every value's."""
    runs: dict[tuple, list[RuleFact]] = {}
    for f in facts:
        if f.kind == "outcome" and f.span is not None:
            runs.setdefault((f.sent, f.name, f.unit), []).append(f)
    for (sent, *_), fs in runs.items():
        fs.sort(key=lambda f: f.span[0])
        last = fs[-1]
        s = norm.get(sent, "")
        if len(fs) < 2 or not last.contrast or not _COMPARISON_RIGHT_AFTER.match(s, last.span[1]):
            continue
        i = len(fs) - 1
        while i > 0 and not fs[i - 1].contrast and re.fullmatch(r"\s?[a-zA-Z%/]*,?\s(?:and\s)?", s[fs[i - 1].span[1] : fs[i].span[0]]):
            i -= 1
            fs[i].contrast = last.contrast


def _arms_of(arms: list[tuple[int, str]], label: str) -> list[str]:
    """The arms of an order that "the <label> groups" covers: those naming the therapy, or for
    "active" every arm but placebo and controls."""
    if label in _ACTIVE_LABELS:
        return [a for _, a in arms if not _CONTROL_ARM.search(a)]
    return [a for _, a in arms if label in a.lower()]


def _first_of_arm_list(s: str, after: int, label: str, groups: list[Mention]) -> bool:
    """Whether the arm ``label`` named after ``after`` opens a list of arms ("to A, B or C")."""
    first = next((g for g in groups if g.start >= after and g.text == label), None)
    return first is not None and any(
        g.start > first.end and re.fullmatch(r"(?: once daily| twice daily)?(?: \([^()]{0,30}\))?(?:,? (?:and|or)|,) (?:to )?", s[first.end : g.start])
        for g in groups)


def _assigned_label(s: str, at: int) -> str | None:
    """"randomized to real-time CGM with monthly coaching (n = 186), real-time CGM alone (n = 181)
    or BGM (n = 92)": an arm no lexicon names is the words the assignment gives it before its size."""
    if s[at - 1 : at] != "(":
        return None
    assigned = _ASSIGNED.search(s, 0, at)
    if assigned is None:
        return None
    item = _ASSIGNED_ITEM.search(s, assigned.end() - 2, at - 1)
    if item is None:
        return None
    label = re.sub(r"^(?:or|and|to)\s(?:the\s)?", "", item.group("label").strip())
    return label if 1 <= len(label.split()) <= 8 and not re.search(r"\d", label) else None


def _combination_arms(s: str, groups: list[Mention]) -> list[Mention]:
    """"dapilintide 2.4 mg plus semaglutide 2.4 mg (n=52)": two therapies given together are one arm."""
    out: list[Mention] = []
    for g in groups:
        prev = out[-1] if out else None
        if prev is not None and prev.rule in _THERAPY_GROUP_RULES and g.rule in _THERAPY_GROUP_RULES \
                and s[prev.end : g.start] in (" plus ", " + ") and prev.text != g.text:
            out[-1] = Mention(prev.start, g.end, "combination", "group.combination", f"{prev.text} plus {g.text}")
        else:
            out.append(g)
    return out


def _has_any(lower: str, words: tuple[str, ...]) -> bool:
    return any(w in lower for w in words)



@dataclass
class Quantity:
    """A value mention in a sentence's normalised text."""

    start: int
    end: int
    value: float | None
    unit: str | None
    kind: str  # prop | pct | count | unit
    rule: str
    n: int | None = None
    denominator: int | None = None
    comparator: str = "="
    ci_low: float | None = None
    ci_high: float | None = None
    signed: bool = False
    person: bool = False
    used: bool = False


@dataclass
class Mention:
    start: int
    end: int
    name: str
    rule: str
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _int(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    w = words_to_number(text)
    if w is not None:
        return w
    v = parse_number(text)
    if v is None or not float(v).is_integer():
        return None
    return int(v)


def _duration_unit(u: str) -> str:
    u = u.lower()
    if u.startswith("d"):
        return "days"
    if u.startswith("w"):
        return "weeks"
    if u.startswith("mo"):
        return "months"
    return "years"


def _arm_key(text: str) -> str:
    """"the 50 mg group", "50-mg arm" and "50 mg" name one arm."""
    t = re.sub(r"(\d)[- ](mg|µg|mcg)\b", r"\1 \2", text.lower())
    return re.sub(r"^(?:the )|\s(?:groups?|arms?|cohorts?)$", "", t).strip()


def _same_arm_words(a: str, b: str) -> bool:
    """"semaglutide 1.0 mg" and "1.0 mg", "the placebo group" and "placebo": one arm named twice."""
    wa, wb = set(_arm_key(a).split()), set(_arm_key(b).split())
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def _distinct_arms(groups: list[Mention]) -> list[tuple[int, str]]:
    """The arms a sentence names, once each, in the order it names them."""
    seen: dict[str, tuple[int, str]] = {}
    for g in groups:
        if g.rule == "group.drug" and any(o.rule.startswith("group.dose") and o.text.startswith(g.text + " ") for o in groups):
            continue  # "ralaglipron -- 3 mg, 12 mg or 36 mg": the drug is named with its doses, which are the arms
        seen.setdefault(_arm_key(g.text), (g.start, g.text))
    return list(seen.values())


def _without_double_negation(out_facts: list[RuleFact], ae_facts: list[RuleFact]) -> list[RuleFact]:
    """"No severe hypoglycaemic events occurred" is one negated event, not also a negated count."""
    if any(f.name == "severe hypoglycemia" and f.negated and not f.n for f in ae_facts):  # ("None of the 12 had ...": 0 of 12)
        return [f for f in out_facts if f.rule != "outcome.negated"]
    return out_facts


def same_arm(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()


def _joined_runs(matches: list[re.Match], joined) -> list[list[re.Match]]:
    """Consecutive matches that ``joined(prev, m)`` links, as runs (a list's items)."""
    runs: list[list[re.Match]] = []
    for m in matches:
        if runs and joined(runs[-1][-1], m):
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _overlaps(a0: int, a1: int, spans: list[tuple[int, int]]) -> bool:
    return any(a0 < b1 and b0 < a1 for b0, b1 in spans)


class TrialRules:
    """Compiled lexicons and patterns; ``extract`` is pure and thread-safe."""

    def __init__(self) -> None:
        # --- therapies
        info = lexicon.therapy_info()
        self.aliases = lexicon.therapy_aliases()
        self.context_required = {n for n, row in info.items() if row.get("context_required")}
        # (context-required drugs that are tested, not given to everyone underneath the trial)
        self.context_tested = {n for n in self.context_required
                               if info[n].get("class") not in ("biguanide", "insulin", "placebo", "immunosuppressant", "statin")
                               and n not in _CONTEXT_NAMES_NOT_RECURRING}
        # Doses in islet equivalents or cells measure a cell product, never a drug the lexicon
        # knows to be something else (an antibody given with the islets, say).
        self.not_cell_products = {n for n, row in info.items()
                                  if row.get("class") not in (None, "cell therapy", "procedure")}
        self.not_cell_products |= {a for a, n in self.aliases.items() if n in self.not_cell_products}  # (a name as written, see named_as_written)
        # Names found by their drug suffix (antibodies, small molecules) are never cell products.
        self.drug_suffix = re.compile(r"(?:mab|cept|gliptin|glutide|gliflozin|glipron|tinib)$", re.I)
        # Comparators such as placebo are arms (groups), not therapies.
        self.never_emit = {n for n, row in info.items() if row.get("class") == "placebo"}
        # Products with no generic name, known by a brand and a code ("PEC-Direct", "VC-02"): a
        # document calls them by the name it writes first.
        self.named_as_written = {n for n, row in info.items() if row.get("named_as_written")}
        alts = sorted(self.aliases, key=len, reverse=True)
        # "teplizumab-treated participants" names the drug too.
        self.therapy_re = re.compile(r"(?<![\w-])(?:" + literal_trie(alts) + r")(?!\w|-(?!treated\b|based\b|only\b))", re.I)
        self.drug_pattern_re = re.compile(
            r"(?<![\w-])[a-z]{3,}(?:mab(?: pegol)?|glutide|gliflozin|gliptin|lecel|glipron|tirzepatide|parin|glinide|tinib|"
            r"zumab|ximab|cept|trutide|dutide|lintide|[aeiu]tide|leukin|glutazar|cel|erenone|sartan|gliatin|glimin|grastim)(?![\w-])"
            # new insulins: "insulin fortegludec", "insulin efsitora"
            r"|(?<![\w-])insulin [a-z]{3,}(?:ludec|glargine|tora|detemir|lispro|aspart|glulisine|dec|tide)(?![\w-])",
            re.I,
        )
        # ("ABC-123", "AB-12", "AB-C12", and mixed case "CiPI-01"; one digit only after two or three letters, "OTX-5",
        # "HX-9": four-letter ones, "ISLE-1", "VELA-2", "TIDE-3", and "AIDE-T1" name trials; a typeset hyphen counts: "PX‐402")
        # (one lookbehind and a capital-letter gate before the alternatives: four times faster than a lookbehind on each)
        self.code_name_re = re.compile(r"(?<![\w-])(?=[A-Z])(?:(?-i:[A-Z]{2,5})[-‐‑]?\d{3,7}|(?-i:[A-Z]{2,4})[-‐‑]\d{2}|(?-i:[A-Z]{2,3})[-‐‑]\d"
                                       r"|(?-i:[A-Z]{2,4}-[A-Z]{1,3})\d{2,4}|(?-i:[A-Z][a-z][A-Z]{1,3})-\d{2,4})(?![\w-])")
        self.code_block = re.compile(
            r"^(?:NCT|ISRCTN|CHICTR|ACTRN|DRKS|UMIN|JRCT|CTRI|KCT|PACTR|TCTR|IRCT|COVID|SARS|CD|HLA|IL|ISO|ICD|DSM|NYHA|GAD|IA|HBA|"
            r"PMID|PMC|DOI|EU-?CT|US|UK|FDA|EMA|ATC|SNP|RS|T|TNF|IFN|IGF|GLP|GIP|SGLT|DPP|ADA|EASD|NICE|HR|OR|RR|CI|IQR|"
            r"CIT)(?![a-z])",  # "ORG-2231" is a code, "OR-2" is not; CIT-07 is a Clinical Islet Transplantation Consortium trial
            re.I,
        )
        self.therapy_cue = re.compile(
            r"\b(?:therap\w*|drug|treatment|treated|receiv\w*|infus\w*|dose[sd]?|compound|candidate|product|agonist|"
            r"antibod\w*|inhibitor|cells?|islets?|administ\w*|randomi[sz]ed|assigned|allocated|vaccine|implant\w*|"
            r"injections?|pills?|tablets?|medicines?|medications?)\b",
            re.I,
        )
        self.context_before = re.compile(
            r"(?:randomi[sz]ed|randomly assigned|assigned|allocated)(?: \(?[\d:]+\)?)?:?(?:,? [\w-]+){0,6}? to (?:receive )?(?:either )?"
            r"(?:oral |once-weekly |once-daily |twice-daily |weekly |daily |intravenous |subcutaneous |rabbit |horse |low-dose |immediate |early |delayed |deferred )?"
            r"(?:(?:sustained|extended|modified|slow|prolonged)-release )?$|"
            r"\b(?:versus|v(?:s\.?|(?= ))|or|compared with|compared to|plus|add-on|and) (?:oral |once-weekly |subcutaneous )?$|"
            r"(?:received|receive|receiving|underwent|undergo|undergoing|treated with|treatment with|initiat\w+|start\w+) (?:\w+ ){0,2}$|\b(?:underwent|undergoing|received) at least (?:one|a|two) (?:[\w-]+ )?$|"
            # "a trial of the Edmonton protocol", "a method of islet transplantation"
            r"\b(?:trial|study|method|protocol|programme|program) (?:of|for|with) (?:the |a |an )?$|"
            # "Intervention: islet transplantation", "Five-year outcomes of omental islet transplantation"
            r"\binterventions?\s?:\s?$|\b(?:outcomes?|results?|experience|efficacy|safety|years|decades) (?:of|after|following) (?:[\w-]+ ){0,2}$|"
            r"\binduction (?:therapy |regimen )?(?:with|using) (?:rabbit |horse |low-dose )?$|"
            r"\bcourses? of (?:rabbit |horse |low-dose |intravenous |oral )?$|"  # "a single two-day course of rabbit ATG"
            r"\b\d+ (?:weeks?|months?|years?) of (?:oral |daily |once-daily )?$",  # "12 months of verapamil at a target dose of 360 mg/day"
            re.I,
        )
        # "verapamil 360 mg", "verapamil (n=47)", "the verapamil group": the drug of an arm
        self.dose_after = re.compile(r"^\s?\(?\d+(?:\.\d+)?\s?(?:mg|µg|μg|mcg|iu|units|u/kg)\b|^\s?\(n ?= ?\d|^\s(?:group|arm)s?\b"
                                     r"|^ (?:at|titrated to) (?:a |the )?(?:target |daily |maximum |fixed )?(?:dose of )?\d", re.I)
        # --- outcomes, groups
        outcome_rows = lexicon.patterns("outcomes")
        self.outcome_pats = [(row["id"], row["name"], re.compile(row["pattern"], re.I), tuple(row.get("trigger", ()))) for row in outcome_rows]
        self.outcome_types = {k: v["type"] for k, v in lexicon.outcome_vocabulary().items()}
        self.outcome_prio = {name: prio for prio, (_, name, _, _) in reversed(list(enumerate(self.outcome_pats)))}
        # what values an outcome outside the vocabulary ('other') takes: "share" of people, "time" (% of
        # the day) or a list of units
        self.other_accepts = {row["id"]: row["accepts"] for row in outcome_rows if row["name"] == "other"}
        self.group_pats = [(row["id"], row["label"], re.compile(row["pattern"], re.I), tuple(row.get("trigger", ()))) for row in lexicon.patterns("groups")]
        # --- adverse events
        ae = lexicon.adverse_event_terms()
        self.ae_terms = ae
        self.ae_re = re.compile(
            r"(?<![\w-])(?:" + literal_trie(ae) + r")(?![\w-])", re.I
        )
        # --- registry ids, phases
        self.registry_re = re.compile(
            r"\b(?P<nct>NCT\d{8})\b|\b(?P<isrctn>ISRCTN ?\d{8})\b|\b(?P<chictr>ChiCTR[- ]?(?:[A-Z]{2,4}-)?\d{6,12})\b|"
            r"\b(?P<actrn>ACTRN\d{14})\b|\b(?P<drks>DRKS\d{8})\b|\b(?P<umin>UMIN\d{9})\b|\b(?P<jrct>jRCT\d{7,10})\b|"
            r"\b(?P<kct>KCT\d{7})\b|\b(?P<ctri>CTRI/\d{4}/\d{2,3}/\d{6})\b|\b(?P<pactr>PACTR\d{15})\b|\b(?P<tctr>TCTR\d{11})\b|\b(?P<irct>IRCT\d{8,14}N\d{1,3})\b|"
            r"\bEudraCT(?: [Nn]umber| [Nn]o\.?| ID)?[:,\s]*(?P<eudract>\d{4}-\d{6}-\d{2})\b"
        )
        self.phase_re = re.compile(
            r"\bphase[- ]?(?P<a>IV|III|II|I|[1-4])(?:[ab])?(?:\s?(?:/|-|–|—|and|or|to)\s?(?:phase[- ]?)?(?P<b>IV|III|II|I|[1-4])(?:[ab])?)?(?![\w])",
            re.I,
        )
        # --- quantities
        self.prop_res = [
            ("prop.n_of_m_pct", re.compile(rf"(?<![\w.])(?P<n>{INT}) (?:out )?of (?:the |these |those |all )?(?P<d>{INT})(?: [\w-]+){{0,3}}? ?[\(\[](?P<p>{DEC}) ?%[\)\];,]", re.I)),
            ("prop.n_pct_of_m", re.compile(rf"(?<![\w.])(?P<n>{INT})(?: {PERSON})? ?[\(\[](?P<p>{DEC}) ?%[\)\]] (?:of|out of) (?:the |all |these )?(?P<d>{INT})(?![\d.])", re.I)),
            ("prop.pct_n_m", re.compile(rf"(?<![\w.])(?P<p>{DEC}) ?% ?[\(\[](?P<n>\d+) ?(?:/|of|out of) ?(?P<d>\d+)[\)\];,]", re.I)),
            ("prop.n_slash_m_pct", re.compile(rf"(?<![\w./])(?P<n>\d+) ?/ ?(?P<d>\d+)(?: (?!\d)[\w-]+){{0,2}}? ?[\(\[](?P<p>{DEC}) ?%[\)\]]", re.I)),
            ("prop.n_of_m", re.compile(rf"(?<![\w.])(?<!\bevery )(?<!\beach )(?P<n>{INT}) (?:out )?of (?:the |these |those |all )?(?P<d>{INT})(?![\d.%])(?! ?(?:mg|days?|weeks?|months?|years?|%))", re.I)),
            ("prop.none_of", re.compile(rf"\bnone of the (?P<d>{INT})\b", re.I)),
            ("prop.n_pct", re.compile(rf"(?<![\w.])(?<![A-Za-z]-)(?P<n>{INT})(?: (?!\d)[\w-]+){{0,2}}? ?[\(\[](?P<p>{DEC}) ?%[\)\]]", re.I)),
            ("prop.n_slash_m", re.compile(r"(?<![\w./])(?P<n>\d+) ?/ ?(?P<d>\d+)(?![\w/]|\.\d)", re.I)),
            ("prop.all_n", re.compile(rf"\b(?:all|(?:each|all|every one|each one) of (?:the|those|these)) (?P<d>{INT})(?:(?: [\w-]+)? {PERSON}\b| (?=(?:had|have|has|were|are|was|remained|remain|stayed|still|now|no|also|achieved|reached|met|maintained|kept|needed|showed|became|began|started|below|under)\b))", re.I)),
            # "30 patients treated since 2015; of those, 18 remained off insulin"
            ("prop.of_those", re.compile(rf"(?<![\w.])(?P<d>{INT})(?: (?!\d)[\w-]+){{0,2}}? {PERSON}\b[^.;]{{0,80}}?[;,]\s*of (?:those|them|these|whom)(?: {PERSON})?,? (?P<n>{INT})\b(?!\s?%)", re.I)),
            # "HbA1c was below 7% in all 7 at month 6": everyone of a count named before.
            ("prop.in_all_n", re.compile(rf"\bin all (?P<d>{INT})(?=\s(?:at|by|after|during|through|from)\b|[,.;)]|$)", re.I)),
            # "the single participant was insulin independent": a one-person study, 1 of 1.
            ("prop.single", re.compile(rf"\b(?:the|its) (?:single|only|sole|one) (?:treated |transplanted |enrolled )?{PERSON}\b", re.I)),
        ]
        # (a year is never a range's start: "from 19% in 2001–2008 to 31% in 2009–2015")
        self.pct_re = re.compile(rf"(?<![\w.])(?:(?!(?:19|20)\d{{2}}\b)(?P<lo>{SDEC}) ?%? ?(?:to|-) ?)?(?P<p>{SDEC})\s?(?:%|(?P<pp>percentage points?)|percent\b|per cent\b)", re.I)
        self.unit_re = re.compile(rf"(?<![\w.])(?<![A-Za-z]-)(?:(?P<lo>[-+]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?) ?(?:to|-) ?)?(?P<v>[-+]?{NUMSCI}) ?{UNIT_RE}", re.I)
        # ("six and five people" is two counts, not "six" people described as "and five")
        # ("over 3,210 participant-weeks of exposure": time, not people)
        self.count_re = re.compile(rf"(?<![\w.])(?<![A-Za-z]-)(?P<n>{INT})(?: (?!\d)(?!(?:and|or)\b)[\w-]+){{0,2}}? {PERSON}\b(?!-(?:weeks?|years?|months?|days?)\b)", re.I)
        self.n_eq_re = re.compile(r"\b[nN] ?= ?(?P<n>\d{1,3}(?:,\d{3})+(?!\d)|\d+)")  # "n = 2,146"
        self.bare_int_re = re.compile(
            rf"(?<![\w.%])(?<![A-Za-z]-)(?<!per )(?P<n>{INT})(?= (?:in|on|with|among|due|from|of(?! whom\b)(?! them (?:needed|required|stopped|discontinued|withdrew|left|underwent)\b)|was|were|had|died|deaths?|cases?|participants?|patients?)\b(?!-))"
            rf"|(?<=\bin )(?P<n2>{INT})(?=\s?(?:[,.;)]|and\b|or\b|each\b|$))"
            # "headache (7) and neutropenia (6)", "anaemia (five)": a count in brackets right after a word
            rf"|(?<=[a-z] \()(?P<n3>\d{{1,4}}|{NUMBER_WORD_RE})(?=\))",
            re.I,
        )
        # --- sample size, follow-up, timepoints
        self.ss_res = [
            # a structured abstract's "Participants 614 adults with type 2 diabetes ..."
            ("sample_size.section_label", 0.8, re.compile(rf"^\W*(?:participants|patients|subjects|population|study population)\s*[:.]?\s+(?P<n>{INT})(?: [\w-]+)? {PERSON}\b", re.I)),
            ("sample_size.verb_n", 0.9, re.compile(rf"\b(?:enrolled|enrolling|enrols|enrolls|gave|giving|covered|covers|includes?|involves?|recruits?|recruiting|treating|(?:(?<=we )(?:prospectively |retrospectively ))?followed|included|including|comprised|comprising|randomi[sz]ed|randomi[sz]ing|randomly assigned|recruited|studied|analy[sz]ed|involving|involved|evaluated|treated|transplanted|dosed|implanted)(?: a total of| all| in total| only| the| up to| approximately| about)? (?P<n>{INT})(?: [\w-]+){{0,3}}? {PERSON}", re.I)),
            # a trial's planned size: "The study, a phase 2 trial, aims to enroll 60 patients"
            # (not another one's: "A larger phase 3 trial, aiming to enroll 50 patients, is under way")
            ("sample_size.to_enrol", 0.7, re.compile(rf"\b(?:to|will) (?:enrol|enroll|recruit|include|treat) (?:up to |about |approximately |around )?(?P<n>{INT})(?: [\w-]+){{0,3}}? {PERSON}", re.I)),
            ("sample_size.n_verb", 0.9, re.compile(rf"(?<![\w.])(?:a total of )?(?P<n>{INT})(?: (?!\d)[\w-]+){{0,3}}? {PERSON} (?:(?:with|aged|having)\b(?:[^.;]|\.(?=\d)){{0,200}}? |(?:[\w.%-]+ |\([^()]{{0,40}}\) |\((?:[^()\[\]]|\[[^\[\]]{{0,30}}\]){{0,120}}\) (?=were|was)){{0,13}}?)(?:were|was|had been|have been)? ?(?:\w+ )?(?:enrolled|randomi[sz]ed|randomly assigned|randomly allocated|allocated|recruited|included|treated|underwent|received|participated|took part|assigned|transplanted|followed|dosed|infused|implanted)\b", re.I)),
            # one person, described between commas: "One participant, a man in his early forties who ..., received UP421";
            # "has so far treated a single participant"
            ("sample_size.one_person", 0.75, re.compile(r"(?:^\W*|(?<=[.;:] ))(?P<n>one|a single) (?:participant|patient|person|recipient|volunteer), [^;]{1,120}?, "
                                                        r"(?:received|underwent|was treated|was given|was implanted|was dosed)\b", re.I)),
            ("sample_size.one_person", 0.75, re.compile(r"\b(?:treated|enrolled|dosed|implanted|transplanted|included) (?:only )?(?P<n>one|a single) "
                                                        r"(?:participant|patient|person|recipient|volunteer)\b", re.I)),
            ("sample_size.treated_in", 0.7, re.compile(rf"\b(?:infused|injected|administered|given|implanted|transplanted|treated|tested|evaluated|evaluating|testing|studied|dosed|compared)\b(?:[^.;()]|\([^()]{{0,60}}\)){{0,160}}? (?:in|to|among|(?<=\binto the )[\w ]{{1,30}} of) (?P<n>{INT})(?: [\w-]+)? {PERSON}\b", re.I)),
            # "the registry enrolment is reported as 7 participants", "an enrollment of 48 patients"
            ("sample_size.enrolment", 0.8, re.compile(rf"\benrol(?:l)?ment\b(?:[^.;]{{0,60}}?\b(?:of|was|is|as|were)|:)\s+(?P<n>{INT})(?: [\w-]+)? {PERSON}\b", re.I)),
            # "underwent randomisation: 120 to the closed-loop system and 120 to standard care"
            ("sample_size.allocated_to", 0.8, re.compile(rf"(?:[:;,] | - |\bwhom |\band |\bwith |\()(?:the (?:remaining|other) )?(?P<n>{INT}) (?:(?:were|was) )?(?:(?:randomly )?(?:assigned|randomi[sz]ed|allocated|exposed) )?(?:to|(?<=\d )on) (?:the |receive |an? )?(?P<arm>\d+(?:\.\d+)? ?(?:mg|µg|mcg)(?:/kg)?\b(?: (?:once|twice) (?:daily|weekly|a day|a week))?|(?!\d)[a-z][\w-]*(?: [\w-]+(?:[./][\w-]+)*){{0,4}}?)(?=,|;|\.(?!\d)|\)| \(|$| and\b| or\b| groups?\b| arms?\b| - | with (?:the |an? )?[A-Z])", re.I)),
            # ("three received half the dose": before the bare clause count, so the arm is kept)
            ("sample_size.dose_arm", 0.7, re.compile(rf"(?:^\W*|[,;:] |\band |\bincluding |\bthe (?=\d|{NUMBER_WORD_RE} who))(?:the (?:remaining|other|first|next|last) |another )?(?P<n>{INT})(?: of them| {PERSON}| others| more)?(?: \((?P<label>(?:cohort|part|group|arm) [A-F0-9])\))?(?: who)? (?:received|got|were given|at) (?:the |a |an )?(?P<arm>(?:half|full|low|high|lower|higher|reduced|standard)(?: the| that)?(?: planned| target| intended)? doses?)\b", re.I)),
            ("sample_size.clause_n_verb", 0.75, re.compile(rf"(?:^|[,;:] |\band |\bleaving )(?:and )?(?P<n>{INT})(?: [\(\[]\d+(?:\.\d+)? ?%[\)\]])? (?:who |(?=were |was ))?(?:were |was )?(?:then |subsequently )?(?:underwent|received|enrolled|randomi[sz]ed|randomly assigned|assigned|allocated|included|transplanted|completed|entered)\b"
                                                           r"(?! (?:participants?|patients?|subjects?|people|adults|children|recipients)\b)", re.I)),  # ("two enrolled participants were not infused")
            # "a smaller study of 8 people", "a series of 12 patients"
            ("sample_size.study_of", 0.75, re.compile(rf"\b(?:study|trial|cohort|series) (?:of|in|with|involving) (?P<n>{INT})(?: (?!\d)[\w-]+){{0,2}}? {PERSON}\b", re.I)),
            # "Safety population: 57 participants", "Full analysis set: 112 patients"
            ("sample_size.population_colon", 0.8, re.compile(rf"\b(?:safety|analysis|study|intention-to-treat|full analysis|per-protocol) (?:population|set)\b:? (?P<n>{INT}) {PERSON}\b", re.I)),
            # registry results: "Arm A (low dose, 1.0 x 10^9 cells): 16 participants"
            ("sample_size.arm_consisted", 0.8, re.compile(rf"\b(?P<arm>(?:cohort|group|arm|part) [A-Z0-9]{{1,2}})\b,? (?:consisted of |comprised |included |enrolled |added |recruited |treated |dosed |of )(?P<n>{INT})(?: (?!\d)[\w-]+){{0,3}}? {PERSON}\b", re.I)),
            ("sample_size.n_in_part", 0.75, re.compile(rf"(?:[:;,] |\band )(?P<n>{INT})(?: {PERSON})? in (?P<arm>(?:parts?|cohorts?|groups?|arms?) [A-Z0-9]{{1,2}}(?: and [A-Z0-9]{{1,2}}(?! in\b))?|(?-i:[A-Z]{{2,6}}-\d{{2,4}}))\b", re.I)),
            # "A total of 15 participants underwent implantation, 7 in the low-dose group and 8 in the high-dose group"
            ("sample_size.n_in_group", 0.7, re.compile(rf"(?:[,:] |\band | - )(?P<n>{INT})(?: {PERSON})? (?:in|to) (?:the )?(?P<arm>\d+(?:\.\d+)? ?(?:mg|µg|mcg)(?:/kg)?|(?!\d)[\w-]+(?: [\w-]+)?) (?:group|arm|cohort|practices|clusters|sites)\b", re.I)),
            # "were implanted: six at 0.4 × 10⁹ cells (cohort 1) and nine at 1.2 × 10⁹ cells (cohort 2)"
            ("sample_size.n_at_label", 0.75, re.compile(rf"(?:[:;,] |\band )(?P<n>{INT}) (?:at|received|with|on) [^,;()]{{1,30}}? \((?:[^();]{{1,40}}; ?)?(?P<arm>(?:cohort|part|group|arm|dose level|stage) [A-Z0-9]{{1,2}})\)", re.I)),
            ("sample_size.arm_colon", 0.8, re.compile(rf"\b(?P<arm>(?:arm|cohort|group) [A-Z0-9]{{1,2}})\b[^:;]{{0,60}}?: (?P<n>{INT}) {PERSON}\b", re.I)),
            # "91 had two or more islet autoantibodies and were enrolled"
            ("sample_size.clause_and_enrolled", 0.7, re.compile(rf"(?:^|[,;:] )(?P<n>{INT}) (?:[\w-]+ ){{1,10}}?and (?:were|was) (?:enrolled|included|randomi[sz]ed|treated)\b", re.I)),
            # "eight of the ten people who received the therapy"
            # news: "she became one of six volunteers to receive an experimental infusion"
            ("sample_size.one_of", 0.7, re.compile(rf"\bone of (?:the )?(?P<n>{INT})(?: [\w-]+)? {PERSON} (?:to|who) (?:receive|received|get|got|be treated|were treated|take part|took part)\b", re.I)),
            ("sample_size.of_n_who", 0.75, re.compile(rf"\bof (?:the|all) (?P<n>{INT})(?: [\w-]+)? {PERSON} who (?:received|were (?:treated|enrolled|randomi[sz]ed|transplanted)|underwent|took part|participated)\b", re.I)),
            # "the results are for the first 12 people who had the full dose": that dose group's size
            ("sample_size.n_who_got_dose", 0.7, re.compile(rf"(?:\bthe (?:first |initial |last )?|\b(?:from|for|in|on) )(?P<n>{INT})(?=(?: [\w-]+)?(?: {PERSON})? (?:who|that) (?:received|got|were given|had) (?:a |an |the )?(?:half|full|low|high|lower|higher|reduced|standard)\b)", re.I)),
            ("sample_size.total", 0.8, re.compile(rf"\ba total of (?P<n>{INT})\b(?![.,·]\d)", re.I)),
            # "everyone who had an islet transplant at three centres – 58 people in total"
            ("sample_size.in_total", 0.75, re.compile(rf"(?<![\w.])(?P<n>{INT}) (?:people|participants|patients|recipients|adults|children) in total\b", re.I)),
            # ("(control, n=72); 215 in total, of whom 208 completed": the arms' sizes, then the total)
            ("sample_size.in_total", 0.7, re.compile(rf"(?:^|(?<=[;:] ))(?P<n>{INT}) in total\b", re.I)),
            # "In total 327 were treated: 219 with teplizumab and 108 with placebo"
            ("sample_size.in_total_were", 0.75, re.compile(rf"\bin total,? (?P<n>{INT})(?= (?:\w+ )?(?:were|was) (?:treated|randomi[sz]ed|enrolled|dosed|included)\b)", re.I)),
            # "Adverse events were reported in 118 (96.7%) of 122 participants in the teplizumab group and 51 (83.6%)
            # of 61 in the placebo group": a share's denominator is its arm's size
            ("sample_size.of_n_in_group", 0.6, re.compile(rf"\)? of (?:the |all )?(?P<n>{INT})(?: {PERSON})? (?:in|on|receiving|given) (?:the )?(?P<arm>(?!\d)[\w-]+(?: [\w-]+)?) (?:group|arm)\b", re.I)),
            # "We followed 21 recipients, 12 after ITA and 9 after IAK": arms named by their abbreviation
            ("sample_size.n_after_label", 0.7, re.compile(rf"(?:[:;,] |\band )(?P<n>{INT}) after (?P<arm>(?-i:[A-Z][A-Z0-9+-]{{1,8}}))(?=[,;.)]| and\b| or\b)", re.I)),
            # "two single-arm studies with a combined 38 participants"
            ("sample_size.combined", 0.75, re.compile(rf"\b(?:a combined|a pooled|altogether) (?P<n>{INT})(?: [\w-]+)? {PERSON}\b", re.I)),
            # "Of 588 randomised, 551 (93.7%) completed", "Among 1,486 randomized participants (...), 1,402 ..."
            ("sample_size.of_n_verbed", 0.75, re.compile(rf"(?:^\W*|[,;:]\s|^(?:results|findings)\W*)(?:of|among) (?:the |all )?(?P<n>{INT}) (?:randomi[sz]ed|enrolled|treated|randomly assigned|transplanted)\b(?! to\b| with\b| in\b)", re.I)),
            # "Of 1,126 adults screened, 81 with type 1 diabetes diagnosed within 100 days were randomized"
            ("sample_size.clause_with", 0.7, re.compile(rf"(?:^|[,;:] |\band )(?P<n>{INT}) (?:with|aged|who had) [^.;]{{0,120}}? (?:were|was) (?:enrolled|randomi[sz]ed|randomly assigned|included)\b", re.I)),
            ("sample_size.all_n", 0.6, re.compile(rf"^(?:\W*)(?:all|each of the|in all) (?P<n>{INT})(?: [\w-]+)? {PERSON}\b", re.I)),
            ("sample_size.of_the_n", 0.6, re.compile(rf"^(?:\W*)(?:[A-Z][A-Za-z ]{{2,30}}:\s*)?(?:of|among|in) (?:(?:the|these|all) )?(?P<n>{INT})(?: (?!\d|screened\b|eligible\b|assessed\b|excluded\b)[\w-]+){{0,2}}? {PERSON}\b(?! (?:were )?(?:screened|assessed|approached|invited|eligible|identified))(?! who\b)", re.I)),
            # a review's table as prose: "CIT-07 (NCT00434811), phase 3 [16]: 48 participants with ...", "[20]: 1 recipient"
            ("sample_size.cited_colon", 0.7, re.compile(rf"\]:\s(?P<n>{INT})(?: [\w-]+){{0,2}}? {PERSON}\b", re.I)),
            ("sample_size.n_eq", 0.85, self.n_eq_re),
            # "to pelvotamab at 10 mg/kg (33 participants) or 3 mg/kg (31 participants)": a size in brackets, as n = 33
            ("sample_size.n_people_bracket", 0.8, re.compile(rf"(?<=\()(?P<n>{INT}) (?:participants|patients|subjects|children|adults|people)(?=\))", re.I)),
        ]
        self.fu_res = [
            # "12 months of follow-up (median 18.5 months, range 12.0–26.1)"; "will follow participants for 15 years"
            ("follow_up.bracket_median", 0.8, re.compile(rf"\bfollow[- ]?up\W{{0,3}}\((?:median|mean),? (?P<v>{DEC})[- ](?P<u>{DURATION_UNIT})\b", re.I)),
            ("follow_up.bracket_median", 0.8, re.compile(rf"\bfollow (?:all |every |each )?(?:participants?|patients?|recipients?|volunteers?|them|her|him) (?:for|up to|over) "
                                                         rf"(?:at least )?(?P<v>{DEC}|{NUMBER_WORD_RE})[- ](?P<u>{DURATION_UNIT})\b", re.I)),
            # "are being followed off treatment for a further 52 weeks, for 104 weeks in total": the whole
            ("follow_up.in_total", 0.85, re.compile(rf"\bfollowed\b[^.;]{{0,80}}?\bfor (?P<v>{DEC}|{NUMBER_WORD_RE})[- ](?P<u>{DURATION_UNIT}) in total\b", re.I)),
            # a report's span: "96-Week Results From the Open-Label Extension", "Results to 26 weeks"
            ("follow_up.results_span", 0.7, re.compile(r"\b(?P<v>\d+)-(?P<u>week|month|year) (?:results|outcomes|data|findings)\b|"
                                                      r"^\W*(?:\d+(?:\.\d+)* )?(?:results|data|outcomes) (?:to|through|up to) (?P<v2>\d+) (?P<u2>weeks|months|years)\b", re.I)),
            # "The patient will be monitored for at least 15 years" (not "glucose was monitored for 14 days")
            ("follow_up.monitored", 0.75, re.compile(rf"\b(?:will be|are being|is being) monitored (?:for|over) (?:a further |at least |up to |a total of )?"
                                                     rf"(?P<v>{DEC}|{NUMBER_WORD_RE})[- ](?P<u>weeks?|months?|years?)\b", re.I)),
            ("follow_up.followed_for", 0.9, re.compile(rf"\bfollowed(?: up)?(?: (?:the |all )?(?:them|participants|patients|recipients|volunteers|children|all|everyone))? (?:for|over|during|up to|to|until|through)(?: a)?(?: total of)?(?: median| mean| minimum| maximum)?(?: of| period of| duration of)?(?: up to| at least| approximately)? (?P<v>{DEC}|{NUMBER_WORD_RE}|an?(?= (?:year|month|week|day)\b))[- ](?P<u>{DURATION_UNIT})\b", re.I)),
            ("follow_up.follow_up_of", 0.9, re.compile(rf"\bfollow[- ]?up(?: period| duration)?(?:(?: (?:after|from|across|since|in|for|at) (?:the )?[\w-]+(?: [\w-]+){{0,3}}?)? (?:was|is)(?: now| currently| so far)?|(?<=median follow-up)(?=,? \d)|(?<=mean follow-up)(?=,? \d)| of| lasting| lasted| continued for| extended to| to| through| time was|:| (?:is |was )?planned for| will (?:continue|last|run)(?: to| for)?| (?:was|is) limited to)(?: a| the)?(?: median| mean| minimum| maximum| at least| up to)?(?: of)? (?P<v>{DEC}|{NUMBER_WORD_RE})[- ](?P<u>{DURATION_UNIT})\b", re.I)),
            ("follow_up.n_of_follow_up", 0.85, re.compile(rf"(?<![\w.])(?P<v>{DEC}|{NUMBER_WORD_RE})[- ](?P<u>{DURATION_UNIT})(?: of)?(?: post-?\w+| off-treatment| safety| extended| long-term| observational){{0,2}} follow[- ]?up\b", re.I)),
            # "Over a median of 2.4 years, the outcome occurred in ..."
            ("follow_up.over_median", 0.75, re.compile(rf"\b(?:over|through|during) a (?:median|mean) (?:follow-up )?(?:period )?of (?P<v>{DEC}|{NUMBER_WORD_RE})[- ](?P<u>{DURATION_UNIT})\b", re.I)),
            ("follow_up.assessed_to_week", 0.7, re.compile(r"\b(?:assessed|followed(?: up)?(?: off[- ]treatment)?|observed|evaluated|continued|data|results|follow-up for this report) (?:up to|through|until|to|ended at) (?P<u>week|month|day|year) (?P<v>\d+)\b", re.I)),
            # "The study ran for 13 weeks."
            ("follow_up.ran_for", 0.75, re.compile(rf"\b(?:study|trial|treatment period|(?:randomi[sz]ed|double-blind|open-label|main) phase|extension) (?:ran|lasted|continued) "
                                                  rf"(?:for )?(?P<v>{DEC}|{NUMBER_WORD_RE})[- ](?P<u>{DURATION_UNIT})\b", re.I)),
            # ("... followed by 24 weeks off treatment (total follow-up, 72 weeks)")
            ("follow_up.ran_for", 0.75, re.compile(rf"\btotal (?:observation|follow-up)(?: period)?(?: of|,|:) (?P<v>{DEC}|{NUMBER_WORD_RE})[- ](?P<u>{DURATION_UNIT})\b", re.I)),
            # "we report the first 26 weeks"; "follow-up ranged from 9 to 24 months (median 15.5)"
            ("follow_up.report_first", 0.7, re.compile(rf"\breport(?:s|ed)? (?:the first|the initial) (?P<v>{DEC}|{NUMBER_WORD_RE}) (?P<u>{DURATION_UNIT})\b", re.I)),
            ("follow_up.range_median", 0.8, re.compile(rf"\bfollow[- ]?up ranged from [\d.]+ to [\d.]+ (?P<u>{DURATION_UNIT}) \((?:median|mean),? (?P<v>{DEC})\)", re.I)),
            ("follow_up.trial_duration", 0.6, re.compile(r"\b(?:in )?(?:this|a|the|an)(?:,? (?!\d+-(?:day|week|month|year))[\w-]+){0,5}?,? (?P<v>\d+)-(?P<u>day|week|month|year)(?:,? [\w×-]+){0,8}? (?:study|trial)\b", re.I)),
        ]
        self.tp_re = re.compile(
            rf"\b(?:at|by|after|through|to|until|from|over|during|in|within)? ?(?P<tp>(?:week|day|month|year) \d+|(?:{DEC}|{NUMBER_WORD_RE})[- ](?:weeks?|days?|months?|years?)(?: after [\w ]{{3,40}}?(?=[,;.)]|$))?|baseline)\b",
            re.I,
        )
        self.tp_prep_re = re.compile(r"^(?:at|by|after|through|until|in|within|over|during) ", re.I)
        self.death_re = re.compile(
            rf"(?<![\w.])(?P<n>{INT})(?! ?(?:mg|µg|mcg|kg|%|mmol|units?|iu)\b)(?: [\w-]+){{0,2}}? (?:deaths?|died|fatalities|fatal)\b|\b(?P<n2>{INT})(?: [\w-]+){{0,2}} {PERSON}(?: (?:in|of) (?:the|this) (?:trial|study|cohort))? (?:have |had )?died\b|"
            rf"\bdeaths? (?:occurred )?in (?P<n3>{INT})\b|"
            # "493 semaglutide users and 655 DPP-4 inhibitor users died": the first count died too
            rf"\b(?P<n4>{INT})(?: [\w-]+){{0,2}} {PERSON}(?= and {INT}(?: [\w-]+){{0,2}} {PERSON} died\b)",
            re.I,
        )
        self.neg_re = re.compile(r"\b(?:no|none|not|without|zero|neither|nor|never|nobody|no one|no-one)\b(?:\s+[\w-]+){0,4}\s*$"
                                 r"|\b(?:not one|not a single|none|nobody|no one)\b(?:\s+[\w-]+){0,7}\s+(?:has|have|had)(?:\s+(?:had|experienced|reported|developed))?(?:\s+an?)?(?:\s+(?:episodes?|cases?|events?) of)?\s*$"
                                 # "No participant in Part B experienced", "no participant in either group had"
                                 r"|\bno (?:participants?|patients?|recipients?|subjects?|children|adults|people)\b(?:\s+[\w-]+){0,5}"
                                 r"\s+(?:experienced|had|developed|reported|suffered)(?:\s+an?(?:\s+episode of)?)?\s*$", re.I)
        self.respectively_re = re.compile(r"\brespectively\b", re.I)
        self.change_cue = re.compile(r"\b(?:chang\w*|reduc\w*|decreas\w*|lower\w*|declin\w*|differen\w*|fell|fallen|drop\w*|improv\w*|increas\w*|rose|risen|down|up(?= (?:by )?\d))\b", re.I)
        self.diff_cue = re.compile(r"\b(?:differences?|ETDs?|difference in|treatment difference|placebo-(?:adjusted|corrected|subtracted)|versus|v(?:s\.?|(?= ))|compared with|compared to|relative to|(?:over|above) placebo|subtracting (?:the )?placebo)\b", re.I)
        self.serious_cue = re.compile(r"\bserious\b", re.I)
        self.dose_verb = re.compile(r"\b(?:receiv\w*|administ\w*|doses?|dosed|dosing|assigned|randomi[sz]\w*|given|infus\w*|inject\w*|titrat\w*|escalat\w*|once[- ](?:daily|weekly))\b", re.I)

    # ------------------------------------------------------------------------- document level
    def extract(self, text: str, sentences: list[tuple[int, int]]) -> list[RuleFact]:
        """Facts from one document; ``sentences`` are (start, end) char spans covering the text."""
        facts: list[RuleFact] = []
        starts = [s for s, _ in sentences]

        def sent_of(pos: int) -> int:
            return max(0, bisect.bisect_right(starts, pos) - 1)

        facts += self._registry(text, sent_of)
        facts += self._phases(text, sent_of)
        therapies, drug_spans = self._interventions(text, sentences, sent_of)
        evidence_before = _evidence_before_spans(text)
        therapies = _drop_other_works_therapies(therapies, drug_spans, text, sentences, sent_of, evidence_before)
        facts += therapies
        primary = therapies[0].name if therapies else None
        counts: dict[str, int] = {}
        for name, _s, _e in drug_spans:
            counts[name] = counts.get(name, 0) + 1
        if counts:
            primary = max(counts, key=lambda k: (counts[k], -next(i for i, d in enumerate(drug_spans) if d[0] == k)))
        layout_spans: list[tuple[int, int]] = []
        if looks_like_registry(text):
            values, layout_spans = read_layout(text, self._outcome_from_title, self._event_from_term)
            for pos, f in values:
                f.sent = sent_of(pos)
                if f.unit is None and f.kind == "outcome":
                    f.unit = self._LAYOUT_UNITS.get(f.name)
                facts.append(f)
        prev_outcome: str | None = None
        doc_state: dict[str, Any] = {}  # what earlier sentences established (the primary end point's name)
        # A document about a graft reads people over a C-peptide threshold as graft function
        # (in new-onset immunotherapy the same threshold counts responders).
        doc_state["graft"] = bool(_GRAFT_DOCUMENT.search(text))
        for i, (s0, s1) in enumerate(sentences):
            raw = text[s0:s1]
            if not _HAS_NUMBER.search(raw):
                if _ASSIGNED.search(raw):
                    # "Participants were randomized to dapagliflozin or placebo.": no value, but the
                    # order of the arms, which later lists of values follow
                    self._record_arm_order(i, raw, [(n, a - s0, b - s0) for n, a, b in drug_spans if s0 <= a < s1], doc_state)
                continue
            if layout_spans and any(a < s1 and s0 < b for a, b in layout_spans):
                continue  # a registry table row: read above, column by column
            if evidence_before and any(a <= s0 < b for a, b in evidence_before):
                continue  # a Research-in-context panel's "Evidence before this study": other trials' numbers
            drugs = [(n, a - s0, b - s0) for n, a, b in drug_spans if s0 <= a < s1]
            sent_facts, prev_outcome = self._sentence(i, raw, drugs, primary, prev_outcome, doc_state)
            facts += sent_facts
        self._infer_groups(facts)
        self._arms_by_order(facts, doc_state)
        _bracket_restatements(facts, doc_state.get("norm", {}))
        facts = _levels_behind_a_change(facts, doc_state.get("norm", {}))
        # a title's "1-year results" restates the follow-up the text states, often in other units ("12 months")
        stated = [timepoint_days(f"{f.value:g} {f.unit}") or 0.0 for f in facts if f.kind == "follow_up" and f.rule != "follow_up.results_span"]
        facts = [f for f in facts if f.rule != "follow_up.results_span"
                 or not any(abs((timepoint_days(f"{f.value:g} {f.unit}") or 0.0) - d) <= 0.05 * d for d in stated)]
        orders = doc_state.get("arm_orders", ())
        two_arms = [a for _, a in orders[-1][1]] if orders and len(orders[-1][1]) == 2 else []
        active_arm = next(iter(a for a in two_arms if not _CONTROL_ARM.search(a)), None) \
            if sum(bool(_CONTROL_ARM.search(a)) for a in two_arms) == 1 else None
        for f in facts:
            if f.group and f.group.startswith(PLURAL_MARK):
                f.group = f.group[1:] if f.group[1:].lower() not in _ACTIVE_LABELS else None
            elif f.group and f.group.lower() in ("active", "active treatment") and active_arm:
                f.group = active_arm  # "the active group" of a two-arm, placebo-controlled trial is its therapy
        facts += self._each_arm(facts, doc_state)
        _carry_paragraph_arm(facts, text, sentences)
        self._name_comparators(facts)
        self._drop_sole_therapy_groups(facts, text)
        if not any(f.kind == "follow_up" for f in facts):
            facts += self._follow_up_fallback(text, sent_of)
        if not any(f.kind == "sample_size" and f.group is None for f in facts):
            facts += self._sample_size_fallback(text, sent_of, evidence_before)
        return self._dedupe(facts)

    @staticmethod
    def _follow_up_fallback(text: str, sent_of) -> list[RuleFact]:
        """A trial that never says "followed for" still states how long it ran: "randomized ...
        to A or placebo for 24 weeks", or "the primary outcome was HbA1c at 12 months"."""
        for rx, rule in ((_ASSIGNED_FOR, "follow_up.assigned_for"), (_RESULTS_AT, "follow_up.results_at"),
                         (_PRIMARY_AT, "follow_up.primary_at"), (_PERIOD_VISIT, "follow_up.period_visit"), (_OVER_WEEKS, "follow_up.over"),
                         (_AFTER_PERIOD, "follow_up.after"), (_AT_PERIOD_OPENING, "follow_up.at_opening"), (_AFTER_A_YEAR, "follow_up.after_a_year")):
            m = rx.search(text)
            if m:
                # (a pattern with alternatives names its groups v, v2, ... and u, u2, ...: take the filled one)
                filled = {k.rstrip("0123456789"): g for k, g in m.groupdict().items() if g}
                v = 1.0 if filled.get("v", "").lower() == "a" else parse_number(filled.get("v", ""))
                if v:
                    return [RuleFact(sent_of(m.start()), "follow_up", "follow_up", rule, 0.5, value=v,
                                     unit=_duration_unit(filled["u"]))]
        return []

    @staticmethod
    def _sample_size_fallback(text: str, sent_of, evidence_before) -> list[RuleFact]:
        """A text that never says how many took part still counts them: "the 17-patient phase 1/2
        trial", or the first share it reports, "Seven of nine adults ... were able to stop insulin",
        "42 of its 48 participants (87.5%) met the primary end point"."""
        for rx, rule in ((_N_PATIENT_TRIAL, "sample_size.n_patient_trial"), (_SHARE_OF_ALL, "sample_size.share_of")):
            for m in rx.finditer(text):
                if any(a <= m.start() < b for a, b in evidence_before):
                    continue
                total = parse_number(m.group("m").replace(",", ""))
                part = parse_number(m.group("a").replace(",", "")) if "a" in m.re.groupindex else None
                if total and (part is None or part < total):
                    return [RuleFact(sent_of(m.start("m")), "sample_size", "participants", rule, 0.5, value=total, unit="participants")]
        return []

    # ------------------------------------------------------------------------- registry layout
    def _outcome_from_title(self, title: str) -> str | None:
        names = [o.name for o in self._outcome_mentions(title) if not o.name.startswith("_")]
        return names[0] if names else None

    def _event_from_term(self, term: str) -> str:
        t = term.lower().strip()
        if "mortality" in t or t in ("death", "deaths"):
            return "death"
        if "serious adverse event" in t:
            return "serious adverse event"
        return self.ae_terms.get(t, t)

    _LAYOUT_UNITS = {"hba1c": "%", "hba1c_change": "percentage points", "time_in_range": "%"}

    def _registry(self, text: str, sent_of) -> list[RuleFact]:
        out = []
        for m in self.registry_re.finditer(text):
            kind = m.lastgroup or "nct"
            ident = m.group(kind).replace(" ", "")
            name = ident if kind == "eudract" else ident.upper()
            if kind == "chictr":
                # FACTS.md: ids upper case ("ChiCTR-2300072200" -> "CHICTR2300072200").
                name = "CHICTR" + ident[6:].lstrip("- ").upper()
            out.append(RuleFact(sent_of(m.start()), "registry_id", name, f"registry_id.{kind}", 0.98))
        return out

    def _phases(self, text: str, sent_of) -> list[RuleFact]:
        roman = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
        out = []
        for m in self.phase_re.finditer(text):
            a = m.group("a").lower()
            a = roman.get(a, a)
            b = m.group("b")
            b = roman.get(b.lower(), b.lower()) if b else None
            name = f"{a}/{b}" if b and b != a else a
            if name not in ("1", "1/2", "2", "2/3", "3", "4"):
                continue
            if _FUTURE_TRIAL.search(text, max(0, m.start() - 60), m.start()) or _FUTURE_AFTER.match(text, m.end()):
                continue  # "plans to start a phase 3 trial next year", "warrants phase 3 testing"
            out.append(RuleFact(sent_of(m.start()), "phase", name, "phase.pattern", 0.95))
        return out

    def _interventions(self, text: str, sentences, sent_of) -> tuple[list[RuleFact], list[tuple[str, int, int]]]:
        out: list[RuleFact] = []
        spans: list[tuple[str, int, int]] = []
        written: dict[str, str] = {}  # lexicon name -> the name this document writes first (named_as_written)
        for m in self.therapy_re.finditer(text):
            alias = m.group(0)
            name = self.aliases[alias.lower()]
            if name in self.never_emit:
                continue
            if re.match(r"(?:[\s/-](?:[\w-]+\s)?)?(?:receptors?|co-?agonists?|dual agonists?)\b", text[m.end() : m.end() + 30], re.I):
                continue  # "a GLP-1/glucagon receptor co-agonist": a target, not a therapy given
            if name == "glucagon" and (_HORMONE_MEASURED.match(text, m.end()) or _HORMONE_STAINED.search(text, max(0, m.start() - 40), m.start())):
                continue  # "Glucagon responses during the meal test", "cells positive for insulin, glucagon", "after glucagon was given": the hormone, not a therapy tested
            conf = 0.92
            rule = "intervention.lexicon"
            if name in self.context_required:
                before = text[max(0, m.start() - 45) : m.start()]
                after = text[m.end() : m.end() + 14]
                # (or a title opens with it: "Islet transplantation after kidney transplantation in ...", no full stop)
                title = not text[: m.start()].strip() and not text.split("\n", 1)[0].rstrip().endswith(".")
                # (or, for a drug that is no one's background, a placebo-controlled sentence names it:
                # "In this placebo-controlled trial ..., oral verapamil given at a weight-based dose ...")
                s0, s1 = sentences[sent_of(m.start())] if sentences else (0, len(text))
                placebo_trial = name in self.context_tested and "placebo" in text[s0:s1].lower()
                if not (self.context_before.search(before) or self.dose_after.match(after) or title or placebo_trial):
                    continue
                if name == "insulin" and _INSULIN_COMPOUND.match(after):
                    continue  # "Engraftment and insulin independence", "reduced weight and insulin needs"
                if before.endswith("with ") and not self.context_before.search(before):
                    continue  # "standard insulin therapy with continuous glucose monitoring (n = 62)": part of the control arm
                if _has_any(text[max(0, m.start() - 120) : m.end() + 60].lower(), _BACKGROUND_WORDS):
                    continue  # "worldwide, only about 1,500 people have ever received an islet transplant": background
                if _BACKGROUND_THERAPY.search(before):
                    continue  # "or standard insulin therapy", "added to basal insulin": the background, not the test
                # "had received metformin at a dose of at least 1500 mg" in eligibility criteria
                # is a background drug, not the trial's intervention.
                if _ELIGIBILITY.search(text[s0:s1]) and not _ASSIGNED.search(text[s0 : m.start()]):
                    continue
                conf, rule = 0.75, "intervention.lexicon_context"
            if name in self.named_as_written:
                name = written.setdefault(name, alias.lower())
            spans.append((name, m.start(), m.end()))
            if name in _TOOLS_UNLESS_ASSIGNED or (name == "automated insulin delivery" and _USED_BACKGROUND.search(text, max(0, m.start() - 30), m.start())):
                # ("adults with type 1 diabetes who use automated insulin delivery", "an adjunct to AID": the background the drug is added to)
                s0 = sentences[sent_of(m.start())][0] if sentences else 0
                if not _ASSIGNED.search(text, s0, m.start()):
                    continue  # "CGM time in range", "people starting basal insulin": a tool or the background, not the test (its span stays for doses)
            aliases = [alias] if alias.lower() != name else None
            out.append(RuleFact(sent_of(m.start()), "intervention", name, rule, conf, aliases=aliases))
        insulin_names: dict[str, str] = {}  # "fovelitide" -> "insulin fovelitide", once the full name was seen
        for m in self.drug_pattern_re.finditer(text):
            word = m.group(0).lower()
            if word in self.aliases or word in _NOT_DRUG_WORDS:
                continue
            if word.startswith("insulin "):
                insulin_names[word.removeprefix("insulin ")] = word
            word = insulin_names.get(word, word)  # "Fovelitide was started at 70 U", after "insulin fovelitide"
            spans.append((word, m.start(), m.end()))
            out.append(RuleFact(sent_of(m.start()), "intervention", word, "intervention.suffix", 0.65))
        # "randomised to weekly tavodec (n = 492)", after "insulin tavodec": the short name, wherever
        # it stands alone, names the same insulin (and so an arm)
        for short, full in insulin_names.items():
            if short == full:
                continue
            spans += [(full, m.start(), m.end()) for m in re.finditer(rf"(?<![\w-])(?<!insulin ){re.escape(short)}(?![\w-])", text, re.I)
                      if not any(a <= m.start() < b for _, a, b in spans)]
        # "randomized 1:1 to naltrexone 50 mg once daily or placebo": a word the lexicon does not
        # know, given at a dose in the sentence that assigns the arms, is the drug tested.
        for m in _ASSIGNED_DRUG_DOSE.finditer(text) if "assign" in text or "random" in text or "allocat" in text else ():
            word = m.group("drug").lower()
            if word in self.aliases or word in _NOT_DRUG_WORDS or any(word == sp[0] for sp in spans):
                continue
            si = sent_of(m.start("drug"))
            s0, s1 = sentences[si] if sentences else (0, len(text))
            assigned = _ASSIGNED.search(text, s0, s1)
            if assigned is None or assigned.start() > m.start("drug"):
                continue
            spans.append((word, m.start("drug"), m.end("drug")))
            out.append(RuleFact(si, "intervention", word, "intervention.assigned_dose", 0.6))
        # "In Study ENL-302", "UIH-001 (Phase 1/2; n = 10)", "UIH-001, a phase 1/2 study (n=10)": a
        # trial's name, not a drug's (nor is "(abstract LB-07)"), wherever else it stands ("60% and 75% in UIH-001 and UIH-002")
        code_matches = list(self.code_name_re.finditer(text))
        trial_codes = {m.group(0) for m in code_matches
                       if re.search(r"\b(?:study|trial|abstract)\s$", text[max(0, m.start() - 10) : m.start()], re.I)
                       or (_TRIAL_AFTER_CODE.match(text, m.end())
                           # ("its phase 1 study of HG-401 (NCT06610293)": what a study is of is the drug)
                           and not re.search(r"\b(?:study|trial|evaluation|testing) of (?:the )?$", text[max(0, m.start() - 25) : m.start()], re.I))}
        for m in code_matches:
            code = m.group(0)
            if code.lower() in self.aliases or self.code_block.match(code) or code in trial_codes:
                continue
            si = sent_of(m.start())
            # "Remecel (SCX-212)", "orvalecel (also called OT-55)", "tolvacel or CLR-207": the code is
            # another name of the drug it follows.
            window = text[max(0, m.start() - 40) : m.start()]
            called = _CALLED_BEFORE.search(window)
            head = window[: called.start()].lower() if called else ""
            named = next((f for f in reversed(out) if f.kind == "intervention" and head.endswith(f.name)
                          and (len(head) == len(f.name) or not head[-len(f.name) - 1].isalnum())), None) if called else None
            if named is None and (after := _NAME_IN_BRACKET_AFTER.match(text, m.end())):
                # "NRX-52 (orvislecel)": the bracket names the drug the code stands for
                named = next((f for f in out if f.kind == "intervention" and f.name == after.group("name").lower()), None)
            if named is not None:
                named.aliases = [*(named.aliases or []), code]
                spans.append((named.name, m.start(), m.end()))
                continue
            s0, s1 = sentences[si] if sentences else (0, len(text))
            if not self.therapy_cue.search(text[s0:s1]):
                continue
            name = re.sub("[‐‑]", "-", code.lower())
            spans.append((name, m.start(), m.end()))
            out.append(RuleFact(si, "intervention", name, "intervention.code_name", 0.55))
        # "randomised to HSK-3381 5, 15 or 30 mg ... HbA1c changed by ... with HSK-3381 5, 15 and 30 mg": a code
        # the document established as a drug names the doses that follow it wherever it recurs
        # (only there: "reached by 21 (43%), 29 (59%) ... participants on BRX-0417" keeps the arms named before)
        for code in {f.name for f in out if f.rule == "intervention.code_name"}:
            spans += [(code, m.start(), m.end()) for m in re.finditer(rf"(?<![\w-]){re.escape(code)}(?= \d)", text, re.I)
                      if not any(a < m.end() and m.start() < b for _, a, b in spans)]
        # "infusions of allogeneic umbilical cord-derived mesenchymal stromal cells ... to the cell product
        # NV-220 (2 × 10⁶ cells/kg)": the code is the product's name, the cells what it is
        codes = [f for f in out if f.rule == "intervention.code_name"]
        if codes and any(f.name in _CELL_DESCRIPTIONS for f in out):
            product = next((f for f in codes if any(_CELL_PRODUCT_NEAR.search(text, max(0, m.start() - 20), m.end() + 20)
                                                    for m in re.finditer(re.escape(f.name), text, re.I))), None)
            if product is not None:
                product.aliases = [*(product.aliases or []), *sorted({f.name for f in out if f.name in _CELL_DESCRIPTIONS})]
                out = [f for f in out if f.name not in _CELL_DESCRIPTIONS]
        # "Adults were randomised to verapamil or placebo ... daily insulin dose was 0.11 U/kg lower with
        # verapamil": a drug the context made the trial's names the same drug (an arm) wherever it recurs
        established = {f.name for f in out if f.rule == "intervention.lexicon_context" and f.name not in _CONTEXT_NAMES_NOT_RECURRING}
        for name in established:
            for alias in [a for a, canonical in self.aliases.items() if canonical == self.aliases.get(name, name)]:
                spans += [(name, m.start(), m.end()) for m in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text, re.I)
                          if not any(a < m.end() and m.start() < b for _, a, b in spans)]
        if any(f.name == "automated insulin delivery" for f in out) and (device := device_name(text)):
            for f in out:
                if f.name == "automated insulin delivery":
                    f.name, f.aliases = device, [*(f.aliases or []), "automated insulin delivery"]
        spans.sort(key=lambda t: t[1])
        return out, spans

    # ------------------------------------------------------------------------- sentence level
    def _record_arm_order(self, si: int, s: str, drugs, doc_state: dict[str, Any], groups: list[Mention] | None = None) -> None:
        """Keep the arms a sentence names, in order, for later lists of values that name none."""
        if groups is None:
            groups = self._group_mentions(s, drugs, tuple(doc_state.get("arms", ())))
        # ("adults on stable metformin and dapagliflozin 10 mg were randomized to A, B or placebo":
        # the drugs before the assignment are background, not arms)
        assigned_at = _ASSIGNED.search(s)
        # (an arm a list names by one word of its own, "with the combination", is often shorthand for
        # one named in full elsewhere: not an order for other sentences)
        arms_named = _distinct_arms([g for g in groups if (assigned_at is None or g.start >= assigned_at.start())
                                     and not (g.rule == "group.parallel" and " " not in g.text)])
        # "differences versus placebo of ... for the 5 mg and 10 mg doses" names a comparator
        # first: not an order the values of later sentences follow.
        if len(arms_named) >= 2 and not _VERSUS_BEFORE.search(s, max(0, arms_named[0][0] - 16), arms_named[0][0]):
            doc_state.setdefault("arm_orders", []).append((si, arms_named))

    def _sentence(self, si: int, raw: str, drugs, primary: str | None, prev_outcome: str | None,
                  doc_state: dict[str, Any] | None = None):
        s = normalize(raw)
        if "\n" in s:
            s = _HARD_WRAP.sub(" ", s)  # a sentence wrapped over lines ("genital fungal\ninfections") reads as one line
        if "respective" in s:
            s = _IN_THE_RESPECTIVE.sub(lambda m: "respectively".ljust(len(m.group(0))), s)  # "in the respective groups": same length
        if "w/" in s:
            s = _W_SLASH.sub(lambda m: "without" if m.group(0) == "w/o" else "with", s)  # a poster's "w/ 10 mg", "w/o"
        s = value_beside_unit(s)
        if "percentage point" in s and " point" in s:
            s = _BARE_POINTS.sub(" percentage points", s)  # "by 2.3 percentage points with A and 1.9 points with B"
        if len(s) != len(raw):
            # Entities were decoded: drug offsets from the raw text no longer line up; find the
            # same names again (drugs found by pattern included, not only the lexicon's).
            drugs = sorted({(name, m.start(), m.end()) for name, a, b in drugs
                            for m in re.finditer(rf"(?<![\w-]){re.escape(raw[a:b])}(?![\w-])", s)}, key=lambda d: d[1])
        lower = s.lower()
        facts: list[RuleFact] = []
        numeric = bool(_NUMERIC.search(s))
        if not numeric:
            # No number at all: only negated statements can yield facts ("No deaths occurred").
            # (a definition's "without severe hypoglycemia" describes an end point, not an event)
            if _NEGATION_QUICK.search(s) and not (_has_any(lower, _DEFINITION_WORDS) and _DEFINITION.search(s)):
                outcomes = self._outcome_mentions(s)
                ae_facts = self._adverse_events(si, s, [], outcomes, self._group_mentions(s, drugs), [])
                out_facts, _ = self._outcomes(si, s, lower, [], outcomes, [], [], None)
                facts += ae_facts + _without_double_negation(out_facts, ae_facts)
            return facts, prev_outcome
        if _CONTEXT_OPENING.match(s):
            return facts, prev_outcome  # "For context, among 41 recipients ... treated between 2008 and 2019": another cohort's
        eligibility = _has_any(lower, _ELIGIBILITY_WORDS) and bool(_ELIGIBILITY.search(s))
        definition = _has_any(lower, _DEFINITION_WORDS) and bool(_DEFINITION.search(s))
        masks: list[tuple[int, int]] = [(m.start(), m.end()) for m in _PVALUE.finditer(s)] if "p" in lower else []
        masks += _mask_spans(s, lower)
        masks += _label_numbers(s)
        if _has_any(lower, _OTHER_WORK_WORDS) and (other_work := _other_work_spans(s)):
            if any(a == 0 and b == len(s) for a, b in other_work):
                return facts, prev_outcome  # the whole sentence is about other work
            masks += other_work
        if "defined" in lower:
            masks += [(m.start(), m.end()) for m in _DEFINED_AS.finditer(s)]
        if "%" in s:
            masks += [(m.start(), m.end()) for m in _CI_MARK.finditer(s)]
        outcomes = self._outcome_mentions(s)
        if doc_state is not None and doc_state.get("graft") and _SHARE.search(s):
            # "3 of the 12 (25%) had a peak C-peptide above 100 pmol/L", "C-peptide was ≥0.3 nmol/L in
            # 21 recipients (88%)": people over a C-peptide threshold are the graft's function
            outcomes = [Mention(o.start, o.end, "engraftment", o.rule, o.text, o.extra)
                        if o.name == "c_peptide" and _PEPTIDE_THRESHOLD_AFTER.match(s, o.end) else o for o in outcomes]
        elif doc_state is not None and not doc_state.get("graft") and "peptide" in lower:
            # without a graft the same count is responders to an immunotherapy, an outcome outside the
            # vocabulary ("Thirty of 46 verapamil recipients (65%) had a peak C-peptide of at least 0.2 nmol/L")
            # ("A peak C-peptide of at least 0.2 pmol/mL was maintained by 115 of 121": the threshold after the measure)
            share = bool(_SHARE.search(s))
            for i, o in enumerate(outcomes):
                threshold = _PEPTIDE_THRESHOLD_AFTER.match(s, o.end) if o.name == "c_peptide" and share else None
                if threshold or (o.name == "engraftment" and re.search(r"c[- ]peptide.*(?:≥|>|at least|above|over|greater than|or more|or higher)", o.text, re.I)):
                    end = threshold.end() if threshold else o.end
                    outcomes[i] = Mention(o.start, end, "other", "outcome.other.c_peptide_responders", s[o.start : end],
                                          {**o.extra, "label": _label_as_written(s[o.start : end]), "accepts": ("share",)})
        if doc_state is not None:
            outcomes = self._primary_end_point(s, outcomes, definition, doc_state)
            named = {o.name for o in outcomes if not o.name.startswith("_")}
            last_si, last_named = doc_state.get("measures_named", (None, set()))
            if not named and last_si == si - 1 and len(last_named) == 1 and _UNNAMED_CHANGES.search(s):
                prev_outcome = next(iter(last_named))  # (see _UNNAMED_CHANGES)
            doc_state["measures_named"] = (si, named)
        arm_labels = tuple(doc_state.get("arms", ())) if doc_state is not None else ()
        groups = self._group_mentions(s, drugs, arm_labels)
        if doc_state is not None and (assigned := _ASSIGNED.search(s)) \
                and sum(g.rule.startswith(("group.dose", "group.drug_dose")) for g in groups) < 2:
            # "randomised to 8 weeks of HCL and 8 weeks of SAP", "to a tubeless AID system or ...":
            # the abbreviations an assignment names are the arms later sentences call by them
            # (not where doses are the arms: "ATG 0.5 mg/kg or 1.5 mg/kg")
            abbrs = [m.group(0) for m in _ARM_ABBREVIATION.finditer(s, assigned.end())
                     if m.group(0) not in _NOT_ARM_ABBREVIATIONS and m.group(0) not in arm_labels]
            if abbrs:
                doc_state["arms"] = list(dict.fromkeys([*arm_labels, *abbrs]))
                arm_labels = tuple(doc_state["arms"])
                groups = self._group_mentions(s, drugs, arm_labels)
        if doc_state is not None:
            doc_state.setdefault("norm", {})[si] = s
            self._record_arm_order(si, s, drugs, doc_state, groups)
            cohorts = {g.text for g in groups if g.rule in ("group.cohort", "group.parts", "group.arm")}
            if (this := _THIS_COHORT.match(s)) and doc_state.get("last_cohort") and not cohorts:
                # "In this cohort, mean peak C-peptide was 1.9 nmol/L": the cohort the sentence before named
                groups = sorted([*groups, Mention(this.start(1), this.end(1), "cohort", "group.cohort", doc_state["last_cohort"])], key=lambda g: g.start)
            elif len(cohorts) == 1:
                doc_state["last_cohort"] = cohorts.pop()
        has_time = _has_any(lower, _TIME_WORDS)
        # (not "aged 54.3 years"; but "week 26", masked as no value, is a time point)
        value_masks = [(a, b) for a, b in masks if not _TIME_LABEL.fullmatch(s, a, b)]
        timepoints = [(m.start("tp"), m.end("tp"), m.group("tp")) for m in self.tp_re.finditer(s)
                      if not _overlaps(m.start("tp"), m.end("tp"), value_masks)] if has_time else []
        quantities = self._quantities(s, masks, outcomes)
        if doc_state and doc_state.get("n_total") and not groups:
            for q in quantities:
                if q.rule == "prop.no_one" and q.denominator is None:
                    q.denominator = doc_state["n_total"]  # "None of the participants became insulin independent", after "Nine were implanted"
        if doc_state and doc_state.get("n_total") and (m := _EVERY_PARTICIPANT.search(s)):
            # "became detectable in every participant by day 90", after "Sixteen participants were dosed"
            d = doc_state["n_total"]
            own = next((q for q in quantities if q.rule == "prop.everyone" and q.start < m.end() and m.start() < q.end), None)
            if own is not None:
                own.n, own.denominator, own.rule = d, d, "prop.every_known_n"  # (_EVERYONE read the words; the total is the denominator)
            elif not any(q.start < m.end() and m.start() < q.end for q in quantities):
                quantities.append(Quantity(m.start(), m.end(), 100.0, "%", "prop", "prop.every_known_n", n=d, denominator=d))
                quantities.sort(key=lambda q: q.start)

        if "[" in s and _PRIOR_WORK.search(s):
            # "In the first open-label study ... maintained in 9 of 12 treated patients at 1 year [4]",
            # "up to 5.8% of recipients in earlier trials [7]": a value whose clause ends in a
            # citation, in a sentence about earlier work, is another study's (a review's own
            # summary, cited but not called earlier, stays).
            for m in _CITATION.finditer(s):
                before = [q for q in quantities if q.end <= m.start() and ";" not in s[q.end : m.start()] and m.start() - q.end <= 90]
                if before:
                    before[-1].used = True
        # Follow-up durations (also in definition sentences: "followed for 12 months").
        fu_spans: list[tuple[int, int]] = []
        for rule, conf, rx in self.fu_res if has_time else ():
            if rule == "follow_up.trial_duration" and not ("study" in lower or "trial" in lower):
                continue
            if rule not in ("follow_up.trial_duration", "follow_up.over_median", "follow_up.assessed_to_week", "follow_up.report_first", "follow_up.ran_for",
                            "follow_up.monitored", "follow_up.results_span") \
                    and "follow" not in lower:
                continue
            for m in rx.finditer(s):
                written, unit = (m.group("v"), m.group("u")) if m.group("v") is not None else (m.group("v2"), m.group("u2"))
                v = 1.0 if written.lower() in ("a", "an") else parse_number(written)
                if v is None or v <= 0 or _overlaps(m.start(), m.end(), fu_spans):
                    continue
                if rule == "follow_up.n_of_follow_up" and _SUBSET_FOLLOW_UP.search(s[max(0, m.start() - 30) : m.start()]):
                    continue  # "the 12 who completed 1 year of follow-up": who was analysed, not how long
                fu_spans.append((m.start(), m.end()))
                facts.append(RuleFact(si, "follow_up", "follow_up", rule, conf, value=v, unit=_duration_unit(unit)))
        timepoints = [t for t in timepoints if not _overlaps(t[0], t[1], fu_spans)]

        # Sample sizes.
        ss_spans: list[tuple[int, int]] = []
        if not eligibility and _has_any(lower, _ARM_LIST_WORDS) and _ARM_LIST_CUE.search(s):
            for n, a, b, arm in _arm_list(s):
                if not _overlaps(a, b, masks):
                    ss_spans.append((a, b))
                    facts.append(RuleFact(si, "sample_size", "participants", "sample_size.arm_list", 0.8,
                                          value=float(n), unit="participants", group=arm, span=(a, b)))
        # "to A, B or placebo (n = 131, 128 and 133)": the sizes in the order the arms were named.
        n_list = _N_LIST.search(s) if "=" in s else None
        if n_list and self.ae_re.search(s, max(0, n_list.start() - 80), n_list.start()) and not _ENROLMENT_VERB.search(s, 0, n_list.start()):
            n_list = None  # "Serious adverse events were balanced across groups (n = 11, 12 and 10)": events, not arms
        if n_list is None and "respectively" in lower:
            # "The four groups comprised 118, 116, 117 and 117 patients, respectively", "in parts A and B (5 and 11, respectively)"
            n_list = _N_LIST_RESPECTIVELY.search(s)
            bracket = _N_LIST_BRACKET_RESPECTIVELY.search(s) if n_list is None else None
            # (only after who was treated: "died during follow-up (7, 8, 6 and 8, respectively)" counts events)
            if bracket and _TREATED_BEFORE.search(s, max(0, bracket.start() - 120), bracket.start()) \
                    and not _ATTRITION.search(s, max(0, bracket.start() - 120), bracket.start()) and not self.ae_re.search(s, 0, bracket.start()):
                n_list = bracket
        if n_list is None and "number of" in lower:
            n_list = _NUMBER_OF_ARMS_WAS.search(s)  # "The number randomized to A 6, 12 and 24 mg and B was 274, 275, 273 and 274"
        if n_list:
            sizes = [(_int(m.group(0)), n_list.start("ns") + m.start(), n_list.start("ns") + m.end())
                     for m in re.finditer(rf"\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+|{NUMBER_WORD_RE}", n_list.group("ns"), re.I)]
            arms = _distinct_arms([g for g in groups if g.end <= n_list.start()])
            if len(arms) == 1 and (run := _LABEL_RUN.fullmatch(arms[0][1])):
                arms = [(arms[0][0], f"{run.group('kind').lower()} {label}") for label in re.split(r",? (?:and|&) |, ", run.group("labels"))]
            if len(arms) != len(sizes) and doc_state and doc_state.get("arm_orders") \
                    and len(doc_state["arm_orders"][-1][1]) == len(sizes):
                arms = doc_state["arm_orders"][-1][1]  # "(n = 230, 228, 229, and 230, respectively)": the arms named before
            if len(arms) != len(sizes):
                # "two studies, UIH-001 (NCT00566813) and UIH-002 (NCT03791567), which together enrolled 30
                # participants (10 and 20, respectively)": the studies' names label the sizes
                codes = list(dict.fromkeys(m.group(0) for m in _STUDY_CODE.finditer(s, 0, n_list.start())))
                if len(codes) == len(sizes):
                    arms = [(0, c) for c in codes]
            if len(arms) == len(sizes) and not any(_overlaps(a, b, ss_spans) for _, a, b in sizes):
                for (n, a, b), (_, arm) in zip(sizes, arms, strict=True):
                    ss_spans.append((a, b))
                    facts.append(RuleFact(si, "sample_size", "participants", "sample_size.n_list", 0.8,
                                          value=float(n), unit="participants", group=arm, span=(a, b)))
        # "Fifty took verapamil ... and 46 took a placebo": news names each arm by what its people took
        took = [(m, arm) for m in _N_TOOK.finditer(s) if (arm := _took_arm(s, m.end(), drugs))] if " took " in lower or " got " in lower or " received " in lower else []
        if len({arm for _, arm in took}) >= 2 and not any(_overlaps(m.start("n"), m.end("n"), ss_spans) for m, _ in took):
            for m, arm in took:
                if (n := _int(m.group("n"))) is not None:
                    ss_spans.append(m.span("n"))
                    facts.append(RuleFact(si, "sample_size", "participants", "sample_size.n_took", 0.7, value=float(n),
                                          unit="participants", group=arm, span=m.span("n")))
        # "to placebo or X 50 mg, 100 mg or 200 mg (51 per group)": every arm named has that size.
        per_group = (_PER_GROUP.search(s) or _ASSIGNED_TO_EACH.search(s)) if " per " in lower or " each " in lower else None
        each_to = _EACH_TO.search(s) if per_group is None and " each to " in lower else None
        if each_to and not _overlaps(each_to.start("n"), each_to.end("n"), ss_spans):
            # "240 were randomised: 60 each to dapagliflozin + TRE, dapagliflozin alone, TRE alone and placebo alone"
            arms = _distinct_arms([g for g in groups if g.start >= each_to.end()])
            clause = re.split(r";|\.(?!\d)|\(", s[each_to.end():], maxsplit=1)[0]
            listed = [(each_to.end() + m.start(), m.group(1).strip()) for m in _EACH_TO_ITEM.finditer(clause) if m.group(1).strip()]
            if len(listed) > len(arms) and len(listed) <= 8:
                arms = listed  # "dapagliflozin + TRE, dapagliflozin alone, TRE alone and placebo alone": as written
            n = _int(each_to.group("n"))
            if len(arms) >= 2 and n:
                ss_spans.append(each_to.span("n"))
                facts += [RuleFact(si, "sample_size", "participants", "sample_size.each_to", 0.7, value=float(n),
                                   unit="participants", group=arm, span=each_to.span("n")) for _, arm in arms]
        if per_group and self.ae_re.search(s, max(0, per_group.start() - 60), per_group.start()):
            per_group = None  # "3 deaths occurred (1 in each group)": events per arm, not arm sizes
        if per_group and not _overlaps(per_group.start("n"), per_group.end("n"), ss_spans):
            arms = _distinct_arms([g for g in groups if g.end <= per_group.start()])
            if len(arms) < 2:
                arms = _distinct_arms([g for g in groups if g.start >= per_group.end()])  # "984 adults (492 per group), A ... compared with B"
            if len(arms) < 2 and doc_state and doc_state.get("arm_orders"):
                arms = doc_state["arm_orders"][-1][1]  # "126 were randomized (n = 42 per group)", the arms named before
            n = _int(per_group.group("n"))
            if len(arms) >= 2 and n:
                ss_spans.append(per_group.span("n"))
                facts += [RuleFact(si, "sample_size", "participants", "sample_size.per_group", 0.7, value=float(n),
                                   unit="participants", group=arm, span=per_group.span("n")) for _, arm in arms]
        # "1,214 recipients were analyzed: 838 PTA and 376 ITA recipients", "all 117 SPK and 34 SIK
        # transplants": counts each followed by an arm's abbreviation.
        for m in _ABBR_COUNT_RUN.finditer(s) if not eligibility else ():
            if _ATTRITION.search(s, max(0, m.start() - 30), m.end() + 40):
                continue  # "Eleven patients died (9 SPK, 2 SIK)": who died, not the arms' sizes
            items = [(i.group("n"), i.start("n"), i.end("n"), i.group("a")) for i in _ABBR_COUNT_ITEM.finditer(m.group(0))]
            items = [(n, m.start() + a, m.start() + b, abbr) for n, a, b, abbr in items if abbr not in _NOT_ARM_ABBREVIATIONS]
            if len(items) >= 2 and not any(_overlaps(a, b, ss_spans) or _overlaps(a, b, masks) for _, a, b, _ in items):
                for n, a, b, abbr in items:
                    ss_spans.append((a, b))
                    facts.append(RuleFact(si, "sample_size", "participants", "sample_size.abbr_counts", 0.7,
                                          value=float(_int(n)), unit="participants", group=abbr, span=(a, b)))
        if " to " in lower and ("respectively" in lower or "groups" in lower or "arms" in lower) and not eligibility:
            for n, a, b, arm in _counts_to_arms(s):
                if not _overlaps(a, b, ss_spans) and not _overlaps(a, b, masks):
                    ss_spans.append((a, b))
                    facts.append(RuleFact(si, "sample_size", "participants", "sample_size.counts_to_arms", 0.8,
                                          value=float(n), unit="participants", group=arm, span=(a, b)))
        # "240 received cagrilintide-semaglutide, 120 semaglutide, and 120 placebo", "of whom 310
        # received corvadec and 310 received degludec": a list of counts, each before its arm.
        if "received" in lower or "were given" in lower or "continued" in lower or "switched" in lower:
            for n, a, b, arm in _received_list(s, groups):
                if not _overlaps(a, b, ss_spans) and not _overlaps(a, b, masks):
                    ss_spans.append((a, b))
                    facts.append(RuleFact(si, "sample_size", "participants", "sample_size.received_list", 0.75,
                                          value=float(n), unit="participants", group=arm, span=(a, b)))
        has_person = _has_any(lower, _PERSON_WORDS)
        # In a single-arm sentence "treated with X" names the therapy, not an arm.
        drug_groups = {g.text for g in groups if g.rule == "group.drug"}
        ss_groups = groups if len(drug_groups) != 1 or len(groups) > 1 else [g for g in groups if g.rule != "group.drug"]
        for rule, conf, rx in self.ss_res:
            # "1,204 adults with type 2 diabetes inadequately controlled on metformin were
            # enrolled": the eligibility words do not cancel an enrolment statement, but weaker
            # shapes there are criteria ("at least 18 patients per site").
            if eligibility and rule not in _ELIGIBILITY_SAFE_SS:
                continue
            if rule == "sample_size.allocated_to":
                if not re.search(r"random|assign|allocat|exposed to", lower):
                    continue
            elif rule == "sample_size.n_eq":
                if "=" not in s:
                    continue
            elif rule == "sample_size.n_people_bracket":
                if "(" not in s or not re.search(r"random|assign|allocat|enrol", lower):
                    continue  # ("reached 10.8% at 36 mg (11 patients)": a share's count)
            elif rule in ("sample_size.total", "sample_size.in_total", "sample_size.in_total_were"):
                if "total" not in lower:
                    continue
            elif rule in ("sample_size.clause_n_verb", "sample_size.of_n_verbed", "sample_size.clause_with"):
                pass  # ", 44 were randomized", "Of 588 randomised,": the verb says who they are, no person word needed
            elif rule == "sample_size.n_in_group":
                # only beside a count of everyone treated, never in an events or outcome sentence
                if not (_ENROLMENT_VERB.search(s) or any(f.kind == "sample_size" for f in facts)) or self.ae_re.search(s) \
                        or any(not _overlaps(o.start, o.end, masks) for o in outcomes) or _ATTRITION.search(s):
                    continue
            elif rule == "sample_size.dose_arm":
                if "dose" not in lower:
                    continue
            elif rule == "sample_size.to_enrol":
                if not has_person or _ANOTHER_TRIAL.search(s):
                    continue
            elif rule in ("sample_size.n_at_label", "sample_size.n_after_label"):
                # (cheap gates first: most sentences have neither a bracketed label nor "after X")
                if ("(" not in s if rule == "sample_size.n_at_label" else " after " not in lower) \
                        or not ("implanted" in lower or "followed" in lower or _ENROLMENT_VERB.search(s)):
                    continue
            elif not has_person:
                continue
            for m in rx.finditer(s):
                n = _int(m.group("n"))
                if n is None or n <= 0 or _overlaps(m.start("n"), m.end("n"), ss_spans):
                    continue
                if _overlaps(m.start("n"), m.end("n"), masks):
                    continue
                if re.search(r"[A-Za-z]-$", s[max(0, m.start("n") - 2) : m.start("n")]):
                    continue  # "LMX-204 in adults": a drug's code, not a count
                if re.match(r"[ \u2009\u202f\u00a0]\d{3}\b", s[m.end("n") : m.end("n") + 4]):
                    continue  # "a combined 2 914 participants": the first digits of a number with spaced thousands
                if re.match(r"\s?of\b", s[m.end() : m.end() + 4]) and m.group(0).lower().endswith(("case", "cases")):
                    continue  # "including one case of acute pancreatitis": an event's count
                if re.search(r"\b(?:fewer|less) than\s$", s[max(0, m.start("n") - 12) : m.start("n")], re.I):
                    continue  # "fewer than 1,500 people worldwide have received it": a bound, not a trial's size
                if rule == "sample_size.total" and _NOT_PEOPLE_AFTER.match(s, m.end()):
                    continue  # "a total of 21 intraportal islet infusions": procedures, not people
                if rule == "sample_size.treated_in" and re.match(r"\w+,\s", m.group(0)):
                    continue  # "bruising where the cells were injected, in two participants": an event's count
                if rule == "sample_size.clause_n_verb" and _ATTRITION.search(s, m.end(), m.end() + 60):
                    continue  # "Four randomised participants withdrew consent": who left, not who took part
                if re.search(r"\b(?:never|not|didn't)\s(?:\w+\s)?\w+$", m.group(0)):
                    continue  # "Two patients in the islet arm never received cells": who did not take part
                if rule == "sample_size.n_verb" and _SCREENING.search(m.group(0)):
                    continue  # "1,083 people were assessed for eligibility and 188 were randomised": 1,083 were screened
                if m.group(0).lower().endswith("received") and len(_RECEIVED_N.findall(s)) >= 2:
                    continue  # "Nineteen recipients received two infusions and four received three": subsets by infusions
                # "bleeding after the procedure (n=6)": the count of an event, not of an arm.
                if rule in _BRACKET_SIZE_RULES and (self.ae_re.search(s[max(0, m.start() - 50) : m.start()])
                                                   or (_AE_LIST_CUE.search(s, 0, m.start()) and self.ae_re.search(s))) \
                        and not any(g.end <= m.start() and m.start() - g.end <= 3 for g in groups):
                    continue  # (or an item of a list of events the lexicon lacks: "a decline in kidney function (n=6)")
                # The n of a proportion ("10 of 12 participants") is not a sample size.
                if any(q.kind == "prop" and q.start <= m.start("n") < q.end and q.denominator != n
                       and not (rule == "sample_size.clause_n_verb" and q.rule == "prop.n_pct")
                       and not (rule == "sample_size.allocated_to" and q.rule == "prop.of_those") for q in quantities):
                    continue  # ("446 (84.3%) entered the extension", "of whom 524 were assigned to icodec" are who took part)
                if rule in _ARM_NAMED_RULES:
                    group = m.group("arm")  # "120 to the closed-loop system", "Arm A (...): 16": as written
                    if rule == "sample_size.dose_arm":
                        group = group.replace(" that ", " ")  # "Two others got half that dose": the half-dose arm
                    if rule == "sample_size.dose_arm" and m.group("label"):
                        group = m.group("label")  # "The first three recipients (cohort 1) were given a half dose"
                    elif rule == "sample_size.dose_arm" and (label := _LABEL_AFTER_DOSE.match(s, m.end())):
                        group = label.group("label") or label.group("bracketed")  # "three received half the target dose in part A": the part is the arm
                    if rule == "sample_size.allocated_to" and (re.match(r"\s?\([nN]\s?=", s[m.end() : m.end() + 6])
                                                               or (_UNCOUNTED_ARM_AFTER.match(s, m.end()) and not m.group(0).lower().startswith("and "))):
                        # "102 were assigned to the closed-loop system (n=68) or to ...": the total; brackets size the arms
                        # ("918 were randomly assigned to tirzepatide or placebo": the total of both arms; not the last
                        # item of a list, "and forty-one to take a placebo, or dummy pill")
                        group = None
                else:
                    # "(rATG, 6 mg/kg total; n = 24)": a bracket that names its arm before the size
                    owner = _bracket_owner(s, m.start(), drugs) if rule in _BRACKET_SIZE_RULES else None
                    # ("to the hybrid closed-loop system (n=68) or to standard care (n=34)": the therapy right
                    # before a bare size bracket owns it, unless an arm mention (a dose) ends there)
                    bare_after_owner = owner and s[m.start() - 1] == "(" \
                        and not any(0 <= m.start() - 1 - g.end <= 1 and g.rule.startswith(("group.dose", "group.drug_dose")) for g in ss_groups)
                    # ("... 0.5 mg/kg (n = 30) or 1.5 mg/kg (n = 31), or to placebo": the arm the bracket follows)
                    # ("UIH-001 (phase 1/2; n = 10)": a short aside may open the bracket before the size)
                    opened = m.start() - 1 if s[m.start() - 1 : m.start()] == "(" else \
                        (aside.start() if (aside := _ASIDE_BEFORE_N.search(s, max(0, m.start() - 32), m.start())) else -1)
                    adjacent = next((g.text for g in ss_groups if opened >= 0 and 0 <= opened - g.end <= 1), None) \
                        if rule in _BRACKET_SIZE_RULES else None
                    group = owner if owner and (s[m.start() - 1] != "(" or bare_after_owner) else adjacent or \
                        self._group_for(m.start("n"), m.end("n"), ss_groups, s, prefer_after=rule in _BRACKET_SIZE_RULES) or owner
                    if rule in _BRACKET_SIZE_RULES and (labelled := _LABEL_N_EQ.search(s, max(0, m.start("n") - 48), m.start("n"))):
                        group = labelled.group("label") or labelled.group("bare") or labelled.group("item")  # "(ITA, n = 298; IAK, n = 114)": each item names its arm
                    if rule == "sample_size.verb_n" and (subject := next((g for g in ss_groups if 0 <= m.start() - g.end <= 1
                                                                           and g.rule in _SUBJECT_ARM_RULES), None)):
                        group = subject.text  # "part B enrolled three participants ...": the clause's subject is the arm
                    if group is None and (dose_rel := _WHO_GOT_DOSE.match(s, m.end("n"))):
                        group = dose_rel.group("arm")  # "Ten of the 12 patients who received a full dose ...": that arm's size
                    if group is None and rule in _BRACKET_SIZE_RULES:
                        group = _assigned_label(s, m.start())
                    elif group and rule in ("sample_size.n_verb", "sample_size.clause_n_verb") and _first_of_arm_list(s, m.end("n"), group, ss_groups):
                        group = None  # "240 patients were randomly assigned to semaglutide or placebo": the whole trial
                    elif group and rule == "sample_size.of_the_n" and (later := next((g for g in ss_groups if g.start >= m.end("n") and g.text == group), None)) \
                            and "," in s[m.end("n") : later.start]:
                        group = None  # "In 344 adults with obesity, 36 weeks of X at 20 mg ...": the lead phrase counts everyone
                if rule == "sample_size.n_people_bracket" and (group is None or re.search(r"\d\s?%[^()%]{0,25}\($", s[max(0, m.start() - 40) : m.start()])):
                    continue  # "more than 70 per cent of participants (34 people)", "10.8% at 36 mg (11 patients)": a share's count
                ss_spans.append((m.start("n"), m.end("n")))
                facts.append(RuleFact(si, "sample_size", "participants", rule, conf if group or rule != "sample_size.n_eq" else 0.6,
                                      value=float(n), unit="participants", group=group, span=(m.start("n"), m.end("n"))))
        if "," in s or " and " in s:
            facts += self._total_breakdown(si, s, facts, ss_spans)
        if doc_state is not None:
            whole = [f.value for f in facts if f.kind == "sample_size" and not f.group and f.value]
            if whole:
                doc_state["n_total"] = int(whole[-1])
            # Short arm labels sized here ("RYGB", "SG", "placebo") are looked for in later sentences.
            sized = [f.group for f in facts if f.kind == "sample_size" and f.group and len(f.group) <= 30
                     and (f.rule in ("sample_size.arm_list", "sample_size.allocated_to", "sample_size.arm_consisted", "sample_size.n_list", "sample_size.counts_to_arms")
                          or re.fullmatch(r"[A-Z][A-Za-z0-9+-]{1,9}|(?:19|20)\d{2}[–-](?:19|20)?\d{2}", f.group))]
            if sized:
                doc_state["arms"] = list(dict.fromkeys([*doc_state.get("arms", ()), *sized]))
            # "(transplant group, n=28) and ... (insulin group, n=21)": arms sized in one sentence
            # are an order too, when the sentence gave none from its mentions
            sized_here: dict[str, int] = {}
            for f in sorted((f for f in facts if f.kind == "sample_size" and f.group and f.span), key=lambda f: f.span[0]):
                sized_here.setdefault(f.group, f.span[0])
            if len(sized_here) >= 2 and not any(o[0] == si for o in doc_state.get("arm_orders", ())):
                doc_state.setdefault("arm_orders", []).append((si, [(a, g) for g, a in sized_here.items()]))
        # "The trial dosed 12 participants: three in Part A ... and nine in Parts B and C": the
        # total is the whole trial's, whatever label follows it.
        listed = ("sample_size.n_in_part", "sample_size.arm_list", "sample_size.n_list", "sample_size.per_group", "sample_size.allocated_to",
                  "sample_size.counts_to_arms", "sample_size.breakdown")
        # (per shape: "2,264 exposed to X (12 mg, n=758; 24 mg, n=752 ...) and 1,131 to placebo" nests one list in another)
        arm_sums: dict[str, float] = {}
        arm_counts: dict[str, int] = {}
        for f in facts:
            if f.kind == "sample_size" and f.rule in listed and f.value:
                arm_sums[f.rule] = arm_sums.get(f.rule, 0.0) + f.value
                arm_counts[f.rule] = arm_counts.get(f.rule, 0) + 1
        # (one listed arm is no list: "33 were assigned to the islet group and 31 to the closed-loop group")
        arm_sums = {rule: total for rule, total in arm_sums.items() if arm_counts[rule] >= 2}
        if arm_sums:
            for f in facts:
                if f.kind == "sample_size" and f.group and f.rule not in listed and f.value and f.value >= min(arm_sums.values()):
                    f.group = None
        # Quantities claimed by sample sizes are not outcome values.
        for q in quantities:
            if q.kind == "count" and _overlaps(q.start, q.end, ss_spans):
                q.used = True
        if eligibility:
            # Criteria thresholds are not doses, events or outcomes; only the doses a sentence
            # assigns or gives ("... were assigned to oral semaglutide 14 mg", "... received two
            # infusions of MSC at 1 × 10^6 cells/kg") stay.
            # ("88 participants aged 8-17 years were randomized within 4 weeks of diagnosis to weight-based
            # extended-release verapamil (up to 360 mg/day)": the population between the verb and its "to")
            assigned = _ASSIGNED.search(s) or _TREATED_WITH.search(s) or _ASSIGNED_AFTER_POPULATION.search(s)
            if assigned is None:
                return facts, prev_outcome
            for q in quantities:
                if q.start < assigned.end():
                    q.used = True

        # Doses. ("daily insulin requirement was 0.31 U/kg" is an outcome of the trial, not its dose.)
        insulin_need = _INSULIN_NEED.search(s) if "insulin" in lower else None
        for q in quantities:
            if insulin_need and insulin_need.end() <= q.start and q.unit in ("IU/kg", "IU", "IU/day"):
                continue
            if q.unit in ("IU", "IU/day", "IU/kg") and re.match(r"\s?of (?:insulin|basal insulin|bolus insulin)\b", s[q.end : q.end + 20], re.I) \
                    and not any(d[0].startswith("insulin") for d in drugs):
                continue  # "about 39 units of insulin a day" before treatment: a need, not the product's dose
            if q.unit == "devices" and re.match(r"\s(?:were|was|had to be) (?:explanted|removed|retrieved)\b", s[q.end : q.end + 20]):
                continue  # "Thirty-eight devices were explanted": a count of devices, not a dose
            if q.kind == "unit" and q.unit in DOSE_UNITS and not q.used:
                q.used = True
                # "in the orforglipron 12 mg group", "on 12 mg": an arm label, not a dosing statement.
                if not self.dose_verb.search(s) and (re.match(r"\s?(?:groups?|arms?|cohorts?)\b", s[q.end : q.end + 8]) or re.search(r"\b(?:on|at|with|for|both)\s$", s[max(0, q.start - 6) : q.start])):
                    continue
                if q.comparator in (">=", ">") and q.unit in ("mg", "mg/day", "mg/kg"):
                    continue  # "despite at least 1500 mg/day of metformin", "(≥1,500 mg/day)": a background drug's floor, not a dose given
                if _VALUE_BEFORE_LABEL.search(s, max(0, q.start - 30), q.start) and s[q.end : q.end + 1] == ")":
                    continue  # "−7.1 kg (4 mg), −9.4 kg (8 mg) and −2.8 kg (dulaglutide)": the dose names the arm of the value before it
                if self._background_dose(s, q, drugs):
                    continue
                name, inferred = self._drug_for(q, drugs, primary, s)
                if name is None:
                    continue
                if q.unit in ("IU", "IU/day", "IU/kg") and "insulin" not in name:
                    # "received four units" of an encapsulated product: devices; "needed 0.61 units per
                    # kilogram a day" in a verapamil trial: insulin use, not the drug's dose
                    if not (q.unit == "IU" and doc_state is not None and doc_state.get("graft") and q.value is not None
                            and name not in self.not_cell_products and not self.drug_suffix.search(name)
                            and q.value == int(q.value) and q.value <= 20 and not _INSULIN_UNITS_AFTER.match(s, q.end)):
                        continue
                    q = replace(q, unit="devices")
                # "(12 mg, n=758; 24 mg, n=752)": the dose labels its own arm
                own = next((g.text for g in groups if g.start <= q.start and q.end <= g.end), None) \
                    if re.match(r",?\s?[nN]\s?=", s[q.end : q.end + 5]) else None
                label = _LABEL_IN_BRACKET.match(s, q.end)  # "(total, 1.6 x 10^8 cells; low-dose group)"
                group = own or self._group_for(q.start, q.end, groups, s, dose_ok=False) or _bracket_owner(s, q.start, drugs) \
                    or (label.group("arm") if label else None)
                if group is None and (level := _DOSE_NAMED_BEFORE.search(s, max(0, q.start - 40), q.start)):
                    group = f"{level.group('level').lower()} dose"  # "the full dose of 0.8 × 10⁹ cells", "a half dose, 0.4 billion cells"
                facts.append(RuleFact(si, "dose", name, "dose." + q.rule, 0.6 if inferred else 0.85,
                                      value=q.value, unit=q.unit, comparator=q.comparator, group=group, span=(q.start, q.end)))

        # "to 4 mg, 9 mg or 18 mg of X, or placebo": each dose of one drug is its own arm (not
        # "10 mg/kg on days 1 and 5, then 5 mg/kg monthly": one arm's schedule).
        doses = [f for f in facts if f.kind == "dose" and f.unit in ("mg", "µg", "mg/kg", "mg/day")] if _ALLOCATION.search(s) else []
        for name in {f.name for f in doses}:
            same = [f for f in doses if f.name == name]
            if len({f.value for f in same}) >= 2 and len(same) == len({f.value for f in same}) \
                    and not _SCHEDULE.search(s, min(f.span[0] for f in same), max(f.span[1] for f in same)):
                for f in same:
                    f.group = f"{f.value:g} {f.unit}"
        if eligibility or (_has_any(lower, _BACKGROUND_GATE) and _BACKGROUND.search(s)):
            return facts, prev_outcome

        # Adverse events and deaths (before outcomes: they claim their quantities).
        # A definition ("a composite of kidney failure, a decline of at least 50% in the eGFR, or
        # death") counts nothing; it may still say an event did not occur.
        ae_facts = self._adverse_events(si, s, quantities if not definition else [], outcomes, groups, masks)
        if definition:
            ae_facts = [f for f in ae_facts if not f.negated]
        facts += ae_facts

        # Outcomes. A definition's thresholds are not results, but a count with its denominator
        # in the same sentence is ("C-peptide above 0.2 nmol/L, our definition of graft
        # function, was documented in 10/11 recipients").
        counted = quantities if not definition else [q for q in quantities if q.kind == "prop" and q.denominator]
        if not definition or counted:
            out_facts, used_name = self._outcomes(si, s, lower, counted, outcomes, groups, timepoints, prev_outcome)
            out_facts += _shared_subject(s, out_facts, outcomes)
            if "%" in s and ("weight" in lower or "loss" in lower or "reduction" in lower) and (threshold := _WEIGHT_THRESHOLD.search(s)):
                # "Weight reduction of 5% or more occurred in 74.1% ... of participants": after a
                # weight-loss threshold the percentages are shares of people, not weight changes.
                out_facts = [f for f in out_facts if not (f.name == "body_weight_change" and f.unit == "%"
                                                          and (f.span is None or f.span[0] >= threshold.end()))]
            facts += _without_double_negation(out_facts, ae_facts)
            if used_name:
                prev_outcome = used_name
        facts += self._baseline_event_rate(si, s, facts, masks)
        return facts, prev_outcome

    @staticmethod
    def _baseline_event_rate(si: int, s: str, facts: list[RuleFact], masks: list[tuple[int, int]]) -> list[RuleFact]:
        """"had experienced a median of 3 (IQR 2-5) severe hypoglycaemic events in the preceding year",
        "people had on average 11 severe hypos a year": the event rate before treatment (not "at least
        two ... in the previous year", which says who could enrol)."""
        if ("severe" not in s and "Severe" not in s and "SHE" not in s and "such events" not in s) or not _SEVERE_HYPO_WORDS.search(s):
            return []  # (the substring test first: this runs on every sentence with a number)
        m = _BASELINE_EVENT_RATE.search(s)
        if m is None or _overlaps(m.start("v"), m.end("v"), masks):
            return []  # (not another cohort's: "compared the results with a historical cohort ... who had a median of 4")
        per = (m.group("per") or "").lower()
        if not ("year" in per or _BEFORE_ENTRY.match(s, m.end(), m.end() + 80) or _BEFORE_ENTRY_LEAD.match(s)):
            return []
        v = parse_number(m.group("v"))
        if v is None or any(f.kind == "outcome" and f.name == "severe_hypoglycemia_events" and f.value == v for f in facts):
            return []
        unit = "events per patient-year" if re.search(r"(?:patient|participant|person)-year", per) else "events per year" if "year" in per else "events"
        return [RuleFact(si, "outcome", "severe_hypoglycemia_events", "outcome.severe_hypoglycemia_events.baseline_rate", 0.7,
                         value=v, unit=unit, timepoint="baseline", span=m.span("v"))]

    # ------------------------------------------------------------------------- mentions
    def _outcome_mentions(self, s: str) -> list[Mention]:
        found: list[Mention] = []
        lower = s.lower()
        # "the primary end point (HbA1c <7.0% without any severe hypoglycaemic event) was reached by
        # 17 of 26": the outcomes inside the definition are not what was counted.
        for m in _PRIMARY_DEFINED_MET.finditer(s) if "primary" in lower else ():
            found.append(Mention(m.start(), m.end(), "primary_endpoint_met", "outcome.primary_endpoint_met.phrase", m.group(0),
                                 {"prio": self.outcome_prio["primary_endpoint_met"], "descriptor": False}))
        for prio, (rule, name, rx, trigger) in enumerate(self.outcome_pats):
            # Cheap substring gates first: most sentences mention few outcomes (speed).
            if trigger and not any(t in lower for t in trigger):
                continue
            for m in rx.finditer(s):
                if any(m.start() < o.end and o.start < m.end() for o in found):
                    continue
                after = s[m.end() : m.end() + 16].lower()
                before = s[max(0, m.start() - 25) : m.start()].lower()
                if " baseline" in after[:16] and self.outcome_types.get(name) == "proportion":
                    continue  # "no detectable C-peptide at baseline" describes who was enrolled
                if name == "insulin_independence" and re.search(r"\bagain\b|\bresum", s[m.end() : m.end() + 12]):
                    continue
                if name in ("hba1c_target", "engraftment") and _REMISSION_DEFINED.search(s, max(0, m.start() - 40), m.start()):
                    # "remission (HbA1c <6.5% ...) was achieved by 58", "Partial remission (peak C-peptide
                    # >0.2 nmol/L ...) was present in sixteen of 33": remission was counted, not the target
                    name = "_absorb"
                if name == "insulin_independence" and re.search(r"\bnever (?:became|become|achieved|were|was)\s$", before):
                    name = "_absorb"  # "8 (24%) never became insulin independent": the others, whose value is no outcome's
                # "subjects who reached the primary end point": describes a denominator, weakly an outcome.
                # (but ", with time in range above 98%" after a result is another result)
                descriptor = bool(re.search(r"\b(?:who|that)\s+(?:had\s+|have\s+)?$|(?<!, )\bwith (?:a |an |any )?$|\bwithout (?:a |an |any )?$", before)) \
                    and not _REPORTING_THAT.search(before)  # ("the monitor showed that time in range rose from 41%": a result)
                if _NO_EFFECT_ON.search(s, max(0, m.start() - 40), m.start()):
                    name = "_composite_part"  # "antibodies developed in 12.6%, with no apparent effect on HbA1c": no value of its own
                extra = {"prio": prio, "descriptor": descriptor}
                if name == "other" and _WITHOUT_RAISING.search(before):
                    name = "_claim"  # "without any increase in time below 70 mg/dL (1.8% vs 2.0%)": no result, and no other outcome's values
                if name == "other":  # the measure as written labels it; its row says what values it takes
                    extra.update(label=_label_as_written(m.group(0)), accepts=self.other_accepts[rule])
                found.append(Mention(m.start(), m.end(), name, rule, m.group(0), extra))
        if found and ("weight" in lower or "insulin" in lower):
            # "HbA1c fell 0.4% vs 0.1%, body weight 8.2% vs 0.6%, and total daily insulin 14% vs 2%":
            # the verb of the first change is not repeated for the next ones.
            for m in _GAPPED_CHANGE.finditer(s):
                if not _DIRECTION.search(s, 0, m.start()):
                    continue
                # (the change the verb before gives outranks the bare level measure of the same words)
                found = [o for o in found if not (o.rule == "outcome.other.insulin_dose" and m.start("x") < o.end and o.start < m.end("x"))]
                if not any(m.start("x") < o.end and o.start < m.end("x") for o in found):
                    name = "body_weight_change" if "weight" in m.group("x").lower() else "insulin_dose_change"
                    found.append(Mention(m.start("x"), m.end("x"), name, "outcome.gapped_change", m.group("x"), {"prio": 50, "descriptor": False}))
        # "..., and no severe hypoglycaemia occurred": an event that did not happen, not a share free of it
        if "significant" in lower or "level 2" in lower:
            # "Rates of combined clinically significant or severe hypoglycaemia were 0.31 and 0.15
            # events per patient-year": level 2 and 3 together, not the severe events alone: an outcome
            # outside the vocabulary, labelled as written
            # (but "HbA1c below 7% without level 2 or 3 hypoglycaemia" is part of a composite target)
            for i, o in enumerate(found):
                if o.name.startswith("severe_hypoglycemia") and (level2 := _LEVEL_2_OR.search(s, max(0, o.start - 70), o.start)):
                    name = "_composite_part" if _WITHOUT_BEFORE.search(s, max(0, level2.start() - 20), level2.start()) else "other"
                    found[i] = Mention(level2.start(), o.end, name, "outcome.other.level_2_or_severe", s[level2.start() : o.end],
                                       {**o.extra, "label": _label_as_written(s[level2.start() : o.end]), "accepts": _HYPO_RATE_ACCEPTS})
            # ("Combined level 2 or 3 hypoglycaemia occurred at 0.58 versus 0.45 events per participant-year; severe
            # hypoglycaemia was reported by three ...": the combined levels take the rates before the severe events can)
            found += [Mention(m.start(), m.end(), "_composite_part" if _WITHOUT_BEFORE.search(s, max(0, m.start() - 20), m.start()) else "other",
                              "outcome.other.level_2_or_3", m.group(0),
                              {"prio": 60, "descriptor": False, "label": _label_as_written(m.group(0)), "accepts": _HYPO_RATE_ACCEPTS})
                      for m in _LEVEL_2_OR_3.finditer(s) if not any(o.start < m.end() and m.start() < o.end for o in found)]
        found = [o for o in found if not (o.name == "severe_hypoglycemia_free" and _DID_NOT_OCCUR.match(s, o.end)
                                          and not o.text.lower().startswith("free"))]  # ("freedom from ... was observed in 25/26")
        # "An HbA1c below 7.0% without severe hypoglycaemia was reached by ...": one composite target
        # (but "all 12 had an HbA1c below 7% and were free of severe hypoglycaemia" states two results,
        # unless the sentence defines a primary end point)
        targets = [o for o in found if o.name == "hba1c_target"]
        for o in found:
            if o.name == "severe_hypoglycemia_free" and any(0 <= o.start - t.end <= 30 and not re.search(r"\d|[,;]", s[t.end : o.start])
                                                            and not (re.search(r"\band (?:were|was|had|have)\b", s[t.end : o.start]) and "primary" not in lower)
                                                            for t in targets):
                o.name = "_composite_part"  # (takes no value, and no event is read inside it)
        met = _PRIMARY_MET_BY.search(s) if "primary" in lower else None
        if met:
            a, b = met.span("app")
            found = [o for o in found if not (a <= o.start and o.end <= b) and not (o.start < met.end("met") and met.start("met") < o.end)]
            found.append(Mention(met.start("met"), met.end("met"), "primary_endpoint_met", "outcome.primary_endpoint_met.met_by",
                                 met.group("met"), {"prio": 0, "descriptor": False}))
            found.append(Mention(a, b, "_definition", "outcome.definition", met.group("app"), {"prio": 0, "descriptor": True}))
        elif "primary" in lower:
            # "42 of 48 (87.5%) met the primary end point—HbA1c <7.0% with no severe hypoglycaemic
            # events", "the composite primary outcome of an HbA1c below 7·0% ... was achieved by 15 of
            # 24": the target is the primary end point it defines
            for o in found:
                if o.name == "hba1c_target" and _PRIMARY_NAMED_BEFORE.search(s, max(0, o.start - 60), o.start):
                    o.name, o.rule = "primary_endpoint_met", "outcome.primary_endpoint_met.defined"
        # "every one met the study's primary end point, defined as freedom from severe hypoglycaemic events ...
        # together with an HbA1c below 7%, and 10 (83.3%) had stopped insulin": the definition's outcomes were not counted
        for o in [o for o in found if o.name == "primary_endpoint_met"] if "defined" in lower else ():
            if definition := _DEFINED_AFTER.match(s, o.end):
                for part in found:
                    if definition.start("body") <= part.start and part.end <= definition.end("body"):
                        part.name = "_composite_part"
        found.sort(key=lambda o: o.start)
        return found

    @staticmethod
    def _primary_end_point(s: str, outcomes: list[Mention], definition: bool, doc_state: dict[str, Any]) -> list[Mention]:
        """"The primary end point was diabetes remission (...)" names an outcome the vocabulary
        does not have; later "remission was achieved in 21/48" reports that end point."""
        if definition:
            m = _PRIMARY_IS.search(s)
            if m and not any(o.start < m.end("x") and m.start("x") < o.end for o in outcomes):
                head = m.group("x").split()[-1].lower()
                if len(head) >= 5 and head not in _GENERIC_END_POINT_WORDS:
                    doc_state["primary_re"] = re.compile(rf"\b{re.escape(head)}\b", re.I)
            return outcomes
        rx = doc_state.get("primary_re")
        if rx is None:
            return outcomes
        extra = [Mention(m.start(), m.end(), "primary_endpoint_met", "outcome.primary_endpoint_met.named", m.group(0), {"prio": 99, "descriptor": False})
                 for m in rx.finditer(s) if not any(m.start() < o.end and o.start < m.end() for o in outcomes)]
        return sorted(outcomes + extra, key=lambda o: o.start) if extra else outcomes

    def _group_mentions(self, s: str, drugs, arm_labels: tuple[str, ...] = ()) -> list[Mention]:
        out: list[Mention] = []
        lower = s.lower()
        for rule, label, rx, trigger in self.group_pats:
            if trigger and not any(t in lower for t in trigger):
                continue
            for m in rx.finditer(s):
                if any(m.start() < g.end and g.start < m.end() for g in out):
                    continue
                text = m.group(0)
                if label == "dose level":
                    text = text.replace("-", " ")
                elif label == "control" and text.lower() == "controls":
                    text = "control"  # "2 (12%) controls": the control arm
                out.append(Mention(m.start(), m.end(), label, rule, text.strip()))
        # "with enloglutide 2.5 and 5 mg": the first dose shares the unit written once.
        for m in _DOSE_LIST_ARMS.finditer(s) if " and " in s or " or " in s else ():
            for v in re.finditer(r"\d+(?:\.\d+)?", m.group("head")):
                a, b = m.start("head") + v.start(), m.start("head") + v.end()
                if not any(a < g.end and g.start < b for g in out):
                    out.append(Mention(a, b, "dose", "group.dose_shared", f"{v.group(0)} {m.group('u')}"))
        # Dose arms: "orforglipron 12 mg", "the 3-mg dose", "on 12 mg", "12 mg group".
        for m in re.finditer(r"(?<![\w.])(?P<dose>\d+(?:\.\d+)?)[- ]?(?P<u>mg/kg|mg|µg|μg|mcg|iu)(?![/\w])(?:(?: once| twice)?(?: daily| weekly| per day| once a week))?"
                             r"(?: \((?P<fa>(?-i:QD|OD|BID|BD|TID|QW))\)| (?P<fb>(?-i:QD|OD|BID|BD|TID|QW))\b)?(?P<tail> (?:dose|group|arm|cohort)s?)?\b", s, re.I):
            if any(m.start() < g.end and g.start < m.end() for g in out):
                continue
            before = s[max(0, m.start() - 40) : m.start()]
            ctx = re.search(r"(?:\b(?:with|in|on|at|for|receiving|the|and|or|to|v(?:s\.?|(?= ))|versus|of|between)|[(:;,\[]) ?$", before, re.I)
            drug = None
            for name, a, b in drugs:
                if b <= m.start() and m.start() - b <= 60:
                    drug = (name, a, b)
            if not (ctx or m.group("tail") or drug):
                continue
            opened = s.rfind("(", 0, m.start())
            if drug and opened > s.rfind(")", 0, m.start()) and 0 <= opened - drug[2] <= 2 \
                    and _SCHEDULE.search(s, opened, (s.find(")", opened) + 1) or len(s)):
                continue  # "belatacept (10 mg/kg on days 1, 5 and 14, then 5 mg/kg monthly)": the drug's schedule, not arms
            text = f"{m.group('dose')} {m.group('u')}"
            if frequency := m.group("fa") or m.group("fb"):
                text += f" {frequency}"  # "50 mg QD" and "50 mg BID" are two arms of one dose
            if drug and m.start() - drug[2] <= 3:
                out.append(Mention(drug[1], m.end(), "dose", "group.drug_dose", f"{drug[0]} {text}"))
            elif drug:
                out.append(Mention(m.start(), m.end(), "dose", "group.dose_ctx_drug", f"{drug[0]} {text}"))
            else:
                out.append(Mention(m.start(), m.end(), "dose", "group.dose", text))
        # Arms the document already sized ("RYGB n=50; SG n=50"), named again: "after RYGB".
        for label in arm_labels:
            for m in re.finditer(rf"(?<![\w-]){re.escape(label)}(?![\w-])", s):
                if not any(m.start() < g.end and g.start < m.end() for g in out):
                    out.append(Mention(m.start(), m.end(), "arm", "group.sized_arm", label))
        # A therapy named as an arm: "receiving tirzepatide", "in the empagliflozin group".
        for name, a, b in drugs:
            if any(a < g.end and g.start < b for g in out):
                continue
            if any(0 <= g.start - b <= 2 and g.rule == "group.dose_shared" for g in out):
                continue  # "tirzepatide 5, 10, or 15 mg": the arms are the doses
            if letter := _ARM_LETTER.match(s, b):
                # "with fovelitide A, fovelitide B and glargine": a lettered arm of one therapy
                out.append(Mention(a, letter.end(), "drug", "group.drug_letter", f"{name} {letter.group(1)}"))
                continue
            listing = "respectively" in lower or ("number of" in lower and _NUMBER_OF_ARMS_WAS.search(s))
            if listing and any(g.end <= a and g.rule in ("group.drug", "group.drug_letter", "group.dose_ctx_drug", "group.drug_dose")
                                               and _ARM_LIST_JOIN.fullmatch(s, g.end, a) for g in out):
                out.append(Mention(a, b, "drug", "group.drug", name))  # "with A, B and glargine, respectively"
                continue
            if re.search(r"\b(?:receiving|receive|with|on|in the|of the|treated with|given|for|among|of|to|to oral|oral|during|during the|or|versus|v(?:s\.?|(?= ))|stopped|discontinued|using|taking)\s"
                         r"(?:(?:once-weekly|once-daily|twice-daily|weekly|daily|oral|subcutaneous|intravenous|weight-based|(?:extended|modified|delayed|sustained|slow|prolonged)-release|fixed-dose|long-acting)\s){0,1}$", s[max(0, a - 45) : a], re.I) \
                    or re.match(r"\s(?:groups?|arms?)\b|-treated\b|\s\([nN] ?= ?\d", s[b : b + 9], re.I) \
                    or _RESULT_VERB_AFTER.match(s, b) \
                    or (_COUNT_BEFORE.search(s, max(0, a - 14), a) and _USERS_AFTER.match(s, b)) \
                    or (re.search(r"(?:[(\[]|; )$", s[max(0, a - 2) : a]) and re.match(r", \d", s[b : b + 3])):  # "612 semaglutide users", "(GX-17, 19 [41%]; glucagon, 17"
                out.append(Mention(a, b, "drug", "group.drug", name))
        out += self._parallel_arms(s, out)
        if "recipients" in lower:
            # "89.2% (239/268) of pancreas recipients and 52.4% (76/145) of islet recipients": two
            # kinds of recipient compared in one sentence are its arms (one kind alone is the population)
            kinds = [m for m in _RECIPIENT_KIND.finditer(s) if not any(m.start() < g.end and g.start < m.end() for g in out)]
            if len({m.group("arm").lower() for m in kinds}) >= 2:
                out += [Mention(m.start(), m.end(), "arm", "group.recipients", m.group(0).lower()) for m in kinds]
        out.sort(key=lambda g: g.start)
        if " plus " in lower or " + " in s:
            out = _combination_arms(s, out)
        for i, g in enumerate(out):
            if g.rule in ("group.drug", "group.the_x_group") and _PLURAL_ARMS_AFTER.match(s, g.end):
                # "in the ravaglutide groups", "in the active groups": several arms at once, marked
                # for the arm-order pass to spread over them ("*"), which then removes the mark
                out[i] = Mention(g.start, g.end, g.name, g.rule, PLURAL_MARK + g.text.removesuffix(" groups").removesuffix(" arms"))
        return out

    def _total_breakdown(self, si: int, s: str, facts: list[RuleFact], ss_spans: list[tuple[int, int]]) -> list[RuleFact]:
        """"34 adults were transplanted: 10 in the Phase 1/2 study and 24 in the Phase 3 study", "treated
        30 participants, twenty in the first study and ten in the second": counts, each with the
        phrase that says where it belongs, that add up to a number the sentence gave before them
        split that total by arm. The sum is what makes them arm sizes, whatever the phrases are."""
        items = [m for m in _TOTAL_SPLIT_ITEM.finditer(s) if not _overlaps(m.start("n"), m.end("n"), ss_spans) or
                 any(f.kind == "sample_size" and f.span == m.span("n") and not f.group for f in facts)]
        out: list[RuleFact] = []
        for run in _joined_runs(items, lambda prev, m: bool(_TOTAL_SPLIT_JOIN.fullmatch(s, prev.end(), m.start()))):
            counts = [_int(m.group("n")) for m in run]
            if len(run) < 2 or None in counts:
                continue
            total = sum(counts)
            stated = [t for t in _STATED_INT.finditer(s, 0, run[0].start()) if _int(t.group(0)) == total]
            # (not a count of events or deaths split by arm: "Three deaths occurred: two in the 15 mg group and one ...")
            if not stated or _EVENTS_COUNTED.search(s) or self.ae_re.search(s):
                continue
            t = stated[-1]
            known = any(f.kind == "sample_size" and f.value == total and not f.group for f in facts)
            # (a total of people who took part, not of those who met an end point: "met by 4 of the 15
            # participants — 1 in the low-dose group and 3 in the high-dose group")
            if not known and not _TOOK_PART_VERB.search(s, max(0, t.start() - 60), run[0].start()):
                continue
            if not known:
                out.append(RuleFact(si, "sample_size", "participants", "sample_size.breakdown_total", 0.7, value=float(total),
                                    unit="participants", span=t.span()))
            for m, n in zip(run, counts, strict=True):
                arm = _TOTAL_SPLIT_PREP.sub("", m.group("arm")).strip()
                for f in facts:
                    if f.kind == "sample_size" and f.span == m.span("n"):
                        facts.remove(f)  # (read before without its arm: "ten in the second")
                        break
                out.append(RuleFact(si, "sample_size", "participants", "sample_size.breakdown", 0.75, value=float(n),
                                    unit="participants", group=arm, span=m.span("n")))
        return out

    @staticmethod
    def _parallel_arms(s: str, known: list[Mention]) -> list[Mention]:
        """Arms named only by a list's values, each followed by its own phrase (see _PARALLEL_ARM_ITEM)."""
        items = [m for m in _PARALLEL_ARM_ITEM.finditer(s) if not _NOT_AN_ARM_PHRASE.search(m.group("arm"))]
        out: list[Mention] = []
        for run in _joined_runs(items, lambda prev, m: prev.group("prep").lower() == m.group("prep").lower()
                                and bool(_PARALLEL_ARM_JOIN.fullmatch(s, prev.end(), m.start()))):
            arms = [re.sub(r"^the\s", "", m.group("arm"), flags=re.I).strip() for m in run]
            if len(run) < 2 or len({a.lower() for a in arms}) < len(arms):
                continue
            # "fell by 1.6 and 1.9 mmol/L with the two dapagliflozin doses versus 0.4 mmol/L with placebo":
            # a phrase after several values is theirs together, and the list is not one value per arm
            if any(_SHARED_BY_VALUES.search(s, max(0, m.start() - 30), m.start()) for m in run):
                continue
            for m, arm in zip(run, arms, strict=True):
                a, b = m.end("arm") - len(arm), m.end("arm")
                if not any(a < g.end and g.start < b for g in known):
                    out.append(Mention(a, b, "arm", "group.parallel", arm))
        return out

    def _quantities(self, s: str, masks: list[tuple[int, int]], outcomes: list[Mention]) -> list[Quantity]:
        qs: list[Quantity] = []
        taken: list[tuple[int, int]] = list(masks)
        # Outcome definitions carry thresholds ("HbA1c < 7%", "time in range 70-180 mg/dL"): not values.
        outcome_spans = [(o.start, o.end) for o in outcomes]

        def free(a: int, b: int) -> bool:
            return not _overlaps(a, b, taken) and not _overlaps(a, b, outcome_spans)

        # "Of the 36 subjects, 16 (44%) ..." gives the denominator of n (P%) forms.
        lead = re.match(rf"^\W*(?:of|among|in) (?:the|these|all) (?P<d>{INT})\b", s, re.I)
        lead_den = _int(lead.group("d")) if lead else None
        lower = s.lower()
        gates = {
            "prop.n_of_m_pct": "%" in s and " of " in lower, "prop.n_pct_of_m": "%" in s and " of " in lower,
            "prop.pct_n_m": "%" in s, "prop.n_slash_m_pct": "%" in s and "/" in s, "prop.n_of_m": " of " in lower,
            "prop.none_of": "none" in lower, "prop.n_pct": "%" in s, "prop.n_slash_m": "/" in s,
            "prop.all_n": "all " in lower or "each " in lower or "every one" in lower,
            "prop.in_all_n": "in all " in lower,
            "prop.of_those": "of th" in lower or "of whom" in lower,
            "prop.single": "single " in lower or "only " in lower or "sole " in lower or " one " in lower,
        }
        has_person = _has_any(lower, _PERSON_WORDS)
        for rule, rx in self.prop_res:
            if not gates[rule]:
                continue
            for m in rx.finditer(s):
                if rule == "prop.of_those":  # a long span: only its two numbers must be free
                    if not (free(m.start("d"), m.end("d")) and free(m.start("n"), m.end("n"))):
                        continue
                elif not free(m.start(), m.end()):
                    continue
                gd = m.groupdict()
                n = _int(gd["n"]) if gd.get("n") else None
                d = _int(gd["d"]) if gd.get("d") else None
                p = float(gd["p"]) if gd.get("p") else None
                if rule in ("prop.all_n", "prop.in_all_n"):
                    if rule == "prop.all_n" and re.search(r"\b(?:across|among|of)\s$", s[max(0, m.start() - 8) : m.start()], re.I):
                        continue  # "Across all 14 participants, the most common adverse events were ...": who was counted
                    n = d
                if rule == "prop.single":
                    n = d = 1
                if rule == "prop.none_of":
                    n = 0
                if rule == "prop.n_pct" and d is None and lead_den and n is not None and n <= lead_den:
                    d = lead_den
                if rule == "prop.n_slash_m" and (d is None or d > 10000 or re.match(r"\s?(?:mg|mmol|dl|l\b|kg|day|week)", s[m.end():m.end() + 6], re.I)):
                    continue
                if rule == "prop.n_of_m" and (n is None or d is None or n > d):
                    continue
                if rule == "prop.n_of_m" and n == 1 and re.search(r"\b(?:was|is|as|became)\s$", s[max(0, m.start() - 8) : m.start()], re.I):
                    continue  # "she was one of 30 patients treated": membership, not 1/30
                prop = proportion(n, d, p)
                if prop is None:
                    if rule in ("prop.n_pct", "prop.n_of_m_pct", "prop.n_pct_of_m") and p is not None and n is not None:
                        # "37 [9%] on 12 mg" with a denominator that disagrees: keep n and the stated %.
                        prop = proportion(n, None, p)
                    if prop is None:
                        continue
                q = Quantity(m.start(), m.end(), prop.percent, "%", "prop", rule, n=prop.n, denominator=prop.denominator)
                self._attach_after(s, q, taken)
                qs.append(q)
                taken.append((m.start(), m.end()))
        # "No participant became insulin independent": none, out of a denominator given elsewhere.
        no_one = [*_NO_ONE.finditer(s), *(m for m in _NO_ONE_LATER.finditer(s) if any(0 <= o.start - m.end() <= 25 for o in outcomes)),
                  *(m for m in (_NO_ONE_STOPPED.finditer(s) if any(o.name == "discontinuation_due_to_ae" for o in outcomes) else ())
                    if any(o.name == "discontinuation_due_to_ae" and 0 <= o.start - m.end() <= 25 for o in outcomes))] \
            if ("no " in lower or "none" in lower or "nobody" in lower or "neither" in lower) else []
        for m in no_one:
            # (the span starts at the people when a pattern also matched the clause break before them:
            # "; no placebo recipient discontinued" is the placebo arm's)
            a = m.start("who") if "who" in m.re.groupindex and m.group("who") else m.start()
            if free(a, m.end()) and not any(q.start < m.end() and a < q.end for q in qs):
                neither = s[a : m.end()].lower().lstrip(",; ").startswith(("neither", "and neither", "but neither"))
                qs.append(Quantity(a, m.end(), 0.0, "%", "prop", "prop.no_one", n=0, denominator=2 if neither else None))  # "neither": of two
                taken.append((a, m.end()))
        # "every one of them had an HbA1c below 7%": all, out of a denominator given before.
        for m in _EVERYONE.finditer(s) if ("every" in lower or "all " in lower or "each of" in lower) else ():
            if free(m.start(), m.end()) and not any(q.start < m.end() and m.start() < q.end for q in qs):
                qs.append(Quantity(m.start(), m.end(), 100.0, "%", "prop", "prop.everyone"))
                taken.append((m.start(), m.end()))
        # "nausea (n = 412; 18.2%)": a count and its share.
        for m in _N_EQ_PCT.finditer(s) if "%" in s else ():
            n = _int(m.group("n"))
            if n is not None and free(m.start(), m.end()):
                qs.append(Quantity(m.start("n"), m.end(), float(m.group("p")), "%", "prop", "prop.n_eq_pct", n=n))
                taken.append((m.start(), m.end()))
        # "Nearly all of the 12 full-dose patients - all but one - ...": 11 of 12.
        for m in _ALL_BUT.finditer(s) if " but " in lower or "except" in lower else ():
            k = _int(m.group("k"))
            dens = list(_DENOMINATOR_BEFORE.finditer(s, max(0, m.start() - 100), m.start()))
            d = _int(dens[-1].group("d")) if dens else None
            if k is None or d is None or k >= d or not free(m.start(), m.end()):
                continue
            prop = proportion(d - k, d, None)
            if prop is not None:
                qs.append(Quantity(m.start(), m.end(), prop.percent, "%", "prop", "prop.all_but", n=prop.n, denominator=prop.denominator))
                taken.append((m.start(), m.end()))
        for m in _SHARED_UNIT_LIST.finditer(s) if ("%" in s or "percentage point" in lower) else ():
            unit = "percentage points" if m.group("u").lower().startswith("percentage") else "%"
            values = [(m.start("head") + v.start(), m.start("head") + v.end())
                      for v in re.finditer(r"(?<![\w.(])[-+−]?\d+(?:\.\d+)?(?![^()]*\))", m.group("head"))]
            if m.group("lastbr"):
                values.append(m.span("last"))  # "... and -9.1 (-10.4 to -7.8) percentage points": the bracket parts it from its unit
            for a, b in values:
                if free(a, b) and not s[max(0, a - 2) : a].strip().endswith("±"):  # (not "7.1% ± 0.6 (54 mmol/mol)": a spread)
                    value = parse_number(s[a:b])
                    if value is not None:
                        q = Quantity(a, b, value, unit, "pct", "pct.shared_unit", signed=s[a] in "+-−")
                        self._comparator(s, q)
                        qs.append(q)
                        taken.append((a, b))
        for m in self.pct_re.finditer(s) if ("%" in s or "percent" in lower) else ():
            if not free(m.start(), m.end()):
                continue
            if _CI_MARK.match(s, m.start()) or re.match(r"\s?(?:ci|confidence)", s[m.end():m.end() + 12], re.I):
                continue
            p = float(m.group("p").replace("+", ""))
            unit = "percentage points" if m.group("pp") else "%"
            signed = m.group("p")[0] in "+-"
            if m.group("lo"):
                lo = float(m.group("lo").replace("+", ""))
                q_lo = Quantity(m.start(), m.start("p"), lo, unit, "pct", "pct.range_low", signed=m.group("lo")[0] in "+-")
                self._comparator(s, q_lo)
                qs.append(q_lo)
            q = Quantity(m.start("p") if m.group("lo") else m.start(), m.end(), p, unit, "pct", "pct.range_high" if m.group("lo") else "pct.value", signed=signed)
            if not m.group("lo"):
                self._comparator(s, q)
            self._attach_after(s, q, taken)
            qs.append(q)
            taken.append((m.start(), m.end()))
        # "5 of the 16 subjects who reached X (31%)": the % restates the proportion.
        for q in list(qs):
            if q.kind != "pct" or q.signed:
                continue
            for prop_q in qs:
                if prop_q.kind == "prop" and prop_q.end <= q.start and q.start - prop_q.end < 80 and prop_q.denominator and "p" not in prop_q.rule.split(".")[-1] \
                        and abs((prop_q.value or 0) - q.value) <= 1.5 and not re.search(r"\d", s[prop_q.end : q.start]):
                    qs.remove(q)
                    break
        for m in self.unit_re.finditer(s) if _has_any(lower, _UNIT_WORDS) else ():
            if not free(m.start(), m.end()):
                continue
            raw_v = m.group("v")
            if re.fullmatch(r"\d{1,3}(?:[ \u2009\u202f\u00a0]\d{3})+", raw_v):
                raw_v = re.sub(r"[ \u2009\u202f\u00a0]", "", raw_v)  # "11 650 IEQ/kg", "11\u2009850": a space as thousands separator
            mult = 1.0
            if raw_v.lower().endswith(" million"):
                raw_v, mult = raw_v[:-8], 1e6
            elif raw_v.lower().endswith(" billion"):
                raw_v, mult = raw_v[:-8], 1e9
            v = parse_number(raw_v)
            if v is None:
                continue
            unit = UNIT_CANON.get(" ".join(m.group("u").lower().split()), m.group("u"))  # (a dispersion moved aside leaves spaces)
            ranged = bool(m.group("lo"))
            if ranged:
                lo = parse_number(m.group("lo"))
                if lo is not None and float(lo).is_integer() and not re.search(r"\bfrom\s$", s[max(0, m.start() - 6) : m.start()]) \
                        and (0 <= v < lo or (" to " in m.group(0) and len(_ALLOCATED_TO_DOSE.findall(s)) >= 2)):
                    # "(41 to 4 mg, 42 to 9 mg ...)", "randomized: 31 to 20 mg, 30 to 40 mg, 31 to 80 mg and 30 to placebo":
                    # a count allocated to a dose, not a range
                    ranged = False
                elif lo is not None:
                    qs.append(Quantity(m.start(), m.start("v"), lo * mult, unit, "unit", "unit.range_low"))
            q = Quantity(m.start("v") if m.group("lo") else m.start(), m.end(), v * mult, unit, "unit", "unit.range_high" if ranged else "unit.value", signed=raw_v[:1] in "+-")
            if not m.group("lo"):
                # "5, 10 or 20 mg": the leading numbers share the unit.
                head = _LIST_BEFORE.search(s, max(0, q.start - 40), q.start) if mult == 1.0 else None
                for v in re.finditer(rf"[-+]?{_LIST_NUMBER}", head.group("head")) if head else ():
                    a, b = head.start("head") + v.start(), head.start("head") + v.end()
                    if free(a, b):
                        qs.append(Quantity(a, b, float(v.group(0).replace(",", "")), unit, "unit", "unit.shared_list", signed=v.group(0)[:1] in "+-"))
                        taken.append((a, b))
                # "0.9 vs. 2.6 events per patient-year": the first value shares the unit.
                pair = _VS_BEFORE.search(s, max(0, q.start - 34), q.start)
                if pair and free(pair.start("a"), pair.end("a")) and mult == 1.0:
                    a = parse_number(pair.group("a"))
                    if a is not None:
                        qs.append(Quantity(pair.start("a"), pair.end("a"), a, unit, "unit", "unit.shared_vs", signed=pair.group("a")[:1] in "+-"))
                        taken.append((pair.start("a"), pair.end("a")))
            if not m.group("lo"):
                self._comparator(s, q)
            self._attach_after(s, q, taken)
            qs.append(q)
            taken.append((m.start(), m.end()))
        for m in _ID_LIST.finditer(s) if has_person else ():
            if free(m.start("ids"), m.end("ids")):
                n = len(re.findall(r"\d+", m.group("ids")))
                qs.append(Quantity(m.start("ids"), m.end("ids"), None, None, "count", "count.ids", n=n, person=True))
                taken.append((m.start("ids"), m.end("ids")))
        for m in self.count_re.finditer(s) if has_person else ():
            if not free(m.start("n"), m.end("n")):
                continue
            n = _int(m.group("n"))
            if n is None:
                continue
            q = Quantity(m.start("n"), m.end(), None, None, "count", "count.person", n=n, person=True)
            self._comparator(s, q)
            qs.append(q)
            taken.append((m.start("n"), m.end("n")))
            # "3 vs. 1 children had ketoacidosis": the first count is of the same people.
            pair = _COUNT_VS_BEFORE.search(s, max(0, q.start - 16), q.start)
            if pair and free(pair.start("a"), pair.end("a")) and _int(pair.group("a")) is not None:
                qs.append(Quantity(pair.start("a"), pair.end("a"), None, None, "count", "count.person_vs", n=_int(pair.group("a")), person=True))
                taken.append((pair.start("a"), pair.end("a")))
            # "occurred in 24, 22, and 29 patients, respectively": the counts before share the noun.
            listed = _COUNT_LIST_BEFORE.search(s, max(0, q.start - 60), q.start)
            for v in re.finditer(rf"(?:^|(?<=, ))(?:{_COUNT_WORD})\b", listed.group(0), re.I) if listed else ():
                a, b = listed.start() + v.start(), listed.start() + v.end()
                if free(a, b) and _int(v.group(0)) is not None:
                    qs.append(Quantity(a, b, None, None, "count", "count.person_list", n=_int(v.group(0)), person=True))
                    taken.append((a, b))
        for m in _SUBJECT_COUNT.finditer(s) if outcomes else ():
            n = _int(m.group("n"))
            if n is not None and free(m.start("n"), m.end("n")):
                qs.append(Quantity(m.start("n"), m.end("n"), None, None, "count", "count.subject", n=n, person=True))
                taken.append((m.start("n"), m.end("n")))
        # "4 vs. 5 episodes of severe hypoglycaemia": counts of events, not of people.
        for m in _EVENT_COUNT.finditer(s) if ("episode" in lower or "event" in lower) else ():
            if re.search(r"(?:\bat least|≥|>)\s?$", s[max(0, m.start() - 10) : m.start()], re.I) or re.match(r" of non-", s[m.end() : m.end() + 8]):
                continue  # "at least two severe hypoglycaemic events in the preceding year": who was enrolled
            for key in ("a", "b"):
                if m.group(key) and free(m.start(key), m.end(key)) and _int(m.group(key)) is not None:
                    qs.append(Quantity(m.start(key), m.end(key), float(_int(m.group(key))), "events", "count", "count.events"))
                    taken.append((m.start(key), m.end(key)))
            # "3 severe hypoglycaemic events in the transplant arm, against 41 in the control arm": the other arm's count
            if (other := _EVENTS_AGAINST.match(s, m.end())) and free(other.start("b"), other.end("b")) and _int(other.group("b")) is not None:
                qs.append(Quantity(other.start("b"), other.end("b"), float(_int(other.group("b"))), "events", "count", "count.events"))
                taken.append((other.start("b"), other.end("b")))
        # "Severe hypoglycaemic events fell from a median of 6 per year to 0", "from 2.8 to 0.3 per
        # patient-year": an event rate before and after, its unit written once or not at all.
        for m in _RATE_FROM_TO.finditer(s) if "hypoglyc" in lower or "event rate" in lower else ():
            per = (m.group("ua") or m.group("ub") or "").lower()
            unit = "events per patient-year" if "-year" in per else "events per year" if per or "annual" in lower else "events"
            for key, rule in (("a", "unit.rate_from"), ("b", "unit.rate_to")):
                if free(m.start(key), m.end(key)):
                    qs.append(Quantity(m.start(key), m.end(key), float(m.group(key)), unit, "unit", rule))
                    taken.append((m.start(key), m.end(key)))
        for m in self.n_eq_re.finditer(s) if "=" in s else ():
            if free(m.start("n"), m.end("n")):
                qs.append(Quantity(m.start("n"), m.end("n"), None, None, "count", "count.n_eq", n=_int(m.group("n"))))
                taken.append((m.start("n"), m.end("n")))
        for m in self.bare_int_re.finditer(s) if self.ae_re.search(s) else ():
            key = "n" if m.group("n") else ("n2" if m.group("n2") else "n3")
            if not free(m.start(key), m.end(key)):
                continue
            n = _int(m.group(key))
            if n is None:
                continue
            if key == "n2" and _CONSEQUENCE_IN.search(s, max(0, m.start(key) - 110), m.start(key)):
                continue  # "..., leading to dose reduction in 4 and to discontinuation in one": what followed the event, for how many
            qs.append(Quantity(m.start(key), m.end(key), None, None, "count", "count.bare", n=n))
            taken.append((m.start(key), m.end(key)))
        # "-1.5 percentage points with verlintide and -0.3 with placebo": the bare value after
        # the other arm's takes its unit.
        for q in qs:  # (grows as it goes: each value passes the unit on to the next)
            if q.kind in ("pct", "unit") and q.unit and q.rule.endswith((".value", "shared_unit", "shared_after")):
                m = _BARE_AFTER_ARM.match(s, q.end) or (_BARE_RESPECTIVELY.match(s, q.end) or _BARE_AFTER_RESPECTIVELY.match(s, q.end)
                                                        if "respectively" in lower else None)
                if m and free(m.start("b"), m.end("b")):
                    v = parse_number(m.group("b"))
                    if v is not None:
                        qs.append(Quantity(m.start("b"), m.end("b"), v, q.unit, q.kind, q.kind + ".shared_after", signed=m.group("b")[0] in "+-"))
                        taken.append((m.start("b"), m.end("b")))
        # "−1.55 vs −1.36 percentage points; ETD −0.19 (95% CI ...)": a difference written without
        # its unit takes the unit of the values it compares
        for m in _DIFFERENCE_BARE.finditer(s) if ("differ" in lower or "etd" in lower) else ():
            if not free(m.start("v"), m.end("v")):
                continue
            prev = [q for q in qs if q.end <= m.start() and q.kind in ("pct", "unit") and q.unit]
            v = parse_number(m.group("v"))
            if prev and v is not None:
                qs.append(Quantity(m.start("v"), m.end("v"), v, prev[-1].unit, prev[-1].kind, prev[-1].kind + ".difference_bare", signed=True))
                taken.append((m.start("v"), m.end("v")))
        qs.sort(key=lambda q: q.start)
        # "No one in the pump group had ...", "not one of the 12": nobody, not a count of one ("all but one": the rest).
        return [q for q in qs if not (s[q.start : q.start + 4].lower() in ("one", "one ") and _NO_ONE_BEFORE.search(s, max(0, q.start - 4), q.start))]

    def _comparator(self, s: str, q: Quantity) -> None:
        m = _COMPARATOR_BEFORE.search(s[max(0, q.start - 22) : q.start])
        if m:
            q.comparator = _COMPARATOR_MAP.get(m.group("c").lower(), "=")

    def _attach_after(self, s: str, q: Quantity, taken: list[tuple[int, int]]) -> None:
        """Confidence intervals and dispersion right after a value belong to it, never stand alone."""
        rest = s[q.end : q.end + 80]
        # "(SE 0.07)" / "± 0.9": dispersion, masked.
        m = _DISPERSION_AFTER.match(rest)
        if m:
            taken.append((q.end, q.end + m.end()))
            rest2 = rest[m.end():]
            base = q.end + m.end()
        else:
            rest2, base = rest, q.end
        m = _CI_AFTER.match(rest2)
        if m and q.value is not None:
            lo, hi = float(m.group("lo")), float(m.group("hi"))
            explicit = bool(_CI_MARK.search(rest2[: m.end()]))
            if explicit or (lo <= q.value <= hi):
                q.ci_low, q.ci_high = lo, hi
                end = base + m.end()
                tail = re.match(r"[;,]?\s?(?:p\s?(?:=|<|>|≤|<=)\s?0?\.\d+)?\s?[\)\]]", s[end:])
                if tail:
                    end += tail.end()
                taken.append((base, end))
                q.end = end
                return
        if base > q.end:
            q.end = base

    def _group_for(self, a: int, b: int, groups: list[Mention], s: str, *, prefer_after: bool = True, dose_ok: bool = True) -> str | None:
        """The arm a value at [a, b) belongs to: a group right after it, else the clause's lead group."""
        best: tuple[int, Mention] | None = None
        # "1,629 ORG-2231-treated participants", "698 placebo recipients": the arm inside a count
        inside = [g for g in groups if a < g.start and g.end <= b and _COUNT_LEAD.fullmatch(s, a, g.start)]
        if len(inside) == 1:
            return inside[0].text
        for g in groups:
            label = re.match(r"(?: (?:group|arm|cohort)\b)?[\s:]*", s[g.end : a], re.I) if g.end <= a else None
            if label and g.end + label.end() == a and a - g.end <= 9 \
                    and (g.rule in ("group.arm", "group.dose_level") or re.search(r"\b(?:group|arm|cohort)\W*$", s[g.start : a], re.I)):
                return g.text  # "Arm A 5/16 (31.3%), Arm B 11/16": a label right before its value
            if g.end <= a and ((s[g.end : a] == ", " and re.search(r"[(\[;]\s?$", s[max(0, g.start - 2) : g.start]))
                               or (s[g.end : a] in (" ", ": ") and re.search(r"[(\[;,]\s?$", s[max(0, g.start - 2) : g.start])
                                   and s.rfind("(", 0, a) > s.rfind(")", 0, a))):
                # "(GX-17, 19 [41%]; glucagon, 17 [37%])", "(placebo 6.9%, 200 mg 5.2%, 400 mg 5.5%)":
                # inside a bracket, each arm labels the value after it
                return g.text
            if g.end <= a and g.rule == "group.sized_arm" and s[g.end : a] in (" ", ": ") \
                    and re.search(r"[—–,;:(\[]\s?$", s[max(0, g.start - 2) : g.start]):
                return g.text  # "in 15 of 46 (33%) — ITA 10/29 (34%), IAK 5/17 (29%)": a sized arm's label before its value
            if not dose_ok and g.rule in ("group.dose", "group.drug_dose", "group.dose_ctx_drug", "group.dose_level", "group.drug"):
                continue
            if g.start >= b:
                between = s[b : g.start]
                # ("2.2 kg (2.7%) lower than at baseline with 200 mg": the value's restatement and its own
                # baseline are no other value or comparator in between)
                plain = _THAN_BASELINE.sub("", _RESTATED_SHARE.sub("", between, count=1))
                # (not across the next item's count: "half the dose (0.4 × 10⁹ cells) and 12 in parts B and C")
                if len(between) <= 45 and not re.search(r"[;—]|\w:\s|\s-\s|\d+ ?%|\bversus\b|\bvs\b|\bthan\b|\bcompared\b|\bwhereas\b|\bwhile\b"
                                                        r"|\b(?:and|,) \d+ (?:participants |patients |recipients )?(?:in|on)\b", plain) and re.search(r"\b(?:with|in|on|for|among|receiving|of|at|given|treated with|to|after|stopped|discontinued|during|using)\b|^[\s(,:]*$", between):
                    d = len(between) - (10 if prefer_after else 0)
                    if best is None or d < best[0]:
                        best = (d, g)
            elif g.end <= a:
                between = s[g.end : a]
                # "In part B, mean HbA1c decreased ... and time in range increased from 44% to 93%":
                # a sentence's opening arm holds to its end unless another arm is named.
                lead = re.match(r"^(?:\W*|.*[;:]\s+)(?:in|among|for|with|of) (?:the )?(?:\d+ )?(?:those (?:who )?(?:received|receiving|treated with|given) (?:the |a )?|(?:[\w-]+ )?(?:participants|patients|subjects|recipients) (?:in|of|receiving) (?:the )?)?$", s[: g.start], re.I)
                # ("Among the 14 full-dose patients, 11 were off insulin": the arm the lead phrase counts)
                # "the most common adverse events with orforglipron: nausea in 96 (18.5%), ...": an arm
                # before a colon leads the list the colon opens
                lead = lead or (s[g.end : g.end + 1] == ":" and re.search(r"\b(?:with|in|among|for|on)\s(?:the\s)?$", s[max(0, g.start - 12) : g.start]))
                # "Mean HbA1c in cohort 3 fell from 8.1% to 6.4%, and time in range rose from 44% to 91%":
                # the one arm a sentence names, as "in cohort 3", is every value's after it
                lead = lead or (g.rule in ("group.cohort", "group.parts", "group.arm") and len({h.text for h in groups}) == 1
                                and re.search(r"\b(?:in|among|for)\s(?:the\s)?$", s[max(0, g.start - 12) : g.start]))
                sole = lead and not any(g.end <= h.start < a for h in groups)
                if (len(between) > 90 or ";" in between) and not sole:
                    continue
                inside_parens = s.rfind("(", 0, a) > s.rfind(")", 0, a) and s.rfind("(", 0, a) >= g.start - 2
                subject = re.match(r"^\s*(?:\(n ?= ?\d+\))?,?\s*(?:received|receiving|were given|was given|got|were treated with|was treated with|had)\b", between, re.I)
                # "the placebo-adjusted reduction at 9.6 mg was 1.2 points": a dose arm right before its value's verb
                dose_was = g.rule.startswith(("group.dose", "group.drug_dose")) and re.fullmatch(r"\s(?:was|were)\s", between)
                # "Recipients taking liraglutide lost 3.8 kg, whereas controls gained 0.6 kg": an arm as
                # its clause's subject, right before the verb of the value
                clause_subject = _SUBJECT_VERB.match(between) and _CLAUSE_SUBJECT_BEFORE.search(s, max(0, g.start - 60), g.start)
                if lead or subject or clause_subject or dose_was or g.rule == "group.drug_dose" and len(between) < 30 or inside_parens and len(between) < 30:
                    d = len(between) + 5
                    if best is None or d < best[0]:
                        best = (d, g)
        return best[1].text if best else None

    def _background_dose(self, s: str, q: Quantity, drugs) -> bool:
        """"patients receiving stable metformin (≥1500 mg/day)": the dose of a drug named right
        before it that is not one the trial tests (background therapy) is no dose of the trial's."""
        window = s[max(0, q.start - 40) : q.start]
        named = list(self.therapy_re.finditer(window))
        if not named or not _DOSE_AFTER_NAME.fullmatch(window, named[-1].end()):
            return False
        name = self.aliases.get(named[-1].group(0).lower())
        return name is not None and name not in {self.aliases.get(d[0], d[0]) for d in drugs}

    def _drug_for(self, q: Quantity, drugs, primary: str | None, s: str) -> tuple[str | None, bool]:
        if q.unit in CELL_DOSE_UNITS:
            drugs = [d for d in drugs if d[0] not in self.not_cell_products and not self.drug_suffix.search(d[0])]
            if not drugs:
                if primary is not None and primary not in self.not_cell_products and not self.drug_suffix.search(primary):
                    return primary, True
                # Islet equivalents measure islets whatever product the text names.
                return ("islet transplantation", True) if q.unit.startswith(("IEQ", "EIN")) else (None, True)
        before = [d for d in drugs if d[2] <= q.start]
        after = [d for d in drugs if d[1] >= q.end]
        if before and q.start - before[-1][2] <= 60:
            return before[-1][0], False
        if after and after[0][1] - q.end <= 40 and not re.search(r"[;:]", s[q.end : after[0][1]]):
            return after[0][0], False
        if before:
            return before[-1][0], False
        if after:
            return after[0][0], False
        return primary, True

    # ------------------------------------------------------------------------- adverse events
    def _unlisted_events(self, s: str, mentions: list[Mention], outcome_spans) -> list[Mention]:
        """"nasopharyngitis (104 patients, 31.0%), upper respiratory tract inflammation (8.0%),
        back pain (6.5%)": an item of a list of events with its own value is an event even when
        the lexicon lacks its name (else its value goes to a neighbour)."""
        items = list(_AE_LIST_ITEM.finditer(s))
        if len(items) < 3:
            return mentions
        added = []
        for m in items:
            a, b = m.span("name")
            words = m.group("name").lower().split()
            if len(words) > 1 and words[0] in ("a", "an", "the"):
                words, a = words[1:], a + len(words[0]) + 1  # "and a decline in kidney function (n=6)"
            if words[0] in _NOT_EVENT_WORDS or words[-1] in _NOT_EVENT_WORDS or _NOT_EVENT_ANY.intersection(words) \
                    or any(re.fullmatch(NUMBER_WORD_RE, w) for w in words) \
                    or _overlaps(a, b, outcome_spans) \
                    or any(mn.start < b and a < mn.end for mn in mentions):
                continue
            added.append(Mention(a, b, _singular(" ".join(words)), "adverse_event.list_item", s[a:b], {"example": False}))
        return sorted(mentions + added, key=lambda mn: mn.start) if added else mentions

    def _adverse_events(self, si, s, quantities, outcomes, groups, masks) -> list[RuleFact]:
        out: list[RuleFact] = []
        lower = s.lower()
        outcome_spans = [(o.start, o.end) for o in outcomes if o.name not in ("severe_hypoglycemia_events", "severe_hypoglycemia_free")]
        # "No severe hypoglycaemia occurred" states an event that did not happen; inside a
        # composite with a value ("HbA1c < 7% and no severe hypoglycaemia: 10 of 12") it does not.
        free_spans = [(o.start, o.end) for o in outcomes if o.name in ("severe_hypoglycemia_free", "_composite_part")]
        valued = any(q.kind in ("prop", "pct") for q in quantities)
        mentions: list[Mention] = []
        for m in self.ae_re.finditer(s):
            if _overlaps(m.start(), m.end(), outcome_spans):
                continue
            if _overlaps(m.start(), m.end(), free_spans) and valued:
                continue
            if valued and re.search(r"\bwithout (?:[\w-]+ ){0,5}$", s[max(0, m.start() - 50) : m.start()], re.I) \
                    and any(o.name in _COMPOSITE_HEADS and o.end <= m.start() and m.start() - o.end < 80 for o in outcomes):
                continue  # "HbA1c below 7% without clinically significant hypoglycemia was reached by 255": a composite
            name = self.ae_terms[m.group(0).lower()]
            written = _singular(m.group(0).lower())
            if written != name and re.sub(r"[- ]", "", written) == re.sub(r"[- ]", "", name):
                name = written  # "non-melanoma skin cancer" as written, not the lexicon's "nonmelanoma"
            # (the words that grade it belong to the event's name, and its mention starts with them)
            graded = _GRADED_BEFORE.search(s, max(0, m.start() - 24), m.start()) if name == "hypoglycemia" else None
            if graded:
                name = "severe hypoglycemia"  # "A severe (level 3) hypoglycaemic episode", "Level 3 (severe) hypoglycemia"
            # ("Clinically significant (level 2; ...) or severe (level 3) hypoglycaemia": the level 2 before the grade)
            if name == "severe hypoglycemia" and (level2 := _LEVEL_2_OR.search(s, max(0, m.start() - 90), graded.start() if graded else m.start())):
                graded, name = level2, "clinically significant or severe hypoglycemia"  # as written: level 2 and 3 together
            if re.search(r"\b(?:recurrent|problematic|frequent|a history of)\s$", s[max(0, m.start() - 20) : m.start()], re.I) \
                    and not re.search(r"\b(?:occurred|reported|developed|experienced)\b", s[m.end() : m.end() + 40], re.I):
                continue  # "12 adults with ... and recurrent severe hypoglycemia received": who was enrolled
            if name in ("severe hypoglycemia", "hypoglycemia") and (_WITH_HYPOS_BEFORE.search(s, max(0, m.start() - 40), m.start())
                                                                   or _IN_YEAR_BEFORE_ENTRY.match(s, m.end())):
                continue  # "a dozen people with severe hypos got ...", "had had two severe hypos in the previous year": who was enrolled
            if re.match(r"\s(?:unawareness|risk|awareness|prevention)\b", s[m.end() : m.end() + 14], re.I) \
                    or re.search(r"\b(?:awareness|unawareness|risk|fear|history|prevention) of\s$", s[max(0, m.start() - 20) : m.start()], re.I):
                continue  # "impaired awareness of hypoglycaemia": who was enrolled, not an event
            if re.match(r"\s(?:groups?|arms?|cohorts?|pandemic|vaccines?|vaccination)\b|[\s-]related (?!to\b)", s[m.end() : m.end() + 14], re.I):
                continue  # "the cough group (n = 37)", "hypoglycaemia related admissions": another thing named after an event
            if name in _GENERIC_AE and re.search(r"\bmost (?:common|frequent|frequently reported)\s+$", s[max(0, m.start() - 30) : m.start()], re.I):
                continue  # "X was the most common adverse event": a predicate, X is the event
            if name == "death" and re.match(r"\s(?:from|due to) cardiovascular causes\b", s[m.end() : m.end() + 30], re.I):
                name = "cardiovascular death"  # "Death from cardiovascular causes occurred in 186" (not all deaths)
            start = graded.start() if graded else m.start()
            # "hepatic haemorrhage", "disseminated cytomegalovirus infection", "immunosuppression-related
            # infection": an event is named with the words that say which one, as written.
            if name == "adverse event" and (serious := re.search(r"\bserious (?:(?:treatment|drug|study drug|product|procedure|device|infusion|transplant|therapy)-related |related |unexpected )$", s[max(0, start - 40) : start], re.I)):
                # "serious treatment-related adverse events": serious adverse events, the relatedness a qualifier
                # (an event type stays itself: "serious immune-related adverse events")
                name, start = "serious adverse event", start - (len(serious.group(0)))
            modifier = _AE_MODIFIER.search(s, max(0, start - 50), start)
            if modifier and not name.startswith(modifier.group("mod").lower().strip()):
                start = modifier.start("mod")
                name = f"{modifier.group('mod').lower().strip()} {name}"
            example = bool(_EXAMPLE_BEFORE.search(s, max(0, start - 30), start)) \
                or bool(mentions and mentions[-1].extra.get("example")
                        and re.fullmatch(r"\s*(?:\([^()]{0,24}\))?\s*(?:,|and|or|, and|, or)\s*(?:(?:an?|some|brief|mild|transient|occasional|short-lived)\s+)*", s[mentions[-1].end : start]))
            mentions.append(Mention(start, m.end(), name, "adverse_event.lexicon", s[start : m.end()], {"example": example}))
        if mentions and _AE_LIST_CUE.search(s):
            mentions = self._unlisted_events(s, mentions, outcome_spans)
        # "Low white blood cell counts (neutropenia)": the lay words and the term in brackets name one
        # event, by its term
        # (not a death and its cause: "one participant died (sudden cardiac death)")
        mentions = [mn for k, mn in enumerate(mentions)
                    if not (k + 1 < len(mentions) and mn.name != "death" and s[mn.end : mentions[k + 1].start] == " ("
                            and s[mentions[k + 1].end : mentions[k + 1].end + 1] == ")")]
        serious_sentence = bool(self.serious_cue.search(s))
        # Deaths counted directly: "Two deaths occurred", "3 patients died".
        death_spans = []
        for m in self.death_re.finditer(s) if ("death" in lower or "died" in lower or "fatal" in lower) else ():
            key = next(k for k in ("n", "n2", "n3", "n4") if m.group(k))
            n = _int(m.group(key))
            if n is None or _overlaps(m.start(key), m.end(key), masks):
                continue
            if re.search(r"\b(?:no|not)\s$", s[max(0, m.start(key) - 4) : m.start(key)], re.I):
                continue  # "No one died": no count (the negated death is read below)
            if (part := _PART_OF_BEFORE.search(s, max(0, m.start(key) - 30), m.start(key))) and _int(part.group("k")) is not None:
                n = _int(part.group("k"))  # "Two of the 12 recipients died", "one of the 12 died": the part died
            if death_spans and s.rfind("(", 0, m.start()) > max(s.rfind(")", 0, m.start()), death_spans[-1][1] - 1):
                continue  # "Three participants died (two cardiovascular deaths and one ...)": the causes of those counted
            if re.match(r"\s(?:was|were)\s(?:caused by|due to|from|the result of)\b", s[m.end() : m.end() + 20], re.I):
                continue  # "one death was caused by pneumonia, and the other by a car crash": a cause, the deaths counted before
            if re.search(r"\b(?:accounted for|caused|explained)\s$", s[max(0, m.start() - 16) : m.start()], re.I):
                continue  # "lymphoproliferative disorder accounted for three deaths": a cause's share, counted with it
            death_spans.append((m.start(), m.end()))
            for q in quantities:
                if m.start() <= q.start < m.end():
                    q.used = True
            by_arm = self._deaths_by_arm(si, s, m.end(), groups, quantities)
            out.append(RuleFact(si, "adverse_event", "death", "adverse_event.death_count", 0.9, n=n, serious=True,
                                group=None if by_arm else self._group_for(m.start(key), m.end(), groups, s), span=(m.start(key), m.end())))
            out += by_arm
            if each := _EACH_ARM_BRACKET.match(s, m.end()):
                # "3 deaths occurred (1 in each group)": one death in every arm (copied per arm later)
                for q in quantities:
                    if each.start() <= q.start < each.end():
                        q.used = True
                out.append(RuleFact(si, "adverse_event", "death", "adverse_event.death_count", 0.8, n=_int(each.group("n")), serious=True,
                                    span=(each.start("n"), each.end("n"))))
        if not mentions:
            return out
        # (an example of the events counted is not a specific event counted: "Adverse events, mostly
        # infusion-site reactions, were reported in 19 of 68")
        has_specific = any(mn.name not in _GENERIC_AE and mn.name != "death" and not mn.extra.get("example") for mn in mentions)
        cands = [q for q in quantities if not q.used and q.rule != "count.events"
                 and (q.kind in ("prop", "count") or (q.kind == "pct" and not q.signed and q.unit == "%"))
                 and not (q.rule == "count.n_eq" and _GROUP_SIZE_BEFORE.search(s, max(0, q.start - 12), q.start))
                 and not (q.rule == "count.subject" and _STOPPED_AFTER.match(s, q.end))]  # "and one stopped taking the drug": who stopped
        # "There was one episode of diabetic ketoacidosis in the closed-loop group": one event is one
        # person who had it (a copy, so the event count stays for the event-rate outcome)
        cands += [replace(q, n=1, value=None, unit=None, rule="count.one_event", person=True) for q in quantities
                  if not q.used and q.rule == "count.events" and q.value == 1 and _ONE_EVENT_OF.match(s, q.start)]
        cands.sort(key=lambda q: q.start)
        # "4.5% and 0.8%, respectively, discontinued treatment because of them": values right
        # before an outcome phrase of their own clause are that outcome's.
        # "Nausea was the most frequent adverse event (24 [19.8%], 31 [25.4%], and six [5.0%]
        # participants), and adverse events led to discontinuation ...": the bracket is nausea's.
        most_common: dict[int, int] = {}
        for idx, mn in enumerate(mentions) if "most " in s else ():
            opened = _MOST_COMMON_BRACKET.match(s, mn.end)
            closed = s.find(")", opened.end()) if opened else -1
            for q in cands if closed > 0 else ():
                if opened.end() <= q.start and q.end <= closed + 1:
                    most_common[id(q)] = idx
        cands = [q for q in cands if id(q) in most_common
                 or not any(o.start >= q.end and o.start - q.end <= 45 and ";" not in s[q.end : o.start]
                            and not _NEW_SUBJECT.search(s, q.end, o.start) and self._takes(o, q, s)
                            # ("... with dapagliflozin (11.9% and 10.2% vs. 2.6%), and adverse events led to
                            # discontinuation in ...": a bracket closed before the outcome keeps its values)
                            and not (")" in s[q.end : o.start] and "(" not in s[q.end : o.start])
                            # ("in 61 (1.3%) versus 79 (1.7%) participants, and adverse events led to ...": a new subject)
                            and not _AND_NEW_SUBJECT.search(s, q.end, o.start) for o in outcomes)]
        claimed: dict[int, list[Quantity]] = {}
        for q in cands:
            if id(q) in most_common:
                claimed.setdefault(most_common[id(q)], []).append(q)
        resp_groups: dict[int, str | None] = {}
        paired = (self._event_list_runs(s, cands, mentions, groups) or self._respectively_against(s, cands, mentions, groups)) \
            if "respectively" in s else self._respectively_against(s, cands, mentions, groups) if "compared with" in s else []
        if not paired and len(mentions) >= 2 and " of the " in s:
            paired = self._runs_per_event(s, cands, mentions, groups)
        for idx, q, group in paired:
            claimed.setdefault(idx, []).append(q)
            resp_groups[id(q)] = group
        for q in cands:
            if id(q) in resp_groups or id(q) in most_common:
                continue
            if q.kind == "pct" and _CHANGED_BY.search(s, max(0, q.start - 60), q.start):
                continue  # "after reducing bolus insulin by more than 50%": the size of a change, not an event rate
            if q.kind == "pct" and _SURVIVAL_OF.search(s, max(0, q.start - 50), q.start):
                continue  # "giving 5-year patient survival of 96.8% and 94.1%": who lived, not an event rate
            best = None
            own_outcome = self._nearest_outcome(q, outcomes, s)
            for idx, mn in enumerate(mentions):
                if mn.end <= q.start:
                    between = s[mn.end : q.start]
                    if q.rule == "count.n_eq" and re.search(r"[),]|\b(?:or|and)\b", between):
                        continue  # "cardiovascular disease (n = 3) or unknown causes (n = 2)": the bracket sizes what it follows
                    if ";" in between and re.search(r";\s[^;]*\b(?:was|were|is|are)\s(?:\w+\s)?$", between):
                        continue  # "...; patient survival was 94%": the value of the next clause's own subject
                    dist = len(between) + 20 * between.count(";")
                    if _NEXT_CLAUSE.search(between):
                        dist += 40  # "... infection in 5.1%, and 24 recipients (2.2%) developed skin cancer"
                    if ")" in between and "(" not in between:
                        dist += 60  # "(mostly catheter occlusion or infection) were recorded in 21": an example, not the event counted
                else:
                    between = s[q.end : mn.start]
                    dist = len(between) + (40 if re.search(r"\band\b|,", between) else 15)
                    if _CASES_OF.fullmatch(between) or _ELIDED_HAD.fullmatch(between):
                        dist = 0  # "one case of diabetic ketoacidosis", "and one of cellulitis", "and 5 (35.7%) a serious adverse event"
                    if ")" in between and "(" not in between:
                        dist += 60  # "Nausea was common (8% vs. 6%), and vomiting ...": 6% is nausea's
                    if ";" in between:
                        continue  # "...; nasopharyngitis 19 (6.8%)": the next clause names its own event
                    elif ":" in between:
                        dist += 60  # "Four SAEs were reported in 3 participants: neutropenia in two": a colon opens a breakdown
                    elif ("," in between or re.fullmatch(r"\)?\s(?:and|or)\s", between)) and _OWN_VALUES_AFTER.match(s, mn.end):
                        dist += 80  # "nausea by 68 (19.4%), 97 (27.9%), and 17 (4.9%) participants, vomiting by 25 ...": vomiting's values follow it
                    elif _NEXT_CLAUSE.match(between.lstrip(" )]")) or _NEXT_CLAUSE.match(between):
                        dist += 40  # "24 of 571 infusions (4.2%), and portal vein thrombosis ...": so does ", and"
                if mn.name in _GENERIC_AE and has_specific and not dist <= 30 \
                        and not (q.end <= mn.start and _HAD_EVENT.fullmatch(s, q.end, mn.start)):
                    dist += 60  # (but "and 5 had at least one serious adverse event" counts that event)
                if mn.extra.get("example") and any(m2.name != mn.name and m2.end <= mn.start for m2 in mentions) \
                        and (q.end <= mn.start or re.search(r"[,)]", s[mn.end : q.start])):
                    dist += 80  # "Gastrointestinal adverse events, mostly mild diarrhoea, occurred in 11": the example is not what was counted
                if mn.name == "death" and _overlaps(mn.start, mn.end, death_spans):
                    continue
                if dist > 220:
                    continue
                if best is None or dist < best[0]:
                    best = (dist, idx)
            if best and own_outcome is not None and own_outcome < best[0]:
                continue  # "the rate of severe hypoglycaemia ... HbA1c was 6.4%": the HbA1c's value
            if best:
                claimed.setdefault(best[1], []).append(q)
        self._keep_runs_whole(s, cands, mentions, claimed)
        # "dehydration and C. difficile colitis in one each": the count is each listed event's.
        for idx in sorted(claimed, reverse=True):
            if idx and idx - 1 not in claimed and any(re.match(r"\s?each\b", s[q.end : q.end + 6]) for q in claimed[idx]) \
                    and re.fullmatch(r"\s*(?:,|and|, and)\s*", s[mentions[idx - 1].end : mentions[idx].start]):
                claimed[idx - 1] = list(claimed[idx])
        for idx, mn in enumerate(mentions):
            if mn.name == "death" and death_spans:
                continue  # the sentence already counted its deaths ("none of the deaths were related")
            before = s[max(0, mn.start - 40) : mn.start]
            # (a number between the negation and the event is a count: "no more than 3 patients had";
            # one before the negation is the last item's: "1.0% (2/208), and no severe hypoglycemia")
            plain = _LEVEL_BRACKET.sub("", before) if "(" in before else before  # "No severe (level 3) hypoglycaemia"
            neg = next(reversed(list(self.neg_re.finditer(plain))), None)
            # ("no death was judged related": deaths happened; but "no serious adverse events were considered
            # related to VX-264" is how company statements report none, and annotators read it so)
            negated = (neg is not None and not re.search(r"\d", _NONE_OF_THE_N.sub("none", plain[neg.start():]))
                       and not (_RELATED_AFTER.match(s, mn.end) and mn.name != "serious adverse event")
                       and not (_LINKED_AFTER.match(s, mn.end) and (mn.name == "death" and (death_spans or "died" in lower)
                                                                    or re.search(r"\bneither\s$", s[max(0, mn.start - 8) : mn.start], re.I)))) \
                or bool(_NONE_AFTER.match(s, mn.end))
            if negated and _NONE_SEVERE.search(s, max(0, mn.start - 12), mn.end + 40):
                negated = False  # "none of the hypoglycemic episodes was severe": hypoglycaemia occurred
            if negated and (_NO_EXCESS.search(before) or (idx and mentions[idx - 1].extra.get("no_excess")
                                                          and re.fullmatch(r"\s*(?:,|or|nor|, or)\s*", s[mentions[idx - 1].end : mn.start]))):
                # "without increasing hypoglycaemia", "without a clear excess of ketoacidosis", "without excess
                # hypoglycemia or ketosis": a comparison, not an event that did not occur
                mn.extra["no_excess"] = True
                if not claimed.get(idx):
                    continue
                negated = False  # ("without an excess of severe hypoglycaemia, which occurred in four ...": counted)
            if negated and _GOAL_WITHOUT.search(before):
                continue  # "superior for achieving good glycaemic control without severe hypoglycaemia": a goal's definition
            if not negated and idx and mentions[idx - 1].extra.get("negated") \
                    and re.fullmatch(r"\s*(?:,|or|nor|and|, or|, nor)\s*(?:(?:episodes?|cases?|events?) of\s)?", s[mentions[idx - 1].end : mn.start]):
                negated = True  # "No episodes of diabetic ketoacidosis or severe hypoglycaemia"
            if negated and mn.name == "death" and _DEATH_ATTRIBUTED_AFTER.match(s, mn.end):
                continue  # "No death was attributed to diabetic ketoacidosis": says nothing of whether anyone died
            mn.extra["negated"] = negated
            serious = True if (mn.name == "serious adverse event" or "serious" in before.lower()[-20:] or serious_sentence) else None
            qs = claimed.get(idx, [])
            cause = re.search(r"(?:due to|from|caused by|linked to|attributed to|related to|(?<!episodes )(?<!episode )(?<!cases )(?<!events )of)\s+(?:[\w-]+\s+){0,3}$", before, re.I)
            died_before = any(m2.name == "death" and m2.end <= mn.start for m2 in mentions)
            if cause and (death_spans or died_before) and re.match(r"\W*no deaths?\b", s, re.I) and _DEATH_ATTRIBUTED_AFTER.search(s):
                continue  # "No death was attributed to diabetic ketoacidosis": no cause of any death
            if cause and (death_spans or died_before):
                # "Two deaths occurred: one due to X and another linked to Y": causes, not new events.
                for q in qs:
                    q.used = True
                w0 = max(0, mn.start - 48)
                # (not a dose or a time: "in the semaglutide 14 mg group died of", "died at month 11 of")
                ones = [o for o in re.finditer(rf"(?<![\d.,])(?<!month )(?<!week )(?<!day )(?<!year )\b(?P<n>{INT}|another|the other)\b(?![.,]\d|\s?%|[\s-]?(?:mg|µg|mcg|iu|units?)\b|\s(?:days?|weeks?|months?|years?)\b)", s[w0 : mn.start], re.I)
                        if not _overlaps(w0 + o.start(), w0 + o.end(), masks)]
                one = ones[-1] if ones else None
                n = 1 if one and one.group("n").lower() in ("another", "the other") else (_int(one.group("n")) if one else None)
                if one and (part := _PART_OF_BEFORE.search(s, max(0, w0 + one.start() - 30), w0 + one.start())) and _int(part.group("k")):
                    n = _int(part.group("k"))  # "one of the 12 died of a fungal infection": the one
                if (n is None or (n > 1 and w0 + one.end() < mn.start - 20)) and _CAUSE_LISTED.search(s, max(0, mn.start - 60), mn.end + 60):
                    n = 1  # "Three participants died (from myocardial infarction, sepsis and lung cancer)": one each
                if n is None and [f.n for f in out if f.kind == "adverse_event" and f.name == "death"] == [1]:
                    n = 1  # "One participant in the semaglutide 14 mg group died of ...": the one death's cause
                if sized := re.match(r"\s?\(n\s?=\s?(\d+)\)", s[mn.end : mn.end + 12]):
                    n = int(sized.group(1))  # "died ... from malignancy (n = 4), infection (n = 3)"
                # "One IAK recipient died of sepsis": the cause belongs to the arm of the one death
                arms_died = {f.group for f in out if f.rule != "adverse_event.death_of_cause" and f.name == "death" and f.kind == "adverse_event" and f.group}
                group = arms_died.pop() if len(arms_died) == 1 and n == 1 else None
                # "Two participants died: one in the 10 mg group, from myocardial infarction, and one in the
                # placebo group, from COVID-19 pneumonia": the arm between a death's count and its cause is
                # that death's, and the total splits by arm
                own = {g.text for g in groups if one and w0 + one.start() < g.start and g.end <= mn.start} if death_spans else set()
                arm = own.pop() if len(own) == 1 else None
                if arm and n and group in (None, arm):
                    group = arm
                    if not any(f.name == "death" and f.group == group for f in out):
                        out.append(RuleFact(si, "adverse_event", "death", "adverse_event.death_of_cause", 0.7, n=n, serious=True, group=group,
                                            span=(w0 + one.start(), w0 + one.end())))
                out.append(RuleFact(si, "adverse_event", mn.name, "adverse_event.cause_of_death", 0.6, n=n, serious=True, label="cause of death",
                                    group=group))
                continue
            if not qs and not negated and mn.name == "serious adverse event" and (total := _EVENT_TOTAL_BEFORE.search(s, max(0, mn.start - 16), mn.start)) \
                    and not _PERSON_COUNT_AFTER.match(s, mn.end) and _int(total.group("n")) \
                    and not any(_overlaps(total.start("n"), total.end("n"), [(q.start, q.end)]) for qs2 in claimed.values() for q in qs2):
                # "Two serious adverse events occurred: one ... and one ...": with no count of people who
                # had them, the events are the count (as annotators and registries report it)
                out.append(RuleFact(si, "adverse_event", mn.name, "adverse_event.event_total", 0.7, n=_int(total.group("n")), serious=serious,
                                    group=self._group_for(total.start("n"), mn.end, groups, s), span=total.span("n")))
                continue
            if not qs:
                if negated:
                    out.append(RuleFact(si, "adverse_event", mn.name, "adverse_event.negated", 0.8, negated=True, serious=serious,
                                        group=self._group_for(mn.start, mn.end, groups, s)))
                continue
            qs = sorted(qs, key=lambda q: q.start)
            if negated and qs[0].start > mn.end and _OTHER_ARM_AFTER.match(s, mn.end):
                # "No one in the pump group had a severe hypo, compared with three in the control
                # group": the negation is the first arm's, the count the other arm's.
                lead = next((g.text for g in reversed(groups) if mn.start - 60 <= g.start and g.end <= mn.start), None) \
                    or next((g.text for g in groups if mn.end <= g.start and g.end <= qs[0].start), None)  # "no X in the active arm and one in ..."
                out.append(RuleFact(si, "adverse_event", mn.name, "adverse_event.negated", 0.8, negated=True, serious=serious, group=lead))
                negated = False
            trailing = self._trailing_arms(s, qs, groups)  # "(12.4%, 18.5% and 23.6% with 12, 24 and 36 mg)"
            if not trailing and len(qs) >= 2 and "respectively" in s and not any(id(q) in resp_groups for q in qs):
                # "reported in 9% and 6% of the teplizumab and placebo groups, respectively"
                resp = self._respectively_groups(s, groups)
                if len(resp) == len(qs) and all(q.end <= self.respectively_re.search(s).start() for q in qs):
                    trailing = dict(enumerate(resp))
            for k, q in enumerate(qs):
                q.used = True
                if mn.name == "death" and q.rule in ("count.bare", "count.n_eq") and len(qs) > 1 \
                        and re.match(r"\s+(?:from|due to|of|because of)\b", s[q.end : q.end + 12], re.I):
                    continue  # a cause breakdown of deaths already counted
                group = resp_groups[id(q)] if id(q) in resp_groups else trailing.get(k) or self._group_for(q.start, q.end, groups, s)
                zero = q.n == 0 or (q.kind == "pct" and q.value == 0)
                out.append(RuleFact(si, "adverse_event", mn.name, "adverse_event." + q.rule, 0.8 if q.kind != "pct" else 0.7,
                                    value=q.value if q.kind in ("prop", "pct") else None, unit="%" if q.kind in ("prop", "pct") else None,
                                    n=q.n, denominator=q.denominator, serious=serious, group=group, comparator=q.comparator,
                                    negated=zero or negated, span=(q.start, q.end)))
        out += self._sae_breakdown(si, s, mentions, claimed, groups)
        # "Severe hypoglycemia occurred in 1 participant in the A group and in no participants in
        # the B group", "... in the AID group and none in the control group": the other arm had none.
        for f in list(out) if " no" in lower else ():
            m = _NONE_IN_ARM.match(s, f.span[1]) if f.group and not f.negated and f.span else None
            arm = next((g.text for g in groups if m and g.start == m.start("arm")), None) if m else None
            if m and (arm or m.group("label")):
                out.append(replace(f, group=arm or m.group("arm"), value=None, unit=None, n=0, denominator=None, negated=True,
                                   rule=f.rule + "+none_in_arm", span=m.span("arm")))
        out += self._arm_breakdown(s, out, groups)
        # "Participant 07 (cohort B): two episodes of severe hypoglycemia (days 11 and 19)": a line
        # of a listing by participant is one person for each event it names
        if (listed := _LISTED_PARTICIPANT.match(s)) and not any(f.negated for f in out):
            named = {f.name for f in out}
            for mn in mentions:
                if mn.name not in named and mn.name not in _GENERIC_AE and not mn.extra.get("example"):
                    named.add(mn.name)
                    out.append(RuleFact(si, "adverse_event", mn.name, "adverse_event.listed_participant", 0.6, n=1,
                                        serious=serious_sentence or None, group=listed.group("grp")))
        # "Hypoglycaemia occurred in 3 linagliptin recipients, none of which was severe"
        if "hypoglyc" in lower and "severe" in lower and _NONE_SEVERE.search(s) \
                and not any(f.name == "severe hypoglycemia" for f in out):
            out.append(RuleFact(si, "adverse_event", "severe hypoglycemia", "adverse_event.none_severe", 0.7, negated=True))
        return out

    def _arm_breakdown(self, s: str, facts: list[RuleFact], groups: list[Mention]) -> list[RuleFact]:
        """"Eleven participants died during the study (tirzepatide 5 mg, three; 10 mg, two; 15 mg, two;
        glargine, four)", "71 recipients died (IAK 34 [13.8%], ITA 37 [4.7%])": a bracket after a count
        that splits it by arm is each arm's count, when its counts add up to the total and every label
        is an arm (not a cause: "Four recipients died (myocardial infarction, 2; unknown, 1; ...)")."""
        out: list[RuleFact] = []
        for f in facts:
            if f.n is None or f.n < 2 or f.negated or f.span is None:
                continue
            opened = _BREAKDOWN_OPEN.match(s, f.span[1]) if "(" in s[f.span[1] :] or ":" in s[f.span[1] :] else None
            if opened is None:
                continue
            if opened.group("open") == "(":
                closed = s.find(")", opened.end())
                body = s[opened.end() : closed] if closed >= 0 else ""
                parts = body.split(";" if ";" in body else ",")
            else:
                closed = next((k for k in (s.find(";", opened.end()), s.find(". ", opened.end())) if k > 0), len(s))
                body = _BREAKDOWN_ASIDE.sub("", s[opened.end() : closed]).rstrip(". ")
                parts = re.split(r";|,? and |, ", body)
            if not body:
                continue
            items = [m for part in parts if (m := _BREAKDOWN_ITEM.fullmatch(part.strip()))]
            counts = [_int(m.group("n") or m.group("n2")) for m in items]
            if len(items) < 2 or len(items) != len(parts) or None in counts or sum(counts) != f.n:
                continue
            labels = [(m.group("label") or m.group("label2")).strip() for m in items]
            at = [s.find(label, opened.end(), closed) for label in labels]
            if not all(any(g.start < a + len(label) and a < g.end for g in groups) or _ARM_LIKE_LABEL.fullmatch(label)
                       or label.lower() in self.aliases for a, label in zip(at, labels, strict=True)):
                continue
            f.group = None  # (the total is the whole trial's, whichever arm the bracket names first)
            for m, n, label in zip(items, counts, labels, strict=True):
                pct = float(m.group("pct")) if m.group("pct") else None
                out.append(replace(f, n=n, value=pct, unit="%" if pct is not None else None, denominator=None,
                                   group=label, rule=f.rule + "+arm_breakdown"))
        return out

    @staticmethod
    def _keep_runs_whole(s, cands, mentions, claimed) -> None:
        """"reported by 61.8%, 63.5%, 19.2%, and 18.3% and genital mycotic infections by 5.3%
        ...": a run of values is one event's, its last value too, though the next event is nearer."""
        owner = {id(q): idx for idx, qs in claimed.items() for q in qs}
        ordered = sorted((q for q in cands if id(q) in owner), key=lambda q: q.start)
        run: list[Quantity] = []
        for q in [*ordered, None]:
            if q is not None and run and ";" not in s[run[-1].end : q.start] and _list_joined(s, run[-1].end, q.start):
                run.append(q)
                continue
            # "nausea (12.8%, 19.3% and 2.7%)": a bracketed run right after an event is all that event's
            lead = next((k for k, mn in enumerate(mentions) if run and (_BRACKET_OPENS.fullmatch(s, mn.end, run[0].start)
                                                                     or _MOST_COMMON_BRACKET.fullmatch(s, mn.end, run[0].start))), None)
            if lead is not None and len(run) >= 2 and ")" not in s[run[0].start : run[-1].end]:
                for x in run:
                    if owner[id(x)] != lead:
                        claimed[owner[id(x)]].remove(x)
                        claimed.setdefault(lead, []).append(x)
                        owner[id(x)] = lead
            elif len(run) >= 2:
                # (two values are a run when what follows them names the events they count:
                # "in 9 islet recipients (38%) and 4 controls (18%), mostly procedure-related bleeding")
                heads = {owner[id(x)] for x in run[:-1]}
                last = owner[id(run[-1])]
                if len(heads) == 1 and last not in heads and mentions[last].start >= run[-1].end \
                        and (len(run) >= 3 or _SPECIFIED_BY.match(s, run[-1].end, mentions[last].start)):
                    claimed[last].remove(run[-1])
                    claimed[next(iter(heads))].append(run[-1])
            run = [q] if q is not None else []

    def _deaths_by_arm(self, si, s, at, groups, quantities) -> list[RuleFact]:
        """"Six deaths occurred (four ORG-2231, two placebo)", "Two participants died (one in the
        12 mg group [cardiac arrest] and one in the dulaglutide group [pancreatic cancer])": the
        bracket after a count of deaths splits it by arm."""
        bracket = _DEATH_BRACKET.match(s, at)
        if bracket is None:
            return []
        items = list(_DEATH_ITEM.finditer(s, bracket.start("body"), bracket.end("body")))
        arms = [next((g.text for g in groups if it.start("arm") <= g.start and g.end <= it.end("arm")), None) for it in items]
        if len(items) < 2 or None in arms or len(set(arms)) < len(arms):
            return []
        for q in quantities:
            if bracket.start("body") <= q.start < bracket.end("body"):
                q.used = True  # (the causes in square brackets are not events of their own)
        return [RuleFact(si, "adverse_event", "death", "adverse_event.death_by_arm", 0.85, n=_int(it.group("n")), serious=True,
                         group=arm, span=it.span("n")) for it, arm in zip(items, arms, strict=True)]

    def _event_list_runs(self, s, cands, mentions, groups):
        """"Nausea, vomiting, and diarrhea occurred in 24%, 15%, and 18% of the tirzepatide
        recipients, respectively, as compared with 6%, 3%, and 9% of those receiving placebo":
        each run of as many values as the events listed gives one value to each event, in
        order, for the arm named after the run."""
        chain: list[int] = []
        for idx in range(len(mentions)):
            if chain and _EVENT_JOIN.fullmatch(s, mentions[chain[-1]].end, mentions[idx].start):
                chain.append(idx)
            elif len(chain) < 2:
                chain = [idx]
        if len(chain) < 2:
            return []
        after = [q for q in cands if q.start >= mentions[chain[-1]].end]
        runs, run = [], []
        for q in after:
            if run and not _list_joined(s, run[-1].end, q.start):
                runs.append(run)
                run = []
            run.append(q)
        runs.append(run)
        out = []
        for run in runs:
            if len(run) != len(chain):
                continue
            group = self._group_for(run[-1].start, run[-1].end, groups, s)
            out += [(idx, q, group) for idx, q in zip(chain, run, strict=True)]
        return out

    def _runs_per_event(self, s, cands, mentions, groups):
        """"nausea occurred in 27.4%, 31.9% and 33.1%, and diarrhoea in 19.5%, 21.2% and 23.4% of
        the 4, 8 and 12 mg groups, versus 9.3% and 7.7% with placebo": each event's run takes the
        arms listed after the last run, in order; a run after "versus" gives each event, in the
        order listed, the value of the arm named after it."""
        runs: list[tuple[int, list[Quantity]]] = []
        for idx, mn in enumerate(mentions):
            end = mentions[idx + 1].start if idx + 1 < len(mentions) else len(s)
            run: list[Quantity] = []
            for q in (q for q in cands if mn.end <= q.start and q.end <= end):
                if run and not _list_joined(s, run[-1].end, q.start):
                    break
                run.append(q)
            if run:
                runs.append((idx, run))
        if len(runs) < 2 or len({len(r) for _, r in runs}) != 1 or len(runs[0][1]) < 2:
            return []
        after = _TRAILING_ARMS.match(s, runs[-1][1][-1].end)
        if after is None:
            return []
        arms = [g for g in groups if g.start >= after.end() and g.start - after.end() <= 40]
        names = list(dict.fromkeys(g.text for g in arms))
        if len(names) != len(runs[0][1]):
            return []
        out = [(idx, q, arm) for idx, run in runs for q, arm in zip(run, names, strict=True)]
        versus = _VERSUS_RUN.search(s, arms[-1].end) if arms else None
        if versus:
            values = [q for q in cands if versus.start("run") <= q.start and q.end <= versus.end("run")]
            other = next((g.text for g in groups if g.start >= versus.end("run")), None)
            if other and len(values) == len(runs):
                out += [(idx, q, other) for (idx, _), q in zip(runs, values, strict=True)]
        return out

    def _respectively_against(self, s, cands, mentions, groups):
        """"nausea (18.2%), diarrhoea (13.3%) and vomiting (8.7%), compared with 5.1%, 6.8% and
        1.9%, respectively, with placebo": a run of values that ends in "respectively" after a list
        of events that already have values of their own gives one value to each of those events,
        in order, for the arm named after the run (or before it)."""
        run = _RESPECTIVELY_RUN.search(s) or _COMPARED_RUN.search(s)
        if run is None:
            return []
        values = [q for q in cands if run.start() <= q.start and q.end <= run.end("run")]
        listed = [(idx, mn) for idx, mn in enumerate(mentions) if mn.end <= run.start() and not mn.extra.get("example")]
        if len(values) < 2 or len(listed) < len(values):
            return []
        listed = listed[-len(values):]
        # each of those events already has its own value right after it
        owned = [any(mn.end <= q.start < (listed[k + 1][1].start if k + 1 < len(listed) else run.start()) for q in cands)
                 for k, (_, mn) in enumerate(listed)]
        if not all(owned):
            return []
        group = self._group_for(values[-1].start, values[-1].end, groups, s) \
            or self._group_for(values[0].start, values[0].end, [g for g in groups if g.end <= run.start()], s)
        return [(idx, q, group) for (idx, _), q in zip(listed, values, strict=True)]

    # ------------------------------------------------------------------------- outcomes
    def _nearest_outcome(self, q: Quantity, outcomes: list[Mention], s: str) -> int | None:
        """Distance from a value to the nearest outcome mention that could own it (the same
        measure the outcome pass uses), or None."""
        dists = [_outcome_distance(o, q, s) for o in outcomes
                 if o.name not in ("severe_hypoglycemia_events", "_claim", "_absorb") and not o.extra.get("descriptor")
                 and self._takes(o, q, s)]
        return min(dists, default=None)

    def _share_difference(self, o: Mention, q: Quantity) -> bool:
        """A difference in percentage points beside an outcome that is a share of people."""
        return q.kind == "pct" and q.unit == "percentage points" and self.outcome_types.get(o.name) == "proportion"

    def _takes(self, o: Mention, q: Quantity, s: str) -> bool:
        """Whether the outcome mention ``o`` can own the value ``q`` (an `other` by its row's `accepts`)."""
        return self._compatible(o.name, q, s, o.extra.get("accepts", ()))

    def _compatible(self, name: str, q: Quantity, s: str, accepts: tuple[str, ...] = ()) -> bool:
        typ = self.outcome_types.get(name, "proportion" if name == "_absorb" else "other")
        if q.used:
            return False
        if name == "_claim":
            return q.kind in ("pct", "unit")
        if name == "other":
            # (an outcome outside the vocabulary takes only the values its pattern row accepts)
            # ("a stable insulin dose of ≥20 IU/day", "with a daily insulin dose below 0.5 units/kg": thresholds, no levels)
            # ("nine in ten patients ... lost at least 5% of their weight": a share takes a proportion, not a bare count)
            # ("adults with an eGFR of 25–75 mL/min per 1.73 m²": a range is a criterion, unless it is a from-to pair)
            if q.kind == "unit" and q.rule.endswith(("range_low", "range_high")) and not _FROM_BEFORE_RANGE.search(s, max(0, q.start - 40), q.start):
                return False
            return any(q.kind != "count" and self._compatible("engraftment" if a == "share" else "time_in_range", q, s) if a in ("share", "time")
                       else q.kind == "unit" and q.unit == a and q.comparator in ("=", None) for a in accepts)
        if typ == "proportion":
            # ("... and 10% in the insulin group (risk difference 71 percentage points)": a difference between arms' shares)
            return q.kind == "prop" or (q.kind == "count" and q.person) or (q.kind == "pct" and q.unit == "%" and not q.signed and 0 <= (q.value or 0) <= 100) \
                or (q.kind == "pct" and q.unit == "percentage points" and bool(self.diff_cue.search(s)))
        if name == "hba1c":
            return (q.kind == "pct" and q.unit in ("%", "percentage points")) or (q.kind == "unit" and q.unit == "mmol/mol")
        if name == "hba1c_change":
            return (q.kind == "pct" and abs(q.value or 0) < 10) or (q.kind == "unit" and q.unit in ("mmol/mol", "percentage points"))
        if name == "time_in_range":
            return q.kind == "pct" and ((q.unit == "%" and 0 <= (q.value or 0) <= 100)
                                        or (q.unit == "percentage points" and bool(self.diff_cue.search(s))))
        if name == "c_peptide":
            # "C-peptide AUC declined by 8.2%": a relative change, in %; "C-peptide was 27% higher in
            # the verapamil group than in the placebo group": a relative difference
            return (q.kind == "unit" and q.unit in ("pmol/L", "nmol/L", "ng/mL", "pmol/mL", "nmol/L/min", "pmol/mL/min")) \
                or (q.kind == "pct" and q.unit == "%" and (bool(_CHANGED_BY.search(s, max(0, q.start - 110), q.start))
                                                          or bool(_CHANGED_BY_LIST.search(s, max(0, q.start - 160), q.start))
                                                          or bool(_RELATIVELY_AFTER.match(s, q.end))))
        if name == "body_weight_change":
            return (q.kind == "pct" and abs(q.value or 0) < 50) or (q.kind == "unit" and q.unit == "kg")
        if name == "insulin_dose_change":
            return q.kind == "pct" or (q.kind == "unit" and q.unit in ("IU", "IU/kg", "IU/kg/day", "IU/day"))
        if name == "fasting_glucose":
            return q.kind == "unit" and q.unit in ("mg/dL", "mmol/L")
        if name == "severe_hypoglycemia_events":
            return (q.kind == "count" and not q.person) or (q.kind == "unit" and (q.unit or "").startswith("events per"))
        return False

    def _outcomes(self, si, s, lower, quantities, outcomes, groups, timepoints, prev_outcome):
        out: list[RuleFact] = []
        mentions = list(outcomes)
        carried = False
        cands = [q for q in quantities if not q.used and (q.kind in ("prop", "pct", "unit") or (q.kind == "count" and (q.person or q.rule == "count.events")))]
        if not cands:
            # "No severe hypoglycaemic events were reported": a negated outcome without a number.
            for o in mentions:
                if o.name in ("severe_hypoglycemia_events", "severe_hypoglycemia_free") and re.search(r"\bno\b|\bnone\b|\bwithout\b|\bzero\b", s[max(0, o.start - 30):o.end], re.I) \
                        and not _NO_EXCESS.search(s, max(0, o.start - 60), o.start) \
                        and not _GOAL_WITHOUT.search(s[max(0, o.start - 60) : o.start] + ("without " if o.text.lower().startswith("without") else "")):
                    # (not "without increasing severe hypoglycaemia", nor "achieving control without severe hypoglycaemia")
                    out.append(RuleFact(si, "outcome", "severe_hypoglycemia_events", "outcome.negated", 0.75, negated=True))
            return out, None
        # A sentence with a responder threshold ("weight reductions of 5% or more") reports an
        # outcome of its own, not more of the previous sentence's.
        # (nor does a sentence about an event: "Hyperkalemia was more frequent with X (absolute difference, 6.2 points)")
        if not mentions and prev_outcome and self.diff_cue.search(s) and prev_outcome not in ("hba1c",) \
                and not _THRESHOLD.search(s) and not self.ae_re.search(s) \
                and not (self.outcome_types.get(prev_outcome) != "proportion" and _PROPORTION_OF.search(s)):
            mentions = [Mention(0, 0, prev_outcome, "outcome.carried")]
            carried = True
        elif not mentions and prev_outcome and (_PRONOUN_FROM_TO.search(s) or _UNNAMED_CHANGES.search(s) or _PRONOUN_LEVEL.search(s)):
            # "In the usual-care group it went from 8.1% to 7.7%": "it" is the measure the last sentence named
            mentions = [Mention(0, 0, prev_outcome, "outcome.carried")]
            carried = True
        if not mentions:
            return out, None
        # Greedy one-to-one assignment by distance, then coordinated mentions share a value.
        pairs = []
        # "Mean weight change ... was as follows: dapilintide 1.2 mg, −6.1%; 2.4 mg, −8.4%; ...; placebo, −1.8%":
        # every value of a list opened by a colon right after the mention is the mention's
        colon_lists = [(m.start(), m.end()) for m in _COLON_LIST.finditer(s)] if ":" in s and ";" in s else []
        for oi, o in enumerate(mentions):
            for qi, q in enumerate(cands):
                if not self._takes(o, q, s):
                    continue
                if carried and q.kind == "unit" and q.comparator not in ("=", None, "~"):
                    continue  # "A blood β-hydroxybutyrate >1.5 mmol/L was recorded in 11": a threshold of another measure
                dist = 1 if carried else _outcome_distance(o, q, s)
                if any(a <= q.start and q.end <= b and 0 <= a - o.end <= 60 for a, b in colon_lists):
                    dist = min(dist, 30)
                if o.extra.get("descriptor"):
                    dist += 80
                if o.name == "other" and q.end <= o.start and "share" not in o.extra["accepts"]:
                    dist += 40  # "time in range by 11 points and reduced time in hypoglycaemia": a measured level follows its measure
                if o.rule == "outcome.gapped_change" and q.end <= o.start:
                    continue  # "lowered HbA1c by 0.6 points and body weight by 15.8%": a gapped change's values follow it
                if q.rule == "prop.no_one" and o.end <= q.start:
                    dist += 40  # "..., and no participant became insulin independent": the no one of the outcome after it
                if self._share_difference(o, q):
                    if q.start < o.end:
                        continue  # ("Hyperkalemia was more frequent (difference, 6.2 percentage points), leading to discontinuation")
                    dist += 100  # the arms' own shares first; their difference joins them after
                if o.name == "_absorb" and not (q.end <= o.start and dist < 30):
                    continue
                # "ten participants no longer needed insulin": a bare count only right before its outcome.
                # "Graft failure occurred in 4 recipients": or right after it, joined by "in".
                if q.kind == "count" and not ((q.end <= o.start and dist <= 30)
                                              or (o.end <= q.start and _OCCURRED_IN.fullmatch(s[o.end : q.start]))):
                    continue
                if dist > 160:
                    continue
                pairs.append((dist, oi, qi))
        pairs.sort()
        assigned: dict[int, list[int]] = {}
        q_owner: dict[int, int] = {}
        respectively = bool(self.respectively_re.search(s))
        # "change in HbA1c from baseline (8.1 ± 0.6%) to week 12 was −0.21%, −0.38% and ...": a
        # baseline in brackets is an aside; the values after it are the mention's own list.
        aside = {qi for qi, q in enumerate(cands) if _BASELINE_BRACKET.search(s, max(0, q.start - 40), q.start)}
        for _dist, oi, qi in pairs:
            if qi in q_owner:
                continue
            own = [k for k in assigned.get(oi, []) if k not in aside]
            if own and not (respectively or carried or self._list_continues(s, cands, own, qi)):
                continue
            assigned.setdefault(oi, []).append(qi)
            q_owner[qi] = oi
        # "HbA1c fell by 0.5 percentage points (7.6% to 7.1%)": values in a bracket right after a
        # value, or the end of a from-to pair, are more of that value's outcome.
        for qi, q in enumerate(cands):
            host = next((k for k, c in enumerate(cands) if c.end <= q.start and (_BRACKET_OPENS.fullmatch(s, c.end, q.start)
                         or (q.rule == "unit.rate_to" and c.rule == "unit.rate_from" and c is cands[qi - 1])
                         or (_PAIR_TO.fullmatch(s, c.end, q.start) and _FROM_BEFORE.search(s, max(0, c.start - 30), c.start)))), None)
            if host is None and qi and q.rule.endswith("range_high") and cands[qi - 1].rule.endswith("range_low"):
                host = next((k for k, c in enumerate(cands) if c.end <= cands[qi - 1].start
                             and _BRACKET_OPENS.fullmatch(s, c.end, cands[qi - 1].start)), None)
            if host is None or host not in q_owner or q_owner.get(qi) == q_owner[host]:
                continue
            if q_owner.get(qi) is None and (self.outcome_types.get(mentions[q_owner[host]].name) == "change"
                                            or not (_BRACKET_FROM.fullmatch(s, cands[host].end, q.start)
                                                    or (q.rule.endswith("range_high") and qi and q_owner.get(qi - 1) == q_owner[host]))):
                # (an unowned value joins the host only in "(from 8.2% to 6.9%)" after a level's change;
                # "reduced by 18% (from 0.71 to 0.58 U/kg)" gives levels of a measure only its change is named for)
                continue
            if self._takes(mentions[q_owner[host]], q, s):
                if qi in q_owner:
                    assigned[q_owner[qi]].remove(qi)
                q_owner[qi] = q_owner[host]
                assigned[q_owner[host]].append(qi)
        # Arm-specific values and range ends left over join the nearest compatible mention.
        for qi, q in enumerate(cands):
            if qi in q_owner:
                continue
            partner = next((k for k, c in enumerate(cands) if c.end == q.start or (c.rule.endswith("range_low") and c.end <= q.start and q.start - c.end < 5)), None)
            linked = partner is not None and partner in q_owner and q.rule.endswith("range_high")
            if not linked and qi > 0 and (qi - 1) in q_owner and q.rule == "unit.rate_to" and cands[qi - 1].rule == "unit.rate_from":
                partner, linked = qi - 1, True  # "fell from a median of 6 per year to 0"
            if not linked and qi > 0 and (qi - 1) in q_owner and (q.signed or q.unit == "percentage points") \
                    and (_BRACKET_OPENS.fullmatch(s, cands[qi - 1].end, q.start) or _BRACKET_CHANGE.fullmatch(s, cands[qi - 1].end, q.start)):
                partner, linked = qi - 1, True  # "declined from 8.7% to 7.6% (−1.1 percentage points; ...)", "6.2% (change −1.6 points)"
            # "from 8.1% at baseline to 6.9% at month 12": the second value of a from/to pair (the
            # first may carry its other unit in brackets: "from 8.3% (67 mmol/mol) before ... to 6.5%")
            start_of_pair = qi - 1 if qi > 0 and (qi - 1) in q_owner else \
                qi - 2 if qi > 1 and (qi - 2) in q_owner and (qi - 1) not in q_owner \
                and _BRACKET_OPENS.fullmatch(s, cands[qi - 2].end, cands[qi - 1].start) else None
            if not linked and start_of_pair is not None:
                between = _BRACKETED.sub("", s[cands[start_of_pair].end : q.start])
                if len(between) < 40 and _PAIR_TO_END.search(between) and _FROM_BEFORE.search(s, max(0, cands[start_of_pair].start - 30), cands[start_of_pair].start):
                    partner, linked = start_of_pair, True
            # "...; the estimated treatment difference for A versus B was -0.9 points": the
            # difference between values an outcome already owns belongs to that outcome.
            difference = bool(_DIFFERENCE_BEFORE.search(s[max(0, q.start - 130) : q.start])) \
                or (not carried and bool(re.search(r"\b(?:versus|v(?:s\.?|(?= ))|compared (?:with|to))\s*$", s[max(0, q.start - 16) : q.start], re.I)))
            if not (linked or respectively or difference or self._group_for(q.start, q.end, groups, s)):
                continue
            owners_before = [q_owner[k] for k in sorted(q_owner, key=lambda k: cands[k].start) if cands[k].end <= q.start]
            best = None
            for oi, o in enumerate(mentions):
                if not self._takes(o, q, s) or (self._share_difference(o, q) and q.start < o.end):
                    continue
                if q.end <= o.start and (";" in s[q.end : o.start] if q.kind == "count" else bool(_NEXT_CLAUSE.search(s, q.end, o.start))):
                    # "Four children on verapamil had an abnormal ECG; ... no child had to stop the drug": another clause's people;
                    # "Genital infections were more frequent with dapagliflozin (11.9% ...), and adverse events led to ...": its values
                    continue
                d = q.start - o.end if o.end <= q.start else (o.start - q.end) + 20
                if linked:
                    d = -1 if q_owner[partner] == oi else d
                elif difference and owners_before and owners_before[-1] == oi:
                    d = min(d, 0)
                if d <= 220 and (best is None or d < best[0]):
                    best = (d, oi)
            if best:
                assigned.setdefault(best[1], []).append(qi)
                q_owner[qi] = best[1]
        # Coordination: "100% remained free of X and achieved Y" -> Y shares X's value.
        for oi, o in enumerate(mentions):
            if oi in assigned or carried or o.extra.get("descriptor") or o.name == "other":
                continue  # (an outcome outside the vocabulary is measured on its own: "in partial remission, time in range ...")
            for oj in sorted(assigned):
                other = mentions[oj]
                if other.name == "other":
                    continue
                a, b = (other.end, o.start) if other.end <= o.start else (o.end, other.start)
                between = s[a:b]
                if len(between) < 40 and (re.search(r"\band\b|\bor\b|,|\bwith(?:out)?\b", between) or not between.strip()) and not re.search(r"\d", between) \
                        and not re.search(r"\b(?:but|whereas|while|although|though|no|none|neither|nor)\b", between):  # ("None became insulin independent, but their dose fell by 46%", "(25%) had C-peptide ..., and no participant became insulin independent")
                    qs = [qi for qi in assigned[oj] if self._takes(o, cands[qi], s)]
                    if qs:
                        assigned[oi] = qs  # a list ("20 of 49, 14/48 and 6/47") is shared whole
                        break
        resp_groups = self._respectively_groups(s, groups) if respectively else []
        listed_tp = _timepoint_list(s, cands) if " and " in s else {}
        fell_at: dict[str, int] = {}  # outcome -> end of its last value read as a fall
        used_name = None
        resp_at = self.respectively_re.search(s).start() if resp_groups else len(s)
        for oi, qis in assigned.items():
            o = mentions[oi]
            qis = sorted(qis, key=lambda k: cands[k].start)
            trailing = self._trailing_arms(s, [cands[k] for k in qis], groups)
            # "A, B and C reduced X by 1, 2 and 3 points, respectively, compared with 0.4 with
            # placebo": "respectively" pairs the values before it with the arms listed.
            resp_qis = [qi for qi in qis if cands[qi].end <= resp_at]
            for k, qi in enumerate(qis):
                q = cands[qi]
                name = o.name
                tp = "baseline" if qi in aside else listed_tp.get(qi) or self._timepoint_for(q, timepoints, s)
                if tp == "baseline" and not q.signed and _BY_AMOUNT.search(s, max(0, q.start - 120), q.start):
                    tp = None  # "decreased from a mean of 8.1% at baseline by 0.9, 0.7 and 0.5 points": changes, not baselines
                from_to = bool(re.search(r"\b(?:from|to)\s(?:a |an )?$", s[max(0, q.start - 8) : q.start], re.I)) and re.search(r"\bfrom\b", s[max(0, q.start - 60) : q.start], re.I)
                if name == "hba1c_change" and (tp == "baseline" or (from_to and not q.signed)
                                               or (q.unit == "%" and not q.signed and (q.value or 0) >= 4)
                                               or (q.unit == "mmol/mol" and not q.signed and (q.value or 0) >= 20)):
                    name = "hba1c"  # "... to 6.1% at 1 year and was 6.6% at 5 years": no change is 6.6 points
                elif name == "hba1c" and ((tp != "baseline" and not from_to and (q.signed or (self.change_cue.search(s[max(0, o.start - 40): q.start]) and abs(q.value or 0) < 3)))
                                          or (q.unit == "percentage points" and _CHANGED_BY.search(s, max(0, q.start - 40), q.start))):
                    name = "hba1c_change"
                    if tp == "baseline":
                        tp = None  # "HbA1c, 7.9% at baseline, changed by −0.1 percentage points": the change is not at baseline
                label = o.extra.get("label") if name == "other" else None
                if o.rule == "outcome.other.weight_loss_threshold" and len(thresholds := _THRESHOLD_ITEM.findall(o.text)) > 1:
                    # "Weight reductions of ≥5%, ≥10% and ≥15% were achieved by 86%, 71% and 49%": one threshold per value, in turn
                    label = _label_as_written(o.text[: o.text.index(thresholds[0])] + thresholds[k % len(thresholds)])
                if o.rule == "outcome.other.insulin_dose" and (q.signed or _CHANGED_BY.search(s, max(0, q.start - 60), q.start)):
                    name, label = "insulin_dose_change", None  # "Total daily insulin dose changed by −0.11 U/kg/day": its change
                if name == "insulin_dose_change" and q.kind == "unit" and not q.signed \
                        and (from_to or tp == "baseline" or q.rule.endswith(("range_low", "range_high"))):
                    # "insulin requirement decreased from 0.62 to 0.21 U/kg/day": the doses it went between are
                    # levels, outside the vocabulary (its change is the % or the difference)
                    need = _INSULIN_NEED.search(o.text)
                    name, label = "other", _label_as_written(need.group(0) if need else "daily insulin dose")
                if name == "body_weight_change" and tp == "baseline" and q.unit == "kg" and not q.signed:
                    name, label = "other", "body weight"  # "mean body weight, 100.2 kg at baseline, fell by ...": a level, no change
                if name == "hba1c_change" and q.unit == "%":
                    unit = "percentage points"
                else:
                    unit = q.unit
                conf = 0.85 if q.kind == "prop" else 0.75
                if carried:
                    conf -= 0.2
                group = None
                if k in trailing:
                    group = trailing[k]
                elif resp_groups and len(resp_groups) == len(qis):
                    group = resp_groups[k]
                elif resp_groups and len(resp_groups) == len(resp_qis) and qi in resp_qis:
                    group = resp_groups[resp_qis.index(qi)]
                elif _DIFFERENCE_JUST_BEFORE.search(s, max(0, q.start - 40), q.start):
                    # "... in the 6 mg group (placebo-adjusted difference -0.9%)": the bracketed difference is
                    # the only arm named's (its comparator aside); "... with A vs ... with placebo (adjusted
                    # difference 0.14)" names two arms, and which one it is for is settled below.
                    named = list(dict.fromkeys(g.text for g in groups if g.end <= q.start))
                    group = named[0] if len(named) == 1 else None
                else:
                    group = self._group_for(q.start, q.end, groups, s)
                if q.rule.endswith("range_low") or (tp == "baseline" and _FROM_BEFORE.search(s, max(0, q.start - 30), q.start)):
                    # "from 63.9% to 71.8% with 1.0 mg", "from 55.4% (13.0) to 58.0% (12.1) in the control
                    # group": the pair's arm is named after its second value
                    pair_end = next((c for c in cands if 0 <= c.start - q.end <= 4 and c.rule.endswith("range_high")
                                     or c.start > q.end and _PAIR_GAP.fullmatch(s, q.end, c.start)), None)
                    after_pair = [g for g in groups if pair_end is not None and g.start >= pair_end.end]
                    if after_pair and (pair_group := self._group_for(pair_end.start, pair_end.end, after_pair, s)):
                        group = pair_group
                contrast = None
                pair = self._difference_between(s, q, groups)
                if pair:
                    group, contrast = pair
                elif self.diff_cue.search(s) or _THAN_AFTER.match(s, q.end) or _LOWER_WITH_AFTER.match(s, q.end):
                    contrast = self._contrast_for(q, s, groups, group)
                    arms = list(dict.fromkeys(g.text for g in groups if g.end <= q.start))
                    if contrast in (None, UNNAMED_COMPARATOR) and len(arms) == 2 and re.search(r"\bdifferences?\b", s[max(0, q.start - 60) : q.start], re.I):
                        # "71.2% with A and 58.9% with B (difference, 12.3 points)": A against B.
                        group, contrast = arms
                if contrast and k in trailing and (re.search(r"\b(?:v(?:s\.?|(?= ))|versus)\s*$", s[max(0, q.start - 12) : q.start], re.I)
                                                   or re.match(r"\s*(?:v(?:s\.?|(?= ))|versus)\b", s[q.end : q.end + 12], re.I)):
                    contrast = None  # "decreased by 1.58 vs. 1.31 points with ICO vs. IDeg": each arm's own change
                elif contrast and (_VS_NEXT.match(s, q.end) or _VS_PREV.search(s, max(0, q.start - 50), q.start)) \
                        and not _DIFFERENCE_JUST_BEFORE.search(s, max(0, q.start - 40), q.start):
                    contrast = None  # "the C-peptide difference had narrowed (0.46 vs. 0.35 nmol/L/min)": each arm's value
                if contrast and q.kind == "prop" and q.n is not None:
                    contrast = None  # "and 126 (57.8%) and 14 (12.8%) participants attained an HbA1c <6.5%": counts of people are an arm's share
                if contrast and name == "hba1c" and tp != "baseline":
                    name = "hba1c_change"
                elif name == "hba1c" and q.unit == "percentage points":
                    # "from 7.6% and 7.7% at baseline (adjusted difference −0.5 percentage points, ...)": no level,
                    # and no baseline, is in points
                    name, tp = "hba1c_change", None if tp == "baseline" else tp
                    if contrast is None and _DIFFERENCE_JUST_BEFORE.search(s, max(0, q.start - 40), q.start):
                        contrast = self._contrast_for(q, s, groups, group) or UNNAMED_COMPARATOR
                if contrast and name == "other" and not (_DIFFERENCE_NEAR_BEFORE.search(s, max(0, q.start - 60), q.start) or _THAN_AFTER.match(s, q.end)):
                    # "..., a difference that was not significant, and daily insulin doses were 0.45 and 0.50 IU/kg": levels
                    # (but "fell by 3.4 mm Hg more than with placebo" is against placebo)
                    contrast = None
                if contrast and group and same_arm(group, contrast):
                    group = None  # "placebo-adjusted difference": placebo is what it is against
                if contrast and group is None and not _ADJUSTED.search(s):
                    # "-14.9% in the semaglutide group and -2.4% in the placebo group, for a
                    # difference of -12.4 points": the arm that is not the comparator.
                    before_q = [g.text for g in groups if g.end <= q.start]
                    others = list(dict.fromkeys(t for t in before_q if contrast.lower() not in t.lower()))
                    if len(others) == 1 and len(others) < len(set(before_q)):
                        group = others[0]  # both arms were named with values of their own
                if name in ("_absorb", "_claim"):
                    continue
                if name == "hba1c" and q.comparator in ("<", "<=") and q.value in _HBA1C_TARGETS and q.unit == "%":
                    continue  # "brought their HbA1c below 7 percent": the target, not a measured level  # "required insulin again", "time below range": claim their values so no real outcome takes them
                value, ci_low, ci_high = q.value, q.ci_low, q.ci_high
                typ = self.outcome_types.get(name)
                # (a level outside the vocabulary, "eGFR declined by 19 mL/min/1.73 m²", falls as a level does)
                level_like = typ == "level" or (typ == "other" and q.kind == "unit")
                if not q.signed and value and ((typ == "change" or (level_like and (_BY_AMOUNT.search(s, max(0, q.start - 120), q.start)
                                                                                or _CHANGES_WERE.search(s, max(0, q.start - 90), q.start)
                                                                                or _CHANGE_OF.search(s, max(0, q.start - 40), q.start)
                                                                                or _FALL_AFTER.match(s, q.end)))) \
                                                and self._written_as_fall(s, q)
                                                # "fell by 2.1 mmol/L (38 mg/dL) with semaglutide vs 0.5 mmol/L (9 mg/dL) with placebo":
                                                # the same fall in other units, and the other arm's
                                                or (level_like and tp != "baseline" and name in fell_at
                                                    and _FALL_CONTINUES.fullmatch(s, fell_at[name], q.start))):
                    value = -value
                    ci_low, ci_high = (-ci_high if ci_high is not None else None), (-ci_low if ci_low is not None else None)
                    fell_at[name] = q.end
                out.append(RuleFact(si, "outcome", name, o.rule + "+" + q.rule, max(0.1, conf), value=value, unit=unit,
                                    comparator=q.comparator, n=q.n, denominator=q.denominator, group=group, contrast=contrast,
                                    timepoint=tp, ci_low=ci_low, ci_high=ci_high, negated=q.rule == "prop.no_one",
                                    label=label, span=(q.start, q.end)))
                if name != "other":  # (a later sentence's unnamed values are not carried to a measure outside the vocabulary)
                    used_name = name
        if respectively and len(out) >= 4:
            out = self._respectively_across_outcomes(out, mentions)
        return out, used_name

    @staticmethod
    def _respectively_across_outcomes(out: list[RuleFact], mentions: list[Mention]) -> list[RuleFact]:
        """"HbA1c and time in range were 6.1% and 93.2%, respectively": when k outcomes named in turn
        each took the same k values, the i-th value is the i-th outcome's alone."""
        names = list(dict.fromkeys(o.name for o in sorted(mentions, key=lambda o: o.start) if o.name in {f.name for f in out}))
        spans = sorted({f.span for f in out if f.span})
        k = len(names)
        if k < 2 or len(spans) != k or len(out) != k * k or {(f.name, f.span) for f in out} != {(n, sp) for n in names for sp in spans}:
            return out
        return [f for f in out if names.index(f.name) == spans.index(f.span)]

    @staticmethod
    def _written_as_fall(s: str, q: Quantity) -> bool:
        """The nearest direction word before an unsigned change, in its clause, says it fell."""
        # (a semicolon inside a bracket, "(95% CI 0.00–0.50; p=0.051)", ends no clause)
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(s, 0, q.start) if not _CLOSES_FIRST.match(s, m.end(), q.start)), default=0)
        if _FALL_AFTER.match(s, q.end):
            return True  # "a median 42% reduction in insulin requirements"
        words = list(_DIRECTION.finditer(s, clause_start, q.start))
        if rise := _RISE_AFTER.match(s, q.end):
            # "21% lower than at baseline in one arm but 38% higher in the other"; but "fell by 0.41
            # percentage points more with HCL than with SAP" fell further
            return rise.group(0).split()[-1].lower() in ("more", "greater") and bool(words) and words[-1].group("down") is not None

        if words and re.search(r"\(\s*(?:estimated |adjusted |mean |absolute )*(?:treatment )?difference\b", s[words[-1].end() : q.start], re.I):
            return False  # "fell ... with degludec (estimated treatment difference 0.05 points)": a difference's sign is its own
        return bool(words) and words[-1].group("down") is not None

    def _list_continues(self, s: str, cands: list[Quantity], qis: list[int], qi: int) -> bool:
        """A mention keeps several values when they form one list ("-1.71% with A, -1.91% with B")."""
        last = cands[max(qis, key=lambda k: cands[k].start)]
        q = cands[qi]
        if q.start < last.end:
            first = cands[min(qis, key=lambda k: cands[k].start)]
            if q.end > first.start or q.kind != first.kind:
                return False
            # "4 vs. 5 episodes": the pair's first value, before the one already taken
            if re.fullmatch(r"\s*(?:v(?:s\.?|(?= ))|versus)\s*", s[q.end : first.start]):
                return True
            # "53% (95% CI, 50–56), 27% (24–30) and 15% (11–19) of recipients were insulin independent": a
            # list of values before the mention, joined item to item, that opens its clause (not "Serious
            # adverse events occurred in 94 participants (9.0%), and 41 (3.9%) discontinued")
            chain = sorted((c for c in cands if q.start <= c.start <= first.start), key=lambda c: c.start)
            return q.unit == first.unit and not _VALUE_OF_BEFORE.search(s, max(0, q.start - 12), q.start) \
                and all(a.kind == q.kind and _list_joined(s, a.end, b.start) for a, b in itertools.pairwise(chain))
        between = s[last.end : q.start]
        if re.fullmatch(r"\s*(?:\([^()]{0,40}\)\s*)?(?:to|→)\s*", between) or (last.rule.endswith("range_low") and not between.strip()):
            return True  # "rose from 49% to 63%"
        if q.kind == last.kind and re.fullmatch(r"\s*(?:\([^()]{0,40}\)\s*)?from (?:a (?:mean|median) of )?", between):
            return True  # "fell to 6.6% from 8.3% before treatment"
        if cands[qi].kind == last.kind and re.fullmatch(r"\s*(?:v(?:s\.?|(?= ))|versus)\s*", between):
            return True  # "(58% vs 56%)": one value per arm
        if cands[qi].kind == last.kind and cands[qi].unit == last.unit \
                and re.fullmatch(r"\s(?:at |in |on |with )[\w -]{1,25}? (?:compared with|compared to|versus|vs\.?|than) ", between):
            return True  # "HbA1c was 7.1% at week 26 compared with 7.6% at baseline"
        return len(between) < 70 and bool(re.search(r"[,;]|\band\b", between)) and cands[qi].kind == last.kind

    @staticmethod
    def _difference_between(s: str, q: Quantity, groups: list[Mention]) -> tuple[str, str] | None:
        """"the difference between 1.0 mg and placebo was 6.8 points": (arm, comparator)."""
        for g1, g2 in zip(groups, groups[1:], strict=False):
            if g2.end <= q.start and q.start - g2.end <= 40 and re.fullmatch(r"\s(?:and|v(?:s\.?|(?= ))|versus)\s(?:the\s)?", s[g1.end : g2.start]) \
                    and _DIFFERENCE_BETWEEN.search(s, max(0, g1.start - 40), g1.start) and ";" not in s[g2.end : q.start]:
                return g1.text, g2.text
        return None

    @staticmethod
    def _trailing_arms(s: str, qs: list[Quantity], groups: list[Mention]) -> dict[int, str]:
        """"differences of -0.42% (95% CI ...) and -0.44% (...) for the 5 mg and 10 mg doses": a run
        of values followed by as many arms, in order (a "respectively" left unsaid). Maps the
        index of each value in ``qs`` to its arm."""
        out: dict[int, str] = {}
        start = 0
        for i in range(1, len(qs) + 1):
            if i < len(qs) and _list_joined(s, qs[i - 1].end, qs[i].start):
                continue
            run = range(start, i)
            start = i
            if len(run) < 2:
                continue
            m = _TRAILING_ARMS.match(s, qs[run[-1]].end)
            if not m:
                continue
            arms, pos = [], m.end()
            for g in groups:
                if g.start < pos:
                    continue
                # (the first arm may follow the therapy's name: "with ervoglipron 6, 12 and 24 mg")
                gap = r"(?:[A-Za-z][\w-]+\s){0,2}" if not arms else r"\s*(?:,|,? and|,? or|v(?:s\.?|(?= ))|versus)?\s*(?:the\s)?"
                if not re.fullmatch(gap, s[pos : g.start]):
                    break
                arms.append(g.text)
                pos = g.end
            if len(arms) == len(run):
                out.update(zip(run, arms, strict=True))
            elif len(arms) == 1 and _RUN_IN_ONE_ARM.match(s, qs[run[-1]].end):
                # "graft survival at 1, 5 and 10 years was 90%, 72% and 55% in IAK and 94%, ... in SIK"
                out.update((k, arms[0]) for k in run)
        return out

    def _respectively_groups(self, s: str, groups: list[Mention]) -> list[str]:
        m = self.respectively_re.search(s)
        if not m:
            return []
        gs = [g for g in groups if g.end <= m.start() and m.start() - g.end < 120]
        # Keep the last contiguous run of groups before "respectively".
        run: list[Mention] = []
        for g in reversed(gs):
            if run and re.search(r"\d+ ?%|[;]", s[g.end : run[-1].start]):
                break
            run.append(g)
        return [g.text for g in reversed(run)]

    def _contrast_for(self, q: Quantity, s: str, groups: list[Mention], own: str | None) -> str | None:
        """What a treatment difference is against; None for a within-arm value."""
        if _PLACEBO_SUBTRACTED_LEAD.match(s):
            return "placebo"  # "After subtracting the placebo effect, the top dose produced weight loss of 17.1%"
        # (a closed bracket and a comma end a clause too: "fell by 14.2 kg versus 8.9 kg (difference
        # −5.3 kg, ...), HbA1c decreased by 1.3 and 0.8 percentage points" has no difference in HbA1c)
        # (a semicolon inside a confidence interval's bracket ends nothing: "(95% CI 0.05 to 0.27;
        # p=0.004) for 3 mg/kg and 0.09")
        clause_start = max((m.end() for m in _BRACKET_CLAUSE_BREAK.finditer(s, 0, q.start)
                            if not (m.group(0) == ";" and _CI_BRACKET_OPEN.match(s, max(0, s.rfind("(", 0, m.start())))
                                    and s.rfind("(", 0, m.start()) > s.rfind(")", 0, m.start()))), default=0)
        before = s[clause_start : q.start]
        is_diff = re.search(r"\bdifferences?\b|\bETDs?\b|placebo[- ](?:adjusted|corrected|subtracted)|\bsubtracting (?:the )?placebo\b|\b(?:versus|v(?:s\.?|(?= ))|compared with|relative to)\b", before, re.I)
        than = _THAN_AFTER.match(s, q.end)
        if than:
            g = next((g for g in groups if 0 <= g.start - than.end() <= 3), None)
            if g is not None:
                return g.text
            if re.match(r"placebo\b", s[than.end():], re.I):
                return "placebo"
        if (lower_with := _LOWER_WITH_AFTER.match(s, q.end)) and any(0 <= g.start - lower_with.end() <= 3 for g in groups) \
                and not _THAN_BASELINE.search(s):
            # "daily insulin dose was 0.11 U/kg lower with verapamil": a difference against the other arm
            return UNNAMED_COMPARATOR
        after = s[q.end : q.end + 120]
        after_vs = re.search(r"^[^;(]{0,60}?\b(?:versus|v(?:s\.?|(?= ))|compared with|compared to|relative to|(?:over|above)(?= placebo\b))\s+(?:the\s+)?", after, re.I)
        if after_vs and re.search(r"\bdifferences?\b", after[: after_vs.start() + 60][: after_vs.end()], re.I):
            after_vs = None  # "-0.45%, -0.47% and -0.03%, giving differences versus placebo of ...": the next values' comparator
        if not (is_diff or after_vs):
            return None
        if after_vs:
            pos = q.end + after_vs.end()
            for g in groups:
                if g.start >= pos - 1 and g.start - pos <= 3:
                    return g.text
            word = re.match(r"placebo|control(?![\w-])|usual care|standard care", s[pos:], re.I)
            if word:
                return word.group(0).lower()  # "improved by 29 percentage points relative to control"
        if re.search(r"placebo[- ](?:adjusted|corrected|subtracted)", before, re.I):
            return "placebo"
        if is_diff:
            vs = re.search(r"\b(?:versus|v(?:s\.?|(?= ))|compared with|compared to|relative to)\s+(?:the\s+)?", before, re.I)
            if vs:
                pos = clause_start + vs.end()
                for g in groups:
                    if g.start >= pos - 1 and g.start - pos <= 3:
                        return g.text
                # "difference for A versus sitagliptin was ...": the comparator as written.
                named = re.match(r"([A-Za-z][\w-]*(?: \d+(?:\.\d+)? ?(?:mg|µg|mcg))?)(?= was\b| were\b|[,;:)])", s[pos:])
                if named and named.group(1).lower() not in ("baseline", "those", "them", "it"):
                    return named.group(1)
            if re.search(r"\bdifferences?\b|\bETDs?\b|placebo[- ]adjusted", before, re.I):
                if re.search(r"\bplacebo\b", s, re.I) and (own or "").lower() != "placebo":
                    return "placebo"
                if not re.search(r"\bbaseline\b", before[-60:], re.I):
                    # "(adjusted difference -1.1 mmol/mol)" with the arms named elsewhere: a
                    # between-arm difference; _name_comparators names the arm from the document.
                    return UNNAMED_COMPARATOR
        return None

    def _timepoint_for(self, q: Quantity, timepoints, s: str) -> str | None:
        before = s[max(0, q.start - 45) : q.start].lower()
        # (not "132 mm Hg at baseline and 5.1 mmHg lower at week 52")
        if re.search(r"(?<!from )\bbaseline(?! to\b)(?! and\b)(?: [\w-]+){0,3}(?: of| was| were|:)? ?$|\bat baseline\b(?![^\d]*\b(?:to|and)\b)[^\d]*$", before):
            return "baseline"
        if _BEFORE_TREATMENT.match(s, q.end) or q.rule == "unit.rate_from":
            return "baseline"  # "roughly 45 percent before treatment", "fell from a median of 6 per year to 0"
        if (start := _AT_THE_START.match(s)) and start.end() <= q.start and not _DIRECTION.search(s, 0, q.start):
            return "baseline"  # "At the start of the study, average C-peptide was 0.62 nanomoles per litre"
        # "rose from 43% to 96% by month 4": the starting value is the baseline.
        if _CHANGE_FROM.search(before) and (q.rule.endswith("range_low") or re.match(r"\s*(?:\([^()]{0,40}\)\s*)?(?:[a-z]+\s){0,3}(?:to|→)\s", s[q.end : q.end + 70])):
            return "baseline"
        best = None
        for a, b, text in timepoints:
            if text.lower() == "baseline":
                if a >= q.end and re.fullmatch(r"\s*(?:at|\(|,)?\s*", s[q.end : a]):
                    return "baseline"
                continue
            d = a - q.end if a >= q.end else (q.start - b) + 10
            if d < 0 or d > 120:
                continue
            # "21 of 36 (58%) at some point, and 5 of 16 (31%) at 2 years": a timepoint that
            # follows another clause with its own number belongs to that number.
            # A bracket after the value ("61% (95% CI 54–67; I² = 81%) at 1 year") is its own aside.
            gap = s[q.end : a] if a >= q.end else ""
            if gap and s.count("(", q.start, q.end) > s.count(")", q.start, q.end):
                gap = gap[gap.find(")") + 1 :]  # the value took its CI; the rest of that bracket goes too
            gap = _BRACKETED.sub("", gap)
            if a >= q.end and (_NEXT_CLAUSE_VALUE.search(gap) or _NEXT_CLAUSE.search(gap)):
                continue
            # "by month 4, and later stayed above 98%": the value is after that timepoint.
            if b <= q.start and _LATER.search(s[b : q.start]):
                continue
            if best is None or d < best[0]:
                best = (d, text)
        if not best:
            return None
        return self.tp_prep_re.sub("", best[1]).strip()

    # ------------------------------------------------------------------------- document post-processing
    def _infer_groups(self, facts: list[RuleFact]) -> None:
        """A proportion whose denominator equals exactly one arm's sample size belongs to that arm."""
        arm_sizes: dict[int, set[str]] = {}
        for f in facts:
            if f.kind == "sample_size" and f.group and f.value:
                arm_sizes.setdefault(int(f.value), set()).add(f.group)
        for f in facts:
            if f.kind in ("outcome", "adverse_event") and f.group is None and f.denominator and len(arm_sizes.get(f.denominator, ())) == 1:
                f.group = next(iter(arm_sizes[f.denominator]))
                f.group_inferred = True
                f.confidence = max(0.1, round(f.confidence - 0.15, 3))

    @staticmethod
    def _arms_by_order(facts: list[RuleFact], doc_state: dict[str, Any]) -> None:
        """"HbA1c fell 0.4% vs 0.1%", "were 40.6%, 45.1% and 17.8%": a list of values that names
        no arm, with as many values as the arms the text last listed, takes those arms in that
        order (as readers do); "placebo-adjusted differences were -0.57 and -0.66" takes the
        arms other than the comparator."""
        orders: list[tuple[int, list[tuple[int, str]]]] = doc_state.get("arm_orders", [])
        norm: dict[int, str] = doc_state.get("norm", {})
        if not orders:
            return
        buckets: dict[tuple, list[RuleFact]] = {}
        named: dict[tuple, list[str]] = {}
        _one_arm_for_a_comparison(facts, norm)
        _shared_contrast(facts, norm)
        for f in facts:
            if f.kind not in ("outcome", "adverse_event") or f.span is None:
                continue
            # (a baseline and the value it went to are one arm's, not a list: "fell to 6.4% from 7.9%")
            # (outcomes outside the vocabulary are as many measures as their labels: "Time below 70 mg/dL
            # was 1.9% vs 3.4%, and time above 250 mg/dL fell from 9.8% to 5.1%")
            key = (f.sent, f.kind, f.name, f.label, f.unit, f.contrast, f.negated, f.timepoint == "baseline")
            if f.group and f.group.startswith(PLURAL_MARK):
                buckets.setdefault(key, []).append(f)
                continue
            # (an arm inferred from a denominator is checked against the order below: "5.4%
            # (13/240), 4.2% (5/120) and 1.7% (2/120)", where two arms had 120)
            if f.group and not f.group_inferred:
                named.setdefault(key, []).append(f.group)
            else:
                buckets.setdefault(key, []).append(f)
        for key, fs in buckets.items():
            sent, contrast = key[0], key[5]
            # Arms the sentence already gave values to ("... and by 1.8% with placebo"), and the
            # comparator of a difference, are not among the arms left to assign.
            fixed = list(dict.fromkeys(named.get(key, []) + ([contrast] if contrast else [])))
            plural = {f.group for f in fs if f.group and f.group.startswith(PLURAL_MARK)}
            if len(plural) == 1 and len(fs) >= 2:
                # "22 (43%), 29 (57%), 36 (71%) and 38 (75%) in the ravaglutide groups": the arms of
                # the last order that are that therapy's ("the active groups": all but the controls)
                label = plural.pop()[1:].lower()
                want_arms = next((arms for si, arms in reversed(orders) if si <= sent and len(_arms_of(arms, label)) == len(fs)), None)
                if want_arms is not None:
                    fs.sort(key=lambda f: f.span[0])
                    for f, arm in zip(fs, _arms_of(want_arms, label), strict=True):
                        f.group, f.group_inferred = arm, True
                continue
            if not fs or len(fs) + len(fixed) < 2 or len(fs) > 6:
                continue
            fs.sort(key=lambda f: f.span[0])
            s = norm.get(sent, "")
            if not all(_list_joined(s, a.span[1], b.span[0]) for a, b in zip(fs, fs[1:], strict=False)):
                continue
            if any(_OWN_NOUN.match(s, f.span[0], f.span[1]) for f in fs):
                continue  # "in 9 islet recipients (38%) and 4 controls (18%)": each count names its own people
            first = fs[0].span[0]
            want = len(fs) + len(fixed)
            seq = next((arms for si, arms in reversed(orders)
                        if len(arms) == want and (si < sent or (si == sent and all(a < first for a, _ in arms)))
                        and all(any(_same_arm_words(x, a) for _, a in arms) for x in fixed)), None)
            if seq is None:
                continue
            names = [text for _, text in seq if not any(_same_arm_words(x, text) for x in fixed)]
            # (an inferred arm that is another arm of the order contradicts it; one named another
            # way, "cagrilintide-semaglutide" for "cagrisema", does not, and keeps its words)
            if len(names) != len(fs) or any(f.group and not _same_arm_words(f.group, arm) and any(_same_arm_words(f.group, x) for x in names)
                                            for f, arm in zip(fs, names, strict=True)):
                continue
            for f, arm in zip(fs, names, strict=True):
                if f.group:
                    continue
                f.group = arm
                f.group_inferred = True
                f.confidence = max(0.1, round(f.confidence - 0.15, 3))

    def _sae_breakdown(self, si, s, mentions, claimed, groups) -> list[RuleFact]:
        """The named events of "Two serious adverse events (pneumonia and acute kidney injury) were
        recorded": each is a serious event of one participant (or as many as the list counts), as
        annotators and registries read a breakdown of a counted total."""
        out: list[RuleFact] = []
        for head in mentions if "serious" in s.lower() else ():
            total = _EVENT_TOTAL_BEFORE.search(s, max(0, head.start - 16), head.start) if head.name == "serious adverse event" else None
            opened = _SAE_BREAKDOWN.match(s, head.end) if total else None
            n_total = _int(total.group("n")) if total else None
            if not opened or not n_total:
                continue
            if opened.group("open") == "(":
                close = s.find(")", opened.end())
                end = close if close > 0 else len(s)
            elif opened.group("open") == ",":
                # an apposition ends at the next comma: "One serious adverse event, a wound infection that
                # required antibiotics, was judged related"
                comma = s.find(",", opened.end())
                end = comma if comma > 0 else len(s)
            else:
                end = next((k for k in (s.find(";", opened.end()),) if k > 0), len(s))
            listed = [(k, mn) for k, mn in enumerate(mentions) if opened.end() <= mn.start and mn.end <= end
                      and mn.name not in _GENERIC_AE and mn.name != "death" and not mn.extra.get("negated")]
            if not listed or len(listed) > n_total:
                continue
            for k, mn in listed:
                if claimed.get(k):
                    continue  # "..., a wrist fracture, each occurred in one participant": counted already
                counted = _LISTED_COUNT_BEFORE.search(s, max(opened.end(), mn.start - 40), mn.start)
                n = n_total if counted and counted.group("n").lower() == "both" else _int(counted.group("n")) if counted else None
                if n is None:
                    n = 1 if len(listed) == n_total or n_total == 1 else None
                if n is None:
                    continue
                out.append(RuleFact(si, "adverse_event", mn.name, "adverse_event.sae_breakdown", 0.7, n=n, serious=True,
                                    group=self._group_for(mn.start, mn.end, groups, s), span=(mn.start, mn.end)))
        return out

    @staticmethod
    def _each_arm(facts: list[RuleFact], doc_state: dict[str, Any]) -> list[RuleFact]:
        """"Neutropenia occurred in three recipients in each group", "One death occurred in each
        group": the count is every arm's; returns the copies for the arms after the first."""
        arms: list[str] = []
        for f in facts:
            if f.kind == "sample_size" and f.group and not any(_same_arm_words(f.group, a) for a in arms):
                arms.append(f.group)
        if not 2 <= len(arms) <= 4:
            return []
        norm: dict[int, str] = doc_state.get("norm", {})
        extra: list[RuleFact] = []
        for f in facts:
            if f.kind in ("outcome", "adverse_event") and f.group is None and f.n is not None and f.span \
                    and _IN_EACH_ARM.match(norm.get(f.sent, ""), f.span[1]):
                f.group = arms[0]
                extra += [replace(f, group=a) for a in arms[1:]]
        return extra

    @staticmethod
    def _name_comparators(facts: list[RuleFact]) -> None:
        """A difference whose sentence did not name what it is against takes the document's one
        comparator arm (placebo, control, usual care ...), or the other arm of a two-arm trial."""
        arms = list(dict.fromkeys(f.group for f in facts if f.kind == "sample_size" and f.group))
        controls = [a for a in arms if _CONTROL_ARM.search(a)]
        for f in facts:
            if f.contrast != UNNAMED_COMPARATOR:
                continue
            if len(controls) == 1 and not same_arm(f.group or "", controls[0]):
                f.contrast = controls[0]
                if f.group is None and len(arms) == 2:
                    f.group = arms[1 - arms.index(controls[0])]
            elif len(arms) == 2 and f.group in arms:
                f.contrast = arms[1 - arms.index(f.group)]
            elif len(arms) == 2 and f.group is None:
                f.group, f.contrast = arms

    @staticmethod
    def _drop_sole_therapy_groups(facts: list[RuleFact], text: str) -> None:
        """"For donislecel, 21 of the 30 participants ...": where a document has no comparator
        arm anywhere, a "group" that is just the therapy the sentence is about (and the only
        group of that sentence) is not an arm; the value belongs to that therapy's whole trial."""
        if _COMPARATOR_ARM.search(text):
            return
        therapies = {f.name.lower() for f in facts if f.kind == "intervention"}
        groups_by_sentence: dict[int, set[str]] = {}
        for f in facts:
            if f.group:
                groups_by_sentence.setdefault(f.sent, set()).add(f.group.lower())
        for f in facts:
            if f.group and f.group.lower() in therapies and len(groups_by_sentence[f.sent]) == 1:
                f.group = None

    def _dedupe(self, facts: list[RuleFact]) -> list[RuleFact]:
        seen: set[tuple] = set()
        out = []
        # A dose read with its arm in the allocation and again later without one is one dose.
        armed_doses = {(f.name, f.value, f.unit) for f in facts if f.kind == "dose" and f.group}
        facts = [f for f in facts if not (f.kind == "dose" and f.group is None and (f.name, f.value, f.unit) in armed_doses)]
        for f in facts:
            if f.kind in ("intervention", "registry_id", "phase"):
                key: tuple = (f.kind, f.name)
            elif f.kind in ("sample_size", "dose", "follow_up"):
                key = (f.kind, f.name, f.value, f.unit, f.group)
            else:
                key = (f.kind, f.name, f.value, f.n, f.denominator, f.group, f.contrast, f.timepoint, f.negated, f.sent)
            if key in seen:
                continue
            seen.add(key)
            out.append(f)
        return out
