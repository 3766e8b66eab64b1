"""The raw cache: every payload exactly as it came, the source of truth for `kb rebuild`.

Layout: ``KB_HOME/raw/<source>/<safe id>.<ext>`` plus a sidecar ``<safe id>.<ext>.meta.json``
(format, source, record id, url, fetched_at, content sha256). The payload is written first and
the sidecar last, each atomically (temporary file + ``os.replace``), so a record whose sidecar
exists is complete; a crash leaves at most an orphan payload that the next save overwrites.

Record ids come from outside (PMIDs, NCT ids, file names, URLs) and are turned into file names
that can never leave their folder: ``safe_name("../../etc/passwd")`` stays inside
``raw/<source>/``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field

from kb.settings import Settings

log = logging.getLogger(__name__)

META_SUFFIX = ".meta.json"
# Longest file-name stem we write: ext4 allows 255 bytes, leave room for ext + sidecar suffix.
_MAX_STEM = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")
_EXT = re.compile(r"^[a-z0-9][a-z0-9.]{0,15}$")
# Query parameters that may carry credentials; never written to a sidecar.
_SECRET_PARAMS = {"api_key", "apikey", "key", "token", "access_token", "email", "password"}

# The file extension used when a source does not say (format -> ext).
FORMAT_EXT = {
    "text": "txt",
    "markdown": "md",
    "html": "html",
    "pdf": "pdf",
    "pubmed_xml": "xml",
    "jats_xml": "xml",
    "ctgov_json": "json",
    "europepmc_json": "json",
}


class RawRecord(BaseModel):
    """One cached payload: where it is (relative to KB_HOME) and what it is."""

    model_config = ConfigDict(extra="forbid")
    path: str = Field(description="payload path relative to KB_HOME, e.g. 'raw/pubmed/40544428.xml'")
    source: str = Field(description="source name that fetched it (files, demo, pubmed, ...)")
    record_id: str = Field(description="the source's id for the record, as given")
    fmt: str = Field(description="parser format: text, markdown, html, pdf, pubmed_xml, ...")
    meta: dict[str, Any] = Field(default_factory=dict, description="the sidecar contents")

    def full_path(self, settings: Settings) -> Path:
        return settings.home / self.path


def safe_name(record_id: str) -> str:
    """A file-name stem for an id: only [A-Za-z0-9._-], no leading dot, bounded length.

    Ids that had to be altered get a short hash of the original appended, so two different
    ids never collide on the same name ("a/b" and "a_b" stay distinct).
    """
    cleaned = _UNSAFE.sub("_", record_id).strip("._-")[:_MAX_STEM]
    if cleaned != record_id or not cleaned:
        digest = hashlib.sha256(record_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        cleaned = f"{cleaned}_{digest}" if cleaned else digest
    return cleaned


def redact_url(url: str | None) -> str | None:
    """The URL without credential-bearing query parameters (API keys, e-mail, tokens)."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in _SECRET_PARAMS]
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query), ""))


def _atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, fsync, then os.replace (atomic on POSIX)."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class RawCache:
    """Payloads under ``settings.raw_dir``; saving the same bytes twice writes nothing."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.root = settings.raw_dir

    def save(self, source: str, record_id: str, ext: str, data: bytes, meta: dict) -> RawRecord:
        """Store one payload and its sidecar; return the record (unchanged content: no write).

        ``meta`` may carry ``format`` (else guessed from ``ext``), ``url`` (credentials are
        stripped) and any other JSON-serialisable fields of the source (e.g. ``filename``).
        """
        if not _SOURCE_NAME.match(source):
            raise ValueError(f"invalid source name {source!r}")
        ext = ext.lower().lstrip(".")
        if not _EXT.match(ext):
            raise ValueError(f"invalid file extension {ext!r} for record {record_id!r}")
        folder = self.root / source
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{safe_name(record_id)}.{ext}"
        path = folder / name
        meta_path = folder / (name + META_SUFFIX)
        sha = hashlib.sha256(data).hexdigest()

        existing = self._read_meta(meta_path)
        if existing and existing.get("sha256") == sha and path.exists():
            return self._record(path, existing)

        fmt = meta.get("format") or _format_from_ext(ext)
        sidecar = {k: v for k, v in meta.items() if k not in {"format", "url"}}
        sidecar.update(
            format=fmt,
            source=source,
            record_id=record_id,
            url=redact_url(meta.get("url")),
            fetched_at=meta.get("fetched_at") or datetime.now(UTC).isoformat(timespec="seconds"),
            sha256=sha,
            size=len(data),
        )
        _atomic_write(path, data)
        _atomic_write(meta_path, json.dumps(sidecar, indent=1, sort_keys=True, default=str).encode())
        return self._record(path, sidecar)

    def read(self, record: RawRecord) -> bytes:
        """The payload bytes of a record."""
        return record.full_path(self.settings).read_bytes()

    def iter_records(self) -> Iterator[RawRecord]:
        """Every complete record (sidecar present), oldest fetch first, so newer versions of the
        same document are parsed last during a rebuild. Unreadable sidecars are skipped with a
        warning."""
        if not self.root.is_dir():
            return
        found: list[tuple[str, str, RawRecord]] = []
        for meta_path in self.root.glob(f"*/*{META_SUFFIX}"):
            meta = self._read_meta(meta_path)
            payload = meta_path.with_name(meta_path.name[: -len(META_SUFFIX)])
            if not meta or not payload.exists():
                log.warning("raw cache: skipping incomplete record %s", meta_path)
                continue
            rec = self._record(payload, meta)
            found.append((str(meta.get("fetched_at", "")), rec.path, rec))
        for _, _, rec in sorted(found, key=lambda t: (t[0], t[1])):
            yield rec

    def _record(self, path: Path, meta: dict) -> RawRecord:
        return RawRecord(
            path=path.relative_to(self.settings.home).as_posix(),
            source=str(meta.get("source", path.parent.name)),
            record_id=str(meta.get("record_id", path.stem)),
            fmt=str(meta.get("format") or _format_from_ext(path.suffix)),
            meta=meta,
        )

    @staticmethod
    def _read_meta(meta_path: Path) -> dict | None:
        try:
            data = json.loads(meta_path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("raw cache: unreadable sidecar %s: %s", meta_path, exc)
            return None
        return data if isinstance(data, dict) else None


def _format_from_ext(ext: str) -> str:
    ext = ext.lower().lstrip(".")
    return {"txt": "text", "md": "markdown", "markdown": "markdown", "htm": "html",
            "html": "html", "pdf": "pdf"}.get(ext, "auto")
