"""One writer per knowledge base: an OS file lock in KB_HOME held for a whole ingest / rebuild.

Contract: ``writer_lock(settings)`` is a context manager; a second writer on the same KB_HOME
fails at once (or after ``timeout`` seconds) with ``WriterLockedError`` whose message says what
to do. The lock is an ``flock`` (filelock), so the kernel releases it when its process dies:
a killed ``kb ingest`` never leaves a stale lock behind. Readers (search, the app) take no lock:
Chroma serves reads while a writer writes.

With ``KB_CHROMA_URL`` the lock still lives in the local KB_HOME; writers on other machines
sharing one server are not serialised by it (Chroma's upserts with deterministic ids keep that
safe for distinct documents).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from kb.settings import Settings

LOCK_NAME = ".writer.lock"


class WriterLockedError(RuntimeError):
    """Another process is writing to this knowledge base."""


def lock_path(settings: Settings) -> Path:
    return settings.home / LOCK_NAME


@contextmanager
def writer_lock(settings: Settings, timeout: float = 0.0) -> Iterator[None]:
    """Hold the knowledge base's writer lock for the duration of the block."""
    path = lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise WriterLockedError(
            f"another `kb ingest` is writing to KB_HOME ({settings.home}); wait for it to finish "
            "and run the command again, or point KB_HOME at another folder"
        ) from None
    try:
        yield
    finally:
        lock.release()
