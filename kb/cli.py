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


# --- region: extract / eval commands (NLP helper) ---
# --- end region: extract / eval ---

# --- region: ingest / stats / rebuild / doctor commands (STORE helper) ---
# --- end region: ingest / stats ---

# --- region: search / compare / export commands (COMPARE helper) ---
# --- end region: search / compare / export ---


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
