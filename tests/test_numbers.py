"""Number, unit and proportion reading: property tests (never crash, round-trips) plus a table."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.nlp.numbers import find_numbers, normalize, parse_number, proportion, words_to_number
from kb.nlp.rules import TrialRules

UNITS = ["0", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}


def spell(n: int) -> str:
    if n < 20:
        return UNITS[n]
    tens, unit = divmod(n, 10)
    return TENS[tens] + (f"-{UNITS[unit]}" if unit else "")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_crash_on_any_string(text):
    assert isinstance(normalize(text), str)
    value = parse_number(text)
    assert value is None or isinstance(value, float)
    for num in find_numbers(normalize(text)):
        assert 0 <= num.start < num.end <= len(normalize(text))
    words_to_number(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="0123456789.,%×x^()/-−+ ⁹&#;xd7lt<>abc", max_size=40))
def test_no_crash_on_numberish_strings(text):
    parse_number(text)
    find_numbers(normalize(text))
    rules = _rules()
    rules.extract(text, [(0, len(text))] if text.strip() else [])


_RULES: list[TrialRules] = []


def _rules() -> TrialRules:
    if not _RULES:
        _RULES.append(TrialRules())
    return _RULES[0]


@given(st.integers(min_value=0, max_value=10**9))
def test_thousands_separators_round_trip(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@given(st.integers(min_value=-10**6, max_value=10**6), st.integers(min_value=0, max_value=99))
def test_decimals_and_signs_round_trip(whole, frac):
    text = f"{whole}.{frac:02d}"
    expected = float(text)
    assert parse_number(text) == pytest.approx(expected)
    if whole >= 0:
        assert parse_number("\u2212" + f"{whole}.{frac:02d}") == pytest.approx(-expected)


@given(st.integers(min_value=1, max_value=99))
def test_number_words_round_trip(n):
    assert parse_number(spell(n)) == n
    assert parse_number(spell(n).capitalize()) == n


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=3, max_value=12),
       st.sampled_from(["{m}×10^{e}", "{m} x 10^{e}", "{m}×10({e})", "{m} × 10{e}", "{m}&#xd7;10<sup>{e}</sup>"]))
def test_scientific_notation_round_trip(mant, exp, form):
    m = mant / 10
    text = form.format(m=m, e=exp)
    assert parse_number(text) == pytest.approx(m * 10**exp)


@given(st.integers(min_value=0, max_value=500), st.integers(min_value=1, max_value=500))
def test_proportion_consistency(n, d):
    p = proportion(n, d, None)
    if n > d:
        assert p is None
        return
    assert p is not None and p.n == n and p.denominator == d
    assert p.percent == round(100 * n / d, 1)
    # A stated percentage rounded as papers do is accepted; a far-off one is not.
    assert proportion(n, d, round(100 * n / d)) is not None
    assert proportion(n, d, min(100.0, p.percent + 10)) is None or p.percent + 10 > 100


@pytest.mark.parametrize(
    "text, value",
    [
        ("0.8×10⁹", 8e8), ("0.8 x 10^9", 8e8), ("0.8×10(9)", 8e8), ("0.8 × 109", 8e8),
        ("0.8 &#xd7; 10<sup>9</sup>", 8e8), ("1,698", 1698), ("1\u2009698", 1698), ("−1.71", -1.71),
        ("minus 0.5", -0.5), ("Ten", 10), ("twenty-one", 21), ("8E+08", 8e8), ("one hundred and five", 105),
    ],
)
def test_number_forms(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["NCT04786262", "VX-880", "COVID-19", "HbA1c", "3rd"])
def test_identifiers_are_not_numbers(text):
    assert find_numbers(normalize(text)) == []


def test_lost_superscript_needs_plausible_exponent():
    # "2 × 109" with mantissa >= 10 is a product, not 2×10^109.
    nums = find_numbers("12 × 109 participants")
    assert [n.value for n in nums] == [12, 109]
