"""Every bad request answers 4xx with a message saying what, where and how to fix it.

Errors from accord's services name a **field** (``runs``, ``set``, ``smp.voting_rule``); here they
become the request's own field names (``runs``, ``changes``, ``params.smp.voting_rule``), as the
CLI maps them to flags. A scenario's problems keep their place in the text (line and column) and
their path in the scenario (``actors.us.stances.missiles.salience``): the very messages
``accord validate`` prints, as data.

The JSON of an error::

    {"error": {"status": 422, "message": "...", "hint": "...", "field": "runs",
               "problems": [{"field": "actors.us.stances.missiles.salience", "message": "...",
                             "line": 12, "column": 19, "hint": "...", "text": "..."}]}}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accord.errors import AccordError, Problem, ScenarioError

#: service field -> request field (the rest keep their names)
FIELDS = {
    "set": "changes",
    "model": "models",
    "param": "params",
    "input": "inputs",
}


def request_field(service_field: str) -> str:
    """The request field an error's service field stands for."""
    from accord.models import MODELS

    if service_field in FIELDS:
        return FIELDS[service_field]
    head = service_field.split(".", 1)[0]
    if head in MODELS:
        return f"params.{service_field}"
    return service_field


def problem_json(p: Problem) -> dict[str, Any]:
    """One scenario problem as the API reports it (``text`` is what ``accord validate`` prints)."""
    return {
        "field": p.path,
        "message": p.message,
        "line": p.line,
        "column": p.column,
        "hint": p.hint,
        "text": str(p),
    }


class ApiError(Exception):
    """A request the server refuses: its HTTP status and the error's JSON."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        hint: str = "",
        field: str = "",
        problems: Sequence[dict[str, Any]] = (),
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.hint = hint
        self.field = field
        self.problems = list(problems)

    def to_json(self) -> dict[str, Any]:
        return {
            "error": {
                "status": self.status,
                "message": self.message,
                "hint": self.hint,
                "field": self.field,
                "problems": self.problems,
            }
        }

    @classmethod
    def from_accord(cls, exc: AccordError, *, status: int = 422, field: str = "") -> ApiError:
        """An accord error as a 4xx: a scenario's problems one by one, located; otherwise the
        message with its field in request terms (``field`` overrides it, e.g. ``scenario_text``
        for a scenario that arrived as text)."""
        if isinstance(exc, ScenarioError):
            n = len(exc.problems)
            head = f"{exc.source}: " if exc.source else ""
            return cls(
                status,
                f"{head}{n} problem{'s' if n != 1 else ''} found in the scenario",
                hint="each problem names its place in the scenario (path, line and column)",
                field=field or "scenario",
                problems=[problem_json(p) for p in exc.problems],
            )
        return cls(
            status,
            exc.message,
            hint=exc.hint,
            field=field or request_field(exc.field or ""),
        )


def validation_error(errors: Sequence[dict[str, Any]]) -> ApiError:
    """FastAPI's request validation errors (pydantic) as one 422 with a problem per field."""
    problems = []
    for e in errors:
        loc = [str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path")]
        where = ".".join(loc)
        msg = str(e.get("msg", "invalid")).replace("Value error, ", "")
        if e.get("type") == "extra_forbidden":
            msg = "unknown field"
        elif e.get("type") == "missing":
            msg = "required"
        problems.append(
            {
                "field": where,
                "message": msg,
                "line": None,
                "column": None,
                "hint": "",
                "text": f"{where}: {msg}" if where else msg,
            }
        )
    first = problems[0] if problems else {"field": "", "text": "invalid request"}
    n = len(problems)
    return ApiError(
        422,
        first["text"]
        if n == 1
        else f"{n} problems in the request: " + "; ".join(p["text"] for p in problems[:5]),
        hint="the API's fields and their types are at /api/docs",
        field=first["field"],
        problems=problems,
    )


__all__ = ["FIELDS", "ApiError", "problem_json", "request_field", "validation_error"]
