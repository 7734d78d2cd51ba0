"""table mode: the table a participant sits at, the step a proposal was sent in

Revision ID: 0005_tables
Revises: 0004_actions
"""

import sqlalchemy as sa
from alembic import op


revision = "0005_tables"
down_revision = "0004_actions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("table", sa.String(length=40), nullable=True))
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("step_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_proposal_step_id_step"), "step", ["step_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_proposal_step_id_step"), type_="foreignkey")
        batch_op.drop_column("step_id")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("table")
