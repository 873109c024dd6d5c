"""What a server allows and where it keeps things: limits on requests and runs, the store.

Every limit has a default that suits one person on a laptop and can be changed by ``accord serve``
options or the environment (``ACCORD_MAX_DRAWS``, ``ACCORD_MAX_REQUEST_KB``,
``ACCORD_MAX_RUNNING``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from accord.errors import ParameterError

#: the scenario the dashboard opens on
DEFAULT_SCENARIO = "us-iran-muscat-2026"
#: the model a page forecasts with unless another is picked (fast enough to re-run on every slider)
DEFAULT_MODEL = "compromise"
#: draws of a page's forecast and of a what-if
DEFAULT_RUNS = 1000


def _env_int(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ParameterError(
            f"{name}={text!r} is not a whole number", hint=f"unset it or give e.g. {default}"
        ) from None
    if value < 1:
        raise ParameterError(f"{name}={value} must be at least 1", hint=f"e.g. {default}")
    return value


@dataclass(frozen=True)
class Settings:
    """A server's settings.

    ``max_draws``: the most draws one request may ask for (forecasts, what-ifs, each compare
    column); ``max_request_bytes``: the largest request body; ``max_jobs``: runs computed at once
    in the background (more wait in a queue); ``max_running``: requests computed at once while
    their clients wait (the rest queue; default: the machine's cores); ``max_sensitivity``: the most model evaluations of a
    sensitivity request; ``db``: the run store's URL (None: the default SQLite file).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    db: str | None = None
    max_draws: int = field(default_factory=lambda: _env_int("ACCORD_MAX_DRAWS", 20_000))
    max_request_bytes: int = field(
        default_factory=lambda: 1024 * _env_int("ACCORD_MAX_REQUEST_KB", 2048)
    )
    max_jobs: int = 2
    max_running: int = field(
        default_factory=lambda: _env_int("ACCORD_MAX_RUNNING", max(os.cpu_count() or 1, 1))
    )
    max_sensitivity: int = 20_000
    #: Host headers answered (None: any); `accord serve` on loopback answers loopback names only,
    #: so a web page elsewhere cannot reach the server through DNS rebinding
    allowed_hosts: tuple[str, ...] | None = None
    default_scenario: str = DEFAULT_SCENARIO
    default_model: str = DEFAULT_MODEL
    default_runs: int = DEFAULT_RUNS


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def hosts_for(host: str) -> tuple[str, ...] | None:
    """The Host headers a server listening on ``host`` answers: loopback names on loopback,
    anything when it listens on every address, else that address and the loopback names."""
    if host in ("0.0.0.0", "::", ""):
        return None
    names = {"127.0.0.1", "localhost", "[::1]", "::1"}
    if host not in LOOPBACK:
        names.add(host if ":" not in host else f"[{host}]")
    return tuple(sorted(names))


__all__ = ["LOOPBACK", "hosts_for", "DEFAULT_MODEL", "DEFAULT_RUNS", "DEFAULT_SCENARIO", "Settings"]
