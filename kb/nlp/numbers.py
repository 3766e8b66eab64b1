"""Numbers as trial reports write them: words, separators, signs, ranges, scientific notation.

Contract: every function here takes any string and never raises; a value it cannot read is
``None``. Matching works on *normalised* text (``normalize``), which maps entities and
typographic variants to plain characters; callers keep quotes and offsets from the original
text and only read values from the normalised copy, so offsets never drift.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

# Same-length character mappings: typographic minus/dashes and the mid-dot decimal point.
# Thin / no-break spaces stay: they are the thousands separators ("1\u2009698") the
# number regex reads; regexes elsewhere use \s, which matches them.
_TRANSLATE = str.maketrans(
    {
        "\u2212": "-",  # minus sign
        "\u2013": "-",  # en dash (ranges "70–180", "phase 1–2")
        "\u2014": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2007": " ",
        "\u200a": " ",
        "\u2264": "≤",
        "\u00b7": ".",  # the Lancet's mid-dot decimal point
        "\u2019": "'",
    }
)

_PCT_POINTS = re.compile(r"(?<=\d)\s?%[- ]?points?\b")
_PERCENT_WORD = re.compile(r"(?<=\d) ?per ?cent\b", re.I)  # news style: "43 per cent", "47 percent"
_KILOGRAM_WORD = re.compile(r"(?<=\d) ?(?:kilograms?|kilos)\b", re.I)  # "4.1 kilograms"
_MILLIGRAM_WORD = re.compile(r"(?<=\d)[ -]?milligrams?\b", re.I)  # "360 milligrams a day", "the 36-milligram dose"
_PLAIN_TEXT_CMP = re.compile(r"[<>] ?or ?=|[<>]/=")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")


def normalize(text: str) -> str:
    """Decode HTML entities left in text and map typographic variants to ASCII-like forms.

    The result can be shorter than the input (entities); use it to *read* values only.
    """
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    if "%" in text:
        text = _PCT_POINTS.sub(" percentage points", text)  # "ETD -0.30 %-points"
    if "cent" in text:
        text = _PERCENT_WORD.sub("%", text)
    if "kilo" in text:
        text = _KILOGRAM_WORD.sub(" kg", text)
    if "milligram" in text:
        text = _MILLIGRAM_WORD.sub(" mg", text)
    if "(1c)" in text or "(1C)" in text:
        text = text.replace("HbA(1c)", "HbA1c").replace("HbA(1C)", "HbA1c")  # PubMed's plain text of HbA<sub>1c</sub>
    if "HbA 1c" in text:
        text = text.replace("HbA 1c", "HbA1c")  # (and its spaced form)
    if "=" in text:
        # PubMed's plain text writes ≤ and ≥ as "<or=" and ">or=" (also "< or =", "</=").
        text = _PLAIN_TEXT_CMP.sub(lambda m: "≤" if m.group(0)[0] == "<" else "≥", text)
    return text.translate(_TRANSLATE)


# "8.4 ± 0.6%", "12,650 ± 2,980 IEQ/kg": the unit is written once, after the dispersion.
_VALUE_SD_UNIT = re.compile(
    r"(?<![\w.,])(?P<v>[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d{1,3}(?:[ \u2009\u202f\u00a0]\d{3})+(?![\d.])|[-+]?\d+(?:\.\d+)?)"
    r"(?P<sd>\s?(?:±|\+/-|\+-)\s?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u2009\u202f\u00a0]\d{3})+(?![\d.])|\d+)(?:\.\d+)?)"
    # (a word such as "vs" after the dispersion is no unit: "1.58±1.02 vs. 1.31±0.97 %")
    r"(?P<u>\s?(?:%|percentage points?|(?!(?:vs|and|or|versus|to|in|with|at|for|of|from|respectively|p)\b)[A-Za-zµ][\w/µ²]*(?: per kg\b)?))")

_VALUE_UNIT_SD_UNIT = re.compile(r"(?<![\w.,])(?P<v>[-+]?\d+(?:\.\d+)?\s?%)(?P<sd>\s?(?:±|\+/-|\+-)\s?\d+(?:\.\d+)?\s?%)")
# "-2.4 +/- 1.5; -2.0 +/- 1.6; -0.9 +/- 1.3 percentage points": a bare mean whose unit comes later.
_VALUE_SD_BARE = re.compile(r"(?<![\w.])(?P<v>[-+]?\d+(?:\.\d+)?)(?P<sd>\s?(?:±|\+/-|\+-)\s?\d+(?:\.\d+)?)(?=\s?[;,)]|\s(?:and|vs\.?|versus|to)\b)")
# "60.4 (9.1) mmol/mol", "66.2 (SD 9.8) mmol/mol": the same, with the dispersion in brackets.
_VALUE_BRACKET_SD_UNIT = re.compile(
    r"(?<![\w.])(?P<v>[-+]?\d+(?:\.\d+)?)(?P<sd>\s?\((?:sd|se|sem|s\.d\.|iqr)?[,:]?\s?\d+(?:\.\d+)?(?:\s?(?:-|to)\s?\d+(?:\.\d+)?)?\))"
    r"(?P<u>\s?(?:%|mmol/mol|mmol/l|mg/dl|kg|pmol/l|nmol/l|pmol/ml|ng/ml|u/kg|iu/kg|percentage points?)(?![\w/]))", re.I)


def value_beside_unit(text: str) -> str:
    """Bring a mean and its unit together over its dispersion, keeping the length: "8.4 ± 0.6%
    at" -> "8.4%       at". Offsets stay valid, so values read from the result point into the text."""
    def join(m: re.Match[str]) -> str:
        return m.group("v") + m.group("u") + " " * len(m.group("sd"))

    if "±" in text or "+/-" in text or "+-" in text:
        # "71.6% ± 8.9%": the unit written twice; the dispersion goes
        text = _VALUE_UNIT_SD_UNIT.sub(lambda m: m.group("v") + " " * len(m.group("sd")), text)
        text = _VALUE_SD_UNIT.sub(join, text)
        # "-2.4 +/- 1.5; -2.0 +/- 1.6; ... percentage points": the dispersion of a bare value goes.
        text = _VALUE_SD_BARE.sub(lambda m: m.group("v") + " " * len(m.group("sd")), text)
    if ")" in text:
        text = _VALUE_BRACKET_SD_UNIT.sub(join, text)
    return text


