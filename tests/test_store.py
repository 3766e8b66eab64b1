"""kb.store: write order, idempotence, embedding reuse, healing, search. Every test runs against
the embedded store and (marker `server`) a real `chroma run` server; embeddings come from the
HashEmbedder fake except in the `slow` test at the end, which uses the real model."""

from __future__ import annotations

import pytest

from kb.embed import HashEmbedder
from kb.models import Document, Fact, Section
from kb.pipeline import split_passages
from kb.store import Store, StoreError, chroma_client_args

TEXT = (
    "Zimislecel restored insulin production. In the phase 1/2 trial, 12 participants received "
    "the full dose. Ten of 12 participants (83%) were insulin independent at one year.\n"
    "Neutropenia occurred in 3 participants. Two participants died of causes unrelated to "
    "treatment."
)


def make_doc(doc_id: str = "doc1", text: str = TEXT, **kw) -> Document:
    return Document(id=doc_id, source="files", title=f"Title of {doc_id}", text=text,
                    sections=[Section(title="Results", start=0, end=len(text))], **kw)


def fact(doc: Document, needle: str, kind="outcome", name="insulin_independence", **kw) -> Fact:
    start = doc.text.index(needle)
    return Fact(doc=doc.id, kind=kind, name=name, quote=needle, start=start,
                end=start + len(needle), **kw)


def facts_of(doc: Document) -> list[Fact]:
    """The three facts of TEXT that are present in the document."""
    wanted = [
        ("Ten of 12 participants (83%) were insulin independent at one year.",
         {"value": 83.0, "unit": "%", "n": 10, "denominator": 12}),
        ("Neutropenia occurred in 3 participants.",
         {"kind": "adverse_event", "name": "neutropenia", "n": 3}),
        ("Two participants died of causes unrelated to treatment.",
         {"kind": "adverse_event", "name": "death", "n": 2}),
    ]
    return [fact(doc, quote, **kw) for quote, kw in wanted if quote in doc.text]


@pytest.fixture
def store(store_settings):
    return Store(store_settings.model_copy(update={"passage_chars": 120}), HashEmbedder())


def write(store: Store, doc: Document, facts=None):
    return store.write_document(doc, split_passages(doc, store.settings),
                                facts if facts is not None else facts_of(doc))


def test_write_then_rewrite_unchanged_writes_and_embeds_nothing(store):
    doc = make_doc()
    assert write(store, doc) == "new"
    counts = store.stats()
    assert counts["documents"] == 1 and counts["facts"] == 3 and counts["passages"] >= 2
    embedded, writes = store.embedder.texts_embedded, store.writes

    assert write(store, doc) == "unchanged"
    assert store.embedder.texts_embedded == embedded
    assert store.writes == writes
    assert store.stats() == counts
    assert store.unchanged_ids([doc]) == {doc.id}


def test_changed_document_replaces_stale_records_and_reuses_embeddings(store):
    doc = make_doc()
    write(store, doc)
    old_passages = store.passages(doc.id)
    embedded = store.embedder.texts_embedded

    # Drop the last sentence (and the death fact): one passage and one fact go stale.
    cut = TEXT.index(" Two participants died")
    changed = make_doc(text=TEXT[:cut])
    assert write(store, changed, facts_of(changed)) == "updated"

    new_passages = store.passages(doc.id)
    assert [p.text for p in new_passages] == [p.text for p in split_passages(changed, store.settings)]
    assert all(changed.text[p.start:p.end] == p.text for p in new_passages)
    assert {f.name for f in store.facts([doc.id])} == {"insulin_independence", "neutropenia"}
    # Only texts that changed were embedded again: passages with unchanged text kept their vectors.
    unchanged_texts = {p.text for p in old_passages} & {p.text for p in new_passages}
    new_texts = {p.text for p in new_passages} - unchanged_texts
    assert unchanged_texts
    assert store.embedder.texts_embedded - embedded == len(new_texts)


