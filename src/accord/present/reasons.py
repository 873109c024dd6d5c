"""Why a deal fails, in words: the one blocking-reason sentence the terminal, the report and the
web page all show.

A reason is a record :class:`~accord.runs.records.Blocker` (or its dict): a decider whose red
line the outcome crosses on an issue, or who prefers its outside option.

>>> import accord
>>> sc = accord.load("us-iran-muscat-2026")
>>> reason({"actor": "iran", "kind": "red_line", "issue": "enrichment", "bound": "max",
...         "share": 0.953}, sc)
'Iran: red line on Nuclear infrastructure and enrichment (above its maximum), in 95.3% of draws'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.present.formats import share as share_text
from accord.scenario.types import Scenario


def _get(r: Any, key: str) -> Any:
    return r.get(key) if isinstance(r, Mapping) else getattr(r, key, None)


def reason(r: Any, scenario: Scenario, *, with_share: bool | None = None) -> str:
    """``"Iran: red line on Enrichment (above its maximum), in 95.3% of draws"``; the share is
    left out when ``with_share`` is False (or, by default, when it is 1: a single run)."""
    actor = scenario.actor(_get(r, "actor")).name
    if _get(r, "kind") == "red_line":
        issue = scenario.issue(_get(r, "issue")).name
        side = "below its minimum" if _get(r, "bound") == "min" else "above its maximum"
        text = f"{actor}: red line on {issue} ({side})"
    else:
        text = f"{actor}: prefers its outside option"
    share = _get(r, "share")
    if with_share is None:
        with_share = share is not None and share < 1
    if with_share and share is not None:
        text += f", in {share_text(share)} of draws"
    return text


def reasons(
    items: Any, scenario: Scenario, *, top: int | None = None, with_share: bool | None = None
) -> list[str]:
    """The first ``top`` reasons (all by default), most frequent first, as sentences."""
    items = list(items)[:top] if top else list(items)
    return [reason(r, scenario, with_share=with_share) for r in items]


__all__ = ["reason", "reasons"]
