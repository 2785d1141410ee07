"""agenda-change notices: changes waiting for the quiet period, session events sent per registration

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 10:30:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pending_session_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('agenda_item_id', sa.Integer(), nullable=False),
        sa.Column('first_changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('added', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('agenda_item_id'),
    )
    with op.batch_alter_table('pending_session_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_session_notices_workshop_id'), ['workshop_id'], unique=False)
    op.create_table(
        'session_events_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('agenda_item_id', sa.Integer(), nullable=False),
        sa.Column('method', sa.String(length=10), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('registration_id', 'agenda_item_id'),
    )
    with op.batch_alter_table('session_events_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_events_sent_agenda_item_id'), ['agenda_item_id'], unique=False)


def downgrade():
    with op.batch_alter_table('session_events_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_events_sent_agenda_item_id'))
    op.drop_table('session_events_sent')
    with op.batch_alter_table('pending_session_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_session_notices_workshop_id'))
    op.drop_table('pending_session_notices')
