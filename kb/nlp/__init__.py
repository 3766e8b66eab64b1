"""spaCy components for trial facts, and the project's lexicons.

Importing this package is cheap (stdlib only): ``kb.nlp.lexicon`` can be used without
spaCy. The factories live in ``kb.nlp.components`` (registered when that module is imported,
which ``kb.extract`` does, and as ``spacy_factories`` entry points):
``kb_sentence_spans`` puts sentence character spans in ``doc._.kb_sentences``;
``kb_trial_facts`` runs the compiled rules (kb/nlp/rules.py, data in kb/nlp/patterns and
kb/nlp/lexicons) and puts ``RuleFact`` records in ``doc._.kb_facts``.
"""
