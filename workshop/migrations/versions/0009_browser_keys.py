"""browser keys: the keys of workshops a browser holds past its cookie cap, sealed with its token

Revision ID: 0009_browser_keys
Revises: 0008_deletion
"""

import sqlalchemy as sa
from alembic import op


revision = "0009_browser_keys"
down_revision = "0008_deletion"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "browser_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("browser", sa.String(length=64), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("written", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_browser_key_workshop_id_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_browser_key")),
        sa.UniqueConstraint("browser", "workshop_id", name=op.f("uq_browser_key_browser")),
    )
    op.create_index(op.f("ix_browser_key_workshop_id"), "browser_key", ["workshop_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_browser_key_workshop_id"), table_name="browser_key")
    op.drop_table("browser_key")
