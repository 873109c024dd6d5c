"""Monte Carlo execution: chunks of draws, run serially, on local processes or on a Dask cluster.

The draws are cut into chunks of a **fixed** size (``chunk_size``; by default :func:`chunk_for` the
scenario's size: :data:`DEFAULT_CHUNK` up to 12 actors). Chunk
``c`` takes its random numbers from ``SeedSequence(seed).spawn(n_chunks)[c]`` (built directly as
``SeedSequence(seed, spawn_key=(c,))``): its uniform noise from the child ``(c, 0)`` and model ``m``'s
generator from ``(c, 1, m)``. What a chunk computes therefore depends only on the seed, the chunk
size and its index — never on how many workers ran it, in what order, or on which engine.

A chunk samples its own inputs (:mod:`accord.uncertainty`), runs every model on every variant with
the *same* noise (common random numbers), analyses each outcome (:mod:`accord.outcome`) and returns
only summary arrays (:class:`ChunkPart`): per-draw outcomes, statuses, utilities and margins (arrays,
needed for exact quantiles), counts of who blocks and why, per-step histograms of the positions (for
trajectory bands) and the full history of a few example draws from chunk 0. The parent merges them
as they arrive (:class:`Accumulator`).

Engines: ``"local"`` runs serially with one worker and on joblib's loky process pool with more;
``"dask"`` submits the same chunks to a ``dask.distributed`` cluster at ``address`` or, without
one, to a :class:`distributed.LocalCluster` it starts and stops. Ctrl-C (``KeyboardInterrupt``,
also when raised by the progress callback) stops submitting, cancels what is pending and returns
the chunks that finished, with ``interrupted=True``.
"""

from __future__ import annotations

import os
import re
import time
import warnings
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np

from accord.arrays import ScenarioArrays
from accord.errors import AccordError, ParameterError
from accord.models import MODELS, BargainingModel, Result
from accord.models.base import ACCOUNT_SETTINGS
from accord.outcome import Analysis, analyse, blocking_counts
from accord.runs.options import resolve_seed
from accord.uncertainty import Bounds, apply_noise, draw_noise

#: draws per chunk: big enough to amortise numpy's per-call overhead, small enough for memory
DEFAULT_CHUNK = 4096
#: up to this many actors a chunk holds DEFAULT_CHUNK draws; beyond it fewer (see chunk_for)
CHUNK_ACTORS = 12
#: the smallest automatic chunk
MIN_CHUNK = 64
#: bins per issue scale of the per-step position histograms (trajectory bands)
TRAJECTORY_BINS = 200
#: how many draws keep their whole position history (the first ones of chunk 0)
EXAMPLE_DRAWS = 5
ENGINES = ("local", "dask")
#: the most draws one run takes: a sanity bound (memory is checked too, see :func:`memory_needed`)
MAX_RUNS = 1_000_000_000

#: progress callback: (draws finished, draws requested)
Progress = Callable[[int, int], None]


class Interrupted(AccordError):
    """Ctrl-C before any chunk finished: there is nothing to report."""


# -- what a chunk needs and returns ------------------------------------------------------------


@dataclass(frozen=True)
class VariantInput:
    """One column of a run: the scenario's point values and the ranges to sample."""

    name: str
    arrays: ScenarioArrays  # single draw: the point values
    bounds: Bounds


@dataclass(frozen=True)
class Plan:
    """Everything a chunk needs; small (no draws axis), so it travels cheaply to every worker."""

    variants: tuple[VariantInput, ...]
    models: tuple[BargainingModel, ...]  # instances travel, so unregistered models work too
    bins: int = TRAJECTORY_BINS
    examples: int = EXAMPLE_DRAWS

    def __post_init__(self) -> None:
        shapes = {v.bounds.shape for v in self.variants}
        if len(shapes) != 1:
            raise ParameterError(
                "every variant in a run must have the same actors and issues",
                hint="a what-if may change values, not add or remove actors or issues",
            )


