"""Files accord writes (reports, charts): one check before the work, one guarded write after it.

:func:`check_output_path` is called before anything is computed, so a bad ``--output`` fails at
once with a clear message instead of after a long run; :func:`write_output` turns what can still go
wrong while writing (a full disk, a permission changed meanwhile) into the same kind of message.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from accord.errors import ParameterError
from accord.paths import exists, is_dir

IMAGE_SUFFIXES = (".png", ".svg")
HTML_SUFFIXES = (".html", ".htm")


def check_output_path(path: str | os.PathLike, suffixes: Sequence[str]) -> Path:
    """``path`` as a :class:`Path`, once it is known that a file can be written there.

    Checks that its extension is one of ``suffixes``, that it is not a folder, and that its folder
    exists and is writable (and the file itself, if it exists). :class:`ParameterError` otherwise.
    """
    path = Path(path)
    kinds = " or ".join(suffixes)
    if is_dir(path):
        raise ParameterError(
            f"cannot write {path}: it is a folder",
            hint=f"give a file name inside it, e.g. {path / ('output' + suffixes[0])}",
        )
    if path.suffix.lower() not in suffixes:
        raise ParameterError(
            f"cannot write {path}: the file name must end in {kinds}",
            hint=f"use a {kinds} file name, e.g. {path.stem or 'output'}{suffixes[0]}",
        )
    folder = path.parent
    if not is_dir(folder):
        raise ParameterError(
            f"cannot write {path}: {folder} is not an existing folder",
            hint=f"create it first (mkdir -p {folder}) or write somewhere else",
        )
    if not os.access(folder, os.W_OK | os.X_OK) or (exists(path) and not os.access(path, os.W_OK)):
        raise ParameterError(
            f"cannot write {path}: permission denied", hint="write to a folder you can write to"
        )
    return path


def write_output(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write ``data`` (text as UTF-8) to ``path``; an :class:`OSError` becomes a user error."""
    path = Path(path)
    try:
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    except OSError as exc:
        raise ParameterError(
            f"cannot write {path}: {exc.strerror or exc}",
            hint="check the path, the folder's permissions and the free disk space",
        ) from None
    return path


__all__ = ["HTML_SUFFIXES", "IMAGE_SUFFIXES", "check_output_path", "write_output"]
