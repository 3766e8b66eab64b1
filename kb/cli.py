"""The `kb` command: thin over the library (kb.pipeline.KnowledgeBase, kb.extract, kb.query, kb.export).

Heavy libraries (torch, sentence-transformers, chromadb) are imported inside commands, never at
start-up, so `kb --help` and `kb extract` stay fast.
"""

from __future__ import annotations

import sys

import click


class KbError(click.ClickException):
    """A user-facing error: one line saying what went wrong and what to do next."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="trial-kb")
def cli() -> None:
    """trial-kb: an evidence knowledge base for clinical-trial literature.

    \b
    Example:
      kb ingest demo
      kb compare "insulin independence"
    """


# --- extract / eval: the NLP stage without the store ---
def _documents_of(path):
    """Documents of one file (kb.parse)."""
    from pathlib import Path

    from kb.parse import parse_file

    return parse_file(Path(path))


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="print JSON Lines, one FACTS.md record per fact")
def extract_cmd(paths: tuple[str, ...], as_json: bool) -> None:
    """Extract trial facts from files and print them (nothing is stored).

    Registry records (ClinicalTrials.gov JSON) also print their structured facts.

    \b
    Example:
      kb extract --json ../shared/seeds/000_0cbdcfa0bd007382.txt
      kb extract paper.txt
    """
    import json as _json

    from kb.extract import block_heavy_imports

    block_heavy_imports()
    from kb.extract import extract_document

    failed = 0
    for path in paths:
        try:
            docs = _documents_of(path)
        except (ValueError, OSError, UnicodeDecodeError) as exc:
            failed += 1
            click.echo(f"error: {path}: {exc}", err=True)
            continue
        for doc in docs:
            try:
                facts = list(doc.facts) + extract_document(doc)
            except Exception as exc:  # one bad document never stops the batch
                failed += 1
                click.echo(f"error: {path} ({doc.id}): extraction failed: {exc}", err=True)
                continue
            for f in facts:
                if as_json:
                    click.echo(_json.dumps(f.to_contract(), ensure_ascii=False))
                else:
                    value = "" if f.value is None else f"{f.comparator if f.comparator != '=' else ''}{f.value:g}{' ' + f.unit if f.unit else ''}"
                    counts = f"{f.n}/{f.denominator}" if f.denominator else (f"n={f.n}" if f.n is not None else "")
                    extra = " ".join(x for x in (f"[{f.group}]" if f.group else "", f"vs {f.contrast}" if f.contrast else "",
                                                 f"@{f.timepoint}" if f.timepoint else "", "NOT" if f.negated else "") if x)
                    click.echo(f"{doc.id:<22.22} {f.kind:<14} {f.name:<26.26} {value:<20.20} {counts:<9} {extra}")
    if failed:
        raise KbError(f"{failed} file(s)/document(s) failed; see the messages above")


@cli.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("-v", "--verbose", is_flag=True, help="list every miss, false positive and wrong arm")
def eval_cmd(gold_dir: str, verbose: bool) -> None:
    """Score extraction against gold files (FACTS.md rules): precision, recall, F1, arms.

    \b
    Example:
      kb eval tests/gold
      kb eval tests/gold/heldout -v
    """
    from pathlib import Path

    from kb.extract import block_heavy_imports

    block_heavy_imports()
    from kb.evaluate import evaluate

    report = evaluate(Path(gold_dir), verbose=verbose)
    if report.documents == 0:
        raise KbError(f"no readable gold files (*.json) in {gold_dir}; see shared/spec/FACTS.md for the format")
    click.echo(report.format(verbose=verbose))

# --- ingest / stats / rebuild / doctor: writing and checking the store ---
def _open_kb():
    from kb.pipeline import KnowledgeBase
    from kb.settings import get_settings

    return KnowledgeBase.open(get_settings())


def _store_errors(fn):
    """Turn the store's and the lock's user-facing errors into one-line CLI errors."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from kb.lock import WriterLockedError
        from kb.store import StoreError

        try:
            return fn(*args, **kwargs)
        except (StoreError, WriterLockedError) as exc:
            raise KbError(str(exc)) from None

    return wrapper


