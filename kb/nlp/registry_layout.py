"""Results laid out the way a trial registry prints them, read line by line.

ClinicalTrials.gov results pages (and text copied from them) are not prose: arm titles sit on
one line ("Arm/Group Title: A | B"), their sizes on another ("Started: A 21 | B 19"), each
outcome measure is a title with a time frame followed by one value per arm, and the adverse
event table is one event per line with "n/N (x%)" per arm. The sentence rules cannot see which
column is which arm; this module can, because it reads the layout.

It returns ``RuleFact`` records with the position of their line; ``rules.TrialRules`` sets their
sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kb.nlp.rule_fact import RuleFact

# A document is read as a registry layout only when several of these markers are present.
_MARKERS = re.compile(
    r"^(?:Arm/Group Title|Overall Number of (?:Baseline )?Participants|Started|Time Frame|"
    r"(?:Actual )?Enrollment(?: \(Actual\))?|Primary Outcome Measure|Secondary Outcome Measure|"
    r"\d+\.\s*(?:Primary|Secondary):|Experimental:|Active Comparator:|Placebo Comparator:|"
    r"Serious Adverse Events|All-Cause Mortality)\b", re.I | re.M)

_ARM_TITLES = re.compile(r"^Arm/Group Title:\s*(?P<arms>.+)$", re.I | re.M)
_ARM_TYPED = re.compile(r"^(?:Experimental|Active Comparator|Placebo Comparator|Sham Comparator|No Intervention|Other):\s*(?P<arm>[^.:\n]{2,60})", re.I | re.M)
_STARTED = re.compile(r"^(?:Started|Overall Number of Baseline Participants):\s*(?P<cells>.+)$", re.I | re.M)
_ENROLLMENT = re.compile(r"^(?:Actual Enrollment|Enrollment \(Actual\)|Enrollment):\s*(?P<n>\d[\d,]*)", re.I | re.M)
_ANALYSED = re.compile(r"^Overall Number of Participants Analy[sz]ed:\s*(?P<cells>.+)$", re.I)
_TITLE = re.compile(r"^(?:(?:\d+\.\s*)?(?P<kind>Primary|Secondary|Other)(?: Outcome(?: Measure)?)?:\s*(?P<t1>.+)|Title:\s*(?P<t2>.+))$", re.I)
_SECTION_KIND = re.compile(r"^(?P<kind>Primary|Secondary|Other) Outcome Measure\s*$", re.I)
_TIME_FRAME = re.compile(r"\[?Time Frame:\s*(?P<tf>[^\]\n]+?)\]?\s*$", re.I)
_STAT = re.compile(r"\b(?P<what>risk|mean|treatment|rate) difference,?\s*(?P<v>[-−]?\d+(?:\.\d+)?)\s*(?P<u>percentage points?|%)?", re.I)
_AE_HEADER = re.compile(r"^Adverse Events\b", re.I)
_SERIOUS_SECTION = re.compile(r"^(?:Total )?Serious Adverse Events\b|^Serious Adverse Events, Total\b", re.I)
_OTHER_SECTION = re.compile(r"^Other \(Not Including Serious\) Adverse Events", re.I)
_NUMBER = r"[-−]?\d+(?:\.\d+)?"
_CELL_PROP = re.compile(rf"^(?P<n>\d+)\s*(?:/\s*(?P<d>\d+)\s*)?(?:\(\s*(?P<p>{_NUMBER})\s*%\s*\)|\s+(?P<p2>{_NUMBER})\s*%)")
_CELL_VALUE = re.compile(rf"^(?P<v>{_NUMBER})(?:\s*\([^)]*\))?\s*$")
# "Neutropenia: 3/24 (12.50%) | 0/13 (0.00%)", "All-Cause Mortality: A 1/24 (4.17%) | B 0/13 (0.00%)",
# "Intraperitoneal bleeding 2/21 (9.52%) | 0/19 (0.00%)"
_AE_ROW_COLON = re.compile(rf"^(?P<term>[A-Za-z][^:|\d]{{1,80}}):\s*(?P<cells>[^|]*?\d+/\d+\s*\(\s*{_NUMBER}\s*%\s*\).*)$")
_AE_ROW_BARE = re.compile(rf"^(?P<term>[A-Za-z][^:|\d]{{1,80}}?)\s+(?P<cells>\d+/\d+\s*\(\s*{_NUMBER}\s*%\s*\).*)$")


def _fact(kind: str, name: str, value: float | None, unit: str | None, rule: str, **fields) -> RuleFact:
    """A value the layout gives; its sentence is set by the caller from the line's position."""
    return RuleFact(0, kind, name, rule, 0.8, value=value, unit=unit, **fields)


