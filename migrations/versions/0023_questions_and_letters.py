"""questions: organizers' questions on the registration and follow-up forms, the answers, the
follow-up mailings; letters: letter-of-invitation templates and the letters issued

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(length=20), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('label', sa.String(length=300), nullable=False),
        sa.Column('help_text', sa.Text(), nullable=False),
        sa.Column('required', sa.Boolean(), nullable=False),
        sa.Column('sensitive', sa.Boolean(), nullable=False),
        sa.Column('choices', sa.JSON(), nullable=False),
        sa.Column('category_ids', sa.JSON(), nullable=False),
        sa.Column('condition_question_id', sa.Integer(), nullable=True),
        sa.Column('condition_value', sa.String(length=300), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_questions_workshop_id_workshops'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['condition_question_id'], ['questions.id'],
                                name=op.f('fk_questions_condition_question_id_questions'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_questions')),
    )
    op.create_index(op.f('ix_questions_workshop_id'), 'questions', ['workshop_id'], unique=False)
    op.create_table(
        'answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_answers_registration_id_registrations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_answers_question_id_questions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
        sa.UniqueConstraint('registration_id', 'question_id', name=op.f('uq_answers_registration_id')),
    )
    op.create_index(op.f('ix_answers_registration_id'), 'answers', ['registration_id'], unique=False)
    op.create_index(op.f('ix_answers_question_id'), 'answers', ['question_id'], unique=False)
    op.create_table(
        'follow_up_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_follow_up_requests_registration_id_registrations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_requests')),
        sa.UniqueConstraint('registration_id', name=op.f('uq_follow_up_requests_registration_id')),
    )
    op.create_table(
        'letter_templates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('letterhead', sa.Text(), nullable=False),
        sa.Column('signatory_name', sa.String(length=200), nullable=False),
        sa.Column('signatory_title', sa.String(length=300), nullable=False),
        sa.Column('visa_question_id', sa.Integer(), nullable=True),
        sa.Column('passport_question_id', sa.Integer(), nullable=True),
        sa.Column('nationality_question_id', sa.Integer(), nullable=True),
        sa.Column('embassy_question_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_letter_templates_workshop_id_workshops'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['visa_question_id'], ['questions.id'],
                                name=op.f('fk_letter_templates_visa_question_id_questions'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['passport_question_id'], ['questions.id'],
                                name=op.f('fk_letter_templates_passport_question_id_questions'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['nationality_question_id'], ['questions.id'],
                                name=op.f('fk_letter_templates_nationality_question_id_questions'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['embassy_question_id'], ['questions.id'],
                                name=op.f('fk_letter_templates_embassy_question_id_questions'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_templates')),
        sa.UniqueConstraint('workshop_id', name=op.f('uq_letter_templates_workshop_id')),
    )
    op.create_table(
        'visa_letters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=True),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=120), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('addressee', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('letterhead', sa.Text(), nullable=False),
        sa.Column('signatory_name', sa.String(length=200), nullable=False),
        sa.Column('signatory_title', sa.String(length=300), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('requested_by', sa.String(length=254), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_visa_letters_workshop_id_workshops'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_visa_letters_registration_id_registrations'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_visa_letters')),
        sa.UniqueConstraint('workshop_id', 'number', name=op.f('uq_visa_letters_workshop_id')),
    )
    op.create_index(op.f('ix_visa_letters_workshop_id'), 'visa_letters', ['workshop_id'], unique=False)
    op.create_index(op.f('ix_visa_letters_registration_id'), 'visa_letters', ['registration_id'], unique=False)


def downgrade():
    op.drop_table('visa_letters')
    op.drop_table('letter_templates')
    op.drop_table('follow_up_requests')
    op.drop_table('answers')
    op.drop_table('questions')
