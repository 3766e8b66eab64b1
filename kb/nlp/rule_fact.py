"""The record the rule passes produce: a fact before it becomes a ``kb.models.Fact``.

Its own module so that the sentence rules (``rules``) and the registry-layout reader
(``registry_layout``) build the same record without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RuleFact:
    """A fact before it becomes a kb.models.Fact: offsets are the sentence's (``sent``)."""

    sent: int
    kind: str
    name: str
    rule: str
    confidence: float
    value: float | None = None
    unit: str | None = None
    comparator: str = "="
    n: int | None = None
    denominator: int | None = None
    group: str | None = None
    contrast: str | None = None
    timepoint: str | None = None
    negated: bool = False
    serious: bool | None = None
    label: str | None = None
    aliases: list[str] | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    group_inferred: bool = False
    # Where the value sits in the sentence's normalised text: the arm-order pass reads lists
    # ("40.6%, 45.1% and 17.8%") by it. Not part of the fact record.
    span: tuple[int, int] | None = None
