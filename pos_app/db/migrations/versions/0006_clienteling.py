"""clienteling on the till: cached profiles, local notes/tasks/consents, redeemed points

Revision ID: 0006
Revises: 0005

Why (issue 5, docs/clienteling.md): the till shows a shopper's 360° profile offline from a
cache HQ fills (feed entity "customer_profile"), lets associates add notes, tasks and consent
that show at once and travel as outbox events, and lets her pay with points offline up to a
limit: the points this till redeemed stay on a ledger until HQ's profile lists them. The
customers table gains the sizes, preferences and home store set on the till (NULL for the
customers already there: ADD COLUMN, instant even with a million rows). New tables are empty.
"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('customers', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('sizes', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('preferences', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('home_store_id', sa.String(length=36), nullable=True))

    op.create_table('customer_profiles',
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('data', sa.Text(), nullable=True),
    sa.Column('as_of', sa.String(length=32), nullable=True),
    sa.Column('received_at', sa.String(length=32), nullable=False),
    sa.Column('last_seen_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('customer_id')
    )
    with op.batch_alter_table('customer_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_profiles_last_seen_at'), ['last_seen_at'],
                              unique=False)

    op.create_table('customer_notes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('associate_id', sa.String(length=36), nullable=False),
    sa.Column('store_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('customer_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_notes_customer_id'), ['customer_id'],
                              unique=False)

    op.create_table('customer_tasks',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('due_date', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('assigned_to', sa.String(length=36), nullable=True),
    sa.Column('associate_id', sa.String(length=36), nullable=False),
    sa.Column('store_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('customer_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_tasks_customer_id'), ['customer_id'],
                              unique=False)
        batch_op.create_index('ix_customer_tasks_status_due', ['status', 'due_date'],
                              unique=False)

    op.create_table('customer_consents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('granted', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('associate_id', sa.String(length=36), nullable=True),
    sa.Column('store_id', sa.String(length=36), nullable=True),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('customer_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_consents_customer_id'), ['customer_id'],
                              unique=False)

    op.create_table('loyalty_redemptions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('sale_id', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('offline', sa.Integer(), nullable=False),
    sa.Column('store_day', sa.String(length=10), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loyalty_redemptions', schema=None) as batch_op:
        batch_op.create_index('ix_loyalty_redemptions_customer', ['customer_id', 'booked'],
                              unique=False)


def downgrade() -> None:
    op.drop_table('loyalty_redemptions')
    op.drop_table('customer_consents')
    op.drop_table('customer_tasks')
    op.drop_table('customer_notes')
    op.drop_table('customer_profiles')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('home_store_id')
        batch_op.drop_column('preferences')
        batch_op.drop_column('sizes')
