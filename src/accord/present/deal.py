"""The deal space in words and rows: the sentences and tables every interface shows, built from
the record (:class:`~accord.runs.records.DealResult`, :class:`~accord.runs.records.ConcessionsResults`)
and the scenario.

The section leads with one sentence — is there a package every decider accepts, and if not, what
blocks one — then says what decides escalation against stalemate (a threshold on inputs, not a
model forecast), and, where a zone exists, where it lies and what the mediator's package is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.present import formats as f
from accord.scenario.types import Scenario

#: the most blocking reasons the headline names, and the share of draws a reason needs to be named
HEADLINE_REASONS = 3
HEADLINE_SHARE = 0.05
#: the share of draws with a zone below which its extent is not tabulated (too few to describe)
ZONE_SHARE = 0.01


def _names(ids: list[str], sc: Scenario) -> str:
    names = [sc.actor(a).name for a in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


#: up to this many deciders are named (and get a column and a line each); more are counted
NAMED_DECIDERS = 3


def _who(deal: Any, sc: Scenario) -> str:
    """``both deciders (United States and Iran) accept`` / ``every decider (…) accepts``."""
    n = len(deal.deciders)
    names = f" ({_names(deal.deciders, sc)})" if n <= NAMED_DECIDERS else f" (all {n})"
    if n == 1:
        return f"the decider{names} accepts"
    return f"both deciders{names} accept" if n == 2 else f"every decider{names} accepts"


def question(deal: Any) -> str:
    """The section's title: ``Deal space: is there a package both deciders accept?``."""
    n = len(deal.deciders)
    who = (
        "the decider accepts"
        if n == 1
        else ("both deciders accept" if n == 2 else "every decider accepts")
    )
    return f"Deal space: is there a package {who}?"


def _share(p: float, monte_carlo: bool) -> str:
    return f", in {f.share(p)} of draws" if monte_carlo else ""


def bound_text(lo: float | None, hi: float | None) -> str:
    """``≥ 25``, ``≤ 10``, ``20–60``, ``—``."""
    if lo is None and hi is None:
        return "—"
    if hi is None:
        return f"≥ {f.number(lo)}"
    if lo is None:
        return f"≤ {f.number(hi)}"
    return f"{f.number(lo)}–{f.number(hi)}"


def reason_text(r: Any, sc: Scenario, monte_carlo: bool) -> str:
    """One reason no package is acceptable, in words (with its share of draws)."""
    share = _share(r.share, monte_carlo)
    if r.kind == "red_lines":
        a, b = (sc.actor(x).name for x in r.actors)
        lo, hi = r.bounds
        text = f"{sc.issue(r.issue).name} ({a} ≥ {f.number(lo)} vs {b} ≤ {f.number(hi)}"
        if lo is not None and hi is not None and lo <= hi and r.clash:
            # the ends overlap as set, but not in the draws: say by how much they crossed
            text += f" as set; drawn, on average {f.number(r.clash[0])} vs {f.number(r.clash[1])}"
        return text + share + ")"
    if r.kind == "outside_option":
        return f"{sc.actor(r.actors[0]).name}'s outside option beats every package inside the red lines{share}"
    return f"the outside options of {_names(r.actors, sc)} cannot all be met at once{share}"


def _of_draws(p: float, n: int) -> str:
    """``95.3% of the 4,000 draws``, or a count where a share would round to nothing."""
    k = round(p * n)
    if 0 < k < 10 or (0 < n - k < 10 and p < 1):
        return f"{f.count(k)} of the {f.count(n)} draws"
    return f"{f.share(p)} of the {f.count(n)} draws"


