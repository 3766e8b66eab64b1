"""The knowledge base's derived data in Chroma: documents, passages and facts, with embeddings.

This is the only module that imports chromadb (lazily, inside ``Store``). Everything it returns is
a ``kb.models`` record; Chroma's result dicts never leave this file.

Contract
--------
* Three collections, ``<prefix>_documents``, ``<prefix>_passages``, ``<prefix>_facts``, all with
  cosine distance and embeddings computed here (Chroma's default embedding function is never
  used: it would download a model).
* Ids are deterministic: a document's id, ``{doc_id}#p{index}`` for passages, ``Fact.fact_id``.
* ``write_documents`` writes a document's facts and passages first and its document record last.
  The document record is the completion marker: a document whose record is missing (a crash
  between writes) is simply written again by the next run, and a document whose record carries
  the same ``record_hash`` is unchanged: nothing is written and nothing is embedded.
* A text is embedded at most once per batch (cache by text hash), and a passage or fact whose id
  already holds the same text hash is never re-embedded (its metadata is updated in place).
* Every Chroma write is chunked within ``client.get_max_batch_size()``.
* Ids a batch is about to touch are recorded in a small journal (``KB_HOME/store-journal.json``)
  until the batch's document records are written; ``heal()`` removes the passages and facts of
  journalled documents that never got a record (orphans of a crashed run).
* Facts are embedded by their quote (the sentence they came from), not by a synthetic
  "kind name value" string: the quote is what a researcher's query resembles, several facts
  from one sentence then share one embedding (one model call instead of five), and kind /
  name stay exact metadata filters.
* The embedding model's name is stored in the collections' metadata at creation; writing with
  another model is refused (``kb rebuild`` re-embeds everything), ``kb doctor`` reports it.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from kb.embed import Embedder, get_embedder, text_hash
from kb.models import Document, Fact, Passage, Section, stable_hash
from kb.settings import Settings

log = logging.getLogger(__name__)

WriteStatus = Literal["new", "updated", "unchanged"]

# Page size for reading whole collections (get with limit/offset); well under SQLite's
# variable limit and small enough to keep memory flat on 100k-record collections.
READ_PAGE = 5000
# Test hook: SIGKILL this process after N Chroma write calls (kill-and-resume tests).
KILL_AFTER_ENV = "KB_TEST_KILL_AFTER"
SCHEMA_VERSION = 1
_GENERATION = "generation"
QUERY_CACHE = 512  # query embeddings kept (384 floats each: ~1.5 MB in all)

# Document fields stored as JSON strings in Chroma metadata (metadata values must be scalars).
_JSON_FIELDS = ("sections", "registry_ids", "authors", "cites")


class StoreError(RuntimeError):
    """A store problem the user can act on; the message says what to do next."""


@dataclass
class _Record:
    id: str
    text: str  # what Chroma keeps as the record's document
    embed_text: str  # what is embedded
    meta: dict[str, Any]
    vector: list[float] | None = None


@dataclass
class _Plan:
    """What one batch will write, collection by collection."""

    embed: list[_Record] = field(default_factory=list)  # new text: embed + upsert
    update: list[_Record] = field(default_factory=list)  # same text, new metadata
    delete: list[str] = field(default_factory=list)  # stale ids


_UNSET = object()
# Generation tokens this process wrote (a reader must not reopen its client for its own writes).
_OWN_TOKENS: deque[str] = deque(maxlen=4096)
_SHARED_LOCK = threading.Lock()


class _SharedClient:
    """The one embedded Chroma client per store folder in this process, replaceable."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.epoch = 0
        self.token: Any = _UNSET
        self.client = self._open()

    def _open(self):
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        Path(self.path).mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=self.path,
                                         settings=ChromaSettings(anonymized_telemetry=False))

    def reopen(self, token: str | None) -> None:
        from chromadb.api.shared_system_client import SharedSystemClient

        with _SHARED_LOCK:
            if self.token == token:
                return
            # chromadb caches one System per path; forget it so the new client reloads the
            # segments from disk. The old System is left to the garbage collector, not stopped:
            # another thread may still be reading through it.
            ident = getattr(self.client, "_identifier", self.path)
            SharedSystemClient._identifier_to_system.pop(ident, None)
            SharedSystemClient._identifier_to_refcount.pop(ident, None)
            self.client = self._open()
            self.epoch += 1
            self.token = token


