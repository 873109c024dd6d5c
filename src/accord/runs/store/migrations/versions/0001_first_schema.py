"""The first schema: scenarios, runs, chunks and result summaries.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _result_key() -> list[sa.Column]:
    return [
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("model", sa.String(40), primary_key=True),
    ]


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scenario_id", sa.String(200), nullable=False, index=True),
        sa.Column("content_hash", sa.String(80), nullable=False, unique=True),
        sa.Column("as_of", sa.Date, nullable=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("saved", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "runs",
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
    )
    op.create_index("ix_runs_scenario_started", "runs", ["scenario_id", "started"])
    op.create_table(
        "chunks",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("file", sa.Text, nullable=True),
        sa.Column("bytes", sa.Integer, nullable=True),
        sa.Column("saved", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "issue_results",
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
    op.create_table(
        "agreement_results",
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
    op.create_table(
        "actor_results",
        *_result_key(),
        sa.Column("actor", sa.String(200), primary_key=True),
        sa.Column("decider", sa.Boolean, nullable=False),
        sa.Column("accepts", sa.Float, nullable=False),
        sa.Column("utility_median", sa.Float, nullable=True),
        sa.Column("utility_p10", sa.Float, nullable=True),
        sa.Column("utility_p90", sa.Float, nullable=True),
    )
    op.create_table(
        "blockers",
        *_result_key(),
        sa.Column("rank", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("issue", sa.String(200), nullable=True),
        sa.Column("bound", sa.String(3), nullable=True),
        sa.Column("share", sa.Float, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "blockers",
        "actor_results",
        "agreement_results",
        "issue_results",
        "chunks",
        "runs",
        "scenarios",
    ):
        op.drop_table(table)
