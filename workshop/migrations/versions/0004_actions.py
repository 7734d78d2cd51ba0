"""actions, their suggestions, follow-up notes; closing a workshop

Revision ID: 0004_actions
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op


revision = "0004_actions"
down_revision = "0003_agree_kind"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=40), nullable=True),
        sa.Column("change_level", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_action_proposal_id_proposal"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_action_workshop_id_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_workshop_id"), ["workshop_id"], unique=False)

    op.create_table(
        "action_suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("owner", sa.String(length=120), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
            name=op.f("fk_action_suggestion_action_id_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_action_suggestion_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_action_suggestion_workshop_id_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_suggestion")),
    )
    with op.batch_alter_table("action_suggestion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_suggestion_workshop_id"), ["workshop_id"], unique=False
        )

    op.create_table(
        "follow_up_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_follow_up_note_workshop_id_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_note")),
    )
    with op.batch_alter_table("follow_up_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_up_note_workshop_id"), ["workshop_id"], unique=False
        )

    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("report_published", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("report_published")
        batch_op.drop_column("closed_at")

    with op.batch_alter_table("follow_up_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_note_workshop_id"))
    op.drop_table("follow_up_note")
    with op.batch_alter_table("action_suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_suggestion_workshop_id"))
    op.drop_table("action_suggestion")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_workshop_id"))
    op.drop_table("action")