def headline(deal: Any, sc: Scenario) -> str:
    """The one-sentence answer: is there any package every decider accepts, and if not, why."""
    mc = deal.draws > 1
    who = _who(deal, sc)
    p, n = deal.probability, deal.draws
    named = [r for r in deal.reasons if r.share >= HEADLINE_SHARE][:HEADLINE_REASONS]
    named = named or deal.reasons[:1]

    def why() -> str:
        if not named:
            return ""
        parts = [reason_text(r, sc, mc) for r in named]
        if all(r.kind == "red_lines" for r in named):
            on = parts[0] if len(parts) == 1 else ", on ".join(parts[:-1]) + " and on " + parts[-1]
            text = "their red lines do not overlap on " + on
        else:
            text = "; ".join(parts)
        more = len(deal.reasons) - len(named)
        return (
            ": " + text + (f" (and {more} more reason{'s' if more != 1 else ''})" if more else "")
        )

    if not mc:
        if p >= 1:
            return f"A package that {who} exists."
        return f"No package that {who} exists" + why() + "."
    if p <= 0:
        return f"No package that {who} exists in any of the {f.count(n)} draws" + why() + "."
    if p >= 1:
        return f"In every one of the {f.count(n)} draws there is a package that {who}."
    if p < 0.5:
        return f"No package that {who} exists in {_of_draws(1 - p, n)}" + why() + "."
    return f"A package that {who} exists in {_of_draws(p, n)}; in the others" + why() + "."


def escalation_lines(deal: Any, sc: Scenario) -> list[str]:
    """What decides escalation against stalemate when the talks fail, stated as the comparison of
    two inputs that it is (the same under every model)."""
    mc = deal.draws > 1
    if not deal.threats:
        return [
            "If the talks fail, they end in stalemate: no decider has an escalatory outside option."
        ]
    lines = []
    for t in deal.threats:
        name = sc.actor(t.actor).name
        if mc:
            out = f.utility_estimate(t.outside.median, *t.outside.intervals["80"])
            sq = f.utility_estimate(t.status_quo.median, *t.status_quo.intervals["80"])
            lines.append(
                f"{name} values its escalatory outside option at {out} against {sq} for the "
                f"status quo: more in {f.share(t.share)} of draws."
            )
        else:
            more = "above" if t.share >= 1 else "below"
            lines.append(
                f"{name} values its escalatory outside option at {f.utility(t.outside.median)}, "
                f"{more} the {f.utility(t.status_quo.median)} it gets from the status quo."
            )
    if mc:
        lines.append(
            f"So talks that fail end in escalation in {f.share(deal.escalation)} of draws and in "
            "stalemate in the rest, under every model: a threshold on those inputs, not a model "
            "forecast."
        )
    else:
        end = "escalation" if deal.escalation >= 1 else "stalemate"
        lines.append(
            f"So talks that fail end in {end} under every model: a threshold on those inputs, not "
            "a model forecast."
        )
    return lines


@dataclass(frozen=True)
class ZoneRow:
    """One issue of the zone: its extent, the mediator's package, each decider's red line."""

    issue: str
    name: str
    zone: str  # "[30–50]" (median ends over the draws with a zone)
    package: str  # "44 [38.2–49.1]"
    red_lines: list[str]  # per decider, "≥ 30"


def red_line_columns(deal: Any, sc: Scenario) -> list[str]:
    """The red-line columns of the zone table: one per decider with a red line when few have
    one, else a single column naming each."""
    with_lines = [a for a in deal.actors if a.red_lines]
    if len(with_lines) <= NAMED_DECIDERS:
        return [f"{sc.actor(a.id).name} red line" for a in with_lines]
    return ["red lines"]


def zone_rows(deal: Any, sc: Scenario) -> list[ZoneRow]:
    with_lines = [a for a in deal.actors if a.red_lines]
    rows = []
    for z in deal.issues:
        reds = []
        for a in with_lines:
            lo, hi = a.red_lines.get(z.id, (None, None))
            reds.append(bound_text(lo, hi))
        if len(with_lines) > NAMED_DECIDERS:
            named = [
                f"{sc.actor(a.id).name} {r}"
                for a, r in zip(with_lines, reds, strict=True)
                if r != "—"
            ]
            reds = ["; ".join(named) or "—"]
        rows.append(
            ZoneRow(
                issue=z.id,
                name=sc.issue(z.id).name,
                zone=f.interval(z.low.median, z.high.median),
                package=(
                    f.estimate(z.package.median, *z.package.intervals["80"])
                    if deal.draws > 1
                    else f.number(z.package.median)
                ),
                red_lines=reds,
            )
        )
    return rows


