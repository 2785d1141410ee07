"""attribution rules: on the record, Chatham House Rule or closed, for a workshop and its sessions

Revision ID: 0020
Revises: 0015
Create Date: 2026-12-01 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        # Existing workshops were all held under the Chatham House Rule (the site's footer said so).
        batch_op.add_column(sa.Column('attribution_rule', sa.String(length=20), nullable=False,
                                      server_default='chatham_house'))
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attribution_rule', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('attribution_rule')
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('attribution_rule')
