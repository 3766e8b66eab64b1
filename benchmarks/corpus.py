"""The benchmarks' abstract-sized texts, built deterministically from real sentences.

Sources: the project's gold passages, the PubMed sample abstracts in ../shared/samples and the
seed article; their sentences are reshuffled into documents of about ``words_per_doc`` words,
so no benchmark needs the network.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _sentences() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "tests" / "gold").rglob("texts/*.txt"))]
    texts += [json.loads(p.read_text("utf-8"))["abstract"]
              for p in sorted((SHARED / "samples" / "abstracts").glob("*.json"))]
    seed = SHARED / "seeds" / "000_0cbdcfa0bd007382.txt"
    if seed.exists():
        texts.append(seed.read_text("utf-8"))
    return [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if len(s.split()) > 3]


def abstract_docs(n_docs: int, words_per_doc: int, seed: int, vary_digits: bool = False) -> list[str]:
    """``n_docs`` texts of reshuffled real sentences. ``vary_digits`` replaces every digit at
    random so the documents are not copies of each other (spaCy's tokenizer caches repeated
    chunks, which would flatter a tokenizer-only baseline)."""
    sentences = _sentences()
    rng = random.Random(seed)
    docs = []
    for _ in range(n_docs):
        words, parts = 0, []
        while words < words_per_doc:
            s = rng.choice(sentences)
            parts.append(s)
            words += len(s.split())
        text = " ".join(parts)
        docs.append(re.sub(r"\d", lambda m: str(rng.randrange(10)), text) if vary_digits else text)
    return docs