def _has_mediator_role(sc: Scenario) -> bool:
    return any(a.role == "mediator" for a in sc.actors)


def zone_title(deal: Any, sc: Scenario) -> str:
    carrier = ""
    if deal.mediator:
        carrier = f", carried by {sc.actor(deal.mediator).name}"
    elif _has_mediator_role(sc):
        carrier = ", no mediator to carry it"
    over = ""
    if deal.draws > 1:
        over = (
            f"in all {f.count(deal.draws)} draws; "
            if deal.probability >= 1
            else f"over the {_of_draws(deal.probability, deal.draws)} with one; "
        )
    return f"Zone of agreement ({over}mediator's package: Kalai–Smorodinsky{carrier})"


def package_lines(deal: Any, sc: Scenario) -> list[str]:
    """Per decider: what the package is worth to it against its outside option; then whether a
    deal needs a trade across issues, and who carries the package."""
    mc = deal.draws > 1

    def est(s: Any) -> str:
        return f.utility_estimate(s.median, *s.intervals["80"]) if mc else f.utility(s.median)

    lines = []
    valued = [a for a in deal.actors if a.value is not None]
    if len(valued) > NAMED_DECIDERS:
        gains = {a.id: a.value.median - a.outside.median for a in valued}
        lo, hi = min(gains, key=gains.get), max(gains, key=gains.get)
        lines.append(
            "The package gives every decider more than its outside option (medians): from "
            f"{f.utility(gains[lo])} more ({sc.actor(lo).name}) to {f.utility(gains[hi])} more "
            f"({sc.actor(hi).name})."
        )
        valued = []
    for a in valued:
        name = sc.actor(a.id).name
        text = (
            f"{name}: the package is worth {est(a.value)} to it, against {est(a.outside)} for its "
            "outside option"
        )
        if a.trust is not None and a.trust < 1:
            text += f" (trust {f.number(100 * a.trust)}: {est(a.utility)} before the discount)"
        lines.append(text + ".")
    if deal.probability > 0:
        if deal.tradeoff >= deal.probability - 1e-12:
            lines.append(
                "Every acceptable package moves more than one issue from the status quo: a deal "
                "needs a trade across issues."
            )
        elif deal.tradeoff > 0:
            lines.append(
                f"In {f.share(deal.tradeoff)} of draws every acceptable package moves more than "
                "one issue: a deal needs a trade across issues there."
            )
    if deal.mediator is None and _has_mediator_role(sc):
        lines.append(
            "No mediator carries the package (no actor with the mediator role has capability "
            "above 0): the zone is the same, the deciders would have to find it themselves."
        )
    return lines


def trust_line(deal: Any, sc: Scenario) -> str | None:
    """The deciders' trust, where the scenario gives it."""
    given = [a for a in deal.actors if a.trust is not None]
    if not given:
        return None
    parts = [f"{sc.actor(a.id).name} {f.number(100 * a.trust)}" for a in given]
    return (
        "Trust that the other side carries out a deal (0–100): " + ", ".join(parts) + "; a deal "
        "is worth less to a decider the less it trusts (docs/deal.md)."
    )


# -- what it would take ----------------------------------------------------------------------


def lever_text(lv: Any, sc: Scenario) -> str:
    """``Iran: red line on Ballistic missile programme, ≤ 10``."""
    name = sc.actor(lv.actor).name
    if lv.kind == "red_line":
        sign = "≥" if lv.bound == "min" else "≤"
        return f"{name}: red line on {sc.issue(lv.issue).name}, {sign} {f.number(lv.current)}"
    if lv.kind == "outside_option":
        return f"{name}: outside option, {f.utility(lv.current)}"
    cur = "full" if lv.current is None else f.number(100 * lv.current)
    return f"{name}: trust, {cur}"


