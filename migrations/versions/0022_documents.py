"""documents: files attached to a workshop or an agenda item, stored in the database, with their
visibility and the versions they replaced; online meeting links of workshops and sessions

Revision ID: 0022
Revises: 0019
Create Date: 2026-12-01 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('agenda_item_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('visibility', sa.String(length=20), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('mimetype', sa.String(length=120), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('superseded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_documents_workshop_id_workshops'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'],
                                name=op.f('fk_documents_agenda_item_id_agenda_items'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_documents_uploaded_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['superseded_by_id'], ['documents.id'],
                                name=op.f('fk_documents_superseded_by_id_documents'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_workshop_id'), ['workshop_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_superseded_by_id'), ['superseded_by_id'], unique=False)
    # Online and hybrid meetings: a link and how to get in, for the workshop and each session.
    for table in ('workshops', 'agenda_items'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('online_link', sa.String(length=500), nullable=False, server_default=''))
            batch_op.add_column(sa.Column('online_details', sa.Text(), nullable=False, server_default=''))


def downgrade():
    for table in ('agenda_items', 'workshops'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('online_details')
            batch_op.drop_column('online_link')
    op.drop_table('documents')
