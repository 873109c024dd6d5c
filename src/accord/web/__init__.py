"""accord's web dashboard and JSON API (``accord serve``).

- :mod:`accord.web.app`: the FastAPI application (:func:`create_app`), its limits and error pages;
- :mod:`accord.web.api`: the JSON API under ``/api`` (scenarios, forecasts, runs, compare,
  sensitivity, what-ifs) and :mod:`accord.web.pages`: the HTML pages, both thin layers over
  :mod:`accord.runs` (the numbers) and :mod:`accord.present` (the words);
- :mod:`accord.web.charts`: Plotly figures built from run records (Plotly.js is served from the
  ``plotly`` package itself: nothing is fetched from the network);
- :mod:`accord.web.jobs`: runs in the background, with progress and cancel;
- :mod:`accord.web.keep`: where scenarios and runs are kept (the run store);
- :mod:`accord.web.sources`: which scenario a request names (built-in ids, kept scenarios and
  text only: never a path).

Nothing here is imported by ``import accord`` or ``import accord.cli``.
"""

from __future__ import annotations

from typing import Any


def create_app(*args: Any, **kwargs: Any) -> Any:
    """The FastAPI application; see :func:`accord.web.app.create_app`."""
    from accord.web.app import create_app as make

    return make(*args, **kwargs)


__all__ = ["create_app"]
