"""memo accepted reasons: why each name the non-attribution check flagged may stay

Revision ID: 0027
Revises: 0022
Create Date: 2026-12-01 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memos', schema=None) as batch_op:
        # Names accepted before reasons were asked for keep no reason (NULL).
        batch_op.add_column(sa.Column('accepted_reasons', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('memos', schema=None) as batch_op:
        batch_op.drop_column('accepted_reasons')