def move_text(lv: Any, move: Any, mc: bool) -> str:
    """How far the lever must move: ``≤ 10 → ≤ 25.3 (+15.3 [8.1–22])``."""
    if move is None:
        return "—"
    med = move.median
    lo, hi = move.intervals["80"]
    if lv.kind == "red_line":
        sign = 1 if lv.bound == "max" else -1
        mark = "≤" if lv.bound == "max" else "≥"
        to = f"{mark} {f.number(lv.current + sign * med)}"
        by = f.number(med) + (f" [{f.number(lo)}–{f.number(hi)}]" if mc else "")
        return f"{to} (moved {by})"
    if lv.kind == "outside_option":
        by = f.utility(med) + (f" [{f.utility(lo)}–{f.utility(hi)}]" if mc else "")
        return f"{f.utility(lv.current - med)} (down {by})"
    cur = 1.0 if lv.current is None else lv.current
    by = f.number(100 * med) + (f" [{f.number(100 * lo)}–{f.number(100 * hi)}]" if mc else "")
    return f"{f.number(100 * (cur + med))} (up {by})"


@dataclass(frozen=True)
class ConcessionRow:
    rank: str
    what: str  # the lever(s), in words
    move: str  # how far, per lever
    opens: str  # P(zone) once moved as far as needed
    at_median: str  # P(zone) with the median moves
    cost: str  # the conceding side's cost (value 0–1)


def concession_rows(
    items: list[Any], sc: Scenario, mc: bool, top: int | None = None
) -> list[ConcessionRow]:
    rows = []
    for rank, c in enumerate(items[:top] if top else items, 1):
        what = " + ".join(lever_text(lv, sc) for lv in c.levers)
        move = "; ".join(move_text(lv, mv, mc) for lv, mv in zip(c.levers, c.moves, strict=True))
        cost = "—"
        if c.cost is not None:
            cost = f.fixed(c.cost.median, 3)
            if mc:
                cost += " [" + "–".join(f.fixed(v, 3) for v in c.cost.intervals["80"]) + "]"
        rows.append(
            ConcessionRow(
                rank=str(rank),
                what=what,
                move=move,
                opens=f.share(c.opens),
                at_median=f.share(c.at_median),
                cost=cost,
            )
        )
    return rows


def cheapest_line(res: Any, sc: Scenario, which: str) -> str:
    """The cheapest single change or pair, in one sentence."""
    items = res.singles if which == "single" else res.pairs
    index = res.cheapest_single if which == "single" else res.cheapest_pair
    label = "single change" if which == "single" else "pair, one change per side"
    mc = res.deal.draws > 1
    if index is None:
        if not items:
            more = " beyond what a single change does" if which == "pair" else ""
            return f"Cheapest {label}: none opens a zone{more}."
        best = max(items, key=lambda c: c.opens)
        what = " + ".join(lever_text(lv, sc) for lv in best.levers)
        return (
            f"Cheapest {label}: none opens a zone in even half the draws without one; the one "
            f"that opens it most often is {what} ({f.share(best.opens)} of draws)."
        )
    c = items[index]
    what = " and ".join(
        f"{lever_text(lv, sc)} → {move_text(lv, mv, mc)}"
        for lv, mv in zip(c.levers, c.moves, strict=True)
    )
    cost = f.fixed(c.cost.median, 3) if c.cost is not None else "—"
    return (
        f"Cheapest {label}: {what}. It opens a zone in {f.share(c.opens)} of draws, at a median "
        f"cost of {cost} to the side{'s' if len(c.levers) > 1 else ''} conceding."
    )


__all__ = [
    "NAMED_DECIDERS",
    "ConcessionRow",
    "ZoneRow",
    "cheapest_line",
    "concession_rows",
    "escalation_lines",
    "headline",
    "lever_text",
    "move_text",
    "package_lines",
    "question",
    "red_line_columns",
    "reason_text",
    "bound_text",
    "trust_line",
    "zone_rows",
    "zone_title",
]
