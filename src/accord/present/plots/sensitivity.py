"""Which inputs matter: a bar chart of sensitivity indices, or a one-at-a-time tornado.

``kind="bar"`` (default): inputs ranked by influence, most influential on top. Sobol': the total
index ST as a light bar with the first-order index S1 inside it, each with its confidence interval.
Morris: mu* (mean absolute elementary effect) with its confidence interval, and sigma as a thin dark
bar (large sigma = interactions or a non-linear effect).

``kind="tornado"``: the output when each input alone is set to its low (blue) or high (orange)
bound, the others at their base values, as bars around the base output — the analyst's classic
what-if view; it ignores interactions, which the indices capture.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from accord.present.formats import general, share_short
from accord.present.plots._figure import image_format, new_figure, save

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from accord.runs.sensitivity import SensitivityResult


def _label(name: str, n: int = 48) -> str:
    # dotted paths are long; the leading "actors." says nothing
    text = name.removeprefix("actors.").replace(".stances.", " · ")
    return text if len(text) <= n else "…" + text[-(n - 1) :]


def sensitivity_figure(
    result: SensitivityResult,
    *,
    kind: Literal["bar", "tornado"] = "bar",
    top: int = 15,
    title: str | None = None,
) -> Figure:
    """Chart the ``top`` most influential inputs of ``result``."""
    effects = list(result.effects[:top])
    n = len(effects)
    fig = new_figure(8.0, 1.5 + 0.32 * max(n, 1))
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    names = [_label(e.name) for e in effects]
    if kind == "tornado":
        base = result.base_output
        for yy, e in zip(y, effects, strict=True):
            for value, colour, lab in (
                (e.swing_low, "#1f77b4", "input at low bound"),
                (e.swing_high, "#ff7f0e", "input at high bound"),
            ):
                if value is None:
                    continue
                ax.barh(
                    yy, value - base, left=base, height=0.6, color=colour, alpha=0.85, label=lab
                )
        ax.axvline(base, color="black", linewidth=1.0)
        what = "agreement margin" if result.output == "agreement" else result.output
        ax.set_xlabel(f"{what} (base {general(base)})", fontsize=8)
        default_title = "One at a time: the output with each input at its bounds"
    elif result.method == "sobol":
        st = np.array([e.st or 0.0 for e in effects])
        s1 = np.array([e.s1 or 0.0 for e in effects])
        st_c = np.array([e.st_conf or 0.0 for e in effects])
        s1_c = np.array([e.s1_conf or 0.0 for e in effects])
        ax.barh(
            y,
            st,
            height=0.7,
            color="#9ecae1",
            xerr=st_c,
            error_kw={"elinewidth": 0.8, "ecolor": "#555"},
            label="total (ST)",
        )
        ax.barh(
            y,
            np.clip(s1, 0, None),
            height=0.35,
            color="#08519c",
            xerr=s1_c,
            error_kw={"elinewidth": 0.8, "ecolor": "#222"},
            label="first order (S1)",
        )
        ax.set_xlim(0, max(1.0, float(np.nanmax(st + st_c, initial=0)) * 1.05))
        ax.set_xlabel(
            f"Sobol' index of {result.output} (bars: {share_short(result.conf_level)} CI)",
            fontsize=8,
        )
        default_title = "Which inputs matter: share of the output's variance"
    else:
        mu = np.array([e.mu_star or 0.0 for e in effects])
        mu_c = np.array([e.mu_star_conf or 0.0 for e in effects])
        sigma = np.array([e.sigma or 0.0 for e in effects])
        ax.barh(
            y,
            mu,
            height=0.7,
            color="#9ecae1",
            xerr=mu_c,
            error_kw={"elinewidth": 0.8, "ecolor": "#555"},
            label="mu* (mean |effect|)",
        )
        ax.barh(y, sigma, height=0.25, color="#08519c", label="sigma (spread)")
        ax.set_xlabel(f"change in {result.output} across the input's interval (Morris)", fontsize=8)
        default_title = "Which inputs matter: Morris elementary effects"
    ax.set_yticks(y)
    ax.set_yticklabels(names, fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()
    seen = dict(zip(labels, handles, strict=True))  # tornado: one entry per colour
    ax.legend(seen.values(), seen.keys(), fontsize=8, loc="lower right", frameon=False)
    sub = f"{result.model or 'function'} · {result.method} · n={result.n} · {result.evaluations} runs · seed {result.seed}"
    ax.set_title((title or default_title) + "\n" + sub, fontsize=9)
    fig.tight_layout()
    return fig


def sensitivity_chart(result: SensitivityResult, path: str | Path, **kwargs) -> Path:
    """Save :func:`sensitivity_figure` to ``path`` (PNG or SVG by extension)."""
    image_format(path)
    return save(sensitivity_figure(result, **kwargs), path)