_SHARED: dict[str, _SharedClient] = {}


def _shared_embedded(path: str) -> _SharedClient:
    entry = _SHARED.get(path)
    if entry is None:
        with _SHARED_LOCK:
            entry = _SHARED.get(path)
            if entry is None:
                entry = _SHARED[path] = _SharedClient(path)
    return entry


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def chroma_client_args(url: str) -> dict[str, Any]:
    """host/port/ssl for ``chromadb.HttpClient`` from a URL like ``https://db:8000``."""
    parsed = urlparse(url if "://" in url else f"http://{url}")
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise StoreError(
            f"KB_CHROMA_URL={url!r} is not an http(s) URL; set it like http://host:8000 or unset it "
            "to use the embedded store"
        )
    ssl = parsed.scheme == "https"
    port = parsed.port or (443 if ssl else 8000)
    return {"host": parsed.hostname, "port": port, "ssl": ssl}


def document_metadata(doc: Document) -> dict[str, str | int | float | bool]:
    """Flat Chroma metadata for a document record (text is stored as the record's document)."""
    data = doc.model_dump(mode="json", exclude={"text", "facts", "content_hash"})
    flat: dict[str, str | int | float | bool] = {}
    for key, val in data.items():
        if val is None:
            continue
        flat[key] = json.dumps(val, ensure_ascii=False) if key in _JSON_FIELDS else val
    flat["content_hash"] = doc.content_hash
    flat["record_hash"] = record_hash(doc)
    return flat


def record_hash(doc: Document) -> str:
    """Changes when anything stored about the document changes (content_hash covers less)."""
    return stable_hash(doc.model_dump(mode="json"), length=32)


def document_from_record(text: str | None, meta: dict[str, Any]) -> Document:
    data = {k: v for k, v in meta.items() if k in Document.model_fields}
    for key in _JSON_FIELDS:
        if isinstance(data.get(key), str):
            data[key] = json.loads(data[key])
    data["sections"] = [Section(**s) for s in data.get("sections", [])]
    return Document(text=text or "", **{k: v for k, v in data.items() if k != "text"})


_FACT_FIELDS = frozenset(Fact.model_fields)


def fact_from_metadata(meta: dict[str, Any]) -> Fact:
    """A Fact from its Chroma metadata (store-only keys such as text_hash are ignored)."""
    data = {k: v for k, v in meta.items() if k in _FACT_FIELDS}
    if isinstance(data.get("aliases"), str):
        data["aliases"] = json.loads(data["aliases"])
    return Fact.model_validate(data)


def passage_from_record(pid: str, text: str | None, meta: dict[str, Any]) -> Passage:
    return Passage(
        id=pid,
        doc_id=meta["doc_id"],
        index=int(meta["index"]),
        text=text or "",
        start=int(meta["start"]),
        end=int(meta["end"]),
        section=meta.get("section"),
    )


