"""Questions about a path the user gave, answered without raising.

:class:`pathlib.Path` raises :class:`OSError` for a name the system refuses (longer than it
allows, say) and :class:`ValueError` for one with a NUL byte; such a path is neither a file nor a
folder, so each reader can give its own clear message ("no such file") instead of a traceback.

>>> exists("/tmp/" + "a/" * 3000 + "x.yaml"), is_file("bad\\0name"), is_dir("/")
(False, False, True)
"""

from __future__ import annotations

import os
from pathlib import Path


def exists(path: str | os.PathLike) -> bool:
    """Whether ``path`` exists (False for a name the system refuses)."""
    try:
        return Path(path).exists()
    except (OSError, ValueError):
        return False


def is_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a file (False for a name the system refuses)."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


def is_dir(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a folder (False for a name the system refuses)."""
    try:
        return Path(path).is_dir()
    except (OSError, ValueError):
        return False


__all__ = ["exists", "is_dir", "is_file"]
