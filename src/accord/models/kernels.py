"""Compiled loops for the costly inner parts of SMP and BDM, used for big batches.

Numpy evaluates an expression one operation at a time over whole arrays; the third-party sums of
SMP's challenges are ~25 operations on A³ numbers per draw, so at 160 actors each operation
streams 4 million numbers through memory, and BDM's choice among offers is ~30 operations on
short rows. A compiled loop (numba) computes each number's operations in registers instead.

The loops repeat numpy's arithmetic operation for operation and in the same order (sums run over
the voters or third parties one after another, as KTAB's loops do), without fast-math, so their
results are bit-for-bit those of the numpy code (``tests/models/test_kernels.py``). They are used
only where they pay for numba's start-up (about 0.2 s to import and 0.3 s to load the cached
machine code, a few seconds to compile the very first time): batches of at least
:data:`MIN_WORK` numbers over many draws (a Monte Carlo chunk), or of :data:`MIN_WORK_ONE_DRAW`
in a single run (a scenario of a hundred actors or more), so one forecast of a small or middling
scenario does not import numba. Setting the environment variable
``ACCORD_KERNELS=numpy`` turns them off.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from typing import Any

#: the compiled loops serve batches of at least this many numbers (SMP: draws × A³, BDM: draws ×
#: issues × A²) ...
MIN_WORK = 1 << 16
#: ... and a single run (one draw) at least this many, so that one run of a small or middling
#: scenario never pays numba's start-up (about 0.5 s) for a few milliseconds saved
MIN_WORK_ONE_DRAW = 1 << 20
#: voting rules by code, as :func:`accord.models.pce.vote` names them
RULES = ("Prop", "Binary", "PropBin", "PropCbc", "Cubic", "ASymProsp")


def wanted(work: int, draws: int) -> bool:
    """Whether a batch of ``work`` numbers over ``draws`` draws should use the compiled loops,
    and they can be had. A single run's threshold drops to :data:`MIN_WORK` once the compiled
    code is loaded (a big call of the same run loaded it: its smaller calls may use it too)."""
    loaded = "accord.models._compiled" in sys.modules
    least = MIN_WORK if draws > 1 or loaded else max(MIN_WORK, MIN_WORK_ONE_DRAW)
    if work < least or os.environ.get("ACCORD_KERNELS", "").lower() == "numpy":
        return False
    return compiled() is not None


@cache
def compiled() -> Any:
    """The compiled functions (:mod:`accord.models._compiled`), or None without numba."""
    try:
        from accord.models import _compiled
    except ImportError:
        return None
    return _compiled


def rule_code(rule: str) -> int:
    return RULES.index(rule)
