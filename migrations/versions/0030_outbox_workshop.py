"""outbox messages say which workshop they are about, so a workshop's retention purge deletes
only its own mail

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-01 20:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    # Mail queued before this has no workshop: a purge keeps it rather than guess whose it is.
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workshop_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_outbox_messages_workshop_id', ['workshop_id'], unique=False)
        # A deleted workshop leaves its mail unattached (queued cancellation notices still go).
        batch_op.create_foreign_key('fk_outbox_messages_workshop_id_workshops', 'workshops', ['workshop_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint('fk_outbox_messages_workshop_id_workshops', type_='foreignkey')
        batch_op.drop_index('ix_outbox_messages_workshop_id')
        batch_op.drop_column('workshop_id')
