"""Sentence character spans for trial prose, by compiled regex (no per-token work).

Contract: ``split_sentences(text)`` returns (start, end) spans, in order, non-overlapping,
each stripped of surrounding whitespace, such that every non-space character of the text is
in exactly one span. Blank lines and heading lines (a line without final punctuation) end a
sentence; abbreviations common in trial reports ("vs.", "et al.", "e.g.", "Fig.") and
decimals ("0.8") do not.
"""

from __future__ import annotations

import re

# Words whose final period does not end a sentence in trial prose.
_ABBREVIATIONS = frozenset(
    "vs al e.g i.e fig figs dr no nos approx ca cf mr ms st ref refs vol eq min sept jan feb aug oct nov dec "
    "inc ltd co corp resp suppl".split()
)
# Candidate breaks: sentence-final punctuation (optionally a closing quote/bracket) then space
# and a plausible sentence start; a blank line; a line end. Abbreviations are checked in
# Python for the (few) candidates only, which keeps the regex free of costly lookbehinds.
_BREAK = re.compile(
    r"[.!?][\"'”’)\]]?[ \t]+(?=[A-Z0-9(\[\"“‘'])"
    r"|[ \t]*\n[ \t]*\n\s*"
    r"|[ \t]*\n(?=[ \t]*\S)"
)
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)$")
_ARM_LABEL_BEFORE = re.compile(r"\b(?:parts?|cohorts?|arms?|groups?|stages?|[A-F],? (?:and|or)|[A-F],)\s$", re.I)


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in _ABBREVIATIONS:
        return True
    # Single capital letters are initials ("Reichman TW et al.", "J. Smith"), except the labels
    # of parts and arms ("in parts B and C. The primary end point ...") and the litre of a unit
    # ("was 9.6 mmol/L. At week 12 ...").
    if m.start() > 0 and text[m.start() - 1] == "/":
        return False
    return len(m.group(1)) == 1 and m.group(1).isupper() and not _ARM_LABEL_BEFORE.search(text, max(0, dot - 40), m.start())


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BREAK.finditer(text):
        ch = text[m.start()]
        if ch in ".!?":
            if ch == "." and _is_abbreviation(text, m.start()):
                continue
            _add(text, pos, m.start() + 1, spans)
        elif "\n" in m.group(0):
            before = text[pos : m.start()].rstrip()
            blank = m.group(0).count("\n") >= 2
            # A single line end inside a paragraph (hard-wrapped text) does not end a sentence;
            # after a heading-like line (no final punctuation) or a finished sentence it does.
            line = m.start() - text.rfind("\n", 0, m.start()) - 1  # the whole line's length, not the sentence's
            rest = text[m.end() : m.end() + 12].lstrip(" \t")  # (MEDLINE indents its continuation lines)
            nxt = rest[0] if rest else ""
            # (PubMed's plain text wraps at ~80 characters: a long line followed by one that goes on
            # in lower case, a number, a bracket or a "+/-" is the same sentence; a bullet or a heading is not)
            if not blank and before and before[-1] not in ".!?:" and (line > 120 or (line >= 50 and (nxt.islower() or nxt.isdigit() or nxt in "([<>≤≥±+"))):
                continue
            _add(text, pos, m.start(), spans)
        pos = m.end()
    _add(text, pos, len(text), spans)
    return spans


def _add(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    # Include the closing punctuation the break pattern matched (". " -> keep ".").
    seg = text[a:b]
    while b < len(text) and text[b] in ".!?\"'”’)]" and (b - a) < len(seg) + 3:
        b += 1
        seg = text[a:b]
    stripped_start = a + (len(seg) - len(seg.lstrip()))
    stripped_end = b - (len(seg) - len(seg.rstrip()))
    if stripped_end > stripped_start:
        if spans and stripped_start < spans[-1][1]:
            stripped_start = spans[-1][1]
        spans.append((stripped_start, stripped_end))
