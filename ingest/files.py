"""Source "files": local files and folders (recursively) copied into the raw cache.

Each file is stored as ``raw/files/<stem>.<sha256[:16]>.<ext>``: keyed by its content hash, so
ingesting the same file again writes nothing, and an edited file becomes a new record (the
document id stays the file stem, so the newer version replaces the older one downstream).

Checks done here, before any copy, so one bad file costs nothing and never stops the batch:
missing paths, files past ``Settings.max_parse_bytes``, empty files and formats the parser does
not read (``kb.parse.detect_format``). Everything else (malformed content) is the parser's job.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from ingest import Failure, FetchContext
from kb.parse import ParseError, detect_format
from kb.parse.common import mb
from kb.raw import FORMAT_EXT, RawRecord

# Read in chunks for hashing so a file at the size cap does not need two copies in memory.
_CHUNK = 1 << 20


def _walk(target: Path) -> Iterator[Path]:
    """Files under a folder in a stable order, skipping hidden files and folders."""
    for path in sorted(target.rglob("*")):
        rel = path.relative_to(target)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file():
            yield path


class FilesSource:
    name = "files"
    help = "local files or folders: .txt .md .html .pdf, PubMed/JATS XML, ClinicalTrials.gov JSON"

    def fetch(self, targets: list[str], ctx: FetchContext) -> Iterator[RawRecord | Failure]:
        for target in targets:
            path = Path(target).expanduser()
            if path.is_dir():
                found = False
                for file in _walk(path):
                    found = True
                    yield self._one(file, ctx)
                if not found:
                    yield Failure(target=target, reason="folder holds no files")
            elif path.is_file():
                yield self._one(path, ctx)
            elif path.exists():
                yield Failure(target=target, reason="not a regular file or folder")
            else:
                yield Failure(target=target, reason="no such file or folder")

    def _one(self, path: Path, ctx: FetchContext) -> RawRecord | Failure:
        name = str(path)
        ctx.report(name)
        limit = ctx.settings.max_parse_bytes
        try:
            size = path.stat().st_size
            if size > limit:
                return Failure(target=name, reason=f"file is {mb(size)}, larger than the "
                                                   f"{mb(limit)} limit (KB_MAX_PARSE_BYTES)")
            if size == 0:
                return Failure(target=name, reason="file is empty")
            data = path.read_bytes()
        except OSError as exc:
            return Failure(target=name, reason=f"cannot read file ({exc.strerror or exc})")
        try:
            fmt = detect_format(path, data[:8192])
        except ParseError as exc:
            return Failure(target=name, reason=exc.problem)
        sha = hashlib.sha256(data).hexdigest()
        ext = path.suffix.lower().lstrip(".") or FORMAT_EXT.get(fmt, "bin")
        if not ext.isalnum() or len(ext) > 10:
            ext = FORMAT_EXT.get(fmt, "bin")
        meta = {"format": fmt, "filename": path.name, "path": str(path.resolve())}
        try:
            return ctx.cache.save("files", f"{path.stem}.{sha[:16]}", ext, data, meta)
        except OSError as exc:
            return Failure(target=name, reason=f"cannot write the raw cache ({exc})")