WORD_UNITS = {
    "zero": 0, "no": 0, "none": 0, "one": 1, "a single": 1, "single": 1, "two": 2, "both": 2,
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "a dozen": 12,
}
WORD_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
# Counting words only (no "no"/"both"/"single": those are context words for the caller).
_UNIT_WORDS = [w for w in WORD_UNITS if w not in ("no", "none", "a single", "single", "both")]


def literal_trie(words) -> str:
    """Alternation of literal words factored by common prefixes: scanning stays fast (the
    therapy and adverse-event lexicons compile to one such regex each)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch != ""]
        if not alts:
            return ""
        if len(alts) == 1 and not end:
            return alts[0]
        return "(?:" + "|".join(alts) + ")" + ("?" if end else "")

    return emit(trie)


_ALL_NUMBER_WORDS = list(_UNIT_WORDS) + list(WORD_TENS) + [
    f"{t}{sep}{u}" for t in WORD_TENS for u in _UNIT_WORDS[1:10] for sep in ("-", " ")
]
NUMBER_WORD_RE = "(?:" + literal_trie(_ALL_NUMBER_WORDS) + r"(?: hundred(?:(?: and)? " + literal_trie(_ALL_NUMBER_WORDS) + ")?)?)"

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")

# A decimal number: thousands separators (comma or space groups of three), decimals.
DIGITS_RE = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[\u2009\u202f\u00a0]\d{3})+(?![\d.,])|\d+)(?:\.\d+)?|\.\d+"
SIGN_RE = r"(?:[-+−]|minus |plus )"
# Scientific notation: 0.8×10⁹, 0.8 x 10^9, 0.8×10(9), 0.8 × 109 (PubMed lost superscript),
# 8e8 / 8E+08, and "x 10<sup>9</sup>".
SCI_SUFFIX_RE = (
    r"\s?(?:×|x|X|\*|·)\s?10\s?(?:\^\s?(?P<e1>[-+]?\d{1,2})|\((?P<e2>[-+]?\d{1,2})\)"
    r"|<sup>(?P<e3>[-+]?\d{1,2})</sup>|(?P<e4>[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})|(?P<e5>\d{1,2})(?!\d))"
)
E_NOTATION_RE = r"[eE](?P<e6>[-+]?\d{1,2})\b"

NUMBER_RE = re.compile(
    r"(?P<sign>" + SIGN_RE + r")?(?P<num>" + DIGITS_RE + r")(?:" + SCI_SUFFIX_RE + r"|"
    + E_NOTATION_RE + r")?"
)
_WORD_NUMBER_RE = re.compile(r"^(?:" + NUMBER_WORD_RE + r")$", re.I)


@dataclass(frozen=True)
class Num:
    """A number found in (normalised) text: its value and where it was."""

    value: float
    start: int
    end: int
    text: str
    sci: bool = False
    is_word: bool = False

    @property
    def is_int(self) -> bool:
        return float(self.value).is_integer() and "." not in self.text


def words_to_number(text: str) -> int | None:
    """'Ten' -> 10, 'twenty-one' -> 21, 'one hundred and five' -> 105; None if not a number."""
    t = " ".join(text.lower().replace("-", " ").split())
    if not t:
        return None
    if t in WORD_UNITS:
        return WORD_UNITS[t]
    total = 0
    current = 0
    for part in t.split(" "):
        if part == "and":
            continue
        if part in WORD_UNITS and part not in ("no", "none", "single", "both"):
            current += WORD_UNITS[part]
        elif part in WORD_TENS:
            current += WORD_TENS[part]
        elif part == "hundred":
            current = (current or 1) * 100
        elif part == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
    return total + current


def _exponent(m: re.Match[str]) -> int | None:
    for key in ("e1", "e2", "e3", "e4", "e5", "e6"):
        raw = m.group(key)
        if raw:
            try:
                return int(raw.translate(_SUPERSCRIPTS).replace("+", ""))
            except ValueError:
                return None
    return None


def _digits_value(raw: str) -> float | None:
    cleaned = raw.replace(",", "")
    for space in ("\u2009", "\u202f", "\u00a0"):
        cleaned = cleaned.replace(space, "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_number(text: str) -> float | None:
    """Read one number written any common way; None when the string is not exactly a number.

    '1,698' -> 1698, '−1.71' -> -1.71, 'minus 0.5' -> -0.5, '0.8×10⁹' -> 8e8,
    '0.8 × 109' -> 8e8 (lost superscript), 'twelve' -> 12.
    """
    if not isinstance(text, str):
        return None
    t = normalize(text).strip()
    if not t:
        return None
    word = words_to_number(t) if _WORD_NUMBER_RE.match(t) else None
    if word is not None:
        return float(word)
    m = NUMBER_RE.fullmatch(t)
    if not m:
        return None
    return _match_value(m, lost_superscript=True)


def _match_value(m: re.Match[str], *, lost_superscript: bool) -> float | None:
    value = _digits_value(m.group("num"))
    if value is None:
        return None
    exp = _exponent(m)
    if exp is not None:
        if m.group("e5") and not lost_superscript:
            return None
        value = value * (10.0**exp)
    sign = (m.group("sign") or "").strip()
    if sign in ("-", "−", "minus"):
        value = -value
    return value if math.isfinite(value) else None


def find_numbers(text: str, *, signed: bool = True) -> list[Num]:
    """All numbers in normalised text (digits with their scientific suffix, and number words).

    The lost-superscript form '0.8 × 109' is read as 0.8×10⁹ only when the mantissa is below
    ten and the exponent is plausible (3..15) -- otherwise it is a plain product and the
    suffix is ignored.
    """
    out: list[Num] = []
    for m in NUMBER_RE.finditer(text):
        start = m.start() if signed and m.group("sign") else m.start("num")
        # A hyphen glued to a previous word/number is a range or a compound, not a sign.
        if m.group("sign") and start > 0 and (text[start - 1].isalnum() or text[start - 1] in "%)"):
            start = m.start("num")
        # Digits inside identifiers (NCT04786262, VX-880, COVID-19, HbA1c) are not numbers.
        ns = m.start("num")
        before = text[ns - 1] if ns > 0 else ""
        if before and (before.isalpha() or before in "⁰¹²³⁴⁵⁶⁷⁸⁹_"):
            continue
        if before == "-" and ns > 1 and text[ns - 2].isalpha():
            continue
        end = m.end()
        if end < len(text) and text[end].isalpha() and not _GLUED_UNIT_RE.match(text, end):
            continue
        value = _digits_value(m.group("num"))
        if value is None:
            continue
        exp = _exponent(m)
        sci = exp is not None
        if exp is not None:
            if m.group("e5") and not (abs(value) < 10 and 3 <= exp <= 15):
                # A plain product ("12 × 109"): keep both factors as numbers.
                end = m.end("num")
                sci = False
                ten = text.find("10", end, m.end())
                if ten >= 0:
                    out.append(Num(float(text[ten : m.end()]), ten, m.end(), text[ten : m.end()]))
            else:
                value *= 10.0**exp
        sign = (m.group("sign") or "").strip() if start < m.start("num") else ""
        if sign in ("-", "minus"):
            value = -value
        if not math.isfinite(value):
            continue
        out.append(Num(value, start, end, text[start:end], sci=sci))
    for m in _WORD_SCAN_RE.finditer(text):
        value = words_to_number(m.group(0))
        if value is not None:
            out.append(Num(float(value), m.start(), m.end(), m.group(0), is_word=True))
    out.sort(key=lambda n: n.start)
    return out


_GLUED_UNIT_RE = re.compile(r"(?:mg|kg|ml|mL|iu|IU|mmol|pmol|nmol|ng|µg|μg|mcg|g|d|h|y|w|wk|mo|x|×)(?![a-z])")
_WORD_SCAN_RE = re.compile(r"(?<![\w-])(?:" + NUMBER_WORD_RE + r")(?![\w])", re.I)


@dataclass(frozen=True)
class Proportion:
    """n of denominator and/or a percentage, consistent when all three are known."""

    n: int | None
    denominator: int | None
    percent: float | None


def proportion(n: float | None, denominator: float | None, percent: float | None) -> Proportion | None:
    """Combine what the text gave into a consistent proportion, or None if inconsistent.

    The percentage is computed (one decimal) when only n/denominator are given; a stated
    percentage that disagrees with n/denominator by more than 1.5 points is rejected (it is
    then something else, e.g. a rate or a different denominator).
    """
    try:
        ni = int(n) if n is not None and float(n).is_integer() and n >= 0 else None
        di = int(denominator) if denominator is not None and float(denominator).is_integer() and denominator > 0 else None
    except (OverflowError, ValueError):
        return None
    if n is not None and ni is None:
        return None
    if denominator is not None and di is None:
        return None
    if ni is not None and di is not None and ni > di:
        return None
    if percent is not None and not (0 <= percent <= 100):
        return None
    if ni is not None and di is not None:
        computed = round(100.0 * ni / di, 1)
        if percent is None:
            percent = computed
        elif abs(percent - computed) > 1.5:
            return None
    if percent is None and ni is None:
        return None
    return Proportion(ni, di, percent)
