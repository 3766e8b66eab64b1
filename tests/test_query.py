"""kb.query: question parsing, the comparison table, Wilson intervals, search ranking (in memory)."""

from __future__ import annotations

import pytest
from compare_corpus import build, passages

from kb.query import (
    SearchFilters,
    allowed_documents,
    best_quote,
    compare_records,
    curate_records,
    format_number,
    keyword_passages,
    load_vocabulary,
    parse_question,
    query_terms,
    rank_hits,
    sentences,
    wilson_interval,
)


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


@pytest.fixture
def records():
    docs, facts = build()
    return curate_records(docs, facts)


def test_wilson_interval_10_of_12():
    low, high = wilson_interval(10, 12)
    assert round(low, 2) == 0.55 and round(high, 2) == 0.95  # 55.2%–95.3%
    assert low == pytest.approx(0.5521, abs=5e-4) and high == pytest.approx(0.9530, abs=5e-4)


@pytest.mark.parametrize("n,total,low,high", [(0, 10, 0.0, 0.2775), (12, 12, 0.7575, 1.0),
                                              (21, 30, 0.5212, 0.8334)])
def test_wilson_interval_edges(n, total, low, high):
    lo, hi = wilson_interval(n, total)
    assert lo == pytest.approx(low, abs=1e-4) and hi == pytest.approx(high, abs=1e-4)


def test_wilson_rejects_impossible_counts():
    with pytest.raises(ValueError, match="0 <= n <= N"):
        wilson_interval(13, 12)


@pytest.mark.parametrize("x,text", [(83.0, "83"), (0.8e9, "0.8×10⁹"), (0.4e9, "0.4×10⁹"),
                                    (1.5e6, "1.5×10⁶"), (11547, "11,547"), (35.29, "35.3")])
def test_format_number(x, text):
    assert format_number(x) == text


@pytest.mark.parametrize("question,therapies,columns", [
    ("insulin independence", [], ["outcome:insulin_independence"]),
    ("compare zimislecel with donislecel", ["zimislecel", "donislecel"], []),
    ("VX-880 vs Lantidra: N and dose", ["zimislecel", "donislecel"], ["N", "dose"]),
    ("insulin independence and neutropenia in stem-cell islet therapies", None,
     ["outcome:insulin_independence", "ae:neutropenia"]),
    ("sample size and serious adverse events", [], ["N", "ae:*"]),
])
def test_parse_question(vocab, question, therapies, columns):
    parsed = parse_question(question, vocab)
    if therapies is not None:
        assert parsed.therapies == therapies
    assert parsed.columns == columns


def test_parse_question_classes(vocab):
    stem = parse_question("insulin independence in stem-cell islet therapies", vocab)
    assert {"zimislecel", "vx-264", "cipsc islets"} <= set(stem.therapies)
    assert "donislecel" not in stem.therapies and "teplizumab" not in stem.therapies
    free = parse_question("dose and N of islet trials without immunosuppression", vocab)
    assert {"vx-264", "up421", "cipsc islets"} <= set(free.therapies)
    assert "zimislecel" not in free.therapies and "donislecel" not in free.therapies
    assert free.columns == ["N", "dose"] or set(free.columns) == {"N", "dose"}


def test_parse_question_keeps_unknown_words(vocab):
    parsed = parse_question("graft survival in zimislecel", vocab)
    assert parsed.therapies == ["zimislecel"]
    assert "graft" in parsed.unknown and "survival" in parsed.unknown


def test_compare_insulin_independence_merges_sources(records, vocab):
    table = compare_records(records, "insulin independence", vocab=vocab)
    assert [c.label for c in table.columns][:5] == ["Therapy", "Phase", "N (participants)", "Dose",
                                                    "Insulin independence"]
    zim = next(r for r in table.rows if r.therapy == "zimislecel")
    assert zim.trial_id == "nct:NCT04786262"
    cell = zim.cells["outcome:insulin_independence"]
    top = cell.primary
    assert top.display.startswith("83% (10/12)")
    assert (top.n, top.denominator) == (10, 12)
    assert round(top.ci_low) == 55 and round(top.ci_high) == 95
    assert (f"{top.ci_low:.1f}", f"{top.ci_high:.1f}") == ("55.2", "95.3")
    assert set(top.sources) == {"01_zimislecel_vx880", "000_0cbdcfa0bd007382"}
    assert top.source == "01_zimislecel_vx880"  # summary ranks above news
    assert top.quote == "In parts B and C, 10 of the 12 participants (83%) were insulin independent at day 365."
    doc = next(d for d in records.documents if d.id == top.source)
    assert doc.text[top.start:top.end] == top.quote
    assert not cell.conflict and cell.status == "unreviewed"
    assert {"01_zimislecel_vx880", "000_0cbdcfa0bd007382"} <= {s.doc_id for s in table.sources}
    # Trials reporting no insulin independence at all are not rows of this answer.
    assert "vx-264" not in {r.therapy for r in table.rows}


