"""Fixtures for the ingest tests: a small OpenAI-compatible server on loopback."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLLM:
    def __init__(self, answer: dict | str, status: int = 200):
        self.answer, self.status = answer, status
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": json.loads(body)}
                )
                content = (
                    outer.answer
                    if isinstance(outer.answer, str)
                    else json.dumps(outer.answer, ensure_ascii=False)
                )
                payload = json.dumps(
                    {"choices": [{"message": {"role": "assistant", "content": content}}]}
                ).encode()
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


import pytest  # noqa: E402


@pytest.fixture
def fake_llm():
    """``fake_llm(answer, status=200)``: a started server (stopped at the end of the test)."""
    started: list[FakeLLM] = []

    def make(answer, status: int = 200) -> FakeLLM:
        server = FakeLLM(answer, status).__enter__()
        started.append(server)
        return server

    yield make
    for s in started:
        s.__exit__(None, None, None)
