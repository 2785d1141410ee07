"""outbox messages the worker writes: raw may wait, pending says how to write it

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 01:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending', sa.JSON(), nullable=True))
        batch_op.alter_column('raw', existing_type=sa.LargeBinary(), nullable=True)


def downgrade():
    # Messages not yet written cannot be kept without their bytes.
    op.execute("DELETE FROM outbox_messages WHERE raw IS NULL")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('raw', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('pending')