def _rich_progress():
    """A rich progress display on stderr and the callback the pipeline reports to."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                   MofNCompleteColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task("fetching", total=None)

    def report(stage: str, done: int = 0, total: int | None = None) -> None:
        if stage == "store":
            bar.update(task, description="records stored", completed=done, total=total)
        else:
            bar.update(task, description=stage[:50])

    return bar, report


def _print_report(report) -> None:
    from ingest.http import OFFLINE_PREFIX, is_offline

    click.echo(report.summary(), err=False)
    if report.healed:
        click.echo(f"removed the leftovers of {len(report.healed)} document(s) of an interrupted run")
    offline = [f for f in report.failed if is_offline(f)]
    if offline:
        reason = offline[0].reason[len(OFFLINE_PREFIX):]
        click.echo(f"offline? {offline[0].target} could not be reached ({reason}); nothing was "
                   "lost — run it again when online, or add local files with `kb ingest PATH`",
                   err=True)
    for failure in report.failed:
        if is_offline(failure):
            continue
        click.echo(f"  failed: {failure.target}: {failure.reason}", err=True)
    if report.failed and len(offline) < len(report.failed):
        click.echo("fix or leave out the failed inputs and run the command again; everything "
                   "else is stored and will not be redone", err=True)


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--limit", type=int, default=None, help="Fetch at most N records (network sources).")
@click.option("--since", default=None, help="Only records published/updated since this date (YYYY-MM-DD).")
@click.option("--query", "query_", default=None, help="Search query for a search source (pubmed, europepmc, ctgov).")
@click.option("--refresh", is_flag=True, help="Fetch again even when the raw cache has the record.")
@click.option("--follow-registry/--no-follow-registry", default=True, show_default=True,
              help="Also fetch the registry records (NCT ids) that fetched papers cite.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@_store_errors
def ingest(targets, limit, since, query_, refresh, follow_registry, quiet):
    """Fetch documents, extract their facts and store them.

    The first argument is a source name (demo, files, pubmed, pmid, europepmc, ctgov, url);
    anything else is read as local files or folders. Running it again changes nothing for
    documents that did not change.

    \b
    Example:
      kb ingest demo
      kb ingest papers/ trial.json notes.md
      kb ingest pubmed --query "islet transplantation type 1 diabetes" --limit 50
      kb ingest ctgov NCT04786262
    """
    import re
    from pathlib import Path

    from ingest import SOURCES

    first, rest = targets[0], list(targets[1:])
    if first in SOURCES:
        source, args = first, rest
    else:
        source, args = "files", list(targets)
        if len(args) == 1 and not Path(first).exists() and re.fullmatch(r"[a-z][a-z0-9_-]*", first):
            raise KbError(f"no source or file named {first!r}; sources: {', '.join(sorted(SOURCES))} "
                          "(or give paths of local files/folders)")
    options = {"limit": limit, "since": since, "query": query_, "refresh": refresh,
               "follow_registry": follow_registry}
    options = {k: v for k, v in options.items() if v is not None}
    kb = _open_kb()
    try:
        if quiet or not sys.stderr.isatty():
            report = kb.ingest(source, args, options)
        else:
            bar, progress = _rich_progress()
            with bar:
                report = kb.ingest(source, args, options, progress=progress)
    except ValueError as exc:
        raise KbError(f"{exc}") from None
    _print_report(report)
    if report.failed:
        sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_store_errors
def stats(as_json):
    """Count the stored documents, passages, facts and linked trials.

    \b
    Example:
      kb stats
      kb stats --json
    """
    import json

    counts = _open_kb().stats()
    out = {key: counts[key] for key in ("documents", "passages", "facts", "trials")}
    if as_json:
        click.echo(json.dumps(out))
        return
    for key, value in out.items():
        click.echo(f"{key:10} {value}")
    if not out["documents"]:
        click.echo("the knowledge base is empty: run `kb ingest demo` or `kb ingest PATH...`")


@cli.command()
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@_store_errors
def rebuild(quiet):
    """Re-derive everything (documents, passages, facts, embeddings) from the raw cache.

    Needs no network: use it after upgrading the extractor or changing the embedding model.

    \b
    Example:
      kb rebuild
    """
    kb = _open_kb()
    if quiet or not sys.stderr.isatty():
        report = kb.rebuild()
    else:
        bar, progress = _rich_progress()
        with bar:
            report = kb.rebuild(progress=progress)
    _print_report(report)
    if report.failed:
        sys.exit(1)


@cli.command()
@click.option("--repair", is_flag=True, help="Fix what can be fixed (remove bad or orphan records, "
              "re-derive incomplete documents from the raw cache).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_store_errors
def doctor(repair, as_json):
    """Check the knowledge base: quotes match their documents, collections agree with each other
    and with the raw cache, no orphans, the embedding model is the one the store was built with.

    Exits non-zero when a problem remains.

    \b
    Example:
      kb doctor
      kb doctor --repair
    """
    from kb.doctor import run_doctor
    from kb.settings import get_settings

    report = run_doctor(get_settings(), repair=repair)
    if as_json:
        click.echo(report.model_dump_json(indent=1))
    else:
        click.echo(report.render())
    if not report.ok:
        sys.exit(1)



# --- search / compare / export / trials / review / curate: reading ---
_TABLE_FORMATS = ["table", "csv", "json", "xlsx", "ris", "bibtex"]


def _compare_kb():
    """The knowledge base for the read commands (kept apart so tests can swap in a fake)."""
    return _open_kb()


def _read_errors(fn):
    """Empty knowledge base, bad export names/formats, curation errors -> one-line CLI errors."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from kb.curation import CurationError
        from kb.export import ExportError
        from kb.query import EmptyKnowledgeBase

        try:
            return fn(*args, **kwargs)
        except (EmptyKnowledgeBase, ExportError, CurationError) as exc:
            raise KbError(str(exc)) from None

    return _store_errors(wrapper)


