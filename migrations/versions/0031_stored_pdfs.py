"""PDFs rendered by the worker and kept per version (the agenda, the memo's draft preview, a
frozen record): one table for them all; a frozen record's PDF moves there

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-01 21:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'stored_pdfs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=True),
        sa.Column('wanted', sa.String(length=64), nullable=False),
        sa.Column('rendered', sa.String(length=64), nullable=True),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
        sa.Column('wanted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )
    with op.batch_alter_table('stored_pdfs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_pdfs_workshop_id'), ['workshop_id'], unique=False)
    # Frozen records keep their PDF, now in the shared table.
    records = sa.table('record_versions', sa.column('id', sa.Integer()), sa.column('workshop_id', sa.Integer()),
                       sa.column('pdf', sa.LargeBinary()), sa.column('pdf_sha256', sa.String()),
                       sa.column('frozen_at', sa.DateTime(timezone=True)))
    frozen = op.get_bind().execute(sa.select(records)).all()
    op.bulk_insert(table, [
        {"key": f"record:{row.id}", "kind": "record", "args": {"record_id": row.id, "lang": "en"},
         "workshop_id": row.workshop_id, "wanted": "frozen", "rendered": "frozen", "pdf": row.pdf,
         "pdf_sha256": row.pdf_sha256, "wanted_at": row.frozen_at, "rendered_at": row.frozen_at}
        for row in frozen])
    with op.batch_alter_table('record_versions', schema=None) as batch_op:
        batch_op.drop_column('pdf_sha256')
        batch_op.drop_column('pdf')


def downgrade():
    with op.batch_alter_table('record_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pdf', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('pdf_sha256', sa.String(length=64), nullable=True))
    op.execute("UPDATE record_versions SET pdf = (SELECT pdf FROM stored_pdfs WHERE stored_pdfs.key = 'record:' || record_versions.id), "
               "pdf_sha256 = (SELECT pdf_sha256 FROM stored_pdfs WHERE stored_pdfs.key = 'record:' || record_versions.id)")
    # A record whose PDF the worker had not written yet gets an empty one under the old rule.
    op.execute("UPDATE record_versions SET pdf = '', pdf_sha256 = '' WHERE pdf IS NULL")
    with op.batch_alter_table('record_versions', schema=None) as batch_op:
        batch_op.alter_column('pdf_sha256', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=False)
    op.drop_table('stored_pdfs')
