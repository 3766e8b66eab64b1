"""Export a comparison table: CSV, JSON, XLSX, and its sources as RIS and BibTeX.

Contract:

- Every value column travels with its provenance: CSV / the XLSX "Table" sheet have, per asked
  column, the value, a "… source" column (document, method, status, reviewer) and a "… quote"
  column. Column names are for a reader ("Insulin independence", "Source", "Quote").
- XLSX: sheet "Table", sheet "Evidence" (one row per value and per fact behind it: quote, document,
  offsets, method, status, reviewer, when, 95% CI), sheet "Sources" (title, authors, journal, year,
  DOI, PMID, registry id, URL).
- JSON is the full :class:`~kb.query.ComparisonTable` (``kb.query.load_table`` reads it back).
- RIS / BibTeX list the documents the table's values come from.
- ``verified_only=True`` keeps only values a reviewer verified or corrected.
- :func:`safe_export_path` resolves a file name coming from a user or the app inside its folder
  and rejects anything that would escape it (``..``, absolute paths, separators, drive letters).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Literal

from kb.query import Cell, CellValue, ComparisonTable, SourceRef, filter_table

Format = Literal["csv", "json", "xlsx", "ris", "bibtex"]
FORMATS: dict[str, str] = {"csv": ".csv", "json": ".json", "xlsx": ".xlsx", "ris": ".ris",
                           "bibtex": ".bib"}
_ALIASES = {"bib": "bibtex", "excel": "xlsx", "xls": "xlsx"}
_SAFE_NAME = re.compile(r"^[\w][\w .()+,=-]{0,150}$")


class ExportError(ValueError):
    """An export that cannot be written; the message says what to change."""


def normalise_format(fmt: str) -> str:
    fmt = _ALIASES.get(fmt.lower().lstrip("."), fmt.lower().lstrip("."))
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    return fmt


def format_from_path(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    for fmt, ext in FORMATS.items():
        if suffix == ext:
            return fmt
    raise ExportError(f"cannot tell the format from {Path(path).name!r}: pass --format "
                      f"({', '.join(FORMATS)})")


def safe_export_path(folder: Path, name: str, fmt: str | None = None) -> Path:
    """``folder/name`` when ``name`` is a plain file name that stays inside ``folder``.

    Raises ExportError for path traversal ('../x.csv', '/etc/x', 'a/b.csv', 'C:x'), hidden or empty
    names. With ``fmt``, the format's extension is added when missing.
    """
    raw = name.strip()
    if not raw or "/" in raw or "\\" in raw or "\x00" in raw or ":" in raw or \
            raw.startswith(".") or not _SAFE_NAME.match(raw):
        raise ExportError(f"unsafe export file name {name!r}: use a plain name such as 'table.xlsx'")
    if fmt:
        ext = FORMATS[normalise_format(fmt)]
        if not raw.lower().endswith(ext):
            raw += ext
    base = Path(folder).resolve()
    target = (base / raw).resolve()
    if target.parent != base:
        raise ExportError(f"unsafe export file name {name!r}: it would be written outside {base}")
    return target


# ----------------------------------------------------------------------------- flat rows


def _provenance(v: CellValue) -> str:
    parts = [f"{v.source} [{v.start}:{v.end}]", v.method, v.status]
    if v.reviewer:
        parts.append(f"by {v.reviewer}" + (f" {v.reviewed_at}" if v.reviewed_at else ""))
    if v.conflict:
        parts.append("CONFLICT")
    return ", ".join(parts)


def _ci(v: CellValue) -> str:
    if v.ci_low is None or v.ci_high is None:
        return ""
    return f"{v.ci_low:.1f}–{v.ci_high:.1f}%"


def _join(cell: Cell | None, fn) -> str:
    if cell is None:
        return ""
    return " | ".join(fn(v) for v in cell.values)


def table_rows(table: ComparisonTable) -> tuple[list[str], list[list[str]]]:
    """(header, rows) for CSV and the XLSX "Table" sheet: each column + its source and quote."""
    header = ["Trial", "Therapy", "Arm", "Registry ids"]
    for col in table.columns:
        # The row's therapy is its identity ("Therapy" above); its evidence still gets columns.
        header += ([] if col.key == "therapy" else [col.label]) + [
            f"{col.label} — 95% CI", f"{col.label} — status", f"{col.label} — source",
            f"{col.label} — quote"]
    header += ["Conflicting values", "Sources"]
    rows = []
    for row in table.rows:
        line = [row.trial_id, row.therapy, row.arm or "", "; ".join(row.registry_ids)]
        conflict = []
        for col in table.columns:
            cell = row.cells.get(col.key)
            if col.key != "therapy":
                line.append(_join(cell, lambda v: v.display))
            line += [_join(cell, _ci), _join(cell, lambda v: v.status), _join(cell, _provenance),
                     _join(cell, lambda v: v.quote)]
            if cell is not None and cell.conflict:
                conflict.append(col.label)
        line += ["; ".join(conflict), "; ".join(row.doc_ids)]
        rows.append(line)
    return header, rows


EVIDENCE_HEADER = ["Trial", "Therapy", "Arm", "Column", "Value", "n", "N", "Comparator", "Unit",
                   "Group", "Timepoint", "95% CI low (%)", "95% CI high (%)", "Conflict",
                   "Document", "Source type", "Quote", "Start", "End", "Method", "Rule",
                   "Confidence", "Status", "Reviewer", "Reviewed at", "Fact id"]


def evidence_rows(table: ComparisonTable) -> list[list]:
    """One row per value per fact behind it: the audit trail of every number in the table."""
    out = []
    for row in table.rows:
        for col in table.columns:
            cell = row.cells.get(col.key)
            for v in cell.values if cell else []:
                for ev in v.evidence or []:
                    out.append([row.trial_id, row.therapy, row.arm or "", col.label, v.display,
                                v.n, v.denominator, v.comparator, v.unit, v.group, v.timepoint,
                                v.ci_low, v.ci_high, "yes" if v.conflict else "", ev.doc_id,
                                ev.source_type, ev.quote, ev.start, ev.end, ev.method, ev.rule,
                                ev.confidence, ev.status, ev.reviewer, ev.reviewed_at, ev.fact_id])
    return out


SOURCES_HEADER = ["Document", "Source type", "Title", "Authors", "Journal", "Year", "DOI", "PMID",
                  "PMCID", "Registry id", "URL"]


def source_rows(table: ComparisonTable) -> list[list]:
    return [[s.doc_id, s.source_type, s.title, "; ".join(s.authors), s.journal, s.year, s.doi,
             s.pmid, s.pmcid, "; ".join(s.registry_ids), s.url] for s in table.sources]


# ----------------------------------------------------------------------------- writers


def to_csv(table: ComparisonTable) -> str:
    header, rows = table_rows(table)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def to_json(table: ComparisonTable) -> str:
    return json.dumps(table.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def _cell_text(value):
    """openpyxl rejects control characters; strings that look like formulas must stay text."""
    if isinstance(value, str):
        value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", value)
        if value[:1] in ("=", "+", "-", "@"):
            value = "'" + value  # no formula injection from a quoted document
    return value


def to_xlsx(table: ComparisonTable) -> bytes:
    """The workbook as bytes: sheets Table, Evidence, Sources."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    sheets = [("Table", *table_rows(table)), ("Evidence", EVIDENCE_HEADER, evidence_rows(table)),
              ("Sources", SOURCES_HEADER, source_rows(table))]
    for i, (title, header, rows) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_cell_text(v) for v in row])
        ws.freeze_panes = "A2"
        for col_cells in ws.columns:
            letter = col_cells[0].column_letter
            longest = max((len(str(c.value)) for c in col_cells if c.value is not None), default=8)
            ws.column_dimensions[letter].width = min(60, max(10, longest + 2))
            if longest > 60:
                for c in col_cells[1:]:
                    c.alignment = Alignment(wrap_text=True, vertical="top")
    if table.notes:
        ws = wb.create_sheet("Notes")
        ws.append(["Note"])
        for note in table.notes:
            ws.append([_cell_text(note)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _authors(src: SourceRef) -> list[str]:
    return [a for a in src.authors if a.strip()]


def to_ris(table: ComparisonTable) -> str:
    """The table's sources as RIS records (JOUR for papers, DBASE for registry entries, else GEN)."""
    lines: list[str] = []
    for s in table.sources:
        kind = {"paper": "JOUR", "registry": "DBASE", "news": "NEWS"}.get(s.source_type, "GEN")
        lines.append(f"TY  - {kind}")
        lines.append(f"ID  - {s.doc_id}")
        if s.title:
            lines.append(f"TI  - {_one_line(s.title)}")
        lines += [f"AU  - {_one_line(a)}" for a in _authors(s)]
        if s.journal:
            lines.append(f"JO  - {_one_line(s.journal)}")
        if s.year:
            lines.append(f"PY  - {s.year}")
        if s.doi:
            lines.append(f"DO  - {s.doi}")
        if s.pmid:
            lines.append(f"AN  - PMID:{s.pmid}")
        for rid in s.registry_ids:
            lines.append(f"N1  - Registry: {rid}")
        if s.url:
            lines.append(f"UR  - {s.url}")
        lines.append("ER  - ")
        lines.append("")
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _bib_escape(text: str) -> str:
    text = _one_line(text)
    for ch in "\\{}":
        text = text.replace(ch, "")
    return re.sub(r"([&%$#_])", r"\\\1", text)


def _bib_key(s: SourceRef, used: set[str]) -> str:
    first = (_authors(s)[0].split()[0] if _authors(s) else s.doc_id.split(":")[-1])
    base = re.sub(r"[^A-Za-z0-9]", "", first)[:20] or "source"
    key = f"{base}{s.year or ''}"
    n, out = 1, key
    while out in used:
        n += 1
        out = f"{key}{chr(ord('a') + n - 1)}"
    used.add(out)
    return out


def to_bibtex(table: ComparisonTable) -> str:
    """The table's sources as BibTeX entries (@article for papers, @misc otherwise)."""
    used: set[str] = set()
    entries = []
    for s in table.sources:
        kind = "article" if s.source_type == "paper" and s.journal else "misc"
        fields = []
        if s.title:
            fields.append(("title", "{" + _bib_escape(s.title) + "}"))
        if _authors(s):
            fields.append(("author", " and ".join(_bib_escape(a) for a in _authors(s))))
        if s.journal:
            fields.append(("journal", _bib_escape(s.journal)))
        if s.year:
            fields.append(("year", str(s.year)))
        if s.doi:
            fields.append(("doi", _bib_escape(s.doi)))
        if s.pmid:
            fields.append(("pmid", s.pmid))
        if s.url:
            fields.append(("url", s.url.replace("{", "").replace("}", "")))
        notes = [f"Registry: {r}" for r in s.registry_ids] + [f"trial-kb document {s.doc_id}"]
        fields.append(("note", _bib_escape("; ".join(notes))))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
        entries.append(f"@{kind}{{{_bib_key(s, used)},\n{body}\n}}\n")
    return "\n".join(entries)


def render(table: ComparisonTable, fmt: str, *, verified_only: bool = False) -> bytes:
    """The table in ``fmt`` as bytes (text formats UTF-8)."""
    fmt = normalise_format(fmt)
    if verified_only:
        table = filter_table(table)
    if fmt == "xlsx":
        return to_xlsx(table)
    text = {"csv": to_csv, "json": to_json, "ris": to_ris, "bibtex": to_bibtex}[fmt](table)
    return text.encode("utf-8")


def write(table: ComparisonTable, path: Path | str, fmt: str | None = None, *,
          verified_only: bool = False) -> Path:
    """Write the table to ``path`` (format from ``fmt`` or the extension); atomic replace."""
    path = Path(path)
    fmt = normalise_format(fmt) if fmt else format_from_path(path)
    data = render(table, fmt, verified_only=verified_only)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


# ----------------------------------------------------------------------------- terminal


def evidence_lines(table: ComparisonTable, max_quote: int | None = None) -> list[str]:
    """Plain lines for the terminal under the table: each value, its source key and its quote."""
    lines: list[str] = []
    for row in table.rows:
        name = row.therapy + (f" [{row.arm}]" if row.arm else "")
        for col in table.columns:
            cell = row.cells.get(col.key)
            if col.key in ("therapy",) or cell is None:
                continue
            for v in cell.values:
                flag = "  ⚠ sources disagree" if v.conflict else ""
                ci = f"  (95% CI {_ci(v)})" if _ci(v) else ""
                lines.append(f"{name} · {col.label}: {v.display}{ci} — {v.source} "
                             f"[{v.start}:{v.end}] {v.method}, {v.status}{flag}")
                quote = v.quote if max_quote is None or len(v.quote) <= max_quote else \
                    v.quote[: max_quote - 1] + "…"
                lines.append(f"    “{quote}”")
                others = [s for s in v.sources if s != v.source]
                if others:
                    lines.append(f"    also reported by: {', '.join(others)}")
    return lines


def rich_table(table: ComparisonTable):
    """A rich Table for the terminal: one line per value, source key in brackets, ⚠ on conflicts."""
    from rich.table import Table
    from rich.text import Text  # Text, not markup: '[doc id]' must not be read as a style tag

    out = Table(show_lines=True, title=Text(table.question) if table.question else None)
    out.add_column("Trial", overflow="fold")
    for col in table.columns:
        out.add_column(col.label, overflow="fold")
    for row in table.rows:
        first = row.trial_id + (f"\n{row.arm}" if row.arm else "")
        cells = []
        for col in table.columns:
            cell = row.cells.get(col.key)
            if cell is None or not cell.values:
                cells.append("—")
                continue
            parts = []
            for v in cell.values:
                text = v.name if col.key == "therapy" else v.display
                mark = " ⚠" if v.conflict else ""
                status = "" if v.status in ("unreviewed", "conflicting") else f" ✓{v.status}"
                parts.append(f"{text}{mark}{status} [{v.source}]")
            cells.append("\n".join(parts))
        out.add_row(Text(first), *(Text(c) for c in cells))
    return out