class Store:
    """Chroma-backed store of documents, passages and facts (see the module docstring)."""

    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings or Settings()
        self._embedder = embedder
        self._client = None
        self._epoch = -1
        self._collections: dict[str, Any] = {}
        self._max_batch: int | None = None
        kill = os.environ.get(KILL_AFTER_ENV)
        self._kill_after = int(kill) if kill else None
        self.writes = 0
        self._had_record: set[str] = set()
        # Full reads (all documents, all facts) cached per store generation; see per_generation().
        self._cache: dict[str, tuple[str, Any]] = {}
        self._query_cache: dict[str, list[float]] = {}

    # --- plumbing -------------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.settings)
        return self._embedder

    @property
    def client(self):
        if self.settings.chroma_url:
            if self._client is None:
                self._client = self._open_http()
            return self._client
        entry = _shared_embedded(str(self.settings.chroma_dir))
        if self._epoch != entry.epoch:
            self._collections.clear()  # handles of a replaced client
            self._epoch = entry.epoch
        return entry.client

    def _open_http(self):
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        args = chroma_client_args(self.settings.chroma_url or "")
        try:
            client = chromadb.HttpClient(settings=ChromaSettings(anonymized_telemetry=False), **args)
            client.heartbeat()
        except Exception as exc:
            raise StoreError(
                f"cannot reach the Chroma server at {self.settings.chroma_url} ({exc}); "
                "start it (`chroma run --path DIR --port PORT`) or unset KB_CHROMA_URL"
            ) from exc
        return client

    def _sync_index(self) -> None:
        """Before a vector query: if another process wrote since our embedded client loaded its
        index, reopen the client. Chroma's embedded HNSW segment is loaded once per process and
        never sees another process's writes (counts and metadata do, vectors do not), so a
        long-running app would search a stale index after a CLI ingest. A server needs nothing."""
        if self.settings.chroma_url:
            return
        entry = _shared_embedded(str(self.settings.chroma_dir))
        token = self.generation()
        if entry.token is _UNSET or token is None or token in _OWN_TOKENS:
            entry.token = token
        elif token != entry.token:
            entry.reopen(token)

    @property
    def location(self) -> str:
        return self.settings.chroma_url or str(self.settings.chroma_dir)

    @property
    def max_batch(self) -> int:
        if self._max_batch is None:
            self._max_batch = int(self.client.get_max_batch_size())
        return self._max_batch

    def collection_name(self, kind: str) -> str:
        return f"{self.settings.collection_prefix}_{kind}"

    def _collection(self, kind: str):
        client = self.client  # first: a replaced client drops the old collection handles
        col = self._collections.get(kind)
        if col is None:
            meta = {
                "hnsw:space": "cosine",
                "embed_model": self.embedder.name,
                "schema": SCHEMA_VERSION,
            }
            col = client.get_or_create_collection(
                self.collection_name(kind), metadata=meta, embedding_function=None
            )
            self._collections[kind] = col
        return col

    @property
    def meta_col(self):
        """One record, "generation": a token every write replaces (read caches check it)."""
        client = self.client
        col = self._collections.get("meta")
        if col is None:
            col = client.get_or_create_collection(
                self.collection_name("meta"), metadata={"hnsw:space": "cosine"},
                embedding_function=None,
            )
            self._collections["meta"] = col
        return col

    def generation(self) -> str | None:
        """The store's current write generation (None before the first write)."""
        res = self.meta_col.get(ids=[_GENERATION], include=["metadatas"])
        metas = res.get("metadatas") or []
        return str(metas[0].get("token")) if metas and metas[0] else None

    def _bump(self) -> None:
        self._cache.clear()
        token = uuid.uuid4().hex
        _OWN_TOKENS.append(token)
        self.meta_col.upsert(ids=[_GENERATION], embeddings=[[1.0]], metadatas=[{"token": token}])

    def per_generation(self, key: str, load):
        """``load()`` once per store generation: other processes' writes change the token too,
        so an app process never serves a stale list, and reading 100k facts out of Chroma
        (~0.15 ms a record) happens once, not on every search or comparison. Also for derived
        views (kb.query's curated records). The full lists of documents and facts also outlive
        the process as a snapshot file (see _snapshot_read)."""
        token = self.generation()
        hit = self._cache.get(key)
        if token is not None and hit is not None and hit[0] == token:
            return hit[1]
        value = self._snapshot_read(key, token) if token is not None else None
        if value is None:
            value = load()
            if token is not None:
                self._snapshot_write(key, token, value)
        if token is not None:
            self._cache[key] = (token, value)
        return value

    # Full lists that are slow to read back from Chroma (metadata comes back at ~7k records/s:
    # 15 s for 100k facts) are kept in KB_HOME/cache/<key>-<generation>.json, so a `kb compare`
    # in a new process reads 100k facts in ~1.7 s. The generation token changes on every write
    # (any process, embedded or server), so a snapshot is never stale; it is only a copy, and
    # deleting the folder is always safe.
    _SNAPSHOTS: dict[str, Any] = {}

    def _snapshot_adapter(self, key: str):
        if key not in ("documents", "facts"):
            return None
        if key not in Store._SNAPSHOTS:
            from pydantic import TypeAdapter

            # Facts travel with their ids, so that reading them back hashes nothing.
            Store._SNAPSHOTS[key] = TypeAdapter(
                list[Document] if key == "documents" else list[tuple[str, Fact]])
        return Store._SNAPSHOTS[key]

    def _snapshot_path(self, key: str, token: str) -> Path:
        return self.settings.home / "cache" / f"{self.settings.collection_prefix}-{key}-{token}.json"

    def _snapshot_read(self, key: str, token: str):
        adapter = self._snapshot_adapter(key)
        path = self._snapshot_path(key, token)
        if adapter is None or not path.exists():
            return None
        try:
            value = adapter.validate_json(path.read_bytes())
            return [f.known_fact_id(i) for i, f in value] if key == "facts" else value
        except (OSError, ValueError) as exc:  # a torn or old-format copy: read Chroma instead
            log.warning("ignoring the snapshot %s: %s", path, str(exc)[:200])
            return None

    def _snapshot_write(self, key: str, token: str, value: Any) -> None:
        adapter = self._snapshot_adapter(key)
        if adapter is None:
            return
        path = self._snapshot_path(key, token)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            if key == "facts":
                value = [(f.fact_id, f) for f in value]
            tmp.write_bytes(adapter.dump_json(value, exclude_computed_fields=True))
            os.replace(tmp, path)
            for old in path.parent.glob(f"{self.settings.collection_prefix}-{key}-*.json"):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError as exc:  # a read-only KB_HOME still answers, only slower
            log.warning("could not write the snapshot %s: %s", path, exc)

    def _warm(self, key: str):
        """The cached value when it is current, else None (no load)."""
        hit = self._cache.get(key)
        if hit is not None and hit[0] == self.generation():
            return hit[1]
        return None

    @property
    def documents_col(self):
        return self._collection("documents")

    @property
    def passages_col(self):
        return self._collection("passages")

    @property
    def facts_col(self):
        return self._collection("facts")

    def stored_model(self) -> str | None:
        """The embedding model the store was built with (None for a store of an older schema)."""
        return (self.documents_col.metadata or {}).get("embed_model")

    def check_model(self) -> None:
        stored = self.stored_model()
        if stored and stored != self.embedder.name:
            raise StoreError(
                f"the store at {self.location} was built with embedding model {stored!r}, not "
                f"{self.embedder.name!r}; run `kb rebuild` to re-embed it with the current model"
            )

    def _written(self) -> None:
        """Count one Chroma write; the kill hook lets tests crash at a precise point."""
        self.writes += 1
        self._bump()
        if self._kill_after is not None and self.writes >= self._kill_after:
            os.kill(os.getpid(), signal.SIGKILL)

    def _upsert(self, col, records: list[_Record]) -> None:
        for chunk in _chunks(records, self.max_batch):
            col.upsert(
                ids=[r.id for r in chunk],
                embeddings=[r.vector for r in chunk],
                documents=[r.text for r in chunk],
                metadatas=[r.meta for r in chunk],
            )
            self._written()

    def _update(self, col, records: list[_Record]) -> None:
        # Metadata only: the text is the same (same text hash), so Chroma keeps the stored
        # vectors. Passing documents without embeddings would make Chroma embed them itself.
        for chunk in _chunks(records, self.max_batch):
            col.update(ids=[r.id for r in chunk], metadatas=[r.meta for r in chunk])
            self._written()

    def _delete(self, col, ids: list[str]) -> None:
        for chunk in _chunks(ids, self.max_batch):
            col.delete(ids=list(chunk))
            self._written()

    def _get_all(self, col, where: dict | None = None, include: list[str] | None = None,
                 ids: list[str] | None = None) -> Iterator[tuple[str, str | None, dict]]:
        """(id, document, metadata) of every matching record, read page by page."""
        include = ["metadatas"] if include is None else include
        if ids is not None:
            for chunk in _chunks(ids, READ_PAGE):
                res = col.get(ids=list(chunk), where=where, include=include)
                yield from self._rows(res)
            return
        offset = 0
        while True:
            res = col.get(where=where, include=include, limit=READ_PAGE, offset=offset)
            rows = list(self._rows(res))
            yield from rows
            if len(rows) < READ_PAGE:
                return
            offset += READ_PAGE

    @staticmethod
    def _rows(res: dict) -> Iterator[tuple[str, str | None, dict]]:
        ids = res.get("ids") or []
        docs = res.get("documents") or [None] * len(ids)
        metas = res.get("metadatas") or [{}] * len(ids)
        for i, rid in enumerate(ids):
            yield rid, docs[i], metas[i] or {}

    @staticmethod
    def _in(key: str, values: list[str]) -> dict:
        return {key: values[0]} if len(values) == 1 else {key: {"$in": list(values)}}

    # --- journal of batches in flight ----------------------------------------------------------

    @property
    def journal_path(self) -> Path:
        return self.settings.home / "store-journal.json"

    def _journal_read(self) -> list[str]:
        try:
            return list(json.loads(self.journal_path.read_text("utf-8")).get("pending", []))
        except FileNotFoundError:
            return []
        except (ValueError, AttributeError):
            # A torn journal only means we do not know which ids to check: heal() then sweeps all.
            return ["*"]

    def _journal_write(self, pending: list[str]) -> None:
        self.journal_path.parent.mkdir(parents=True, exist_ok=True)
        if not pending:
            self.journal_path.unlink(missing_ok=True)
            return
        tmp = self.journal_path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"pending": sorted(set(pending))}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.journal_path)

    def _journal_add(self, ids: Iterable[str]) -> None:
        self._journal_write(self._journal_read() + list(ids))

    def _journal_done(self, ids: Iterable[str]) -> None:
        done = set(ids)
        self._journal_write([i for i in self._journal_read() if i not in done])

    def pending(self) -> list[str]:
        """Document ids journalled by a batch that has not finished (a crashed run)."""
        return self._journal_read()

    # --- writing --------------------------------------------------------------------------------

    def unchanged_ids(self, docs: Sequence[Document]) -> set[str]:
        """Ids of the documents stored complete with exactly this content (nothing to do)."""
        if not docs:
            return set()
        wanted = {d.id: record_hash(d) for d in docs}
        stored = {
            rid: meta.get("record_hash")
            for rid, _, meta in self._get_all(self.documents_col, ids=list(wanted))
        }
        return {i for i, h in wanted.items() if stored.get(i) == h}

    def write_document(self, doc: Document, passages: list[Passage], facts: list[Fact]) -> WriteStatus:
        """Store one document with its passages and facts; see ``write_documents``."""
        return self.write_documents([(doc, passages, facts)])[0]

    def write_documents(
        self, items: Sequence[tuple[Document, list[Passage], list[Fact]]]
    ) -> list[WriteStatus]:
        """Store a batch of documents; returns "new" / "updated" / "unchanged" per item, in order.

        Facts and passages are written first, document records last. Unchanged documents cost
        one read. Stale passages/facts of a changed document are deleted. Each distinct text is
        embedded once; texts already stored under the same id are not embedded again.
        """
        if not items:
            return []
        latest: dict[str, tuple[Document, list[Passage], list[Fact]]] = {}
        for item in items:
            latest[item[0].id] = item  # a document given twice in one batch: the last one wins
        existing = {
            rid: meta for rid, _, meta in self._get_all(self.documents_col, ids=list(latest))
        }
        status: dict[str, WriteStatus] = {}
        todo: list[tuple[Document, list[Passage], list[Fact]]] = []
        for doc_id, item in latest.items():
            meta = existing.get(doc_id)
            if meta is not None and meta.get("record_hash") == record_hash(item[0]):
                status[doc_id] = "unchanged"
            else:
                status[doc_id] = "updated" if meta is not None else "new"
                todo.append(item)
        if todo:
            self.check_model()
            self._had_record = {i for i, st in status.items() if st == "updated"}
            self._write_batch(todo)
        return [status[item[0].id] for item in items]

    def _write_batch(self, todo: list[tuple[Document, list[Passage], list[Fact]]]) -> None:
        doc_ids = [doc.id for doc, _, _ in todo]
        self._journal_add(doc_ids)
        # A changed document loses its completion marker before its data changes: a crash then
        # leaves a document without a record (rewritten or swept up), never a half-updated one
        # that looks complete.
        self._delete(self.documents_col, [i for i in doc_ids if i in self._had_record])

        passage_recs: list[_Record] = []
        fact_recs: list[_Record] = []
        for doc, passages, facts in todo:
            extra = {"source_type": doc.source_type}
            if doc.year is not None:
                extra["year"] = doc.year
            for p in passages:
                meta: dict[str, Any] = {
                    "doc_id": doc.id, "index": p.index, "start": p.start, "end": p.end, **extra,
                }
                if p.section is not None:
                    meta["section"] = p.section
                meta["text_hash"] = text_hash(p.text)
                passage_recs.append(_Record(p.id, p.text, p.text, meta))
            seen: set[str] = set()
            for f in facts:
                if f.fact_id in seen:
                    continue  # the same fact twice (registry + rule on the same line)
                seen.add(f.fact_id)
                meta = {**f.to_metadata(), **extra}
                meta["text_hash"] = text_hash(f.quote)
                fact_recs.append(_Record(f.fact_id, f.quote, f.quote, meta))

        p_plan = self._plan(self.passages_col, "doc_id", doc_ids, passage_recs)
        f_plan = self._plan(self.facts_col, "doc", doc_ids, fact_recs)

        # Document records reuse their first passage's vector (no extra model call); a document
        # without passages is embedded by its title.
        first = {p.doc_id: p.id for _, ps, _ in todo for p in ps if p.index == 0}
        doc_recs = [
            _Record(doc.id, doc.text, doc.title or doc.id, document_metadata(doc))
            for doc, _, _ in todo
        ]
        need_doc_embed = [r for r in doc_recs if r.id not in first]

        # One model call for every distinct new text of the batch.
        to_embed = p_plan.embed + f_plan.embed + need_doc_embed
        by_hash: dict[str, str] = {}
        for r in to_embed:
            by_hash.setdefault(text_hash(r.embed_text), r.embed_text)
        hashes = list(by_hash)
        vectors = dict(zip(hashes, self.embedder.embed([by_hash[h] for h in hashes]), strict=True))
        for r in to_embed:
            r.vector = vectors[text_hash(r.embed_text)]

        fresh = {r.id: r.vector for r in p_plan.embed}
        missing = [pid for pid in first.values() if pid not in fresh]
        if missing:
            res = self.passages_col.get(ids=missing, include=["embeddings"])
            for rid, vec in zip(res["ids"], res["embeddings"], strict=True):
                fresh[rid] = [float(x) for x in vec]
        for r in doc_recs:
            if r.vector is None:
                r.vector = fresh[first[r.id]]

        counts = {}
        for doc, passages, facts in todo:
            counts[doc.id] = (len(passages), len({f.fact_id for f in facts}))
        for r in doc_recs:
            r.meta["n_passages"], r.meta["n_facts"] = counts[r.id]
            r.meta["embed_model"] = self.embedder.name

        self._delete(self.facts_col, f_plan.delete)
        self._delete(self.passages_col, p_plan.delete)
        self._upsert(self.passages_col, p_plan.embed)
        self._update(self.passages_col, p_plan.update)
        self._upsert(self.facts_col, f_plan.embed)
        self._update(self.facts_col, f_plan.update)
        self._upsert(self.documents_col, doc_recs)  # completion markers, last
        self._journal_done(doc_ids)

    def _plan(self, col, key: str, doc_ids: list[str], records: list[_Record]) -> _Plan:
        stored = {
            rid: meta for rid, _, meta in self._get_all(col, where=self._in(key, doc_ids))
        }
        plan = _Plan()
        wanted = set()
        for r in records:
            if r.id in wanted:
                continue
            wanted.add(r.id)
            old = stored.get(r.id)
            if old is None or old.get("text_hash") != r.meta["text_hash"]:
                plan.embed.append(r)
            elif old != r.meta:
                plan.update.append(r)
        plan.delete = [rid for rid in stored if rid not in wanted]
        return plan

    def invalidate(self, doc_ids: list[str]) -> None:
        """Remove only the documents' completion markers: the next write of each redoes it
        (reusing the embeddings of unchanged passages); ``heal()`` drops what is not rewritten."""
        if doc_ids:
            self._journal_add(doc_ids)
            self._delete(self.documents_col, list(doc_ids))

    def delete_document(self, doc_id: str) -> None:
        """Remove a document: its record first (so it never looks complete), then its data."""
        self._journal_add([doc_id])
        self._delete(self.documents_col, [doc_id])
        self._delete_data([doc_id])
        self._journal_done([doc_id])

    def _delete_data(self, doc_ids: list[str]) -> None:
        for chunk in _chunks(doc_ids, 100):
            self.passages_col.delete(where=self._in("doc_id", list(chunk)))
            self._written()
            self.facts_col.delete(where=self._in("doc", list(chunk)))
            self._written()

    def heal(self) -> list[str]:
        """Remove passages/facts of journalled documents that have no record; returns their ids.

        Call after a complete run: documents that run wrote again have records by then (and
        reused the orphans' embeddings), the rest are leftovers of a crash.
        """
        pending = self._journal_read()
        if not pending:
            return []
        self._bump()  # a run killed between its last write and its bump left caches behind
        if "*" in pending:
            removed = self.remove_orphans()
        else:
            have = {rid for rid, _, _ in self._get_all(self.documents_col, ids=pending, include=[])}
            removed = [i for i in pending if i not in have]
            if removed:
                self._delete_data(removed)
        self._journal_write([])
        return removed

    def remove_orphans(self) -> list[str]:
        """Full sweep: delete passages and facts whose document record is missing."""
        orphans = sorted(self.orphan_doc_ids())
        if orphans:
            self._delete_data(orphans)
        return orphans

    def orphan_doc_ids(self) -> set[str]:
        """Document ids that passages or facts point at but that have no document record."""
        have = self.document_ids()
        referenced = {m.get("doc_id") for _, _, m in self._get_all(self.passages_col)}
        referenced |= {m.get("doc") for _, _, m in self._get_all(self.facts_col)}
        referenced.discard(None)
        return referenced - have

    def reset(self) -> None:
        """Drop all three collections (``kb rebuild`` starts from an empty store)."""
        for kind in ("documents", "passages", "facts", "meta"):
            try:
                self.client.delete_collection(self.collection_name(kind))
                self.writes += 1
            except Exception as exc:  # absent collection: nothing to drop
                if "does not exist" not in str(exc) and "NotFound" not in type(exc).__name__:
                    raise
        self._collections.clear()
        self._bump()

    # --- reading --------------------------------------------------------------------------------

    def document_ids(self) -> set[str]:
        return {rid for rid, _, _ in self._get_all(self.documents_col, include=[])}

    def document_meta(self, doc_ids: list[str] | None = None) -> dict[str, dict]:
        """Raw stored metadata per document id (for ``kb doctor``: counts, hashes, model)."""
        return {rid: m for rid, _, m in self._get_all(self.documents_col, ids=doc_ids)}

    def get_document(self, doc_id: str) -> Document | None:
        """The stored document, with its registry facts in ``facts``; None when absent."""
        res = self.documents_col.get(ids=[doc_id], include=["documents", "metadatas"])
        rows = list(self._rows(res))
        if not rows:
            return None
        _, text, meta = rows[0]
        doc = document_from_record(text, meta)
        registry = [f for f in self.facts(doc_ids=[doc_id]) if f.method == "registry"]
        return doc.model_copy(update={"facts": registry})

    def documents(self, where: dict | None = None) -> list[Document]:
        """All stored documents (matching a Chroma metadata filter); ``facts`` left empty."""
        def load() -> list[Document]:
            rows = self._get_all(self.documents_col, where=where, include=["documents", "metadatas"])
            return sorted((document_from_record(t, m) for _, t, m in rows), key=lambda d: d.id)

        if where:
            return load()
        return list(self.per_generation("documents", load))

    def documents_by_id(self, doc_ids: list[str]) -> list[Document]:
        """The stored documents with these ids (from the cache when it is current)."""
        wanted = list(dict.fromkeys(doc_ids))
        warm = self._warm("documents")
        if warm is not None:
            ids = set(wanted)
            return [d for d in warm if d.id in ids]
        rows = self._get_all(self.documents_col, ids=wanted, include=["documents", "metadatas"])
        return sorted((document_from_record(t, m) for _, t, m in rows), key=lambda d: d.id)

    def facts(self, doc_ids: list[str] | None = None, kinds: list[str] | None = None) -> list[Fact]:
        """Stored facts, optionally of some documents and kinds, ordered by document and offset."""
        if doc_ids is not None and not doc_ids:
            return []

        def load(where: dict | None) -> list[Fact]:
            facts = [fact_from_metadata(m).known_fact_id(rid)
                     for rid, _, m in self._get_all(self.facts_col, where=where)]
            return sorted(facts, key=lambda f: (f.doc, f.start, f.end, f.kind, f.fact_id))

        if doc_ids is None and not kinds:
            return list(self.per_generation("facts", lambda: load(None)))
        warm = self._warm("facts")
        if warm is not None:  # filtering the cached list beats a Chroma query
            ids, wanted = set(doc_ids or ()), set(kinds or ())
            return [f for f in warm if (not ids or f.doc in ids) and (not wanted or f.kind in wanted)]
        clauses = []
        if doc_ids is not None:
            clauses.append(self._in("doc", list(doc_ids)))
        if kinds:
            clauses.append(self._in("kind", list(kinds)))
        return load(clauses[0] if len(clauses) == 1 else {"$and": clauses})

    def passages(self, doc_id: str) -> list[Passage]:
        rows = self._get_all(
            self.passages_col, where={"doc_id": doc_id}, include=["documents", "metadatas"]
        )
        return sorted((passage_from_record(*r) for r in rows), key=lambda p: p.index)

    def all_passages(self) -> Iterator[Passage]:
        for r in self._get_all(self.passages_col, include=["documents", "metadatas"]):
            yield passage_from_record(*r)

    def search_passages(
        self, query: str, k: int = 10, doc_ids: list[str] | None = None
    ) -> list[tuple[Passage, float]]:
        """Top-k passages by cosine similarity (score in [-1, 1], higher is closer)."""
        if doc_ids is not None and not doc_ids:
            return []
        where = self._in("doc_id", list(doc_ids)) if doc_ids else None
        rows = self._query("passages", query, k, where)
        return [(passage_from_record(rid, text, meta), score) for rid, text, meta, score in rows]

    def search_facts(
        self, query: str, k: int = 10, kinds: list[str] | None = None,
        doc_ids: list[str] | None = None,
    ) -> list[tuple[Fact, float]]:
        """Top-k facts whose quote is closest to the query (cosine similarity)."""
        clauses = []
        if kinds:
            clauses.append(self._in("kind", list(kinds)))
        if doc_ids:
            clauses.append(self._in("doc", list(doc_ids)))
        where = clauses[0] if len(clauses) == 1 else ({"$and": clauses} if clauses else None)
        rows = self._query("facts", query, k, where)
        return [(fact_from_metadata(meta).known_fact_id(rid), score) for rid, _, meta, score in rows]

    def query_vector(self, query: str) -> list[float]:
        """The query's embedding, remembered for the last QUERY_CACHE queries: the app re-runs
        the same search on every interaction, and the model dominates a search's latency."""
        vector = self._query_cache.pop(query, None)
        if vector is None:
            vector = self.embedder.embed([query])[0]
        self._query_cache[query] = vector
        while len(self._query_cache) > QUERY_CACHE:
            self._query_cache.pop(next(iter(self._query_cache)))
        return vector

    def count(self, kind: str) -> int:
        """Records in one collection ("documents", "passages", "facts"), once per generation
        (Chroma's count is ~10 ms at 100k records, a search asks twice)."""
        return self.per_generation(f"count:{kind}", self._collection(kind).count)

    def _query(self, kind: str, query: str, k: int, where: dict | None):
        count = self.count(kind)
        if count == 0 or k <= 0:
            return []
        self.check_model()  # vectors of another model would be compared meaninglessly
        self._sync_index()
        vector = self.query_vector(query)
        res = self._collection(kind).query(
            query_embeddings=[vector],
            n_results=min(k, count),
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        out = []
        for rid, text, meta, dist in zip(
            res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0],
            strict=True,
        ):
            out.append((rid, text, meta or {}, 1.0 - float(dist)))
        return out

    def keyword_search(self, terms: list[str], k: int = 10) -> list[Passage]:
        """Passages containing every term (ids, numbers, exact words), most occurrences first.

        Matching is case-insensitive for the common spellings (as given, lower, upper, title).
        """
        terms = [t for t in (t.strip() for t in terms) if t]
        if not terms or k <= 0:
            return []

        def clause(term: str) -> dict:
            variants = list(dict.fromkeys([term, term.lower(), term.upper(), term.title()]))
            if len(variants) == 1:
                return {"$contains": variants[0]}
            return {"$or": [{"$contains": v} for v in variants]}

        clauses = [clause(t) for t in terms]
        where_doc = clauses[0] if len(clauses) == 1 else {"$and": clauses}
        res = self.passages_col.get(
            where_document=where_doc, include=["documents", "metadatas"], limit=max(k * 20, 200)
        )
        passages = [passage_from_record(*r) for r in self._rows(res)]
        low = [t.lower() for t in terms]

        def hits(p: Passage) -> int:
            text = p.text.lower()
            return sum(text.count(t) for t in low)

        passages.sort(key=lambda p: (-hits(p), p.doc_id, p.index))
        return passages[:k]

    def stats(self) -> dict[str, int]:
        """Record counts: {"documents", "passages", "facts"}."""
        return {
            "documents": self.documents_col.count(),
            "passages": self.passages_col.count(),
            "facts": self.facts_col.count(),
        }