def test_compare_shows_both_disagreeing_values(records, vocab):
    table = compare_records(records, "N of VX-264", vocab=vocab)
    row = next(r for r in table.rows if r.therapy == "vx-264")
    cell = row.cells["N"]
    assert sorted(v.value for v in cell.values) == [7, 17]
    assert cell.conflict and cell.status == "conflicting"
    assert all(v.conflict and v.quote for v in cell.values)


def test_compare_adverse_event_column_and_arms(records, vocab):
    table = compare_records(records, therapies=["VX-880"], outcomes=["neutropenia", "dose"], vocab=vocab)
    assert [r.therapy for r in table.rows] == ["zimislecel"]
    row = table.rows[0]
    neut = row.cells["ae:neutropenia"].primary
    assert neut.n == 3 and neut.display == "3 participants"
    assert {v.value for v in row.cells["dose"].values} == {0.4e9, 0.8e9}
    assert any("part A" in v.display for v in row.cells["dose"].values)


def test_compare_class_question(records, vocab):
    table = compare_records(records, "insulin independence in islet therapies without immunosuppression",
                            vocab=vocab)
    assert {r.therapy for r in table.rows} == {"cipsc islets"}
    assert "trials with none of the asked values: vx-264" in table.notes
    cell = table.rows[0].cells["outcome:insulin_independence"].primary
    assert cell.ci_low is not None and cell.ci_high == 100.0


def test_compare_unknown_outcome_uses_fallback(records, vocab):
    calls = []

    def searcher(q, k):
        calls.append(q)
        return [(f, 0.8) for f in records.facts if f.name == "insulin_independence"][:1]

    table = compare_records(records, "zimislecel insulin freedom", vocab=vocab, searcher=searcher)
    assert calls == ["insulin freedom"]
    assert any(c.key == "outcome:insulin_independence" for c in table.columns)
    assert any("not in the vocabulary" in n for n in table.notes)
    far = compare_records(records, "zimislecel insulin freedom", vocab=vocab,
                          searcher=lambda q, k: [(f, 0.1) for f in records.facts][:3])
    assert any("no outcome matched" in n for n in far.notes)
    assert not any("not in the vocabulary" in n for n in far.notes)
    known = compare_records(records, "dose of zimislecel programme", vocab=vocab, searcher=searcher)
    assert any("programme" in n for n in known.notes)


def test_compare_named_therapy_not_in_kb_is_noted(records, vocab):
    table = compare_records(records, "teplizumab insulin independence", vocab=vocab)
    assert any("teplizumab" in n for n in table.notes)


# ----------------------------------------------------------------------------- search


def test_query_terms_split_exact_and_words():
    exact, words = query_terms('NCT04786262 "full dose" 83% insulin independence')
    assert set(exact) == {"full dose", "NCT04786262", "83%"}
    assert words == ["insulin", "independence"]


def test_sentences_do_not_split_numbers():
    text = "A dose of 0.8×10⁹ cells was given. Next one et al. said so. Last"
    assert [text[s:e] for s, e in sentences(text)] == [
        "A dose of 0.8×10⁹ cells was given.", "Next one et al. said so.", "Last"]


def test_keyword_search_finds_ids_and_numbers():
    docs, facts = build()
    ps = passages(docs)
    assert [p.doc_id for p in keyword_passages(ps, ["NCT04786262"])] == ["01_zimislecel_vx880"]
    assert {p.doc_id for p in keyword_passages(ps, ["83%"])} == {"01_zimislecel_vx880",
                                                                "000_0cbdcfa0bd007382"}
    assert keyword_passages(ps, ["8%"]) == []  # '83%' does not contain the number 8


def test_rank_hits_quote_offsets_and_keyword_boost():
    docs, facts = build()
    ps = passages(docs)
    semantic = [(p, 0.3) for p in ps]  # a flat semantic ranking: keywords must decide
    hits = rank_hits("83%", semantic, keyword_passages(ps, ["83%"]), docs, facts, k=3)
    assert hits[0].doc_id in {"01_zimislecel_vx880", "000_0cbdcfa0bd007382"}
    for h in hits[:2]:
        assert "83%" in h.quote and h.via == "both"
        assert h.passage[h.quote_start:h.quote_end] == h.quote
        doc = next(d for d in docs if d.id == h.doc_id)
        assert doc.text[h.doc_start:h.doc_end] == h.quote
    assert hits[0].score > hits[-1].score


