"""rights to create workshops and read the whole directory; who made a contact; confirming one's address

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 10:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('can_create_workshops', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('sees_all_contacts', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_contacts_created_by_id_users', 'users', ['created_by_id'], ['id'],
                                    ondelete='SET NULL')
    with op.batch_alter_table('registration_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirm_email', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirm_by', sa.DateTime(timezone=True), nullable=True))

    # Whoever organizes a workshop today keeps the right to create one; so do site admins.
    users = sa.table('users', sa.column('id'), sa.column('is_admin', sa.Boolean()),
                     sa.column('can_create_workshops', sa.Boolean()))
    members = sa.table('workshop_members', sa.column('user_id'), sa.column('role'))
    op.execute(users.update()
               .where(sa.or_(users.c.is_admin == sa.true(),
                             users.c.id.in_(sa.select(members.c.user_id).where(members.c.role == 'organizer'))))
               .values(can_create_workshops=sa.true()))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('confirm_by')
    with op.batch_alter_table('registration_settings', schema=None) as batch_op:
        batch_op.drop_column('confirm_email')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_constraint('fk_contacts_created_by_id_users', type_='foreignkey')
        batch_op.drop_column('created_by_id')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('sees_all_contacts')
        batch_op.drop_column('can_create_workshops')
