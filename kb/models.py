"""Typed records that cross module boundaries: Document, Passage, Fact, Trial.

These are the project's contract between stages. No spaCy or Chroma types appear here;
the store flattens records into Chroma metadata itself (see ``Fact.to_metadata``).
The fact record follows ``shared/spec/FACTS.md`` exactly; extra fields (method, rule,
confidence, ci_low, ci_high, label, aliases, fact_id) are allowed by that contract.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, computed_field

FactKind = Literal[
    "intervention",
    "registry_id",
    "phase",
    "sample_size",
    "dose",
    "follow_up",
    "outcome",
    "adverse_event",
]
FACT_KINDS: tuple[str, ...] = FactKind.__args__  # type: ignore[attr-defined]

# Where a value came from, ranked for the value shown first (RobotReviewer-style authorities).
Method = Literal["human", "registry", "rule"]
SourceType = Literal["registry", "paper", "summary", "news", "other"]
SOURCE_RANK: dict[str, int] = {"registry": 0, "paper": 1, "summary": 2, "news": 3, "other": 4}
COMPARATORS = ("=", "<", ">", "<=", ">=", "~")


def stable_hash(*parts: Any, length: int = 16) -> str:
    """A short deterministic hash of JSON-serialisable parts (ids must not depend on run order)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:length]


class Section(BaseModel):
    """A titled span of a document's text (abstract BACKGROUND, JATS <sec>, registry module)."""

    model_config = ConfigDict(extra="forbid")
    title: str
    start: int
    end: int


class Fact(BaseModel):
    """One extracted trial fact: the FACTS.md record plus provenance fields."""

    model_config = ConfigDict(extra="forbid")

    doc: str = Field(description="document id (local file: the file name without extension)")
    kind: FactKind
    name: str = Field(description="normalised name, per kind (FACTS.md)")
    value: float | None = None
    unit: str | None = None
    comparator: str = "="
    n: int | None = None
    denominator: int | None = None
    group: str | None = Field(default=None, description="arm / part / cohort as written")
    contrast: str | None = Field(default=None, description="what a difference is against")
    timepoint: str | None = None
    negated: bool = False
    serious: bool | None = None
    quote: str = Field(description="the sentence the fact came from, exactly as in the text")
    start: int = Field(description="offset of quote in the document text")
    end: int
    # Extra fields allowed by FACTS.md.
    label: str | None = Field(default=None, description="outcome as written when name is 'other'")
    aliases: list[str] | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    method: Method = "rule"
    rule: str | None = Field(default=None, description="id of the pattern / rule that fired")
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)

    # (identity fields, fact_id) of the last computation: linking 100k facts reads fact_id many
    # times, and a SHA-256 of their JSON each time dominated `kb compare`. Keyed on the fields
    # so that a changed or copied fact never keeps a stale id.
    _fact_id_cache: tuple[tuple[Any, ...], str] | None = PrivateAttr(default=None)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def fact_id(self) -> str:
        """Deterministic id: the same fact from the same place always has the same id."""
        key = self._identity()
        # The private dict itself, not self._fact_id_cache: pydantic routes private attribute
        # reads through a slow __getattr__.
        private = self.__pydantic_private__
        cached = private.get("_fact_id_cache")
        if cached is not None and cached[0] == key:
            return cached[1]
        fact_id = "f:" + stable_hash(*key)
        private["_fact_id_cache"] = (key, fact_id)
        return fact_id

    def _identity(self) -> tuple[Any, ...]:
        return (self.doc, self.kind, self.name, self.value, self.unit, self.comparator, self.n,
                self.denominator, self.group, self.contrast, self.timepoint, self.negated,
                self.start, self.end, self.method, self.label)

    def known_fact_id(self, fact_id: str) -> Fact:
        """Record the id this fact was stored under (the store reads it back with the fact), so
        that reading 100k facts does not hash each one again. Returns the fact."""
        self.__pydantic_private__["_fact_id_cache"] = (self._identity(), fact_id)
        return self

    def to_contract(self) -> dict[str, Any]:
        """The JSON record `kb extract --json` prints (FACTS.md fields first, then extras)."""
        return self.model_dump(mode="json")

    def to_metadata(self) -> dict[str, str | int | float | bool]:
        """Flat scalars for Chroma metadata (None dropped, lists JSON-encoded)."""
        flat: dict[str, str | int | float | bool] = {}
        for key, val in self.model_dump(mode="json").items():
            if val is None:
                continue
            flat[key] = json.dumps(val) if isinstance(val, list) else val
        return flat

    @classmethod
    def from_metadata(cls, meta: dict[str, Any]) -> Fact:
        data = {k: v for k, v in meta.items() if k in cls.model_fields}
        if isinstance(data.get("aliases"), str):
            data["aliases"] = json.loads(data["aliases"])
        return cls(**data)


class Document(BaseModel):
    """A parsed payload: its text, bibliographic metadata, and where it came from."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="e.g. 'pmid:40544428', 'nct:NCT04786262', or a local file stem")
    source: str = Field(description="source that produced it: file, demo, pubmed, europepmc, ctgov, web")
    source_type: SourceType = "other"
    title: str = ""
    text: str
    sections: list[Section] = Field(default_factory=list)
    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None
    registry_ids: list[str] = Field(default_factory=list, description="registry ids of this record")
    journal: str | None = None
    year: int | None = None
    authors: list[str] = Field(default_factory=list)
    url: str | None = None
    published: str | None = Field(default=None, description="publication date as given")
    cites: list[str] = Field(
        default_factory=list,
        description="ids this document cites, with prefixes: 'doi:…', 'pmid:…', 'nct:NCT…'",
    )
    raw_path: str | None = Field(default=None, description="raw payload, relative to KB_HOME")
    facts: list[Fact] = Field(
        default_factory=list,
        description="structured facts the source states directly (registry fields), method='registry'",
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def content_hash(self) -> str:
        """Changes when anything that derived data depends on changes."""
        return stable_hash(
            self.text, self.title, self.source_type, self.pmid, self.doi, self.registry_ids,
            self.cites, [f.fact_id for f in self.facts], length=32,
        )


class Passage(BaseModel):
    """The semantic-search unit: a span of a document's text."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="'{doc_id}#p{index}'")
    doc_id: str
    index: int
    text: str
    start: int
    end: int
    section: str | None = None


class TrialValue(BaseModel):
    """One value of one trial attribute, with every fact (source) that reports it."""

    model_config = ConfigDict(extra="forbid")
    kind: FactKind
    name: str
    group: str | None = None
    value: float | None = None
    unit: str | None = None
    comparator: str = "="
    n: int | None = None
    denominator: int | None = None
    timepoint: str | None = None
    facts: list[Fact] = Field(default_factory=list)
    conflict: bool = Field(default=False, description="another source reports a different value")


class Trial(BaseModel):
    """Documents that report the same trial, linked, with their facts merged."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="'nct:NCT…' when a registry id is known, else a stable hash id")
    title: str = ""
    therapies: list[str] = Field(default_factory=list)
    registry_ids: list[str] = Field(default_factory=list)
    doc_ids: list[str] = Field(default_factory=list)
    values: list[TrialValue] = Field(default_factory=list)
