"""deletion: a workshop's deletion date and the log of deleted workshops

Revision ID: 0006_deletion
Revises: 0005_tables
"""

import sqlalchemy as sa
from alembic import op


revision = "0006_deletion"
down_revision = "0005_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deletion_date", sa.Date(), nullable=True))
    op.create_table(
        "deletion_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=20), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deletion_log")),
    )


def downgrade() -> None:
    op.drop_table("deletion_log")
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("deletion_date")
