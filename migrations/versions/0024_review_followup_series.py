"""review by participants, recommendations followed up, the internal record and the read-out,
and series as records (the workshops' free-text network becomes a series each)

Revision ID: 0024
Revises: 0022
Create Date: 2026-12-01 16:00:00

"""
import re
import unicodedata
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def _slug(name):
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:70].rstrip("-") or "series"


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete=ondelete)


def upgrade():
    op.create_table(
        'series',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), server_default='', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_series')),
        sa.UniqueConstraint('slug', name=op.f('uq_series_slug')),
        sa.UniqueConstraint('name', name=op.f('uq_series_name')),
    )
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('series_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_workshops_series_id'), ['series_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_workshops_series_id_series'), 'series', ['series_id'], ['id'],
                                    ondelete='SET NULL')

    # Every distinct network typed on a workshop becomes one series (names equal but for case and
    # spaces are one), and the workshops that named it belong to it.
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, network FROM workshops ORDER BY id")).all()
    by_name, slugs = {}, set()
    now = datetime.now(timezone.utc)
    for workshop_id, network in rows:
        name = " ".join((network or "").split())
        if not name:
            continue
        key = name.lower()
        if key not in by_name:
            base = slug = _slug(name)
            number = 2
            while slug in slugs:
                slug, number = f"{base}-{number}", number + 1
            slugs.add(slug)
            connection.execute(sa.text(
                "INSERT INTO series (slug, name, description, created_at) VALUES (:slug, :name, '', :now)"),
                {"slug": slug, "name": name, "now": now})
            by_name[key] = connection.execute(sa.text("SELECT id FROM series WHERE slug = :slug"),
                                              {"slug": slug}).scalar_one()
        connection.execute(sa.text("UPDATE workshops SET series_id = :series WHERE id = :id"),
                           {"series": by_name[key], "id": workshop_id})
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('network')

    op.create_table(
        'memo_reviews',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('memo_id', sa.Integer(), nullable=False),
        sa.Column('revision_number', sa.Integer(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('opened_by_id', sa.Integer(), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        _fk('memo_reviews', 'workshop_id', 'workshops', 'CASCADE'),
        _fk('memo_reviews', 'memo_id', 'memos', 'CASCADE'),
        _fk('memo_reviews', 'opened_by_id', 'users', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_memo_reviews')),
    )
    with op.batch_alter_table('memo_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memo_reviews_workshop_id'), ['workshop_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memo_reviews_memo_id'), ['memo_id'], unique=False)
    op.create_table(
        'memo_reviewers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('reminder_token_hash', sa.String(length=64), nullable=True),
        sa.Column('objection', sa.Text(), nullable=False),
        sa.Column('objected_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
        _fk('memo_reviewers', 'review_id', 'memo_reviews', 'CASCADE'),
        _fk('memo_reviewers', 'registration_id', 'registrations', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_memo_reviewers')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_memo_reviewers_token_hash')),
        sa.UniqueConstraint('reminder_token_hash', name=op.f('uq_memo_reviewers_reminder_token_hash')),
        sa.UniqueConstraint('review_id', 'registration_id', name=op.f('uq_memo_reviewers_review_id')),
    )
    with op.batch_alter_table('memo_reviewers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memo_reviewers_review_id'), ['review_id'], unique=False)
    op.create_table(
        'memo_review_comments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=False),
        sa.Column('paragraph', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resolved_by_id', sa.Integer(), nullable=True),
        _fk('memo_review_comments', 'review_id', 'memo_reviews', 'CASCADE'),
        _fk('memo_review_comments', 'reviewer_id', 'memo_reviewers', 'CASCADE'),
        _fk('memo_review_comments', 'resolved_by_id', 'users', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_memo_review_comments')),
    )
    with op.batch_alter_table('memo_review_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memo_review_comments_review_id'), ['review_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memo_review_comments_reviewer_id'), ['reviewer_id'], unique=False)

    op.create_table(
        'recommendations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('in_memo', sa.Boolean(), nullable=False),
        sa.Column('first_version', sa.Integer(), nullable=False),
        sa.Column('last_version', sa.Integer(), nullable=False),
        sa.Column('owner', sa.String(length=200), nullable=False),
        sa.Column('meant_for', sa.String(length=300), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
        _fk('recommendations', 'workshop_id', 'workshops', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendations')),
        sa.UniqueConstraint('workshop_id', 'number', name=op.f('uq_recommendations_workshop_id')),
    )
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendations_workshop_id'), ['workshop_id'], unique=False)
    op.create_table(
        'recommendation_updates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        _fk('recommendation_updates', 'recommendation_id', 'recommendations', 'CASCADE'),
        _fk('recommendation_updates', 'created_by_id', 'users', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_updates')),
    )
    with op.batch_alter_table('recommendation_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_updates_recommendation_id'), ['recommendation_id'],
                              unique=False)
    op.create_table(
        'record_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=400), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
        sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('frozen_by_id', sa.Integer(), nullable=True),
        _fk('record_versions', 'workshop_id', 'workshops', 'CASCADE'),
        _fk('record_versions', 'frozen_by_id', 'users', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_record_versions')),
        sa.UniqueConstraint('workshop_id', 'kind', 'number', name=op.f('uq_record_versions_workshop_id')),
    )
    with op.batch_alter_table('record_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_versions_workshop_id'), ['workshop_id'], unique=False)


def downgrade():
    op.drop_table('record_versions')
    op.drop_table('recommendation_updates')
    op.drop_table('recommendations')
    op.drop_table('memo_review_comments')
    op.drop_table('memo_reviewers')
    op.drop_table('memo_reviews')
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('network', sa.String(length=200), nullable=False, server_default=''))
    op.execute("UPDATE workshops SET network = (SELECT name FROM series WHERE series.id = workshops.series_id) "
               "WHERE series_id IS NOT NULL")
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_constraint('fk_workshops_series_id_series', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_workshops_series_id'))
        batch_op.drop_column('series_id')
    op.drop_table('series')
