"""keys kept as SHA-256 hashes; the projector key sealed for the facilitator

Revision ID: 0007_key_hashes
Revises: 0006_comparisons

Every key already handed out keeps working: the hash of each stored key is written next to it,
then the clear keys are dropped. A hash cannot be turned back into a key, so there is no way down.
"""

import sqlalchemy as sa
from alembic import op

from workshop.services.key_hashes import hash_key, seal

revision = "0007_key_hashes"
down_revision = "0006_comparisons"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # the rebuilt tables' old pages are zeroed, not left with clear keys in free pages
        op.execute("PRAGMA secure_delete = ON")
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("facilitator_key_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("projector_key_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("projector_key_sealed", sa.String(length=100), nullable=True))
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_hash", sa.String(length=64), nullable=True))

    connection = op.get_bind()
    workshops = connection.execute(
        sa.text("SELECT id, facilitator_key, projector_key FROM workshop")
    ).all()
    for workshop_id, facilitator_key, projector_key in workshops:
        connection.execute(
            sa.text(
                "UPDATE workshop SET facilitator_key_hash = :f, projector_key_hash = :p, "
                "projector_key_sealed = :s WHERE id = :id"
            ),
            {
                "f": hash_key(facilitator_key),
                "p": hash_key(projector_key),
                "s": seal(projector_key, facilitator_key),
                "id": workshop_id,
            },
        )
    participants = connection.execute(sa.text("SELECT id, key FROM participant")).all()
    if participants:
        connection.execute(
            sa.text("UPDATE participant SET key_hash = :h WHERE id = :id"),
            [{"h": hash_key(key), "id": participant_id} for participant_id, key in participants],
        )

    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_workshop_facilitator_key"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_workshop_projector_key"), type_="unique")
        batch_op.drop_column("facilitator_key")
        batch_op.drop_column("projector_key")
        for column in ("facilitator_key_hash", "projector_key_hash"):
            batch_op.alter_column(column, existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column(
            "projector_key_sealed", existing_type=sa.String(length=100), nullable=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_workshop_facilitator_key_hash"), ["facilitator_key_hash"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_workshop_projector_key_hash"), ["projector_key_hash"]
        )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_participant_key"), type_="unique")
        batch_op.drop_column("key")
        batch_op.alter_column("key_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_participant_key_hash"), ["key_hash"])
    if sqlite:
        op.execute("PRAGMA secure_delete = OFF")


def downgrade() -> None:
    raise NotImplementedError("0007_key_hashes: stored hashes cannot be turned back into keys")