def test_best_quote_prefers_the_sentence_with_the_id():
    docs, facts = build()
    p = passages(docs)[0]
    s, e, matched = best_quote(p, ["NCT04786262"], [], facts)
    assert "NCT04786262" in p.text[s:e] and matched == ["NCT04786262"]


def test_filters(vocab):
    docs, facts = build()
    f = allowed_documents
    assert f(docs, facts, SearchFilters()) is None
    assert f(docs, facts, SearchFilters(therapy="VX-880"), vocab) == ["01_zimislecel_vx880",
                                                                      "000_0cbdcfa0bd007382"]
    assert f(docs, facts, SearchFilters(source_type="news")) == ["000_0cbdcfa0bd007382"]
    assert f(docs, facts, SearchFilters(year=2023)) == ["03_donislecel_lantidra"]
    assert f(docs, facts, SearchFilters(year_from=2024)) == ["01_zimislecel_vx880", "05_cipsc_islets"]
    assert set(f(docs, facts, SearchFilters(outcome="insulin independence"), vocab)) == {
        "01_zimislecel_vx880", "000_0cbdcfa0bd007382", "03_donislecel_lantidra", "05_cipsc_islets"}
    assert f(docs, facts, SearchFilters(kind="adverse_event")) == ["01_zimislecel_vx880",
                                                                  "000_0cbdcfa0bd007382"]
    hits = rank_hits("participants", [(p, 0.5) for p in passages(docs)], [], docs, facts,
                     allowed=f(docs, facts, SearchFilters(source_type="news")))
    assert {h.doc_id for h in hits} == {"000_0cbdcfa0bd007382"}


# ----------------------------------------------------------------------------- CLI (fake store)