def test_each_distinct_text_is_embedded_once_per_batch(store):
    doc = make_doc()
    same_quote = "Ten of 12 participants (83%) were insulin independent at one year."
    facts = [
        fact(doc, same_quote, value=83.0, unit="%"),
        fact(doc, same_quote, kind="sample_size", name="analysed", value=12.0),
        fact(doc, same_quote, kind="outcome", name="insulin_independence", n=10, denominator=12),
    ]
    passages = split_passages(doc, store.settings)
    store.write_document(doc, passages, facts)
    distinct = {p.text for p in passages} | {same_quote}
    assert store.embedder.texts_embedded == len(distinct)
    assert store.embedder.calls == 1  # one model call for the whole batch
    assert len(store.facts([doc.id])) == 3


def test_batch_of_documents_and_roundtrip(store):
    docs = [make_doc(f"d{i}", TEXT.replace("12", str(10 + i)), registry_ids=[f"nct:NCT0000000{i}"],
                     cites=["pmid:1"], year=2020 + i) for i in range(3)]
    items = [(d, split_passages(d, store.settings), facts_of(d)) for d in docs]
    assert store.write_documents(items) == ["new", "new", "new"]
    assert store.write_documents(items) == ["unchanged"] * 3
    back = store.get_document("d1")
    assert back is not None
    assert back.model_dump(exclude={"facts"}) == docs[1].model_dump(exclude={"facts"})
    assert [d.id for d in store.documents()] == ["d0", "d1", "d2"]
    assert [d.id for d in store.documents({"year": 2022})] == ["d2"]
    assert store.get_document("missing") is None
    assert {f.doc for f in store.facts(kinds=["adverse_event"])} == {"d0", "d1", "d2"}
    assert store.facts(doc_ids=[]) == []


def test_registry_facts_come_back_with_their_document(store):
    doc = make_doc("nct:NCT04786262", "Phase: PHASE1, PHASE2\nEnrollment: 14")
    reg = Fact(doc=doc.id, kind="sample_size", name="enrolled", value=14, quote="Enrollment: 14",
               start=doc.text.index("Enrollment"), end=len(doc.text), method="registry")
    doc = doc.model_copy(update={"facts": [reg]})
    write(store, doc, [reg])
    back = store.get_document(doc.id)
    assert back.facts == [reg]
    assert back.content_hash == doc.content_hash


def test_writes_are_chunked_within_the_max_batch_size(store):
    store._max_batch = 2
    text = " ".join(f"Sentence number {i} reports {i} participants." for i in range(40))
    doc = make_doc("long", text)
    passages = split_passages(doc, store.settings)
    assert len(passages) > 4
    write(store, doc, [])
    assert store.stats()["passages"] == len(passages)
    assert store.writes >= len(passages) // 2 + 1


class Crash(Exception):
    pass


# Writes of a two-document batch: 1 passages, 2 facts, 3 document records (then the journal).
@pytest.mark.parametrize("crash_after", [1, 2, 3])
def test_crash_between_writes_is_healed_by_the_next_run(store, store_settings, crash_after):
    clean = Store(store_settings.model_copy(update={"collection_prefix": store_settings.collection_prefix + "c",
                                                    "passage_chars": 120}), HashEmbedder())
    docs = [make_doc("a"), make_doc("b", TEXT.replace("12", "14"))]
    for d in docs:
        write(clean, d)

    # First run dies after `crash_after` Chroma writes (the in-process twin of the SIGKILL test).
    original = store._written

    def dying():
        original()
        if store.writes >= crash_after:
            raise Crash()

    store._written = dying
    with pytest.raises(Crash):
        store.write_documents([(d, split_passages(d, store.settings), facts_of(d)) for d in docs])
    store._written = original
    assert store.pending() == ["a", "b"]
    # Whatever was written, no document looks complete without its data.
    for doc_id in store.document_ids():
        assert len(store.passages(doc_id)) == len(split_passages(make_doc(doc_id), store.settings))

    statuses = store.write_documents([(d, split_passages(d, store.settings), facts_of(d)) for d in docs])
    # Before the document records were written, both documents are redone; after, they are complete.
    assert statuses == (["unchanged"] * 2 if crash_after == 3 else ["new", "new"])
    store.heal()
    assert store.stats() == clean.stats()
    assert store.pending() == []
    assert store.orphan_doc_ids() == set()


