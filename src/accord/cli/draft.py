"""``accord draft``: a scenario drafted from news articles, or a dated update of an existing one.

The ingest machinery (ftfy, trafilatura, the lexicons) is imported inside the command, so
``import accord.cli`` stays light.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from accord.cli import app
from accord.cli.render import err, plain, prose


def _date(text: str | None) -> dt.date | None:
    from accord.errors import AccordError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise AccordError(f"--date {text!r} is not a date", hint="write it as YYYY-MM-DD") from None


@app.command("draft", short_help="Draft a scenario from news articles (Arabic or English).")
def draft_command(
    articles: Annotated[
        list[str],
        typer.Argument(help="article files: plain text, HTML or a saved page (.html, .mhtml)"),
    ],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="where to write the draft (YAML); default: print it"),
    ] = None,
    into: Annotated[
        str | None,
        typer.Option(
            "--into",
            help="an existing scenario file: propose changes to it as a dated update (written to "
            "--output; the file itself is never changed)",
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(help="publication date YYYY-MM-DD, when the article does not give one"),
    ] = None,
    scenario_id: Annotated[
        str | None,
        typer.Option("--id", help="id of the drafted scenario (default: from the title)"),
    ] = None,
    llm_url: Annotated[
        str | None,
        typer.Option(
            help="an OpenAI-compatible endpoint (e.g. http://127.0.0.1:11434/v1) to read what the "
            "rules cannot; off by default: without it nothing leaves this machine"
        ),
    ] = None,
    llm_model: Annotated[str | None, typer.Option(help="the model name at --llm-url")] = None,
    llm_key_env: Annotated[
        str | None,
        typer.Option(help="name of the environment variable holding the endpoint's API key"),
    ] = None,
) -> None:
    """Draft a scenario from news articles (Arabic or English): actors and roles, issues, stances,
    red lines and outside options, each with the sentence behind it; a review list in `notes`.
    Offline rules by default."""
    from accord.errors import AccordError
    from accord.ingest.draft import draft
    from accord.ingest.emit import review_items, scenario_yaml

    day = _date(date)
    if into and not output:
        raise AccordError(
            "--into needs --output: the scenario file itself is never changed",
            hint="e.g. --into muscat.yaml -o muscat-updated.yaml",
        )
    if output and into and Path(output).resolve() == Path(into).resolve():
        raise AccordError(
            "--output is the --into file: write the update to a new file",
            hint="the original stays as it is; compare the two, then replace it",
        )
    if output:
        _check_output(output)
    base = _load_into(into) if into else None  # a bad scenario is refused before any work
    d = draft(articles, date=day)
    if llm_url or llm_model:
        _llm(d, llm_url, llm_model, llm_key_env)
    if into:
        text = _update(into, base, d, day)
    else:
        text = scenario_yaml(d, scenario_id=scenario_id)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)
    _summary(d, review_items(d), output, into)


def _check_output(output: str) -> None:
    from accord.errors import AccordError

    p = Path(output)
    if p.is_dir():
        raise AccordError(f"--output {output}: it is a folder", hint="name a file, e.g. draft.yaml")
    if not p.parent.is_dir():
        raise AccordError(
            f"--output {output}: {p.parent} is not an existing folder", hint="create it first"
        )


def _llm(d, url: str | None, model: str | None, key_env: str | None) -> None:
    from accord.errors import AccordError
    from accord.ingest.llm import LLMConfig, enrich

    if not (url and model):
        raise AccordError("the LLM backend needs both --llm-url and --llm-model")
    key = os.environ.get(key_env, "") if key_env else ""
    if key_env and not key:
        raise AccordError(f"--llm-key-env: the environment variable {key_env} is not set")
    rep = enrich(d, LLMConfig(url, model, key))
    e = err()
    if rep.warning:
        e.print(plain("warning: ", "yellow") + plain(rep.warning), soft_wrap=True)
    e.print(
        plain(f"LLM {model}: {len(rep.kept)} claims kept, {len(rep.dropped)} dropped"),
        soft_wrap=True,
    )
    for line in rep.dropped:
        prose(f"dropped: {line}", style="dim", indent=2, hang=2, console=e)


def _load_into(into: str):
    from accord.scenario import load

    return load(into, only="path")


def _update(into: str, scenario, d, day: dt.date | None) -> str:
    from accord.errors import AccordError
    from accord.ingest.update import append_update, check_update, propose_update
    from accord.scenario.load import decode, read_bytes

    record, dropped = check_update(scenario, propose_update(scenario, d, as_of=day))
    if not record["set"] and not record["evidence"] and not record["notes"]:
        raise AccordError("the article adds nothing to the scenario: no proposal, no evidence")
    raw = read_bytes(Path(into), into)
    text = append_update(decode(raw, into), record)
    # the scenario with its new dated version must still be a valid scenario (dates in order...)
    from accord.errors import ScenarioError
    from accord.scenario import load_text

    try:
        load_text(text, format="yaml", source=f"{into} with the new update")
    except ScenarioError as exc:
        raise AccordError(
            f"the update drafted for {into} does not fit it: {exc.problems[0]}",
            field="updates",
        ) from None
    return text


def _summary(d, review, output: str | None, into: str | None) -> None:
    e = err()
    where = output or "standard output"
    what = "update" if into else "draft"
    e.print(plain(f"{what} written to {where}", "green"), soft_wrap=True)
    for a in d.actors:
        issues = ", ".join(
            f"{'+' if f.direction > 0 else '-'}{i}{'!' if f.red_line else ''}"
            for i, f in a.facts.items()
        )
        prose(
            f"{a.role}: {a.name} [{a.id}]" + (f" — {issues}" if issues else ""),
            indent=2,
            hang=4,
            console=e,
        )
    for n in d.non_parties:
        prose(
            f"not a party: {n.name} [{n.id}] ({n.why.replace('_', ' ')})",
            style="dim",
            indent=2,
            hang=4,
            console=e,
        )
    for f in d.flags:
        prose(f"flag: {f.text()}", style="yellow", indent=2, hang=4, console=e)
    low = sum(1 for r in review if r.confidence < 0.5)
    prose(
        f"{len(review)} items to review ({low} below 0.5 confidence) in the notes; "
        "+ supports, - opposes, ! red line",
        style="dim",
        indent=2,
        hang=4,
        console=e,
    )
