"""Sentence character spans for trial prose, by compiled regex (no per-token work).

Contract: ``split_sentences(text)`` returns (start, end) spans, in order, non-overlapping,
each stripped of surrounding whitespace, such that every non-space character of the text is
in exactly one span. Blank lines and heading lines (a line without final punctuation) end a
sentence; abbreviations common in trial reports ("vs.", "et al.", "e.g.", "Fig.") and
decimals ("0.8") do not.
"""

from __future__ import annotations

import re

_ABBREV = (
    r"(?<!\bvs)(?<!\bet al)(?<!\be\.g)(?<!\bi\.e)(?<!\bFig)(?<!\bfig)(?<!\bDr)(?<!\bNo)(?<!\bno)(?<!\bapprox)"
    r"(?<!\bca)(?<!\bcf)(?<!\bMr)(?<!\bMs)(?<!\bSt)(?<!\bRef)(?<!\bvol)(?<!\bEq)(?<!\bmin)(?<!\bSept)(?<!\bJan)"
    r"(?<!\bFeb)(?<!\bAug)(?<!\bOct)(?<!\bNov)(?<!\bDec)(?<!\b[A-Z])"
)
# A break: sentence-final punctuation (optionally closing quote/bracket) then space and a
# plausible sentence start; or a blank line; or a line end after a line with no final stop.
_BREAK = re.compile(
    r"(?:" + _ABBREV + r"[.!?][\"'”’)\]]?)[ \t]+(?=[A-Z0-9(\[\"“‘'])"
    r"|\n[ \t]*\n\s*"
    r"|(?<=[^.!?:;,\s])[ \t]*\n(?=[ \t]*\S)"
    r"|(?<=[.!?])[ \t]*\n\s*"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BREAK.finditer(text):
        _add(text, pos, m.start() + (1 if text[m.start()] in ".!?" else 0), spans)
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
