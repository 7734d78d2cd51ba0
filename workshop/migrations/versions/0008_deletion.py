"""deletion: a workshop's deletion date, the log of deleted workshops, and indexes on the columns
that point at participants and proposals (deleting a workshop checks every one of them)

Revision ID: 0008_deletion
Revises: 0007_key_hashes
"""

import sqlalchemy as sa
from alembic import op


revision = "0008_deletion"
down_revision = "0007_key_hashes"
branch_labels = None
depends_on = None

# (table, column): without an index, deleting one participant or proposal scans the whole table.
INDEXED = (
    ("proposal", "participant_id"),
    ("proposal", "merged_into_id"),
    ("action", "proposal_id"),
    ("action_suggestion", "participant_id"),
    ("merge", "survivor_id"),
    ("paper_dots", "proposal_id"),
    ("rating", "participant_id"),
    ("rating", "proposal_id"),
    ("stance", "participant_id"),
    ("stance", "proposal_id"),
    ("vote", "participant_id"),
    ("vote", "proposal_id"),
)


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
    for table, column in INDEXED:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def downgrade() -> None:
    for table, column in INDEXED:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    op.drop_table("deletion_log")
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("deletion_date")