def _console():
    from rich.console import Console

    # Wide enough for a comparison table even when stdout is a pipe.
    return Console(width=None if sys.stdout.isatty() else 160, soft_wrap=False)


def _emit_table(table, fmt: str | None, output: str | None, verified_only: bool) -> None:
    """Print or write a comparison table: rich table + evidence lines, or an export format."""
    from kb import export
    from kb.query import filter_table

    if output:
        path = export.write(table, output, None if fmt in (None, "table") else fmt,
                            verified_only=verified_only)
        click.echo(f"wrote {path} ({len(table.rows)} rows, {len(table.sources)} sources)")
        return
    if fmt in (None, "table"):
        shown = filter_table(table) if verified_only else table
        if not shown.rows:
            click.echo("no trial in the knowledge base reports that; try `kb search \"...\"` "
                       "or `kb trials` to see what is there")
        else:
            _console().print(export.rich_table(shown))
            click.echo("\nEvidence:")
            for line in export.evidence_lines(shown):
                click.echo(line)
        for note in shown.notes:
            click.echo(f"note: {note}")
        return
    if fmt == "xlsx":
        raise KbError("XLSX is a binary format: pass -o FILE.xlsx")
    sys.stdout.write(export.render(table, fmt, verified_only=verified_only).decode("utf-8"))


@cli.command()
@click.argument("query")
@click.option("-k", "--limit", "k", type=int, default=10, show_default=True, help="Number of hits.")
@click.option("--therapy", default=None, help="Only documents about this therapy (name or alias).")
@click.option("--outcome", default=None, help="Only documents reporting this outcome.")
@click.option("--kind", default=None, help="Only documents with a fact of this kind (e.g. adverse_event).")
@click.option("--source-type", default=None,
              type=click.Choice(["registry", "paper", "summary", "news", "other"]))
