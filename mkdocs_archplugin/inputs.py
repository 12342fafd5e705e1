"""Reading an untrusted input file (the PRD, architecture.yml): the one reader every input goes through.

Anyone who can open a pull request writes these files, so a read must not hang (a FIFO, a
device), use unbounded memory (a link to /dev/zero, a sparse multi-gigabyte file) or reach
outside the input's folder (a link to /etc/passwd). Regular files only; the size is checked
from `fstat` and enforced again while reading; links must stay inside their folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class InputError(Exception):
    """An input file that cannot be read safely; `message` and `hint` are for the user."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def read_input(path: Path, limit: int, folder: Path | None = None,
               size_hint: str = "split it into smaller files in a folder") -> bytes:
    """The bytes of `path`, at most `limit` of them, if it is a regular file inside `folder`
    (default: its own folder) once links are resolved. Raises InputError otherwise."""
    base = os.path.realpath(folder if folder is not None else path.parent)
    real = os.path.realpath(path)
    if real != base and not real.startswith(base.rstrip(os.sep) + os.sep):
        raise InputError("is a link to a file outside its folder",
                         "replace the link by the file itself; inputs are read inside their folder only")
    try:
        # Non-blocking: opening a FIFO for reading would otherwise wait for a writer forever.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror})", "check that it exists and is readable") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise InputError("is not a regular file (a FIFO, device or socket)",
                             "inputs must be ordinary files; remove it or point the option elsewhere")
        if status.st_size > limit:
            raise InputError(f"is {status.st_size:,} bytes; the limit is {limit:,}", size_hint)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise InputError(f"is more than {limit:,} bytes", size_hint)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror})", "check that it is a readable file") from None
    finally:
        os.close(descriptor)
