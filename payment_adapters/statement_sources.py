"""Opening what a clerk hands us as a statement: a path, or an open file (text or
binary). Importers look at a file twice (identify, then extract), so open files are
rewound after a peek; a file that cannot be rewound is read into memory once."""
from __future__ import annotations

import io
import os
from contextlib import contextmanager
from typing import IO, Iterator

from .errors import StatementError
from .statement_lines import StatementSource

ZIP_MAGIC = b"PK\x03\x04"  # every XLSX file is a zip archive


def describe(source: StatementSource) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.path.basename(os.fspath(source)) or os.fspath(source)
    name = getattr(source, "name", None)
    return os.path.basename(name) if isinstance(name, str) and name else "the file"


def rewindable(source: StatementSource) -> StatementSource:
    """`source` itself when it is a path or can seek; else its content in memory."""
    if isinstance(source, (str, os.PathLike)) or source.seekable():
        return source
    data = source.read()
    return io.BytesIO(data) if isinstance(data, bytes) else io.StringIO(data)


def peek(source: StatementSource, size: int = 8) -> bytes | str:
    """The first `size` bytes (or characters of a text file), leaving the file where it was."""
    if isinstance(source, (str, os.PathLike)):
        try:
            with open(source, "rb") as handle:
                return handle.read(size)
        except OSError as exc:
            raise StatementError(f"cannot open {describe(source)}: {exc.strerror or exc}") from None
    start = source.tell()
    try:
        return source.read(size)
    finally:
        source.seek(start)


def is_zip(head: bytes | str) -> bool:
    return isinstance(head, bytes) and head.startswith(ZIP_MAGIC)


@contextmanager
def binary(source: StatementSource) -> Iterator[IO[bytes]]:
    """A binary file over `source`, from its start; closes only what it opened."""
    if isinstance(source, (str, os.PathLike)):
        try:
            handle = open(source, "rb")
        except OSError as exc:
            raise StatementError(f"cannot open {describe(source)}: {exc.strerror or exc}") from None
        with handle:
            yield handle
        return
    source.seek(0)
    yield source


@contextmanager
def text_lines(source: StatementSource, encoding: str) -> Iterator[Iterator[str]]:
    """The lines of `source` from its start, as text. Each line is decoded on its own, so
    a byte that is not `encoding` is reported on its own line, not on a later one."""
    if _is_text(source):
        source.seek(0)
        yield iter(source)
        return
    with binary(source) as handle:
        if encoding.replace("_", "-").lower().startswith(("utf-16", "utf-32")):
            wrapper = io.TextIOWrapper(handle, encoding=encoding, newline="")
            try:
                yield iter(wrapper)
            finally:
                wrapper.detach()  # the binary file stays the caller's (or binary()'s) to close
            return
        yield _decoded(handle, encoding)


def _decoded(handle: IO[bytes], encoding: str) -> Iterator[str]:
    # A byte-order mark can only open the file: after the first line plain UTF-8 is the
    # same decoding, done in C.
    rest = "utf-8" if encoding.replace("_", "-").lower() == "utf-8-sig" else encoding
    for number, raw in enumerate(handle, start=1):
        try:
            yield raw.decode(encoding if number == 1 else rest)
        except UnicodeDecodeError as exc:
            raise StatementError(
                f"not {encoding} text (byte {raw[exc.start:exc.start + 1]!r}); set encoding "
                "in the statement mapping", line=number) from None


def _is_text(source: StatementSource) -> bool:
    return not isinstance(source, (str, os.PathLike)) and isinstance(source.read(0), str)


class FileImporter:
    """What the CSV and XLSX importers share: a name, and recognising a file by its kind
    and its header row before any line is read."""

    kind: str  # "csv" | "xlsx", the end of `name`

    def __init__(self, mapping):
        self.mapping = mapping
        self.name = f"{mapping.provider}-{self.kind}"

    def why_not(self, source: StatementSource) -> str | None:
        """None when `source` is this provider's export of this kind; else why not, in a
        clerk's words."""
        head = peek(source)
        if not head:
            return "the file is empty (0 bytes)"
        wrong_kind = self.wrong_kind(head)
        if wrong_kind:
            return wrong_kind
        try:
            self.read_header(source)
        except StatementError as exc:
            return str(exc)
        return None

    def identify(self, source: StatementSource) -> bool:
        return self.why_not(source) is None

    def wrong_kind(self, head: bytes | str) -> str | None:
        raise NotImplementedError

    def read_header(self, source: StatementSource) -> None:
        """Read the header row; StatementError when it is not this provider's."""
        raise NotImplementedError
