"""kb.curation: decisions round-trip through the JSON Lines file and change what readers see."""

from __future__ import annotations

import json

import pytest
from compare_corpus import build

from kb.curation import (
    CurationError,
    CurationLog,
    apply_curation,
    decide,
    decide_add,
    parse_decision_lines,
    review_queue,
)
from kb.models import Fact
from kb.query import compare_records, curate_records, load_vocabulary


def _fact(facts, name, value=None, doc=None) -> Fact:
    return next(f for f in facts if f.name == name and (value is None or f.value == value)
                and (doc is None or f.doc == doc))


@pytest.fixture
def corpus():
    return build()


def test_round_trip_through_the_file(tmp_path, corpus):
    docs, facts = corpus
    log = CurationLog(tmp_path / "curation.jsonl")
    ii = _fact(facts, "insulin_independence", doc="01_zimislecel_vx880")
    seventeen = _fact(facts, "participants", 17)
    seven = _fact(facts, "participants", 7)
    lan = _fact(facts, "insulin_independence", doc="03_donislecel_lantidra")
    cip = docs[4]
    decisions = [
        decide(ii, "accept", "Ana", note="checked against the paper"),
        decide(seventeen, "reject", "Ana", note="press figure"),
        decide(lan, "correct", "Ben", value=70.0, n=21, denominator=30, group="both studies"),
        decide_add(doc=cip, quote="CiPSC islets were implanted in 1 participant without immunosuppression.",
                   kind="phase", name="1", reviewer="Ben"),
    ]
    assert log.append(decisions) == 4
    lines = (tmp_path / "curation.jsonl").read_text().splitlines()
    assert len(lines) == 4 and all(json.loads(line)["reviewer"] in {"Ana", "Ben"} for line in lines)
    loaded, errors = log.load()
    assert errors == [] and [d.model_dump() for d in loaded] == [d.model_dump() for d in decisions]

    curated = apply_curation(facts, loaded, docs)
    ids = {f.fact_id for f in curated.facts}
    assert seventeen.fact_id not in ids  # rejected: hidden
    assert curated.status[seventeen.fact_id].status == "rejected"
    assert seven.fact_id in ids
    assert lan.fact_id not in ids  # corrected: replaced by the human fact
    human_lan = next(f for f in curated.facts if f.method == "human" and f.doc == lan.doc)
    assert (human_lan.group, human_lan.quote) == ("both studies", lan.quote)
    assert curated.status[human_lan.fact_id].status == "corrected"
    assert curated.status[human_lan.fact_id].reviewer == "Ben"
    added = next(f for f in curated.facts if f.rule == "curation:add")
    assert cip.text[added.start:added.end] == added.quote
    assert curated.status[ii.fact_id].status == "verified"


def test_decisions_survive_re_extraction_with_moved_offsets(corpus):
    docs, facts = corpus
    ii = _fact(facts, "insulin_independence", doc="03_donislecel_lantidra")
    decision = decide(ii, "correct", "Ana", value=70.0)
    # The document gained a heading: the re-extracted fact sits 9 characters later (new fact_id).
    shifted = ii.model_copy(update={"start": ii.start + 9, "end": ii.end + 9})
    assert shifted.fact_id != ii.fact_id
    doc = docs[3].model_copy(update={"text": "Heading. " + docs[3].text})
    curated = apply_curation([shifted], [decision], [doc])
    human = curated.facts[0]
    assert human.method == "human" and human.value == 70.0
    assert doc.text[human.start:human.end] == human.quote
    assert curated.stale == []


def test_same_fact_id_is_matched_and_latest_decision_wins(corpus):
    _, facts = corpus
    f = _fact(facts, "participants", 7)
    again = Fact(**f.model_dump(exclude={"fact_id"}))  # re-extracted: same id
    curated = apply_curation([again], [decide(f, "reject", "Ana"), decide(f, "accept", "Ben")])
    assert curated.status[again.fact_id].status == "verified"
    assert curated.status[again.fact_id].reviewer == "Ben"


def test_table_shows_corrected_value_with_status(corpus):
    docs, facts = corpus
    vocab = load_vocabulary()
    seventeen = _fact(facts, "participants", 17)
    seven = _fact(facts, "participants", 7)
    records = curate_records(docs, facts, [decide(seven, "correct", "Ana", value=8.0),
                                           decide(seventeen, "reject", "Ana")])
    row = next(r for r in compare_records(records, "N of VX-264", vocab=vocab).rows)
    cell = row.cells["N"]
    assert [v.value for v in cell.values] == [8.0]
    assert cell.status == "corrected" and cell.values[0].reviewer == "Ana"
    assert cell.values[0].method == "human" and not cell.conflict


def test_human_value_outranks_registry(corpus):
    docs, facts = corpus
    reg_doc = docs[2].model_copy(update={"id": "nct:NCT05791201", "source_type": "registry",
                                         "text": "Enrollment: 9 participants", "cites": []})
    reg = Fact(doc=reg_doc.id, kind="sample_size", name="participants", value=9, unit="participants",
               quote="Enrollment: 9 participants", start=0, end=26, method="registry")
    accepted = decide(_fact(facts, "participants", 7), "accept", "Ana")
    records = curate_records(docs + [reg_doc], facts + [reg], [accepted])
    row = next(r for r in compare_records(records, "N of VX-264", vocab=load_vocabulary()).rows)
    values = row.cells["N"].values
    assert values[0].value == 7 and values[0].status == "verified"
    assert {v.value for v in values} == {7, 9, 17} and row.cells["N"].conflict


