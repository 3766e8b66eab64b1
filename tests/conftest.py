"""Shared fixtures. `SHARED` is ../shared beside the checkout (real third-party samples, the seed)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples"
SEED = SHARED / "seeds" / "000_0cbdcfa0bd007382.txt"


@pytest.fixture
def kb_home(tmp_path, monkeypatch) -> Path:
    """An empty KB_HOME for one test."""
    home = tmp_path / "kb"
    monkeypatch.setenv("KB_HOME", str(home))
    monkeypatch.delenv("KB_CHROMA_URL", raising=False)
    from kb.settings import get_settings

    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


# --- store fixtures: a real Chroma, embedded and as a server ---
@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` server on a free 127.0.0.1 port for the whole session; yields its URL."""
    from chroma_server import ChromaServer

    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data").start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(params=["embedded", pytest.param("server", marks=[pytest.mark.server, pytest.mark.slow])])
def store_backend(request, kb_home, monkeypatch) -> str:
    """Run a test against the embedded store and (marker `server`) a `chroma run` server.

    Sets KB_CHROMA_URL (server) and a unique KB_COLLECTION_PREFIX in the environment, so
    Settings() and `kb` subprocesses of the test use the same backend.
    """
    import uuid

    from kb.settings import get_settings

    if request.param == "server":
        monkeypatch.setenv("KB_CHROMA_URL", request.getfixturevalue("chroma_server"))
    monkeypatch.setenv("KB_COLLECTION_PREFIX", "t" + uuid.uuid4().hex[:10])
    get_settings.cache_clear()
    return request.param


@pytest.fixture
def store_settings(store_backend):
    """Settings for the current backend and an empty KB_HOME."""
    from kb.settings import Settings

    return Settings()


@pytest.fixture(scope="session")
def real_embedder():
    """The real all-MiniLM-L6-v2 embedder, loaded once per test session."""
    from kb.embed import get_embedder
    from kb.settings import Settings

    embedder = get_embedder(Settings())
    embedder.embed(["warm up"])
    return embedder
