"""agree steps are a kind of their own; a participant's change level is a suggestion

A ``vote`` step whose config holds ``mode = "agree"`` becomes a step of kind ``agree`` without
``mode`` (dot vote steps lose a redundant ``mode = "dots"``). Proposals get
``suggested_change_level``: what the writer suggested. A level a participant gave before this
revision (unsettled, from a phone) moves there, as only the facilitator settles ``change_level``.

Revision ID: 0003_agree_kind
Revises: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0003_agree_kind"
down_revision = "0002"
branch_labels = None
depends_on = None

step = sa.table(
    "step",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.String(20)),
    sa.column("config", sa.JSON()),
)


def _config(value: object) -> dict:
    if isinstance(value, str):
        value = json.loads(value or "{}")
    return dict(value) if isinstance(value, dict) else {}


def upgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suggested_change_level", sa.String(20), nullable=True))
    connection = op.get_bind()
    for row in connection.execute(sa.select(step.c.id, step.c.kind, step.c.config)).all():
        if row.kind != "vote":
            continue
        config = _config(row.config)
        if "mode" not in config:
            continue
        kind = "agree" if config.pop("mode") == "agree" else "vote"
        connection.execute(
            step.update().where(step.c.id == row.id).values(kind=kind, config=config)
        )
    op.execute(
        "UPDATE proposal SET suggested_change_level = change_level, change_level = NULL"
        " WHERE change_level IS NOT NULL AND classification_settled = false"
        " AND source = 'phone'"
    )


def downgrade() -> None:
    connection = op.get_bind()
    for row in connection.execute(sa.select(step.c.id, step.c.kind, step.c.config)).all():
        if row.kind == "agree":
            config = {**_config(row.config), "mode": "agree"}
            connection.execute(
                step.update().where(step.c.id == row.id).values(kind="vote", config=config)
            )
    op.execute(
        "UPDATE proposal SET change_level = suggested_change_level"
        " WHERE change_level IS NULL AND suggested_change_level IS NOT NULL"
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_column("suggested_change_level")
