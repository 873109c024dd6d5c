"""The application: the API and the pages, the static files, the limits and the error answers.

>>> from fastapi.testclient import TestClient  # doctest: +SKIP
>>> client = TestClient(create_app())  # doctest: +SKIP
>>> client.post("/api/forecast", json={"runs": 500, "seed": 1}).json()["results"]  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord._version import __version__
from accord.errors import AccordError
from accord.web.errors import ApiError, validation_error
from accord.web.keep import Keeper, open_keeper
from accord.web.settings import Settings

log = logging.getLogger("accord.web")


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with a 413, by their Content-Length or, for a
    body sent in chunks, as soon as it grows past the limit (never reading more)."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    size = -1
                if size < 0 or size > self.limit:
                    await self._refuse(scope, receive, send)
                    return
        # read the whole body first (it is small: at most the limit), then hand it on
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > self.limit:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        err = ApiError(
            413,
            f"the request body is over this server's limit of {self.limit // 1024:,} KiB",
            hint="send a smaller scenario (or start `accord serve` with a larger --max-request-kb)",
            field="body",
        )
        await JSONResponse(err.to_json(), status_code=413)(scope, receive, send)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get(
        "accept", ""
    )


def error_response(request: Request, err: ApiError) -> Response:
    """An error as JSON for the API, as a page for a browser."""
    if _wants_html(request):
        from accord.web.pages import error_page

        return error_page(request, err)
    return JSONResponse(err.to_json(), status_code=err.status)


def create_app(settings: Settings | None = None, keeper: Keeper | None = None) -> FastAPI:
    """The web app with ``settings`` (defaults: loopback, the default store) and ``keeper``
    (default: opened from ``settings.db`` when the app starts, closed when it stops)."""
    from accord.web import api, docs, pages, static

    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.jobs.close()
        if app.state.own_keeper:
            app.state.keeper.close()

    app = FastAPI(
        title="accord",
        version=__version__,
        description="Forecast where a negotiation lands: scenarios, forecasts under "
        "uncertainty, what-ifs on the same draws, sensitivity, stored runs. Every result is a run "
        "record (`accord schema`); every error a 4xx saying what, where and how to fix it.",
        docs_url=None,  # FastAPI's own pages load Swagger UI from a CDN: ours is local
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    from accord.web.jobs import Jobs

    app.state.settings = settings
    app.state.own_keeper = keeper is None
    app.state.keeper = keeper if keeper is not None else open_keeper(settings.db)
    app.state.jobs = Jobs(app.state.keeper, settings)
    app.state.running = threading.BoundedSemaphore(settings.max_running)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc)

    @app.exception_handler(AccordError)
    async def _accord_error(request: Request, exc: AccordError) -> Response:
        return error_response(request, ApiError.from_accord(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, validation_error(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: f"nothing at {request.url.path}", 405: "method not allowed here"}.get(
            exc.status_code, str(exc.detail)
        )
        hint = "the API is described at /api/docs" if exc.status_code in (404, 405) else ""
        return error_response(request, ApiError(exc.status_code, message, hint=hint))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:  # pragma: no cover - a bug
        log.exception("internal error on %s", request.url.path)
        err = ApiError(
            500,
            f"internal error: {type(exc).__name__}",
            hint="this is a bug in accord; please report it with the request you sent",
        )
        return error_response(request, err)

    app.include_router(api.router)
    app.include_router(docs.router)
    app.include_router(static.router)
    app.include_router(pages.router)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    if settings.allowed_hosts is not None:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    return app


__all__ = ["BodyLimit", "create_app", "error_response"]
