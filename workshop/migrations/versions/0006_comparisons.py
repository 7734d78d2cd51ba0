"""comparisons across workshops and the admin's match decisions

Revision ID: 0006_comparisons
Revises: 0005_tables
"""

import sqlalchemy as sa
from alembic import op


revision = "0006_comparisons"
down_revision = "0005_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comparison",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_codes", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comparison")),
    )
    op.create_table(
        "comparison_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comparison_id", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("second_id", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["comparison_id"],
            ["comparison.id"],
            name=op.f("fk_comparison_match_comparison_id_comparison"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comparison_match")),
        sa.UniqueConstraint(
            "comparison_id", "first_id", "second_id", name=op.f("uq_comparison_match_comparison_id")
        ),
    )
    with op.batch_alter_table("comparison_match", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_comparison_match_comparison_id"), ["comparison_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("comparison_match", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comparison_match_comparison_id"))
    op.drop_table("comparison_match")
    op.drop_table("comparison")
