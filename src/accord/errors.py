"""One exception family for everything a user can get wrong.

Every message says what is wrong, where (file, line/column when known, and a dotted path such as
``actors.iran.stances.missiles.salience``) and how to fix it. The CLI prints these without a
traceback and exits 1; anything else is an internal error (exit 2).

Errors raised by runs and the core name the **field** they concern (``runs``, ``seed``, ``model``,
``smp.voting_rule``, ...) rather than a command-line flag: the CLI maps the field to its flag
(``--runs``) and the web API to its request field, so the core never speaks an interface's language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with its location and a hint."""

    message: str
    path: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str = ""

    def location(self) -> str:
        parts = []
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        if self.path:
            parts.append(self.path)
        return " ".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        text = f"{loc}: {self.message}" if loc else self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def as_dict(self) -> dict:
        return {
            "message": self.message,
            "path": self.path,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "hint": self.hint,
        }


class AccordError(Exception):
    """Base class of every error a user can cause and fix.

    ``field`` names the input it concerns (e.g. ``runs``, ``smp.voting_rule``), or is empty.
    """

    def __init__(self, message: str, *, hint: str = "", field: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.field = field

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


class ScenarioError(AccordError):
    """A scenario (file or object) is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        n = len(self.problems)
        head = f"{source}: " if source else ""
        summary = f"{head}{n} problem{'s' if n != 1 else ''} found"
        super().__init__(summary + "\n" + "\n".join(f"  - {p}" for p in self.problems))


class UnknownNameError(AccordError):
    """A model, scenario, variant or option name that does not exist."""


class ParameterError(AccordError):
    """A model or service parameter is out of range or of the wrong kind."""
