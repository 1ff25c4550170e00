"""clienteling: sales attached to a customer, customer merges, field edit times, notes, tasks,
the consent log, derived recommendation tables and the clienteling-book publishing queue

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_HAS_CUSTOMER = sa.text("customer_id IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_id', sa.String(length=36), nullable=True))
        batch_op.create_index('ix_sales_customer', ['customer_id', 'created_at'], unique=False,
                              postgresql_where=_HAS_CUSTOMER, sqlite_where=_HAS_CUSTOMER)
    op.create_table('customer_merges',
    sa.Column('from_id', sa.String(length=36), nullable=False),
    sa.Column('into_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('from_id'))
    op.create_index('ix_customer_merges_into_id', 'customer_merges', ['into_id'], unique=False)
    op.create_table('customer_field_edits',
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('edited_at', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('customer_id', 'field'))
    op.create_table('customer_notes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('associate_id', sa.String(length=36), nullable=False),
    sa.Column('store_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_customer_notes_customer_at', 'customer_notes', ['customer_id', 'at'],
                    unique=False)
    op.create_table('customer_tasks',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('due_date', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('assigned_to', sa.String(length=36), nullable=True),
    sa.Column('associate_id', sa.String(length=36), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('store_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_customer_tasks_customer_id', 'customer_tasks', ['customer_id'],
                    unique=False)
    op.create_index('ix_customer_tasks_store_status', 'customer_tasks',
                    ['store_id', 'status', 'due_date'], unique=False)
    op.create_table('consent_log',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('granted', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('associate_id', sa.String(length=36), nullable=True),
    sa.Column('store_id', sa.String(length=36), nullable=True),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_consent_log_customer_kind_at', 'consent_log',
                    ['customer_id', 'kind', 'at'], unique=False)
    op.create_table('co_purchases',
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('other_product_id', sa.String(length=36), nullable=False),
    sa.Column('support', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('product_id', 'other_product_id'))
    op.create_table('variant_popularity',
    sa.Column('variant_id', sa.String(length=36), nullable=False),
    sa.Column('units', sa.BigInteger(), nullable=False),
    sa.Column('computed_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('variant_id'))
    op.create_index('ix_variant_popularity_units', 'variant_popularity', ['units'],
                    unique=False)
    op.create_table('book_pending',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True,
              nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('seq'))


def downgrade() -> None:
    op.drop_table('book_pending')
    op.drop_index('ix_variant_popularity_units', table_name='variant_popularity')
    op.drop_table('variant_popularity')
    op.drop_table('co_purchases')
    op.drop_index('ix_consent_log_customer_kind_at', table_name='consent_log')
    op.drop_table('consent_log')
    op.drop_index('ix_customer_tasks_store_status', table_name='customer_tasks')
    op.drop_index('ix_customer_tasks_customer_id', table_name='customer_tasks')
    op.drop_table('customer_tasks')
    op.drop_index('ix_customer_notes_customer_at', table_name='customer_notes')
    op.drop_table('customer_notes')
    op.drop_table('customer_field_edits')
    op.drop_index('ix_customer_merges_into_id', table_name='customer_merges')
    op.drop_table('customer_merges')
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_customer', postgresql_where=_HAS_CUSTOMER,
                            sqlite_where=_HAS_CUSTOMER)
        batch_op.drop_column('customer_id')
