"""reminders and letters: the worker's job runner (scheduled jobs with leases), reminder rules per
workshop and the person each rule reached (once per rule and person); the versions of the letters
organizers edit, and on each outbox message the version it was written from; the documents a
composed message carries

Revision ID: 0025
Revises: 0022
Create Date: 2026-12-01 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'scheduled_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.Column('run_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    op.create_index('ix_scheduled_jobs_run_at', 'scheduled_jobs', ['run_at'])
    op.create_table(
        'reminder_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('hour', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_reminder_rules_workshop_id', 'reminder_rules', ['workshop_id'])
    op.create_table(
        'reminder_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('rule_id', sa.Integer(), nullable=False),
        sa.Column('person', sa.String(length=40), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=True),
        sa.Column('invitation_id', sa.Integer(), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('unsubscribed', sa.Boolean(), nullable=False),
        sa.Column('outbox_message_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['rule_id'], ['reminder_rules.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('rule_id', 'person'),
    )


    op.create_table(
        'letter_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('is_default', sa.Boolean(), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('signatory_name', sa.String(length=200), nullable=False),
        sa.Column('signatory_title', sa.String(length=200), nullable=False),
        sa.Column('reply_by', sa.Date(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_by_name', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('workshop_id', 'kind', 'language', 'number'),
    )
    op.create_index('ix_letter_versions_workshop_id', 'letter_versions', ['workshop_id'])
    with op.batch_alter_table('outbox_messages') as batch:
        batch.add_column(sa.Column('letter_version_id', sa.Integer(), nullable=True))
        batch.create_index('ix_outbox_messages_letter_version_id', ['letter_version_id'])

    op.create_table(
        'message_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('attached', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['composed_messages.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_message_documents_message_id', 'message_documents', ['message_id'])


def downgrade():
    op.drop_index('ix_message_documents_message_id', table_name='message_documents')
    op.drop_table('message_documents')
    with op.batch_alter_table('outbox_messages') as batch:
        batch.drop_index('ix_outbox_messages_letter_version_id')
        batch.drop_column('letter_version_id')
    op.drop_index('ix_letter_versions_workshop_id', table_name='letter_versions')
    op.drop_table('letter_versions')
    op.drop_table('reminder_deliveries')
    op.drop_index('ix_reminder_rules_workshop_id', table_name='reminder_rules')
    op.drop_table('reminder_rules')
    op.drop_index('ix_scheduled_jobs_run_at', table_name='scheduled_jobs')
    op.drop_table('scheduled_jobs')
