"""languages: an account's, a registration's and a contact's; a workshop's default and offer

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 10:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='en'))
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default=''))
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('default_language', sa.String(length=8), nullable=False, server_default='en'))
        batch_op.add_column(sa.Column('languages', sa.String(length=64), nullable=False,
                                      server_default='en fr es ar zh ru'))


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('languages')
        batch_op.drop_column('default_language')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
