"""Source "demo": the bundled demo corpus, ``kb/data/demo/*.md`` (Markdown + front matter).

Targets are ignored except as a filter: ``kb ingest demo`` loads every document; extra targets
(``kb ingest demo 01_zimislecel_vx880``) select documents by file stem. The folder's README is
not a document. Record ids are the file stems, so re-ingesting writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ingest import Failure, FetchContext
from kb.raw import RawRecord

DEMO_DIR = Path(__file__).resolve().parent.parent / "kb" / "data" / "demo"
_NOT_DOCUMENTS = {"readme"}


def demo_files(folder: Path = DEMO_DIR) -> list[Path]:
    return sorted(p for p in folder.glob("*.md") if p.stem.lower() not in _NOT_DOCUMENTS)


class DemoSource:
    name = "demo"
    help = "the bundled demo corpus (kb/data/demo/*.md)"

    def fetch(self, targets: list[str], ctx: FetchContext) -> Iterator[RawRecord | Failure]:
        folder = Path(ctx.options.get("demo_dir") or DEMO_DIR)
        files = demo_files(folder)
        if not files:
            yield Failure(target=str(folder), reason="demo corpus not found (broken install?)")
            return
        wanted = {t for t in targets if t and t != "demo"}
        for path in files:
            if wanted and path.stem not in wanted and path.name not in wanted:
                continue
            ctx.report(path.name)
            try:
                data = path.read_bytes()
                yield ctx.cache.save("demo", path.stem, "md", data,
                                     {"format": "markdown", "filename": path.name,
                                      "source_type": "summary"})
            except OSError as exc:
                yield Failure(target=str(path), reason=f"cannot read demo file ({exc})")
        missing = wanted - {p.stem for p in files} - {p.name for p in files}
        for name in sorted(missing):
            yield Failure(target=name, reason="no such demo document")
