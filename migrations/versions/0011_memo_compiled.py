"""memos remember their last compile: its revision, time and the notes it took in

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 10:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    # Empty for memos compiled before: their text counts as edited, so the next compile asks.
    with op.batch_alter_table('memos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('compiled_revision_number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('compiled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('compiled_note_ids', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('memos', schema=None) as batch_op:
        batch_op.drop_column('compiled_note_ids')
        batch_op.drop_column('compiled_at')
        batch_op.drop_column('compiled_revision_number')