@dataclass
class ChunkPart:
    """One model on one variant over one chunk of ``n`` draws. Shapes: S steps, A actors, I issues."""

    outcome: np.ndarray  # (n, I)
    status: np.ndarray  # (n,) int8
    utility: np.ndarray  # (n, A)
    margin: np.ndarray  # (n,)
    accepts: np.ndarray  # (A,) draws in which each actor accepts
    red_line: np.ndarray  # (A, I, 2) draws in which its red line binds: [..., 0] min, [..., 1] max
    outside: np.ndarray  # (A,) draws in which its outside option binds
    threatens: np.ndarray  # (A,) draws in which it has a credible escalatory threat
    positions: np.ndarray  # (S, A, I, bins) histogram of each actor's position per step
    series: dict[str, np.ndarray]  # name -> (S, I, bins) histogram of the model's series
    examples: np.ndarray | None  # (K, S, A, I) full history of the first draws (chunk 0 only)


@dataclass
class ChunkResult:
    index: int
    start: int
    size: int
    parts: list[list[ChunkPart]]  # [variant][model]
    seconds: float


#: called in the parent with every chunk as it is merged (e.g. to store its per-draw outputs)
ChunkHook = Callable[[ChunkResult], None]


@dataclass(frozen=True)
class Chunk:
    index: int
    start: int
    size: int


