"""Files that appear whole or not at all: written under a temporary name in the same folder and renamed (or
linked) to their real name only once complete.

A full disk, a killed process or a lost connection part-way through leaves a hidden `.<name>.part-<hex>` file,
never a half PDF under the real name that a reader would open or a download would serve. The same folder
matters: a rename within one file system is atomic. `sweep_partial_files` removes the leftovers that no writer
owns any more (older than an hour), so a full disk does not stay full.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

PART_MARK = ".part-"
PART_NAME = re.compile(r"^\..+\.part-[0-9a-f]{12}$")


def partial_name(name: str) -> str:
    """The temporary name under which `name` is written (hidden, and unique to this writer)."""
    return f".{name}{PART_MARK}{secrets.token_hex(6)}"


def is_partial(name: str) -> bool:
    return bool(PART_NAME.match(name))


@contextlib.contextmanager
def atomic_write(path: Path, *, mode: int = 0o666, exclusive: bool = False) -> Iterator[BinaryIO]:
    """A binary file to write; on leaving the block it becomes `path` (replacing it, or, `exclusive`, refusing
    with FileExistsError if it exists). On any error nothing is left behind. `mode` is subject to the umask."""
    path = Path(path)
    part = path.with_name(partial_name(path.name))
    descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if exclusive:
            os.link(part, path)  # fails if `path` exists: never overwrites
        else:
            os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def write_bytes(path: Path, content: bytes, *, mode: int = 0o666) -> None:
    """`path.write_bytes(content)`, but whole or not at all."""
    with atomic_write(path, mode=mode) as stream:
        stream.write(content)


def sweep_partial_files(root: Path, older_than: datetime.timedelta = datetime.timedelta(hours=1)) -> list[Path]:
    """Remove the temporary files under `root` that were last written more than `older_than` ago (a writer
    still at work touches its file all the time); return what was removed."""
    cutoff = time.time() - older_than.total_seconds()
    removed = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            if not is_partial(name):
                continue
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed.append(path)
    return removed
