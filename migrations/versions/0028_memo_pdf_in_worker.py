"""memo PDFs rendered by the mail worker: a published version's PDF (and its digest) may be
empty for the moment between publishing and the worker's next round

Revision ID: 0028
Revises: 0022
Create Date: 2026-12-01 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memo_versions', schema=None) as batch_op:
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=True)
        batch_op.alter_column('pdf_sha256', existing_type=sa.String(length=64), nullable=True)


def downgrade():
    # A version still waiting for its PDF cannot be kept under the old rule: it gets an empty one.
    op.execute("UPDATE memo_versions SET pdf = '', pdf_sha256 = '' WHERE pdf IS NULL")
    with op.batch_alter_table('memo_versions', schema=None) as batch_op:
        batch_op.alter_column('pdf_sha256', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=False)
