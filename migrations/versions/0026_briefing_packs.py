"""briefing packs: one PDF per confirmed participant, built by the worker; documents marked
confidential carry the participant's name in the margin of every page of their pack

Revision ID: 0026
Revises: 0022
Create Date: 2026-12-01 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidential', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        'briefing_packs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('wanted', sa.Integer(), nullable=False),
        sa.Column('built', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('pages', sa.Integer(), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_briefing_packs_registration_id_registrations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'],
                                name=op.f('fk_briefing_packs_workshop_id_workshops'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_briefing_packs')),
        sa.UniqueConstraint('registration_id', name=op.f('uq_briefing_packs_registration_id')),
    )
    with op.batch_alter_table('briefing_packs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_briefing_packs_workshop_id'), ['workshop_id'], unique=False)


def downgrade():
    op.drop_table('briefing_packs')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('confidential')
