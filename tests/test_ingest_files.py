"""Sources "files" and "demo": raw-cache records, idempotent re-ingest, the SOURCES table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES, SEED

from ingest import SOURCES, Failure, FetchContext, Source, get_source
from ingest.demo import demo_files
from kb.parse import parse_raw
from kb.raw import RawRecord
from kb.settings import Settings


@pytest.fixture
def ctx(tmp_path) -> FetchContext:
    return FetchContext(settings=Settings(home=tmp_path / "kb"))


def _records(items) -> list[RawRecord]:
    return [i for i in items if isinstance(i, RawRecord)]


def test_table_has_local_sources_and_is_import_light():
    assert {"files", "demo"} <= set(SOURCES)
    for src in SOURCES.values():
        assert isinstance(src, Source) and src.help
    with pytest.raises(KeyError, match="known: .*demo"):
        get_source("nope")
    # Importing the table must not import parsers, HTTP or NLP libraries.
    code = ("import sys, ingest; heavy = [m for m in ('httpx', 'lxml', 'pypdf', 'spacy', "
            "'kb.parse') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "[]"


def test_files_copies_into_cache_keyed_by_content(ctx, tmp_path):
    items = list(SOURCES["files"].fetch([str(SEED)], ctx))
    [rec] = _records(items)
    assert rec.source == "files" and rec.fmt == "text"
    assert rec.path.startswith("raw/files/000_0cbdcfa0bd007382.") and rec.path.endswith(".txt")
    assert rec.meta["filename"] == SEED.name and len(rec.meta["sha256"]) == 64
    [doc] = parse_raw(rec, ctx.settings)
    assert doc.id == SEED.stem and doc.source == "file" and doc.raw_path == rec.path
    assert doc.text == SEED.read_text("utf-8")

    # Same content again: the same record, nothing rewritten.
    payload = ctx.settings.home / rec.path
    mtime = payload.stat().st_mtime_ns
    [again] = _records(SOURCES["files"].fetch([str(SEED)], ctx))
    assert again == rec and payload.stat().st_mtime_ns == mtime

    # Edited content: a new record, same document id.
    edited = tmp_path / SEED.name
    edited.write_text(SEED.read_text("utf-8") + "\nAddendum.\n")
    [new] = _records(SOURCES["files"].fetch([str(edited)], ctx))
    assert new.path != rec.path
    assert parse_raw(new, ctx.settings)[0].id == SEED.stem


def test_files_folders_recursive_and_failures(ctx, tmp_path):
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Alpha text about 12 participants.")
    (folder / "sub" / "b.md").write_text("# B\n\nBeta text.\n")
    (folder / ".hidden.txt").write_text("skip me")
    (folder / "empty.txt").write_text("")
    items = list(SOURCES["files"].fetch([str(folder), str(tmp_path / "missing.txt")], ctx))
    recs = _records(items)
    fails = {Path(f.target).name: f.reason for f in items if isinstance(f, Failure)}
    assert sorted(r.meta["filename"] for r in recs) == ["a.txt", "b.md"]
    assert fails == {"empty.txt": "file is empty", "missing.txt": "no such file or folder"}
    assert [d.id for r in recs for d in parse_raw(r, ctx.settings)] == ["a", "b"]
    assert len(list(ctx.cache.iter_records())) == 2


def test_files_real_samples_every_parseable_kind(ctx):
    targets = [str(SAMPLES / p) for p in (
        "pubmed/biopython__Tests_Entrez_pubmed1.xml", "jats/biopython__Tests_Entrez_efetch_pmc.xml",
        "ctgov/aact__NCT02210780.json", "europepmc/pyEuropePMC__search_cancer_core.json")]
    recs = _records(SOURCES["files"].fetch(targets, ctx))
    assert [r.fmt for r in recs] == ["pubmed_xml", "jats_xml", "ctgov_json", "europepmc_json"]
    ids = [d.id for r in recs for d in parse_raw(r, ctx.settings)]
    assert ids[:4] == ["pmid:12091962", "pmid:9997", "pmcid:PMC8435807", "nct:NCT02210780"]


def test_files_size_cap_checked_before_reading(tmp_path):
    settings = Settings(home=tmp_path / "kb", max_parse_bytes=100)
    ctx = FetchContext(settings=settings)
    big = tmp_path / "big.txt"
    big.write_text("x " * 200)
    [fail] = list(SOURCES["files"].fetch([str(big)], ctx))
    assert isinstance(fail, Failure) and "KB_MAX_PARSE_BYTES" in fail.reason
    assert not (settings.home / "raw" / "files").exists()


def test_demo_source_loads_the_bundled_corpus(ctx):
    files = demo_files()
    assert len(files) >= 8 and all(f.suffix == ".md" for f in files)
    assert all(f.stem.lower() != "readme" for f in files)
    recs = _records(SOURCES["demo"].fetch([], ctx))
    assert len(recs) == len(files)
    docs = [d for r in recs for d in parse_raw(r, ctx.settings)]
    assert len({d.id for d in docs}) == len(files)
    for d in docs:
        assert d.source == "demo" and d.source_type == "summary"
        assert d.title and d.text.strip(), d.id
    assert any("nct:NCT04786262" in d.registry_ids for d in docs)
    # Re-ingest writes nothing new.
    before = sorted((ctx.settings.home / "raw" / "demo").iterdir())
    assert _records(SOURCES["demo"].fetch([], ctx)) == recs
    assert sorted((ctx.settings.home / "raw" / "demo").iterdir()) == before


def test_demo_source_filters_by_stem(ctx):
    first = demo_files()[0]
    items = list(SOURCES["demo"].fetch([first.stem, "no_such_doc"], ctx))
    assert [r.record_id for r in _records(items)] == [first.stem]
    assert [f.target for f in items if isinstance(f, Failure)] == ["no_such_doc"]