def looks_like_registry(text: str) -> bool:
    return len({m.group(0).lower() for m in _MARKERS.finditer(text)}) >= 3


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line.strip()))
        pos += len(line) + 1
    return out


def _split_cells(cells: str) -> list[str]:
    return [c.strip() for c in cells.split("|")]


def _strip_arm(cell: str, arms: list[str]) -> tuple[str | None, str]:
    """("Islet transplantation 21") -> ("Islet transplantation", "21") when the arm is known."""
    for arm in sorted(arms, key=len, reverse=True):
        if cell.lower().startswith(arm.lower()):
            return arm, cell[len(arm):].lstrip(" :")
    return None, cell


def _number(text: str) -> float:
    return float(text.replace("−", "-").replace(",", ""))


def read_layout(text: str, outcome_name: Callable[[str], str | None],
                event_name: Callable[[str], str]) -> tuple[list[tuple[int, RuleFact]], list[tuple[int, int]]]:
    """(line position, fact) for each value the registry layout gives, and the (start, end) spans
    of the lines read for them.

    ``outcome_name`` names an outcome measure from its title (None: not one the vocabulary
    has); ``event_name`` names an adverse-event table row from its term.
    """
    out: list[tuple[int, RuleFact]] = []
    spans: list[tuple[int, int]] = []
    arms: list[str] = []
    m = _ARM_TITLES.search(text)
    if m:
        arms = [a for a in _split_cells(m.group("arms")) if a]
    if not arms:
        arms = [a.group("arm").strip() for a in _ARM_TYPED.finditer(text)]
    m = _ENROLLMENT.search(text)
    if m:
        out.append((m.start(), _fact("sample_size", "participants", float(_number(m.group("n"))), "participants",
                                          "registry_layout.enrollment")))
    for m in _STARTED.finditer(text):
        cells = _split_cells(m.group("cells"))
        named = [_strip_arm(c, arms) for c in cells]
        if not arms and all(a for a, _ in named):
            arms = [a for a, _ in named]
        if len(cells) != len(arms):
            continue
        for i, (_arm, rest) in enumerate(named):
            if re.fullmatch(r"\d+(?: participants)?", rest):
                out.append((m.start(), _fact("sample_size", "participants", float(int(rest.split()[0])), "participants",
                                                  "registry_layout.arm_size", group=arms[i])))
        break  # the first count per arm is the randomised one; later ones are completers
    if not arms:
        return [], []

    section_kind = None
    title: str | None = None
    name: str | None = None
    timepoint: str | None = None
    denominators: list[int | None] = [None] * len(arms)
    in_ae = serious = False
    for pos, line in _lines(text):
        if not line:
            continue
        if _AE_HEADER.match(line):
            in_ae, name = True, None
            continue
        if in_ae:
            if _SERIOUS_SECTION.match(line) or line.lower().startswith("all-cause mortality"):
                serious = serious or bool(_SERIOUS_SECTION.match(line))
            if _OTHER_SECTION.match(line):
                serious = False
                continue
            row = _AE_ROW_COLON.match(line) or _AE_ROW_BARE.match(line)
            if not row:
                continue
            term = row.group("term").strip(" ,")
            cells = _split_cells(row.group("cells"))
            if len(cells) != len(arms):
                continue
            event = event_name(term)
            for i, cell in enumerate(cells):
                _arm, rest = _strip_arm(cell, arms)
                c = _CELL_PROP.match(rest)
                if not c:
                    continue
                n = int(c.group("n"))
                d = int(c.group("d")) if c.group("d") else None
                p = c.group("p") or c.group("p2")
                out.append((pos, _fact("adverse_event", event, _number(p) if p else None, "%" if p else None, "registry_layout.event_row",
                                            n=n, denominator=d, group=arms[i], negated=n == 0,
                                            serious=True if (serious or event in ("serious adverse event", "death")) else None)))
            spans.append((pos, pos + len(line)))
            continue
        sec = _SECTION_KIND.match(line)
        if sec:
            section_kind = sec.group("kind").lower()
            continue
        t = _TITLE.match(line)
        if t:
            section_kind = (t.group("kind") or section_kind or "").lower() or None
            title = t.group("t1") or t.group("t2")
            tf = _TIME_FRAME.search(title)
            timepoint = tf.group("tf").strip() if tf else None
            title_text = _TIME_FRAME.sub("", title)
            name = outcome_name(title_text) if section_kind != "primary" or not _is_composite(title_text, outcome_name) else "primary_endpoint_met"
            denominators = [None] * len(arms)
            spans.append((pos, pos + len(line)))  # a title states what is measured, not a result
            continue
        if name is None:
            continue
        tf = re.match(r"^Time Frame:\s*(?P<tf>.+)$", line, re.I)
        if tf:
            timepoint = tf.group("tf").strip()
            continue
        an = _ANALYSED.match(line)
        if an:
            cells = _split_cells(an.group("cells"))
            if len(cells) == len(arms) and all(c.isdigit() for c in cells):
                denominators = [int(c) for c in cells]
            continue
        st = _STAT.search(line)
        if st and line.lower().startswith("statistical analysis") and len(arms) == 2:
            unit = "percentage points" if (st.group("u") or "").startswith(("percentage", "%")) else None
            out.append((pos, _fact("outcome", name, _number(st.group("v")), unit, "registry_layout.difference",
                                    group=arms[0], contrast=arms[1], timepoint=timepoint)))
            spans.append((pos, pos + len(line)))
            continue
        values = _row_values(line, arms)
        if values is None:
            continue
        for i, cell in values:
            c = _CELL_PROP.match(cell)
            if c and (c.group("p") or c.group("p2")):
                n = int(c.group("n"))
                d = int(c.group("d")) if c.group("d") else denominators[i]
                out.append((pos, _fact("outcome", name, _number(c.group("p") or c.group("p2")), "%", "registry_layout.outcome_row",
                                            n=n, denominator=d, group=arms[i], timepoint=timepoint)))
                continue
            v = _CELL_VALUE.match(cell)
            if v:
                out.append((pos, _fact("outcome", name, _number(v.group("v")), None, "registry_layout.outcome_row",
                                            group=arms[i], timepoint=timepoint)))
        spans.append((pos, pos + len(line)))
    return out, spans


def _is_composite(title: str, outcome_name: Callable[[str], str | None]) -> bool:
    """A primary measure naming two outcomes ("HbA1c < 7.0% and free of severe hypoglycemic
    events") is the trial's composite primary end point."""
    parts = re.split(r"\band\b|\bwith no\b|\bwithout\b", title, flags=re.I)
    return len([p for p in parts if outcome_name(p)]) >= 2


def _row_values(line: str, arms: list[str]) -> list[tuple[int, str]] | None:
    """"A: 16 (80.0%) | B: 5 (29.4%)" or "A: 19  79.2%" (one arm per line) -> [(arm index, cell)]."""
    cells = _split_cells(line)
    found: list[tuple[int, str]] = []
    for cell in cells:
        arm, rest = _strip_arm(cell, arms)
        if arm is None:
            return None
        found.append((arms.index(arm), rest.strip()))
    return found or None
