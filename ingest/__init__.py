"""Ingest sources: each turns targets (paths, queries, ids, URLs) into raw-cache records.

The table ``SOURCES`` (name -> Source) is the one place the front ends look sources up.
Entries are lazy: a source module is imported only when that source is used, so importing
this package stays cheap (no httpx, no parsers) and ``kb --help`` stays fast. Adding a source
is one new module plus one ``_lazy(...)`` line below.

Contract of a source: ``fetch(targets, ctx)`` yields a ``RawRecord`` for every payload it saved
in ``ctx.cache`` and a ``Failure`` for every target (or record) it could not get; it never
raises for one bad target, so a batch always continues.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from kb.raw import RawCache, RawRecord
    from kb.settings import Settings


class Failure(BaseModel):
    """A target or record that could not be fetched or parsed, and why (one line)."""

    model_config = ConfigDict(extra="forbid")
    target: str = Field(description="the path / id / query / URL / record that failed")
    reason: str = Field(description="what went wrong, naming the problem")


@dataclass
class FetchContext:
    """What a source gets besides its targets.

    ``client`` is the shared HTTP client (ingest.http.HttpClient) for network sources; local
    sources ignore it. ``progress`` (optional) is called with one short line per target.
    """

    settings: Settings
    client: Any = None
    cache: RawCache | None = None
    options: dict[str, Any] = field(default_factory=dict)
    progress: Callable[[str], None] | None = None

    def __post_init__(self) -> None:
        if self.cache is None:
            from kb.raw import RawCache

            self.cache = RawCache(self.settings)

    def report(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)


@runtime_checkable
class Source(Protocol):
    name: str
    help: str

    def fetch(self, targets: list[str], ctx: FetchContext) -> Iterator[RawRecord | Failure]: ...


class LazySource:
    """A table entry that imports ``module:attr`` on first use and delegates to it."""

    def __init__(self, name: str, target: str, help: str):
        self.name = name
        self.help = help
        self._target = target
        self._source: Source | None = None

    def load(self) -> Source:
        if self._source is None:
            module, _, attr = self._target.partition(":")
            obj = getattr(importlib.import_module(module), attr)
            self._source = obj() if isinstance(obj, type) else obj
        return self._source

    def fetch(self, targets: list[str], ctx: FetchContext) -> Iterator[RawRecord | Failure]:
        return self.load().fetch(targets, ctx)

    def __repr__(self) -> str:
        return f"LazySource({self.name!r}, {self._target!r})"


SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Add a source to the table (a later registration of the same name replaces it)."""
    SOURCES[source.name] = source
    return source


def _lazy(name: str, target: str, help: str) -> None:
    register(LazySource(name, target, help))


# --- the table: one line per source ------------------------------------------------------
_lazy("files", "ingest.files:FilesSource",
      "local files or folders: .txt .md .html .pdf, PubMed/JATS XML, ClinicalTrials.gov JSON")
_lazy("demo", "ingest.demo:DemoSource", "the bundled demo corpus (kb/data/demo/*.md)")
# --- network sources ---
_lazy("pubmed", "ingest.pubmed:PubMedSource", "PubMed search through NCBI E-utilities (QUERY; --limit N, --since DATE)")
_lazy("pmid", "ingest.pubmed:PmidSource", "PubMed articles by PMID (ID...)")
_lazy("europepmc", "ingest.europepmc:EuropePmcSource", "Europe PMC search, with JATS full text for open-access articles (QUERY; --limit N)")
_lazy("ctgov", "ingest.ctgov:CtgovSource", "ClinicalTrials.gov API v2 studies (NCT ids, or --query TEXT)")
_lazy("url", "ingest.web:WebSource", "web pages by URL (http/https only; HTML, PDF or plain text)")
# --- end of the table --------------------------------------------------------------------


def get_source(name: str) -> Source:
    """The source called ``name``; KeyError lists the known names."""
    try:
        return SOURCES[name]
    except KeyError:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(sorted(SOURCES))}") from None
