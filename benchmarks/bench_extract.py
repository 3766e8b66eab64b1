"""Extraction throughput: words/s of the full kb pipeline, and its cost relative to tokenising.

Corpus: a few hundred abstract-sized texts built deterministically from the project's gold
passages, the seed article and the PubMed sample abstracts (sentences reshuffled, digits
varied, ~250 words each), so the benchmark needs nothing from the network. Both timings run the same texts
through ``nlp.pipe``: ``spacy.blank("en")`` alone (the floor), then ``kb.extract`` (sentences,
rules, Fact records with the quote check). Keys merged into benchmarks/results.json:
extract_words_per_s, tokenizer_words_per_s, extract_vs_tokenizer, extract_corpus_words.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = Path(__file__).resolve().parent / "results.json"

from corpus import abstract_docs  # noqa: E402  (benchmarks/ is on sys.path as the script's folder)

N_DOCS = 400
WORDS_PER_DOC = 250
REPEATS = 3


def corpus() -> list[str]:
    return abstract_docs(N_DOCS, WORDS_PER_DOC, seed=7, vary_digits=True)


def best_of(fn) -> float:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    from kb.extract import block_heavy_imports

    block_heavy_imports()
    import spacy

    from kb.extract import extract_documents, get_pipeline
    from kb.models import Document

    docs = corpus()
    words = sum(len(d.split()) for d in docs)
    blank = spacy.blank("en")
    get_pipeline()  # build and compile outside the timing
    documents = [Document(id=f"bench{i}", source="file", text=t) for i, t in enumerate(docs)]
    t_tok = best_of(lambda: list(blank.pipe(docs, batch_size=64)))
    n_facts = 0

    def run() -> None:
        nonlocal n_facts
        n_facts = sum(len(f) for f in extract_documents(documents, batch_size=64))

    t_ext = best_of(run)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.update(
        {
            "extract_words_per_s": round(words / t_ext),
            "tokenizer_words_per_s": round(words / t_tok),
            "extract_vs_tokenizer": round(t_ext / t_tok, 3),
            "extract_corpus_words": words,
        }
    )
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"{len(docs)} docs, {words} words, {n_facts} facts")
    print(f"tokenizer only: {words / t_tok:,.0f} words/s  ({t_tok:.3f} s)")
    print(f"kb extract:     {words / t_ext:,.0f} words/s  ({t_ext:.3f} s)  ratio {t_ext / t_tok:.2f}x")


if __name__ == "__main__":
    main()