def test_heal_removes_leftovers_of_documents_not_written_again(store):
    doc = make_doc("gone")
    store._journal_add([doc.id])
    store._upsert(store.passages_col, [])  # nothing; then write data without its record:
    p = split_passages(doc, store.settings)[0]
    store.passages_col.upsert(ids=[p.id], embeddings=HashEmbedder().embed([p.text]),
                              documents=[p.text], metadatas=[{"doc_id": doc.id, "index": 0,
                                                              "start": p.start, "end": p.end}])
    assert store.orphan_doc_ids() == {"gone"}
    assert store.heal() == ["gone"]
    assert store.stats() == {"documents": 0, "passages": 0, "facts": 0}


def test_delete_document(store):
    write(store, make_doc("x"))
    write(store, make_doc("y"))
    store.delete_document("x")
    assert store.document_ids() == {"y"}
    assert store.passages("x") == [] and store.facts(["x"]) == []
    assert store.orphan_doc_ids() == set()


def test_search_passages_facts_and_keywords(store):
    write(store, make_doc("a"))
    other = make_doc("b", "Teplizumab delayed the onset of stage 3 type 1 diabetes in relatives.")
    write(store, other, [])
    hits = store.search_passages("insulin independent participants", k=3)
    assert hits and hits[0][0].doc_id == "a"
    assert all(-1.0 <= score <= 1.0 for _, score in hits)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert {p.doc_id for p, _ in store.search_passages("diabetes", k=5, doc_ids=["b"])} == {"b"}

    fact_hits = store.search_facts("neutropenia occurred", k=1)
    assert fact_hits[0][0].name == "neutropenia"
    assert store.search_facts("died", k=3, kinds=["adverse_event"])[0][0].kind == "adverse_event"

    assert [p.doc_id for p in store.keyword_search(["TEPLIZUMAB"], k=5)] == ["b"]
    assert store.keyword_search(["neutropenia", "participants"], k=5)[0].doc_id == "a"
    assert store.keyword_search(["no-such-term"], k=5) == []


def test_empty_store_reads(store):
    assert store.stats() == {"documents": 0, "passages": 0, "facts": 0}
    assert store.search_passages("anything") == []
    assert store.documents() == []


def test_another_embedding_model_is_refused_with_advice(store, store_settings):
    write(store, make_doc())
    other = Store(store.settings, HashEmbedder(name="another-model"))
    assert other.stored_model() == "hash-embedder"
    with pytest.raises(StoreError, match="kb rebuild"):
        write(other, make_doc("new-doc"))


def test_reset_drops_everything(store):
    write(store, make_doc())
    store.reset()
    assert store.stats() == {"documents": 0, "passages": 0, "facts": 0}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://db-host:8000", {"host": "db-host", "port": 8000, "ssl": False}),
        ("https://chroma.example.org", {"host": "chroma.example.org", "port": 443, "ssl": True}),
        ("localhost:9000", {"host": "localhost", "port": 9000, "ssl": False}),
        ("http://127.0.0.1", {"host": "127.0.0.1", "port": 8000, "ssl": False}),
    ],
)
def test_chroma_url_parsing(url, expected):
    assert chroma_client_args(url) == expected


def test_bad_chroma_url_says_what_to_do():
    with pytest.raises(StoreError, match="unset it"):
        chroma_client_args("ftp://x")


@pytest.mark.slow
def test_real_model_and_real_chroma_rank_by_meaning(store_settings, real_embedder):
    store = Store(store_settings, real_embedder)
    doc = make_doc()
    write(store, doc)
    write(store, make_doc("b", "The weather in Boston was cold and windy all week."), [])
    best, score = store.search_passages("patients no longer needed insulin injections", k=1)[0]
    assert best.doc_id == "doc1" and score > 0.3
    assert store.search_facts("low white blood cell count", k=1)[0][0].name == "neutropenia"
    before = real_embedder.texts_embedded
    assert write(store, doc) == "unchanged"
    assert real_embedder.texts_embedded == before


