"""spaCy factories: a factory and a small class each (spaCy's own span_ruler style).

Output stays on the Doc as plain character offsets (``doc._.kb_sentences``,
``doc._.kb_facts``) so nothing spaCy-typed leaves the NLP layer.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from kb.nlp.rules import TrialRules
from kb.nlp.sentences import split_sentences

if not Doc.has_extension("kb_sentences"):
    Doc.set_extension("kb_sentences", default=None)
if not Doc.has_extension("kb_facts"):
    Doc.set_extension("kb_facts", default=None)


@lru_cache(maxsize=1)
def shared_rules() -> TrialRules:
    """Compiling the lexicon regexes costs ~50 ms: do it once per process."""
    return TrialRules()


class SentenceSpans:
    """Sentence (start, end) character spans by regex: fast, and aware of headings and blank lines."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.kb_sentences = split_sentences(doc.text)
        return doc


class TrialFacts:
    """Trial facts (FACTS.md kinds) from each sentence, with the id of the rule that fired."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.rules = shared_rules()

    def __call__(self, doc: Doc) -> Doc:
        sentences = doc._.kb_sentences
        if sentences is None:
            sentences = split_sentences(doc.text)
            doc._.kb_sentences = sentences
        doc._.kb_facts = self.rules.extract(doc.text, sentences)
        return doc


@Language.factory("kb_sentence_spans", assigns=["doc._.kb_sentences"], default_config={})
def make_sentence_spans(nlp: Language, name: str) -> SentenceSpans:
    return SentenceSpans(nlp, name)


@Language.factory("kb_trial_facts", assigns=["doc._.kb_facts"], requires=["doc._.kb_sentences"], default_config={})
def make_trial_facts(nlp: Language, name: str) -> TrialFacts:
    return TrialFacts(nlp, name)
