"""memo languages: a memo has its own language, may translate another memo of its workshop, and
each published version keeps the language it was published in

Revision ID: 0019
Revises: 0015
Create Date: 2026-12-01 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    # A workshop may now have one memo per language (the original and its translations).
    with op.batch_alter_table('memos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='en'))
        batch_op.add_column(sa.Column('translation_of_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint('uq_memos_workshop_id', type_='unique')
        batch_op.create_unique_constraint('uq_memos_workshop_id_language', ['workshop_id', 'language'])
        batch_op.create_foreign_key(batch_op.f('fk_memos_translation_of_id_memos'), 'memos',
                                    ['translation_of_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('memo_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='en'))


def downgrade():
    with op.batch_alter_table('memo_versions', schema=None) as batch_op:
        batch_op.drop_column('language')
    # Back to one memo per workshop: the translations go.
    op.execute("DELETE FROM memos WHERE translation_of_id IS NOT NULL")
    with op.batch_alter_table('memos', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_memos_translation_of_id_memos'), type_='foreignkey')
        batch_op.drop_constraint('uq_memos_workshop_id_language', type_='unique')
        batch_op.create_unique_constraint('uq_memos_workshop_id', ['workshop_id'])
        batch_op.drop_column('translation_of_id')
        batch_op.drop_column('language')
