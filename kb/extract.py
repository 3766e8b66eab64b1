"""Text -> trial facts (FACTS.md records) with the spaCy pipeline of kb.nlp.

Contract: every returned fact satisfies ``text[f.start:f.end] == f.quote`` (checked here; a
violating fact is dropped with a warning, never returned); facts come only from the text
(``Document.facts`` from registries are not included); nothing heavy (torch, chromadb,
sentence-transformers) is imported.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from kb.models import Document, Fact
from kb.settings import Settings, get_settings

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

PIPELINE_COMPONENTS = ("kb_sentence_spans", "kb_trial_facts")
HEAVY_MODULES = ("torch", "chromadb", "sentence_transformers")


def block_heavy_imports() -> None:
    """Keep torch out of a process that only extracts (``kb extract``, ``kb eval``).

    spaCy's thinc imports torch whenever it is installed (thinc/compat.py tries it), which
    costs seconds and hundreds of MB; extraction never uses it. A ``None`` entry in
    ``sys.modules`` makes that optional import fail cleanly. Only call this in processes that
    will not embed: it is a no-op when torch is already loaded.
    """
    import sys

    for name in HEAVY_MODULES:
        if name not in sys.modules:
            sys.modules[name] = None  # type: ignore[assignment]


@lru_cache(maxsize=4)
def _build(spacy_model: str | None) -> Language:
    # spaCy is imported here, not at module level, so block_heavy_imports() can run first.
    import spacy

    import kb.nlp.components  # noqa: F401  (registers the factories)

    if spacy_model:
        nlp = spacy.load(spacy_model, exclude=["ner", "lemmatizer", "textcat"])
    else:
        nlp = spacy.blank("en")
    for name in PIPELINE_COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


def get_pipeline(settings: Settings | None = None) -> Language:
    """The extraction pipeline (blank English or settings.spacy_model + kb components), cached."""
    settings = settings or get_settings()
    return _build(settings.spacy_model)


def _to_facts(doc_id: str, text: str, sdoc) -> list[Fact]:
    sentences = sdoc._.kb_sentences or []
    facts: list[Fact] = []
    for rf in sdoc._.kb_facts or []:
        start, end = sentences[rf.sent]
        quote = text[start:end]
        try:
            fact = Fact(
                doc=doc_id, kind=rf.kind, name=rf.name, value=rf.value, unit=rf.unit,
                comparator=rf.comparator, n=rf.n, denominator=rf.denominator, group=rf.group,
                contrast=rf.contrast, timepoint=rf.timepoint, negated=rf.negated, serious=rf.serious,
                quote=quote, start=start, end=end, label=rf.label, aliases=rf.aliases,
                ci_low=rf.ci_low, ci_high=rf.ci_high, method="rule", rule=rf.rule,
                confidence=round(min(1.0, max(0.0, rf.confidence)), 3),
            )
        except ValueError as exc:  # pydantic validation: a rule produced an invalid record
            log.warning("%s: dropped invalid fact from rule %s: %s", doc_id, rf.rule, exc)
            continue
        if text[fact.start : fact.end] != fact.quote:
            log.warning("%s: dropped fact whose quote does not match its offsets (rule %s)", doc_id, rf.rule)
            continue
        facts.append(fact)
    return facts


def extract_text(text: str, doc_id: str) -> list[Fact]:
    """Facts from one text; ``doc_id`` becomes each fact's ``doc``."""
    return _to_facts(doc_id, text, get_pipeline()(text))


def extract_document(doc: Document) -> list[Fact]:
    """Facts from a Document's text (not including ``doc.facts``)."""
    return extract_text(doc.text, doc.id)


def extract_documents(docs: Sequence[Document], batch_size: int = 32) -> list[list[Fact]]:
    """Facts per document, in order, using ``nlp.pipe`` for throughput."""
    nlp = get_pipeline()
    texts = [d.text for d in docs]
    return [_to_facts(d.id, d.text, sdoc) for d, sdoc in zip(docs, nlp.pipe(texts, batch_size=batch_size), strict=True)]
