"""The page's assets, served from installed packages: accord's own CSS and script, and Plotly.js
from the ``plotly`` package (the very file it ships; MIT licence). Nothing comes from a CDN.

Files are served by name from a fixed list made when the app starts: a request picks one of
them, it never names a path.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from accord.web.errors import ApiError

router = APIRouter(include_in_schema=False)
TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


def plotly_js() -> Path:
    """plotly.min.js as the ``plotly`` package ships it."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():  # pragma: no cover - a broken plotly install
        raise ApiError(503, "plotly.min.js is missing from the plotly package", field="plotly")
    return path


@functools.lru_cache(maxsize=1)
def assets() -> dict[str, Path]:
    """Name -> file of every asset the pages use."""
    own = resources.files("accord.web") / "static"
    out = {p.name: Path(str(p)) for p in own.iterdir() if p.name.endswith(tuple(TYPES))}
    out["plotly.min.js"] = plotly_js()
    return out


@functools.lru_cache(maxsize=1)
def version_tag() -> str:
    """A short hash of the assets, so a page asks for new ones after an upgrade."""
    h = hashlib.sha256()
    for name, path in sorted(assets().items()):
        h.update(name.encode())
        h.update(str(path.stat().st_mtime_ns).encode())
    return h.hexdigest()[:10]


def url(name: str) -> str:
    return f"/static/{name}?v={version_tag()}"


@router.get("/static/{name}")
def asset(name: str) -> FileResponse:
    path = assets().get(name)
    if path is None:
        raise ApiError(404, f"no asset {name[:80]!r}", field="name")
    return FileResponse(
        path,
        media_type=TYPES[path.suffix],
        headers={"Cache-Control": "public, max-age=86400"},
    )


__all__ = ["assets", "plotly_js", "router", "url"]