class Chunks(Sequence[Chunk]):
    """The fixed partition of ``draws`` into chunks of ``size`` (the last one may be shorter),
    computed on demand from a ``range``: no list of a million chunks is ever built."""

    def __init__(self, draws: int, size: int):
        self.draws, self.size = int(draws), int(size)
        self._starts = range(0, self.draws, self.size)

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, c: int) -> Chunk: ...
    @overload
    def __getitem__(self, c: slice) -> list[Chunk]: ...
    def __getitem__(self, c: int | slice) -> Chunk | list[Chunk]:
        if isinstance(c, slice):
            return [self[i] for i in range(*c.indices(len(self)))]
        start = self._starts[c]  # IndexError past the end, as for a list
        return Chunk(start // self.size, start, min(self.size, self.draws - start))


def chunk_for(n_actors: int) -> int:
    """The automatic chunk size for a scenario of ``n_actors``: DEFAULT_CHUNK up to CHUNK_ACTORS
    actors, then shrinking with the cube of the actor count (the time a draw of SMP costs; its
    memory grows only as the square, see :func:`chunk_memory`), to a power of two no smaller than
    MIN_CHUNK. Large scenarios thus get several chunks (progress,
    workers) for a few thousand draws. A function of the scenario's size alone, so the numbers
    still depend only on the seed, the runs and the scenario."""
    if n_actors <= CHUNK_ACTORS:
        return DEFAULT_CHUNK
    size = DEFAULT_CHUNK * (CHUNK_ACTORS / n_actors) ** 3
    return max(MIN_CHUNK, 2 ** int(np.floor(np.log2(size))))


def chunks_of(draws: int, chunk_size: int) -> Chunks:
    """The fixed partition of ``draws`` into chunks (the last one may be shorter)."""
    if chunk_size < 1:
        raise ParameterError(f"chunk_size={chunk_size!r} must be >= 1", field="chunk_size")
    return Chunks(draws, chunk_size)


def _bin_index(values: np.ndarray, low: np.ndarray, span: np.ndarray, bins: int) -> np.ndarray:
    """Each value's bin on its issue's scale (values (..., I)); the ends go to the end bins."""
    return np.clip(((values - low) / span * bins).astype(np.int64), 0, bins - 1)


def _histogram(values: np.ndarray, low: np.ndarray, high: np.ndarray, bins: int) -> np.ndarray:
    """Counts of per-step ``values`` (n, S, ..., I) per step, cell and bin of each issue's scale ->
    (S, ..., I, bins).

    A draw that stopped early (SMP, BDM with a tolerance) repeats its last state up to the longest
    run; its repeated steps are counted once, from its final state, and carried forward (the same
    counts, without binning every repeated step again)."""
    span = np.where(high > low, high - low, 1.0)
    n, n_s = values.shape[:2]
    rest = values.shape[2:]
    cells = int(np.prod(rest))
    flat = values.reshape(n, n_s, cells)
    # last[d]: the last step at which draw d still changed; every later step repeats it
    last = np.zeros(n, dtype=np.int64)
    if n_s > 1:
        changed = (flat[:, 1:] != flat[:, :-1]).any(axis=2)  # (n, S - 1)
        last = np.where(changed.any(axis=1), n_s - 1 - np.argmax(changed[:, ::-1], axis=1), 0)
    cell_off = np.arange(cells) * bins
    step_len = cells * bins
    # steps up to each draw's last change, binned one by one
    d_idx, s_idx = np.nonzero(np.arange(n_s)[None, :] <= last[:, None])
    live = _bin_index(flat[d_idx, s_idx].reshape(-1, *rest), low, span, bins).reshape(-1, cells)
    counts = np.bincount(
        (live + cell_off + (s_idx * step_len)[:, None]).ravel(), minlength=n_s * step_len
    ).reshape(n_s, step_len)
    # the steps after it: the final state's bins, counted from the step after the last change on
    final = _bin_index(flat[:, -1].reshape(n, *rest), low, span, bins).reshape(n, cells)
    after = np.bincount(
        (final + cell_off + (last * step_len)[:, None]).ravel(), minlength=n_s * step_len
    ).reshape(n_s, step_len)
    counts[1:] += np.cumsum(after, axis=0)[:-1]
    return counts.reshape(n_s, *rest, bins)


def summarise(
    result: Result, analysis: Analysis, arrays: ScenarioArrays, bins: int, examples: int
) -> ChunkPart:
    """Reduce one model run on ``n`` draws to the arrays the parent keeps."""
    low, high = arrays.low, arrays.high
    red_line, outside = blocking_counts(analysis)
    return ChunkPart(
        outcome=result.outcome,
        status=analysis.status,
        utility=analysis.utility,
        margin=analysis.margin,
        accepts=analysis.accepts.sum(axis=0),
        red_line=red_line,
        outside=outside,
        threatens=analysis.threatens.sum(axis=0),
        positions=_histogram(result.history, low, high, bins),
        series={name: _histogram(v, low, high, bins) for name, v in result.series.items()},
        examples=result.history[:examples].copy() if examples else None,
    )


def chunk_seed(entropy: int, index: int) -> np.random.SeedSequence:
    """Chunk ``index``'s stream: the same as ``SeedSequence(entropy).spawn(n)[index]``."""
    return np.random.SeedSequence(entropy, spawn_key=(index,))


def run_sharing(
    model: BargainingModel, arrays: ScenarioArrays, rng: Any, known: dict[str, np.ndarray]
) -> Result:
    """``model.run`` given the outcomes ``known`` of the models run before it on the same
    ``arrays`` (the ensemble reuses its components'), adding its own when it is deterministic."""
    result = model.run(arrays, rng=rng, known=known)
    if not model.stochastic:
        known[model.outcome_key] = result.outcome
    return result


def run_chunk(plan: Plan, chunk: Chunk, entropy: int) -> ChunkResult:
    """Sample, run and summarise one chunk (runs in a worker; a module-level function to pickle)."""
    t0 = time.perf_counter()
    noise_seq, model_seq = chunk_seed(entropy, chunk.index).spawn(2)
    model_seqs = model_seq.spawn(len(plan.models))
    a, i = plan.variants[0].bounds.shape
    noise = draw_noise(a, i, chunk.size, np.random.default_rng(noise_seq))
    models = plan.models
    keep = plan.examples if chunk.index == 0 else 0
    parts: list[list[ChunkPart]] = []
    for var in plan.variants:
        arrays = apply_noise(var.arrays, var.bounds, noise)
        row = []
        known: dict[str, np.ndarray] = {}  # outcomes the ensemble reuses (its components ran)
        for model, seq in zip(models, model_seqs, strict=True):
            # a fresh generator from the same child for every variant: common random numbers
            result = run_sharing(model, arrays, np.random.default_rng(seq), known)
            analysis = analyse(arrays, result.outcome)
            row.append(summarise(result, analysis, arrays, plan.bins, keep))
            del result
        parts.append(row)
    return ChunkResult(chunk.index, chunk.start, chunk.size, parts, time.perf_counter() - t0)


# -- merging -------------------------------------------------------------------------------------


@dataclass
class DrawSet:
    """One model on one variant over all finished draws: what the summaries are computed from."""

    outcome: np.ndarray  # (n, I)
    status: np.ndarray  # (n,)
    utility: np.ndarray  # (n, A)
    margin: np.ndarray  # (n,)
    accepts: np.ndarray  # (A,) counts
    red_line: np.ndarray  # (A, I, 2) counts
    outside: np.ndarray  # (A,) counts
    threatens: np.ndarray  # (A,) counts
    positions: np.ndarray  # (S, A, I, bins) counts
    series: dict[str, np.ndarray]
    examples: np.ndarray | None

    @property
    def n(self) -> int:
        return int(self.status.shape[0])

    @classmethod
    def from_part(cls, part: ChunkPart) -> DrawSet:
        return cls(**{f: getattr(part, f) for f in cls.__dataclass_fields__})


class _Slot:
    """Preallocated per-draw arrays plus summed counts for one (variant, model)."""

    def __init__(self, draws: int, first: ChunkPart):
        n_i, n_a = first.outcome.shape[1], first.utility.shape[1]
        self.outcome = np.empty((draws, n_i))
        self.status = np.empty(draws, dtype=np.int8)
        self.utility = np.empty((draws, n_a))
        self.margin = np.empty(draws)
        self.counts = {
            k: np.zeros_like(getattr(first, k))
            for k in ("accepts", "red_line", "outside", "threatens", "positions")
        }
        self.series = {k: np.zeros_like(v) for k, v in first.series.items()}
        self.examples: np.ndarray | None = None

    def add(self, start: int, part: ChunkPart) -> None:
        sl = slice(start, start + part.status.shape[0])
        self.outcome[sl] = part.outcome
        self.status[sl] = part.status
        self.utility[sl] = part.utility
        self.margin[sl] = part.margin
        for k in self.counts:
            self.counts[k] = _add_steps(self.counts[k], getattr(part, k), k == "positions")
        for k in self.series:
            self.series[k] = _add_steps(self.series[k], part.series[k], True)
        if part.examples is not None:
            self.examples = part.examples

    def finish(self, rows: np.ndarray | slice) -> DrawSet:
        examples = self.examples
        if examples is not None:
            examples = _pad_steps(examples, self.counts["positions"].shape[0], axis=1)
        return DrawSet(
            outcome=self.outcome[rows],
            status=self.status[rows],
            utility=self.utility[rows],
            margin=self.margin[rows],
            series=self.series,
            examples=examples,
            **self.counts,
        )


def _pad_steps(a: np.ndarray, steps: int, axis: int = 0) -> np.ndarray:
    """``a`` extended to ``steps`` steps along ``axis`` by repeating its last step."""
    have = a.shape[axis]
    if have >= steps:
        return a
    last = np.take(a, [have - 1], axis=axis)
    return np.concatenate([a, np.repeat(last, steps - have, axis=axis)], axis=axis)


def _add_steps(total: np.ndarray, part: np.ndarray, per_step: bool) -> np.ndarray:
    """``total + part`` for per-step histograms whose step counts may differ between chunks.

    Models that stop when they converge (SMP, BDM with a tolerance) can run for different numbers
    of steps in different chunks; a draw that stopped stays where it stopped, so the shorter
    histogram is continued with its last step.
    """
    if per_step and total.shape[0] != part.shape[0]:
        steps = max(total.shape[0], part.shape[0])
        total, part = _pad_steps(total, steps), _pad_steps(part, steps)
    return total + part


class Accumulator:
    """Merges chunk results as they arrive, in any order, into preallocated arrays."""

    def __init__(self, draws: int, n_variants: int, n_models: int):
        self.draws = draws
        self.done = np.zeros(draws, dtype=bool)
        self.n_done = 0
        self.seconds = 0.0
        self._slots: list[list[_Slot | None]] = [[None] * n_models for _ in range(n_variants)]

    def add(self, res: ChunkResult) -> None:
        for v, row in enumerate(res.parts):
            for m, part in enumerate(row):
                slot = self._slots[v][m]
                if slot is None:
                    slot = self._slots[v][m] = _Slot(self.draws, part)
                slot.add(res.start, part)
        self.done[res.start : res.start + res.size] = True
        self.n_done += res.size
        self.seconds += res.seconds

    def finish(self) -> list[list[DrawSet]]:
        rows: np.ndarray | slice = slice(None) if self.n_done == self.draws else self.done
        return [[s.finish(rows) for s in row] for row in self._slots]  # type: ignore[union-attr]


# -- running -------------------------------------------------------------------------------------


@dataclass
class MonteCarloRun:
    """What :func:`run` returns: merged draws per variant and model, and how the run went."""

    sets: list[list[DrawSet]]  # [variant][model]; empty when no chunk finished
    draws_requested: int
    draws_completed: int
    chunks_completed: int
    n_chunks: int
    interrupted: bool
    seed: int
    chunk_size: int
    engine: str
    workers: int
    seconds: float
    chunk_seconds: float = 0.0  # summed time inside the chunks (all workers)
    info: dict[str, Any] = field(default_factory=dict)


def monte_carlo_params(
    name: str, params: dict[str, Any] | None, explicit: Collection[str] | None = None
) -> dict[str, Any]:
    """A model's parameters for many draws: its account-only tables off unless asked for
    (memory: they are never summarised). ``explicit`` names the settings the user gave (the rest
    of ``params`` being defaults); None: those in ``params``."""
    p = dict(params or {})
    asked = set(p) if explicit is None else set(explicit)
    cls = MODELS.get(name)
    for key in ACCOUNT_SETTINGS:
        if cls is not None and key in cls.defaults and key not in asked:
            p[key] = False
    return p


def memory_needed(plan: Plan, draws: int) -> int:
    """Bytes the parent keeps for ``draws`` draws until the summaries are done, about
    ``8 · draws · (issues + actors + 2) · columns · models``: per column and model, each draw's
    outcome per issue, utility per actor, deal margin and status. Chunks, histograms and the
    workers' own memory are bounded by the chunk size and not counted."""
    a, i = plan.variants[0].bounds.shape
    return 8 * int(draws) * (i + a + 2) * len(plan.variants) * len(plan.models)


def chunk_memory(plan: Plan, chunk_size: int) -> int:
    """Bytes one worker needs for a chunk, about (the parent's share is :func:`memory_needed`):
    for the costliest model, per draw, its position history and series (steps × (A + 2) · I
    numbers, and a quarter more for the histogram's passes) plus 24 · A² · I working numbers
    (BDM's pair tables per issue; SMP's blocks stay bounded: it never holds A³ numbers per draw,
    see :mod:`accord.models.smp`). Measured against this in ``bench/bench_montecarlo.py``."""
    a, i = plan.variants[0].bounds.shape
    per_draw = 0
    for model in plan.models:
        steps = 1
        if type(model).dynamic:  # SMP's turns, BDM's rounds
            steps = int(model.params.get("max_turns", model.params.get("rounds", 10))) + 1
        per_draw = max(per_draw, 8 * (steps * (a + 2) * i * 5 // 4 + 24 * a * a * i))
    return int(chunk_size) * per_draw


def available_memory() -> int | None:
    """Bytes of memory available now: ``MemAvailable`` in ``/proc/meminfo`` (Linux), else the
    machine's physical memory; None when neither can be read."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def check_draws(draws: int) -> None:
    """Refuse an absurd number of draws (more than :data:`MAX_RUNS`)."""
    if draws > MAX_RUNS:
        raise ParameterError(
            f"{draws:,} draws is more than accord takes in one run ({MAX_RUNS:,})",
            hint="use fewer draws: a few thousand already give stable shares",
            field="runs",
        )


def _check_size(plan: Plan, draws: int) -> None:
    """Refuse, before any work, a run too big for this machine's memory (or absurdly big)."""
    check_draws(draws)
    need, have = memory_needed(plan, draws), available_memory()
    if have is not None and need > have:
        fits = max(have // 2 // max(memory_needed(plan, 1), 1), 1)
        fits = int(float(f"{fits:.2g}"))  # two significant digits
        columns, models = len(plan.variants), len(plan.models)
        raise ParameterError(
            f"{draws:,} draws need about {need / 2**30:,.1f} GiB of memory for the per-draw "
            f"results ({columns} column(s) × {models} model(s)), more than the "
            f"{have / 2**30:,.1f} GiB available",
            hint=f"use fewer draws (e.g. {fits:,}), or fewer models or variants",
            field="runs",
        )


def run(
    plan: Plan,
    draws: int,
    *,
    seed: int | None = None,
    chunk_size: int | None = None,
    engine: str = "local",
    workers: int | None = None,
    address: str | None = None,
    progress: Progress | None = None,
    on_chunk: ChunkHook | None = None,
) -> MonteCarloRun:
    """Run ``draws`` draws of ``plan`` in chunks and merge them.

    ``workers``: processes (local) or LocalCluster workers (dask); None = one per CPU, at most one
    per chunk. ``address``: a Dask scheduler (``tcp://HOST:PORT``), only with ``engine="dask"``.
    ``progress(done, total)`` is called after every merged chunk; if it raises
    ``KeyboardInterrupt`` the run stops as on Ctrl-C. ``on_chunk(result)`` is called in this
    (the parent) process with every chunk right after it is merged; what it raises ends the run.
    """
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise ParameterError(f"runs={draws!r} must be a whole number >= 1", field="runs")
    if engine not in ENGINES:
        raise ParameterError(
            f"engine {engine!r} is not one of {', '.join(ENGINES)}", field="engine"
        )
    check_address(address)
    if address is not None and engine != "dask":
        raise ParameterError(
            "a scheduler address needs the dask engine", hint="use the dask engine", field="address"
        )
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1
    ):
        raise ParameterError(f"workers={workers!r} must be a whole number >= 1", field="workers")
    if address is not None:
        check_address(address)
    _check_size(plan, int(draws))
    entropy = resolve_seed(seed)
    if chunk_size is None:
        chunk_size = chunk_for(plan.variants[0].bounds.shape[0])
    chunks = chunks_of(int(draws), int(chunk_size))
    n_workers = workers or min(os.cpu_count() or 1, len(chunks))
    acc = Accumulator(int(draws), len(plan.variants), len(plan.models))
    t0 = time.perf_counter()
    done_chunks = 0
    interrupted = False
    info: dict[str, Any] = {}

    def merge(res: ChunkResult) -> None:
        nonlocal done_chunks
        acc.add(res)
        done_chunks += 1
        if on_chunk is not None:
            on_chunk(res)
        if progress is not None:
            progress(acc.n_done, int(draws))

    try:
        if progress is not None:
            progress(0, int(draws))
        if engine == "dask":
            _run_dask(plan, chunks, entropy, merge, n_workers, address, info)
        elif n_workers <= 1 or len(chunks) == 1:
            n_workers = 1
            for ch in chunks:
                merge(run_chunk(plan, ch, entropy))
        else:
            _run_loky(plan, chunks, entropy, merge, n_workers)
    except KeyboardInterrupt:
        interrupted = True
    return MonteCarloRun(
        sets=acc.finish() if acc.n_done else [],
        draws_requested=int(draws),
        draws_completed=acc.n_done,
        chunks_completed=done_chunks,
        n_chunks=len(chunks),
        interrupted=interrupted,
        seed=entropy,
        chunk_size=int(chunk_size),
        engine=engine,
        workers=int(info.get("workers", n_workers)),
        seconds=time.perf_counter() - t0,
        chunk_seconds=acc.seconds,
        info=info,
    )


_ADDRESS = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://)?(?:\[[0-9a-fA-F:.]+\]|[^\s:/\[\]@]+)(?::(\d{1,5}))?/?$"
)


def check_address(address: Any) -> str | None:
    """A Dask scheduler address, ``tcp://HOST:PORT`` (the scheme and port may be left out), or
    None: :class:`ParameterError` for anything else, before a connection is tried."""
    if address is None:
        return None
    match = _ADDRESS.match(address) if isinstance(address, str) else None
    if match is None or (match.group(1) is not None and not 0 < int(match.group(1)) < 65536):
        shown = repr(address) if isinstance(address, str) else type(address).__name__
        raise ParameterError(
            f"{shown[:80]} is not a scheduler address",
            hint="give tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786 (the port a number 1–65535)",
            field="address",
        )
    return address


def _run_loky(plan: Plan, chunks: Sequence[Chunk], entropy: int, merge, n_workers: int) -> None:
    from joblib import Parallel, delayed

    par = Parallel(n_jobs=n_workers, backend="loky", return_as="generator_unordered")
    gen: Iterator[ChunkResult] = par(delayed(run_chunk)(plan, ch, entropy) for ch in chunks)
    try:
        for res in gen:
            merge(res)
    finally:
        # closing the generator early (Ctrl-C) aborts the chunks not yet started
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gen.close()  # type: ignore[attr-defined]


def _run_dask(
    plan: Plan,
    chunks: Sequence[Chunk],
    entropy: int,
    merge,
    n_workers: int,
    address: str | None,
    info: dict[str, Any],
) -> None:
    # n_workers sizes a LocalCluster; a remote cluster has the workers it has
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - depends on the environment
        raise AccordError(
            "the dask engine needs dask.distributed",
            hint='install it with: pip install "accord[cluster]"',
        ) from None
    import logging

    cluster = None
    try:
        if address:
            try:
                client = Client(address, timeout=30)
            except (OSError, ValueError, TypeError) as exc:
                raise AccordError(
                    f"cannot reach the Dask scheduler at {address}: {exc}",
                    hint="check the address (tcp://HOST:PORT) and that `dask scheduler` runs there",
                    field="address",
                ) from None
        else:
            cluster = LocalCluster(
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        info["workers"] = len(client.scheduler_info().get("workers", {})) or n_workers
        info["scheduler"] = client.scheduler.address
        futures = []
        try:
            plan_f = client.scatter(plan, broadcast=True)
            futures = [client.submit(run_chunk, plan_f, ch, entropy, pure=False) for ch in chunks]
            for fut in as_completed(futures):
                res = fut.result()
                fut.release()  # merged: the cluster can forget it
                merge(res)
        except KeyboardInterrupt:
            client.cancel(futures)
            raise
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


__all__ = [
    "DEFAULT_CHUNK",
    "ENGINES",
    "Accumulator",
    "Chunk",
    "ChunkHook",
    "ChunkPart",
    "DrawSet",
    "Interrupted",
    "MonteCarloRun",
    "Plan",
    "VariantInput",
    "Chunks",
    "MAX_RUNS",
    "available_memory",
    "chunk_memory",
    "chunks_of",
    "memory_needed",
    "monte_carlo_params",
    "run",
    "run_chunk",
    "summarise",
]