def test_cli_commands_have_examples():
    from click.testing import CliRunner

    from kb.cli import cli

    for command in ("search", "compare", "export", "trials", "review", "curate"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output, command


def test_cli_compare_prints_table_value_and_quote(monkeypatch, tmp_path):
    from click.testing import CliRunner
    from compare_corpus import fake_kb

    from kb.cli import cli

    fake_kb(monkeypatch, tmp_path)
    result = CliRunner().invoke(cli, ["compare", "insulin independence"])
    assert result.exit_code == 0, result.output
    assert "Insulin independence" in result.output and "zimislecel" in result.output
    line = next(x for x in result.output.splitlines() if "zimislecel · Insulin independence" in x)
    assert "83% (10/12)" in line and "55.2–95.3%" in line and "01_zimislecel_vx880" in line
    assert "“In parts B and C, 10 of the 12 participants (83%) were insulin independent at day 365.”" \
        in result.output
    js = CliRunner().invoke(cli, ["compare", "N of VX-264", "--format", "json"])
    import json

    table = json.loads(js.output)
    cell = table["rows"][0]["cells"]["N"]
    assert cell["conflict"] is True and len(cell["values"]) == 2


def test_cli_compare_errors_say_what_to_do(monkeypatch, tmp_path):
    from click.testing import CliRunner
    from compare_corpus import fake_kb

    from kb.cli import cli

    fake_kb(monkeypatch, tmp_path, documents=[], facts=[])
    result = CliRunner().invoke(cli, ["compare", "insulin independence"])
    assert result.exit_code != 0 and "kb ingest demo" in result.output
    result = CliRunner().invoke(cli, ["compare"])
    assert result.exit_code != 0 and 'kb compare "insulin independence"' in result.output


def test_cli_search_and_trials(monkeypatch, tmp_path):
    import json

    from click.testing import CliRunner
    from compare_corpus import fake_kb

    from kb.cli import cli

    fake_kb(monkeypatch, tmp_path)
    result = CliRunner().invoke(cli, ["search", "NCT04786262"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("1. 01_zimislecel_vx880") and "NCT04786262" in result.output
    hits = json.loads(CliRunner().invoke(cli, ["search", "83%", "--source-type", "news",
                                               "--format", "json"]).output)
    assert [h["doc_id"] for h in hits] == ["000_0cbdcfa0bd007382"]
    assert "83%" in hits[0]["quote"]
    trials = json.loads(CliRunner().invoke(cli, ["trials", "--format", "json"]).output)
    zim = next(t for t in trials if t["id"] == "nct:NCT04786262")
    assert set(zim["doc_ids"]) == {"01_zimislecel_vx880", "000_0cbdcfa0bd007382"}
    table = CliRunner().invoke(cli, ["trials"])
    assert table.exit_code == 0 and "nct:NCT05791201" in table.output


# ----------------------------------------------------------------------------- integration


@pytest.mark.slow
def test_end_to_end_seed_and_demo_with_real_store(kb_home, real_embedder, tmp_path):
    """Real parse, spaCy extraction, embedding model and Chroma: ingest, compare, search, export,
    curate, rebuild — the correction survives and the table shows it."""
    import json

    from click.testing import CliRunner
    from conftest import SEED
    from openpyxl import load_workbook

    from kb.cli import cli

    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "demo", "-q"]).exit_code == 0
    assert runner.invoke(cli, ["ingest", str(SEED), "-q"]).exit_code == 0

    result = runner.invoke(cli, ["compare", "insulin independence"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("zimislecel · Insulin independence"))
    assert "83% (10/12)" in line
    assert "10 of the 12 participants (83%)" in result.output
    table = json.loads(runner.invoke(cli, ["compare", "insulin independence", "--format", "json"]).output)
    zim = next(r for r in table["rows"] if r["trial_id"] == "nct:NCT04786262")
    value = zim["cells"]["outcome:insulin_independence"]["values"][0]
    assert {"01_zimislecel_vx880", "000_0cbdcfa0bd007382"} <= set(zim["doc_ids"])
    assert {"01_zimislecel_vx880", "000_0cbdcfa0bd007382"} <= set(value["sources"])
    assert (value["n"], value["denominator"]) == (10, 12)
    assert (round(value["ci_low"], 1), round(value["ci_high"], 1)) == (55.2, 95.3)

    # A planted disagreement: a news page and a registry note on VX-264 give different N.
    (tmp_path / "vx_news.md").write_text(
        "---\ntitle: VX-264 news\nsource_type: news\ncites: nct:NCT05791201\n---\n"
        "The VX-264 trial (NCT05791201) enrolled 17 participants with type 1 diabetes.\n")
    (tmp_path / "vx_registry.md").write_text(
        "---\ntitle: VX-264 registry note\nsource_type: registry\nregistry_ids: NCT05791201\n---\n"
        "The VX-264 study NCT05791201 enrolled 7 participants with type 1 diabetes.\n")
    assert runner.invoke(cli, ["ingest", str(tmp_path / "vx_news.md"),
                               str(tmp_path / "vx_registry.md"), "-q"]).exit_code == 0
    vx = json.loads(runner.invoke(cli, ["compare", "N of VX-264", "--format", "json"]).output)
    n_cell = next(r for r in vx["rows"] if r["trial_id"] == "nct:NCT05791201")["cells"]["N"]
    assert [v["value"] for v in n_cell["values"]][:2] == [7, 17]  # the registry's value first
    # Each value keeps all its sources, best-ranked first: the demo summary states both figures,
    # so it backs 7 after the registry and 17 ahead of the news page (summary > news).
    seven, seventeen = n_cell["values"][:2]
    assert seven["sources"][:2] == ["vx_registry", "02_vx264"]
    assert seventeen["sources"][:2] == ["02_vx264", "vx_news"]
    assert n_cell["conflict"] and all(v["conflict"] for v in n_cell["values"][:2])

    hits = json.loads(runner.invoke(cli, ["search", "NCT04786262", "--format", "json"]).output)
    assert hits and "NCT04786262" in hits[0]["passage"]
    hits = json.loads(runner.invoke(cli, ["search", "83%", "--format", "json"]).output)
    assert any("83%" in h["quote"] for h in hits[:3])

    out = tmp_path / "t.xlsx"
    assert runner.invoke(cli, ["compare", "insulin independence", "-o", str(out)]).exit_code == 0
    ev = list(load_workbook(out)["Evidence"].iter_rows(values_only=True))
    assert len(ev) > 1 and all(row[ev[0].index("Quote")] for row in ev[1:])

    # Curate the zimislecel value, then re-ingest and rebuild: the decision still applies.
    decision = {"fact_id": next(e["fact_id"] for e in value["evidence"]
                                if e["doc_id"] == "01_zimislecel_vx880"),
                "action": "correct", "reviewer": "ana", "value": 83.3}
    (tmp_path / "d.jsonl").write_text(json.dumps(decision) + "\n")
    assert runner.invoke(cli, ["curate", str(tmp_path / "d.jsonl")]).exit_code == 0
    assert runner.invoke(cli, ["ingest", "demo", "-q"]).exit_code == 0
    assert runner.invoke(cli, ["rebuild", "-q"]).exit_code == 0
    again = json.loads(runner.invoke(cli, ["compare", "insulin independence", "--format", "json"]).output)
    zim = next(r for r in again["rows"] if r["trial_id"] == "nct:NCT04786262")
    top = zim["cells"]["outcome:insulin_independence"]["values"][0]
    assert (top["value"], top["status"], top["reviewer"], top["method"]) == (83.3, "corrected", "ana", "human")
    assert top["quote"] == value["quote"]