def test_review_queue_lowest_confidence_first(corpus):
    _, facts = corpus
    queue = review_queue(facts)
    confidences = [f.confidence for f in queue]
    assert confidences == sorted(confidences) and confidences[0] == 0.4
    low = queue[0]
    assert low.fact_id not in {f.fact_id for f in review_queue(facts, [decide(low, "accept", "A")])}


def test_parse_decision_lines_reports_bad_lines_and_applies_the_rest(corpus):
    docs, facts = corpus
    f = _fact(facts, "participants", 7)
    lines = [
        json.dumps({"fact_id": f.fact_id, "action": "correct", "reviewer": "Ana", "value": 8}),
        "{not json",
        json.dumps({"fact_id": "f:nope", "action": "accept", "reviewer": "Ana"}),
        json.dumps({"fact_id": f.fact_id, "action": "maybe", "reviewer": "Ana"}),
        json.dumps({"fact_id": f.fact_id, "action": "accept", "reviewer": "Ana", "value": 3}),
        json.dumps({"fact_id": f.fact_id, "action": "reject"}),
        json.dumps({"action": "add", "doc": "02_vx264", "kind": "phase", "name": "1/2",
                    "quote": "VX-264 placed", "reviewer": "Ben"}),
    ]
    decisions, errors = parse_decision_lines(lines, facts, documents=docs, source="d.jsonl")
    assert [d.action for d in decisions] == ["correct", "add"]
    assert [e.split(":")[1].strip() for e in errors] == ["line 2", "line 3", "line 4", "line 5",
                                                         "line 6"]
    assert "unknown fact_id" in errors[1] and "accept" in errors[2] and "reviewer" in errors[4]


def test_bad_corrections_are_refused(corpus):
    docs, facts = corpus
    f = _fact(facts, "participants", 7)
    with pytest.raises(CurationError, match="needs at least one new value"):
        decide(f, "correct", "Ana")
    with pytest.raises(CurationError, match="cannot correct"):
        decide(f, "correct", "Ana", colour="red")
    with pytest.raises(CurationError, match="not in its text"):
        decide_add(doc=docs[0], quote="not there", kind="phase", name="1", reviewer="A")


def test_corrupt_file_line_is_reported_not_fatal(tmp_path, corpus):
    _, facts = corpus
    log = CurationLog(tmp_path / "c.jsonl")
    log.append(decide(facts[0], "accept", "Ana"))
    with (tmp_path / "c.jsonl").open("a") as fh:
        fh.write('{"action": "accept"}\n')
    log.append(decide(facts[1], "accept", "Ana"))
    decisions, errors = log.load()
    assert len(decisions) == 2 and len(errors) == 1 and "line 2" in errors[0]


def test_cli_review_and_curate(monkeypatch, tmp_path):
    from click.testing import CliRunner
    from compare_corpus import fake_kb

    from kb.cli import cli

    kb = fake_kb(monkeypatch, tmp_path)
    runner = CliRunner()
    queue = [json.loads(x) for x in runner.invoke(
        cli, ["review", "--pending", "--format", "json"]).output.splitlines()]
    assert queue and all(q["fact_id"].startswith("f:") for q in queue)
    assert [q["confidence"] for q in queue] == sorted(q["confidence"] for q in queue)
    seven = next(q for q in queue if q["kind"] == "sample_size" and q["value"] == 7)
    lines = [
        json.dumps({"fact_id": seven["fact_id"], "action": "correct", "reviewer": "ana", "value": 8}),
        "oops",
        json.dumps({"fact_id": queue[0]["fact_id"], "action": "accept"}),
    ]
    (tmp_path / "d.jsonl").write_text("\n".join(lines) + "\n")
    result = runner.invoke(cli, ["curate", str(tmp_path / "d.jsonl")])
    assert result.exit_code == 1
    assert "line 2" in result.output and "line 3" in result.output  # no reviewer on line 3
    assert "applied 1 decision(s); 2 line(s) with errors" in result.output
    assert len(kb.settings.curation_file.read_text().splitlines()) == 1
    ok = runner.invoke(cli, ["curate", str(tmp_path / "d.jsonl"), "--reviewer", "ben", "--dry-run"])
    assert "checked 2 decision(s)" in ok.output
    after = runner.invoke(cli, ["compare", "N of VX-264", "--format", "json"])
    cell = json.loads(after.output)["rows"][0]["cells"]["N"]
    corrected = cell["values"][0]
    assert corrected["value"] == 8 and corrected["status"] == "corrected" and corrected["reviewer"] == "ana"
    summary = runner.invoke(cli, ["review"])
    assert "corrected   1" in summary.output
    missing = runner.invoke(cli, ["curate", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code != 0 and "kb review --pending" in missing.output
