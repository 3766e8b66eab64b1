"""spaCy components for trial facts (factories registered on import and as entry points).

``kb_sentence_spans`` puts sentence character spans in ``doc._.kb_sentences``;
``kb_trial_facts`` runs the compiled rules (kb/nlp/rules.py, data in kb/nlp/patterns and
kb/nlp/lexicons) and puts ``RuleFact`` records in ``doc._.kb_facts``.
"""

from kb.nlp.components import SentenceSpans, TrialFacts  # noqa: F401  (registers factories)
