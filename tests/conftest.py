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
