"""kb.export: CSV / JSON / XLSX / RIS / BibTeX carry provenance; file names cannot escape."""

from __future__ import annotations

import csv
import io
import json

import pytest
from compare_corpus import build

from kb.curation import decide
from kb.export import (
    ExportError,
    format_from_path,
    render,
    safe_export_path,
    to_bibtex,
    to_csv,
    to_json,
    to_ris,
    write,
)
from kb.query import ComparisonTable, compare_records, curate_records, load_vocabulary


@pytest.fixture
def table() -> ComparisonTable:
    docs, facts = build()
    return compare_records(curate_records(docs, facts), "insulin independence, N and neutropenia",
                           vocab=load_vocabulary())


def test_csv_has_reader_columns_and_provenance(table):
    rows = list(csv.DictReader(io.StringIO(to_csv(table))))
    assert "Insulin independence" in rows[0] and "Insulin independence — quote" in rows[0]
    zim = next(r for r in rows if r["Therapy"] == "zimislecel")
    assert zim["Insulin independence"].startswith("83% (10/12)")
    assert zim["Insulin independence — 95% CI"].startswith("55.2–95.3%")
    assert "01_zimislecel_vx880 [" in zim["Insulin independence — source"]
    assert "10 of the 12 participants (83%)" in zim["Insulin independence — quote"]
    vx = next(r for r in rows if r["Therapy"] == "vx-264")
    assert "17" in vx["N (participants)"] and "7" in vx["N (participants)"]
    assert "N (participants)" in vx["Conflicting values"]
    assert "CONFLICT" in vx["N (participants) — source"]


def test_json_round_trips(table):
    again = ComparisonTable.model_validate_json(to_json(table))
    assert again == table
    assert json.loads(to_json(table))["columns"][0]["label"] == "Therapy"


def test_xlsx_sheets_and_every_value_has_its_quote(table, tmp_path):
    from openpyxl import load_workbook

    path = write(table, tmp_path / "table.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["Table", "Evidence", "Sources"]
    ev = list(wb["Evidence"].iter_rows(values_only=True))
    header = ev[0]
    qi, di, si = header.index("Quote"), header.index("Document"), header.index("Start")
    assert len(ev) > 5
    docs = {d.id: d for d in build()[0]}
    for row in ev[1:]:
        assert row[qi], f"value row without a quote: {row}"
        assert docs[row[di]].text[row[si]:row[header.index('End')]] == row[qi]
    assert {"Status", "Reviewer", "Method", "Reviewed at"} <= set(header)
    table_rows = list(wb["Table"].iter_rows(values_only=True))
    assert "Insulin independence — quote" in table_rows[0]
    src = list(wb["Sources"].iter_rows(values_only=True))
    assert src[0][:3] == ("Document", "Source type", "Title")
    zim = next(r for r in src if r[0] == "01_zimislecel_vx880")
    assert zim[src[0].index("DOI")] == "10.1056/NEJMoa2506549"
    assert zim[src[0].index("PMID")] == "40544428"
    assert zim[src[0].index("Registry id")] == "NCT04786262"


def test_export_carries_status_and_can_be_limited_to_verified(tmp_path):
    from openpyxl import load_workbook

    docs, facts = build()
    ii = next(f for f in facts if f.name == "insulin_independence" and f.doc == "01_zimislecel_vx880")
    records = curate_records(docs, facts, [decide(ii, "accept", "Ana", at="2026-01-02T03:04:05Z")])
    table = compare_records(records, "insulin independence", vocab=load_vocabulary())
    wb = load_workbook(io.BytesIO(render(table, "xlsx")))
    ev = list(wb["Evidence"].iter_rows(values_only=True))
    h = ev[0]
    verified = [r for r in ev[1:] if r[h.index("Reviewer")] == "Ana"]
    assert verified and all(r[h.index("Reviewed at")] == "2026-01-02T03:04:05Z" for r in verified)
    only = list(csv.DictReader(io.StringIO(render(table, "csv", verified_only=True).decode())))
    filled = [r["Insulin independence"] for r in only if r["Insulin independence"]]
    assert filled == [next(r for r in only if r["Therapy"] == "zimislecel")["Insulin independence"]]
    assert filled[0].startswith("83% (10/12)")
    assert "verified" in next(r for r in only if r["Therapy"] == "zimislecel")["Insulin independence — status"]


def test_ris_and_bibtex(table):
    ris = to_ris(table)
    assert "TY  - GEN" in ris and "DO  - 10.1056/NEJMoa2506549" in ris and ris.count("ER  - ") == len(table.sources)
    assert "AN  - PMID:40544428" in ris
    bib = to_bibtex(table)
    assert bib.count("@") == len(table.sources)
    assert "doi = {10.1056/NEJMoa2506549}" in bib and "Reichman2025" in bib


@pytest.mark.parametrize("name", ["../x.csv", "/etc/passwd", "a/b.csv", "..", ".hidden", "",
                                  "C:evil.csv", "x\\..\\y.csv", "a\x00.csv"])
def test_unsafe_names_are_rejected(tmp_path, name):
    with pytest.raises(ExportError, match="unsafe export file name"):
        safe_export_path(tmp_path, name)


def test_safe_names_stay_in_their_folder(tmp_path):
    assert safe_export_path(tmp_path, "table", "xlsx") == (tmp_path / "table.xlsx").resolve()
    assert safe_export_path(tmp_path, "Comparison (v2).csv").parent == tmp_path.resolve()


def test_format_from_path_and_errors(tmp_path, table):
    assert format_from_path(tmp_path / "a.bib") == "bibtex"
    with pytest.raises(ExportError, match="pass --format"):
        format_from_path(tmp_path / "a.txt")
    with pytest.raises(ExportError, match="unknown export format"):
        render(table, "docx")


def test_formula_like_quotes_stay_text(tmp_path, table):
    from openpyxl import load_workbook

    value = table.rows[0].cells["therapy"].values[0]
    value.quote = value.evidence[0].quote = '=HYPERLINK("http://x")'
    wb = load_workbook(write(table, tmp_path / "t.xlsx"))
    for sheet in ("Table", "Evidence"):
        values = [c for row in wb[sheet].iter_rows(values_only=True) for c in row]
        assert "'=HYPERLINK(\"http://x\")" in values
        assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_cli_export_writes_each_format(monkeypatch, tmp_path):
    from click.testing import CliRunner
    from compare_corpus import fake_kb
    from openpyxl import load_workbook

    from kb.cli import cli

    fake_kb(monkeypatch, tmp_path)
    runner = CliRunner()
    out = tmp_path / "t.xlsx"
    result = runner.invoke(cli, ["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames[:3] == ["Table", "Evidence", "Sources"]
    csv_out = runner.invoke(cli, ["export", "insulin independence", "--format", "csv"])
    assert csv_out.exit_code == 0 and "Insulin independence — quote" in csv_out.output
    bib = runner.invoke(cli, ["compare", "insulin independence", "--format", "bibtex"])
    assert "@misc{" in bib.output or "@article{" in bib.output
    bad = runner.invoke(cli, ["export", "--format", "xlsx"])
    assert bad.exit_code != 0 and "-o FILE" in bad.output
    unknown = runner.invoke(cli, ["export", "-o", str(tmp_path / "t.txt")])
    assert unknown.exit_code != 0 and "--format" in unknown.output
