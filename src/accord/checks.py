"""Checks of the public API's arguments: a wrong type is the caller's mistake, so it raises the
project's own :class:`~accord.errors.ParameterError` naming the argument (its ``field``), never a
``TypeError`` or ``AttributeError`` from deep inside.

>>> whole(5, "runs"), text("bdm", "model"), optional(None, whole, "workers")
(5, 'bdm', None)
>>> whole(1.5, "runs")
Traceback (most recent call last):
...
accord.errors.ParameterError: runs=1.5 must be a whole number >= 1
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np

from accord.errors import ParameterError
from accord.numbers import shown

T = TypeVar("T")


def whole(value: Any, name: str, *, minimum: int = 1, field: str = "") -> int:
    """``value`` as an int when it is a whole number >= ``minimum`` (not a bool, a float or text)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ParameterError(
            f"{name}={shown(value)} must be a whole number >= {minimum}", field=field or name
        )
    return int(value)


def real(
    value: Any, name: str, *, low: float = -math.inf, high: float = math.inf, field: str = ""
) -> float:
    """``value`` as a float when it is a finite number within [low, high] (not a bool or text)."""
    ok = not isinstance(value, bool) and isinstance(value, int | float | np.integer | np.floating)
    if ok and isinstance(value, int) and value.bit_length() > 1024:
        ok = False
    if not ok or not (math.isfinite(value) and low <= value <= high):
        where = (
            f" between {low:g} and {high:g}" if math.isfinite(low) or math.isfinite(high) else ""
        )
        raise ParameterError(f"{name}={shown(value)} must be a number{where}", field=field or name)
    return float(value)


def text(value: Any, name: str, *, field: str = "", hint: str = "") -> str:
    """``value`` when it is a str."""
    if not isinstance(value, str):
        raise ParameterError(
            f"{name} must be text, not {type(value).__name__}", hint=hint, field=field or name
        )
    return value


def mapping(value: Any, name: str, *, field: str = "", hint: str = "") -> Mapping[Any, Any]:
    """``value`` when it is a mapping (a dict)."""
    if not isinstance(value, Mapping):
        raise ParameterError(
            f"{name} must be a mapping, not {type(value).__name__}", hint=hint, field=field or name
        )
    return value


def texts(value: Any, name: str, *, field: str = "", hint: str = "") -> list[str]:
    """``value`` as a list when it is a list or tuple of str (not a str itself)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ParameterError(
            f"{name} must be a list of texts, not {type(value).__name__}",
            hint=hint,
            field=field or name,
        )
    for item in value:
        text(item, f"each of {name}", field=field or name, hint=hint)
    return list(value)


def pick(items: Mapping[str, T], key: Any, what: str, *, field: str = "") -> T:
    """``items[key]``, or an :class:`~accord.errors.UnknownNameError` listing the known keys (also
    for a key of the wrong type)."""
    from accord.errors import UnknownNameError

    if isinstance(key, str) and key in items:
        return items[key]
    raise UnknownNameError(
        f"no {what} {shown(key)}", hint=f"{what}s: " + (", ".join(items) or "none"), field=field
    )


def optional(value: Any, check: Callable[..., T], name: str, **kw: Any) -> T | None:
    """None as it is, anything else through ``check``."""
    return None if value is None else check(value, name, **kw)


__all__ = ["mapping", "optional", "pick", "real", "text", "texts", "whole"]
