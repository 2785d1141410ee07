"""workshop public version: what the public pages' caches are keyed by

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 01:40:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_version', sa.String(length=32), server_default='', nullable=False))
    # Existing workshops start with a token of their own, so their pages are cached at once.
    connection = op.get_bind()
    workshops = sa.table('workshops', sa.column('id', sa.Integer), sa.column('public_version', sa.String))
    for (workshop_id,) in connection.execute(sa.select(workshops.c.id)).all():
        connection.execute(workshops.update().where(workshops.c.id == workshop_id)
                           .values(public_version=secrets.token_hex(16)))


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('public_version')
