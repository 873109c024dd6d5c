"""The store's tables (SQLAlchemy Core), as the latest migration leaves them.

The migrations in :mod:`accord.runs.store.migrations` create and change the real tables; this
module describes them for queries, and a test checks that the two agree.

- ``scenarios``: every scenario version a run used, once per content hash, with its JSON;
- ``runs``: one row per run, from its start: status (running, complete, failed, interrupted), who
  runs it, what was asked, the indexed facts the commands filter on, and, once finished, the run
  record itself (``record``: its JSON, which reads back into an equal record);
- ``chunks``: the chunks of draws a run has finished, each with its per-draw file (when asked for);
- ``issue_results``, ``agreement_results``, ``actor_results``, ``blockers``: summaries of a
  forecast's record per model, issue and actor, for listing and history without parsing records.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

scenarios = sa.Table(
    "scenarios",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scenario_id", sa.String(200), nullable=False, index=True),
    sa.Column("content_hash", sa.String(80), nullable=False, unique=True),
    sa.Column("as_of", sa.Date, nullable=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("saved", sa.DateTime(timezone=True), nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("scenario_key", sa.Integer, sa.ForeignKey("scenarios.id"), nullable=False),
    sa.Column("effective_key", sa.Integer, sa.ForeignKey("scenarios.id"), nullable=True),
    sa.Column("scenario_id", sa.String(200), nullable=False),
    sa.Column("effective_hash", sa.String(80), nullable=True, index=True),
    sa.Column("as_of", sa.Date, nullable=True),
    sa.Column("variant", sa.String(200), nullable=True),
    sa.Column("models", sa.Text, nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("runs", sa.Integer, nullable=False),
    sa.Column("draws", sa.Integer, nullable=False),
    sa.Column("chunk_size", sa.Integer, nullable=True),
    sa.Column("accord_version", sa.String(40), nullable=False),
    sa.Column("started", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished", sa.DateTime(timezone=True), nullable=True),
    sa.Column("seconds", sa.Float, nullable=True),
    sa.Column("owner", sa.String(200), nullable=False),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("draws_dir", sa.Text, nullable=True),
    sa.Column("request", sa.Text, nullable=False),
    sa.Column("record", sa.Text, nullable=True),
    sa.Index("ix_runs_scenario_started", "scenario_id", "started"),
)

chunks = sa.Table(
    "chunks",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("file", sa.Text, nullable=True),
    sa.Column("bytes", sa.Integer, nullable=True),
    sa.Column("saved", sa.DateTime(timezone=True), nullable=False),
)


def _result_key() -> list[sa.Column]:
    return [
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("model", sa.String(40), primary_key=True),
    ]


issue_results = sa.Table(
    "issue_results",
    metadata,
    *_result_key(),
    sa.Column("issue", sa.String(200), primary_key=True),
    sa.Column("point", sa.Float, nullable=True),
    sa.Column("median", sa.Float, nullable=True),
    sa.Column("mean", sa.Float, nullable=True),
    sa.Column("p10", sa.Float, nullable=True),
    sa.Column("p90", sa.Float, nullable=True),
    sa.Column("p025", sa.Float, nullable=True),
    sa.Column("p975", sa.Float, nullable=True),
)

agreement_results = sa.Table(
    "agreement_results",
    metadata,
    *_result_key(),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("p_agreement", sa.Float, nullable=False),
    sa.Column("p_stalemate", sa.Float, nullable=False),
    sa.Column("p_escalation", sa.Float, nullable=False),
    sa.Column("p_zone", sa.Float, nullable=True),
    sa.Column("margin_median", sa.Float, nullable=True),
    sa.Column("margin_p10", sa.Float, nullable=True),
    sa.Column("margin_p90", sa.Float, nullable=True),
)

actor_results = sa.Table(
    "actor_results",
    metadata,
    *_result_key(),
    sa.Column("actor", sa.String(200), primary_key=True),
    sa.Column("decider", sa.Boolean, nullable=False),
    sa.Column("accepts", sa.Float, nullable=False),
    sa.Column("utility_median", sa.Float, nullable=True),
    sa.Column("utility_p10", sa.Float, nullable=True),
    sa.Column("utility_p90", sa.Float, nullable=True),
)

blockers = sa.Table(
    "blockers",
    metadata,
    *_result_key(),
    sa.Column("rank", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("issue", sa.String(200), nullable=True),
    sa.Column("bound", sa.String(3), nullable=True),
    sa.Column("share", sa.Float, nullable=False),
)

__all__ = [
    "actor_results",
    "agreement_results",
    "blockers",
    "chunks",
    "issue_results",
    "metadata",
    "runs",
    "scenarios",
]
