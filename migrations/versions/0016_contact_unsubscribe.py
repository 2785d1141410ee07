"""a workshop's contact address; addresses that asked for no more optional mail from a workshop

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 12:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), server_default='', nullable=False))
    op.create_table(
        'mail_unsubscribes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('email_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('workshop_id', 'email_hash'),
    )


def downgrade():
    op.drop_table('mail_unsubscribes')
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('contact_email')