@click.option("--year", type=int, default=None, help="Publication year.")
@click.option("--since", "year_from", type=int, default=None, help="Published in or after this year.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_read_errors
def search(query, k, therapy, outcome, kind, source_type, year, year_from, fmt):
    """Find passages by meaning and by exact words, ids and numbers.

    Each hit shows its document, the best quote in the passage and where the quote sits
    (character offsets in the document).

    \b
    Example:
      kb search "insulin independence after islet transplantation"
      kb search NCT04786262
      kb search "83%" --therapy zimislecel
      kb search neutropenia --kind adverse_event --source-type paper --format json
    """
    import json

    from kb.query import SearchFilters
    from kb.query import search as run_search

    filters = SearchFilters(therapy=therapy, outcome=outcome, kind=kind, source_type=source_type,
                            year=year, year_from=year_from)
    hits = run_search(_compare_kb(), query, k=k, filters=filters)
    if fmt == "json":
        click.echo(json.dumps([h.model_dump(mode="json") for h in hits], ensure_ascii=False, indent=1))
        return
    if not hits:
        click.echo("no passage matches; try fewer words, or drop a filter")
        return
    for i, h in enumerate(hits, 1):
        meta = ", ".join(x for x in (h.source_type, str(h.year) if h.year else "") if x)
        click.echo(f"{i}. {h.doc_id} ({meta}) score {h.score:.3f} via {h.via}")
        if h.title:
            click.echo(f"   {h.title}")
        click.echo(f"   “{h.quote}”  [{h.doc_start}:{h.doc_end}]")


@cli.command()
@click.argument("question", required=False)
@click.option("--therapy", "therapies", multiple=True, help="A therapy to compare (repeatable).")
@click.option("--outcome", "outcomes", multiple=True,
              help="An outcome column (repeatable): name, synonym, 'dose', 'N', an adverse event.")
@click.option("--format", "fmt", type=click.Choice(_TABLE_FORMATS), default=None,
              help="Output format (default: a table in the terminal; with -o: from the extension).")
@click.option("-o", "--output", default=None, help="Write to this file instead of the terminal.")
@click.option("--verified-only", is_flag=True, help="Only values a reviewer verified or corrected.")
@click.option("--pending", is_flag=True, help="Only values that still need review.")
@_read_errors
def compare(question, therapies, outcomes, fmt, output, verified_only, pending):
    """Compare trials: therapies x outcomes, every value with its source and quote.

    QUESTION is plain words; therapies (names, aliases, classes such as "stem-cell" or
    "without immunosuppression") and outcomes are recognised from the lexicons.

    \b
    Example:
      kb compare "insulin independence"
      kb compare "insulin independence and neutropenia in stem-cell islet therapies"
      kb compare "compare zimislecel with donislecel"
      kb compare --therapy VX-880 --outcome "insulin independence" --outcome dose
      kb compare "dose and N of islet trials without immunosuppression" -o table.xlsx
    """
    from kb.query import compare as run_compare
    from kb.query import filter_table

    if not question and not therapies and not outcomes:
        raise KbError('say what to compare: kb compare "insulin independence" '
                      '(or --therapy / --outcome)')
    table = run_compare(_compare_kb(), question, therapies=list(therapies) or None,
                        outcomes=list(outcomes) or None)
    if pending:
        table = filter_table(table, ("unreviewed", "conflicting"))
    _emit_table(table, fmt, output, verified_only)


@cli.command()
@click.argument("question", required=False)
@click.option("--therapy", "therapies", multiple=True, help="Limit to a therapy (repeatable).")
@click.option("--outcome", "outcomes", multiple=True, help="An outcome column (repeatable).")
@click.option("--format", "fmt", type=click.Choice(_TABLE_FORMATS[1:]), default=None,
              help="csv, json, xlsx, ris or bibtex (default: from the file extension).")
@click.option("-o", "--output", default=None, help="File to write (default: standard output; "
              "XLSX needs a file).")
@click.option("--verified-only", is_flag=True, help="Only values a reviewer verified or corrected.")
@_read_errors
def export(question, therapies, outcomes, fmt, output, verified_only):
    """Export the trial table (or a comparison) with a provenance column on every value.

    Without a question, every trial with the outcomes the trials report. XLSX has the sheets
    Table, Evidence (every value with quote, document, offsets, method, status, reviewer) and
    Sources; RIS and BibTeX list the sources for a reference manager.

    \b
    Example:
      kb export -o trials.xlsx
      kb export --format csv -o trials.csv
      kb export "insulin independence" --format json
      kb export --format bibtex -o sources.bib
      kb export -o verified.xlsx --verified-only
    """
    from kb.query import compare as run_compare

    if not fmt and not output:
        raise KbError("pass --format csv|json|xlsx|ris|bibtex or -o FILE (the format follows "
                      "its extension)")
    table = run_compare(_compare_kb(), question, therapies=list(therapies) or None,
                        outcomes=list(outcomes) or None)
    _emit_table(table, fmt, output, verified_only)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_read_errors
def trials(fmt):
    """List the trials: linked documents (registry id, DOI/PMID cited, therapy) and conflicts.

    \b
    Example:
      kb trials
      kb trials --format json
    """
    import json

    from kb.query import trials as run_trials

    found = run_trials(_compare_kb())
    if fmt == "json":
        click.echo(json.dumps([t.model_dump(mode="json") for t in found], ensure_ascii=False, indent=1))
        return
    from rich.table import Table
    from rich.text import Text

    out = Table(show_lines=True)
    for col in ("Trial", "Therapies", "Documents", "Values", "Conflicts"):
        out.add_column(col, overflow="fold")
    for t in found:
        conflicts = sorted({f"{v.kind}:{v.name}" for v in t.values if v.conflict})
        out.add_row(Text(t.id), Text(", ".join(t.therapies[:3])), Text("\n".join(t.doc_ids)),
                    Text(str(len(t.values))), Text("\n".join(conflicts) or "—"))
    _console().print(out)


@cli.command()
@click.option("--pending", is_flag=True, help="List the values nobody has reviewed yet.")
@click.option("--kind", "kinds", multiple=True, help="Only facts of this kind (repeatable).")
@click.option("--limit", type=int, default=None, help="At most this many facts.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="json: JSON Lines, one fact per line with its fact_id (input for `kb curate`).")
@_read_errors
def review(pending, kinds, limit, fmt):
    """Show the review state; with --pending, the queue, lowest confidence first.

    Decide on a fact by writing a JSON line {"fact_id": ..., "action": "accept|correct|reject",
    "reviewer": ...} and running `kb curate FILE`.

    \b
    Example:
      kb review
      kb review --pending
      kb review --pending --kind outcome --format json > queue.jsonl
    """
    import json
    from collections import Counter

    from kb.curation import CurationLog, apply_curation, review_queue
    from kb.query import EmptyKnowledgeBase, format_value

    kb = _compare_kb()
    store = getattr(kb, "store", kb)
    facts = store.facts()
    if not facts:
        raise EmptyKnowledgeBase()
    decisions, errors = CurationLog.open(getattr(kb, "settings", None)).load()
    for err in errors:
        click.echo(f"warning: {err}", err=True)
    if not pending:
        curated = apply_curation(facts, decisions)
        counts = Counter(s.status for fid, s in curated.status.items()
                         if fid in {f.fact_id for f in facts})
        queue = review_queue(facts, decisions, kinds or None)
        click.echo(f"facts       {len(facts)}")
        for status in ("verified", "corrected", "rejected"):
            click.echo(f"{status:11} {counts.get(status, 0)}")
        click.echo(f"pending     {len(queue)}")
        if curated.stale:
            click.echo(f"stale       {len(curated.stale)} decision(s) match no current fact")
        click.echo("list the queue with `kb review --pending`")
        return
    queue = review_queue(facts, decisions, kinds or None)[:limit]
    if fmt == "json":
        for fact in queue:
            click.echo(json.dumps(fact.to_contract(), ensure_ascii=False))
        return
    from rich.table import Table
    from rich.text import Text

    out = Table(show_lines=True)
    for col in ("Fact id", "Conf.", "Document", "Kind", "Value", "Quote"):
        out.add_column(col, overflow="fold")
    for f in queue:
        conf = "—" if f.confidence is None else f"{f.confidence:.2f}"
        quote = f.quote if len(f.quote) <= 160 else f.quote[:159] + "…"
        out.add_row(Text(f.fact_id), Text(conf), Text(f.doc), Text(f.kind),
                    Text(format_value(f)), Text(quote))
    _console().print(out)
    click.echo(f"{len(queue)} pending; decide with `kb curate FILE` (JSON Lines)")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--reviewer", default=None, help="Reviewer for lines that do not name one.")
@click.option("--dry-run", is_flag=True, help="Check the file, write nothing.")
@_read_errors
def curate(file, reviewer, dry_run):
    """Apply curation decisions from a JSON Lines file (accept / correct / reject / add).

    One decision per line; bad lines are reported by line number and the rest are applied.
    Decisions are kept in KB_HOME/curation.jsonl and survive re-ingest and `kb rebuild`.

    \b
    Example:
      kb curate decisions.jsonl
      echo '{"fact_id": "f:…", "action": "accept", "reviewer": "ana"}' | kb curate -
    \b
    A line:
      {"fact_id": "f:…", "action": "correct", "reviewer": "ana", "note": "per table 2",
       "value": 83, "unit": "%", "n": 10, "denominator": 12, "group": "parts B and C"}
    """
    from pathlib import Path

    from kb.curation import CurationLog, parse_decision_lines
    from kb.query import EmptyKnowledgeBase

    if file == "-":
        lines, source = sys.stdin.read().splitlines(), "stdin"
    else:
        path = Path(file)
        if not path.exists():
            raise KbError(f"{file}: no such file (list pending facts with `kb review --pending "
                          "--format json`)")
        lines, source = path.read_text(encoding="utf-8").splitlines(), str(path)
    kb = _compare_kb()
    store = getattr(kb, "store", kb)
    documents = store.documents()
    if not documents:
        raise EmptyKnowledgeBase()
    decisions, errors = parse_decision_lines(lines, store.facts(), documents=documents,
                                             default_reviewer=reviewer, source=source)
    for err in errors:
        click.echo(f"error: {err}", err=True)
    if not dry_run:
        CurationLog.open(getattr(kb, "settings", None)).append(decisions)
    verb = "checked" if dry_run else "applied"
    click.echo(f"{verb} {len(decisions)} decision(s); {len(errors)} line(s) with errors")
    if errors:
        sys.exit(1)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