def test_metadata_only_change_updates_in_place_without_embedding(store):
    doc = make_doc(year=2020)
    write(store, doc)
    embedded = store.embedder.texts_embedded
    moved = doc.model_copy(update={"year": 2021, "journal": "N Engl J Med"})
    assert write(store, moved) == "updated"
    assert store.embedder.texts_embedded == embedded
    assert store.get_document(doc.id).journal == "N Engl J Med"
    assert {p.doc_id for p, _ in store.search_passages("insulin", k=5)} == {doc.id}
    assert store.passages_col.get(where={"year": 2021}, include=[])["ids"]


def test_full_reads_are_cached_per_generation_and_see_other_writers(store, store_settings):
    write(store, make_doc("a"))
    first = store.facts()
    token = store.generation()
    assert token and store.facts() == first and store._cache["facts"][0] == token
    # Another process (here: another Store on the same collections) writes: the token changes.
    other = Store(store.settings, HashEmbedder())
    write(other, make_doc("b", TEXT.replace("12", "14")))
    assert store.generation() != token
    assert {f.doc for f in store.facts()} == {"a", "b"}
    assert [d.id for d in store.documents()] == ["a", "b"]
    assert {f.doc for f in store.facts(kinds=["adverse_event"], doc_ids=["b"])} == {"b"}


def test_full_reads_outlive_the_process_as_snapshots(store):
    write(store, make_doc("a"))
    write(store, make_doc("b", TEXT.replace("12", "14")))
    facts, documents = store.facts(), store.documents()
    token = store.generation()
    prefix = store.settings.collection_prefix
    snapshots = sorted(p.name for p in (store.settings.home / "cache").iterdir())
    assert snapshots == [f"{prefix}-documents-{token}.json", f"{prefix}-facts-{token}.json"]

    # A new process (a fresh Store) reads the snapshot, not Chroma, and gets the same records,
    # ids included (the ids are carried, not hashed again).
    fresh = Store(store.settings, HashEmbedder())
    fresh._get_all = None  # any Chroma read of the full lists would now fail
    again = fresh.facts()
    assert again == facts and [f.fact_id for f in again] == [f.fact_id for f in facts]
    assert fresh.documents() == documents

    # A write changes the generation: the old snapshot is not used, and is replaced.
    write(store, make_doc("c", TEXT.replace("12", "16")))
    fresh = Store(store.settings, HashEmbedder())
    assert {f.doc for f in fresh.facts()} == {"a", "b", "c"}
    assert not (store.settings.home / "cache" / f"{prefix}-facts-{token}.json").exists()

    # A damaged snapshot is ignored (read from Chroma instead), never trusted.
    path = store.settings.home / "cache" / f"{prefix}-facts-{fresh.generation()}.json"
    path.write_text('[["f:1", {"doc": "a"')
    assert {f.doc for f in Store(store.settings, HashEmbedder()).facts()} == {"a", "b", "c"}


WRITER = """
import sys
sys.path.insert(0, {tests!r})
from test_store import make_doc, write
from kb.embed import HashEmbedder
from kb.settings import Settings
from kb.store import Store
store = Store(Settings().model_copy(update={{"passage_chars": 120}}), HashEmbedder())
write(store, make_doc("written-elsewhere", "Teplizumab delayed the onset of type 1 diabetes."), [])
"""


def test_a_long_running_reader_searches_what_another_process_wrote(store):
    import subprocess
    import sys
    from pathlib import Path

    write(store, make_doc("a"))
    assert {p.doc_id for p, _ in store.search_passages("teplizumab onset", k=10)} == {"a"}
    code = WRITER.format(tests=str(Path(__file__).parent))
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    # Counts come from SQLite; the vectors from the HNSW index this process loaded earlier.
    assert store.stats()["documents"] == 2
    hits = store.search_passages("teplizumab onset", k=10)
    assert {p.doc_id for p, _ in hits} == {"a", "written-elsewhere"}
    assert hits[0][0].doc_id == "written-elsewhere"
