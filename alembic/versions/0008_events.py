"""matchmaking events: events, participants, meeting requests, meetings

Revision ID: 0008_events
Revises: 0005_throttle
Create Date: 2026-11-27 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008_events"
down_revision: str | None = "0005_throttle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("chains", sa.JSON(), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("tables", sa.Integer(), nullable=False),
        sa.Column("registration_opens", sa.DateTime(), nullable=True),
        sa.Column("registration_closes", sa.DateTime(), nullable=True),
        sa.Column("meeting_cap", sa.Integer(), nullable=False),
        sa.Column("request_ttl_hours", sa.Integer(), nullable=False),
        sa.Column("suggestion_min_match", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("platforms", sa.JSON(), nullable=False),
        sa.Column("schedule_stats", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["created_by"], ["principals.id"], name=op.f("fk_events_created_by_principals"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_table(
        "event_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("representatives", sa.JSON(), nullable=False),
        sa.Column("available", sa.JSON(), nullable=False),
        sa.Column("cap", sa.Integer(), nullable=True),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(), nullable=True),
        sa.Column("absent", sa.Boolean(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_participants_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprises.id"],
                                name=op.f("fk_event_participants_enterprise_id_enterprises"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_participants")),
        sa.UniqueConstraint("event_id", "enterprise_id", name="uq_event_participants_firm"),
        sa.UniqueConstraint("event_id", "external_id", name="uq_event_participants_external"),
    )
    op.create_index(op.f("ix_event_participants_event_id"), "event_participants", ["event_id"])
    op.create_index(op.f("ix_event_participants_enterprise_id"), "event_participants", ["enterprise_id"])
    op.create_table(
        "event_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("from_id", sa.Integer(), nullable=False),
        sa.Column("to_id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_requests_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["from_id"], ["event_participants.id"],
                                name=op.f("fk_event_requests_from_id_event_participants"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["to_id"], ["event_participants.id"],
                                name=op.f("fk_event_requests_to_id_event_participants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_requests")),
        sa.UniqueConstraint("event_id", "from_id", "to_id", name="uq_event_requests_pair"),
    )
    for col in ("event_id", "from_id", "to_id"):
        op.create_index(op.f(f"ix_event_requests_{col}"), "event_requests", [col])
    op.create_index("ix_event_requests_pending", "event_requests", ["status", "expires_at"])
    op.create_table(
        "event_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("a_id", sa.Integer(), nullable=False),
        sa.Column("b_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("table_no", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_meetings_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["a_id"], ["event_participants.id"],
                                name=op.f("fk_event_meetings_a_id_event_participants"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["b_id"], ["event_participants.id"],
                                name=op.f("fk_event_meetings_b_id_event_participants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_meetings")),
    )
    for col in ("event_id", "a_id", "b_id"):
        op.create_index(op.f(f"ix_event_meetings_{col}"), "event_meetings", [col])
    op.create_index("ix_event_meetings_cell", "event_meetings", ["event_id", "slot", "table_no"])


def downgrade() -> None:
    for table in ("event_meetings", "event_requests", "event_participants", "events"):
        op.drop_table(table)
