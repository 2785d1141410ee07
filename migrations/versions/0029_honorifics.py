"""a person's honorific (H.E., Ambassador, Dr., Ms., ...), as a code, on contacts and registrations

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-01 20:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('honorific', sa.String(length=20), server_default='', nullable=False))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('honorific', sa.String(length=20), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('honorific')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('honorific')
