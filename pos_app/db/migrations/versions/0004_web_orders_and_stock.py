"""web orders to pick up in this store (and their lines), stock on hand published by HQ

Revision ID: 0004
Revises: 0003

Both are caches of HQ's feed (entities "web_order" and "stock", sync/change_apply_orders.py):
empty after the upgrade, filled by the next pull (or the bootstrap snapshot).
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stock_levels',
    sa.Column('store_id', sa.String(length=36), nullable=False),
    sa.Column('variant_id', sa.String(length=36), nullable=False),
    sa.Column('on_hand', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('store_id', 'variant_id')
    )
    op.create_table('web_orders',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('payment_status', sa.String(length=24), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
    sa.Column('pickup_code', sa.String(length=16), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('subtotal', sa.Integer(), nullable=False),
    sa.Column('shipping_fee', sa.Integer(), nullable=False),
    sa.Column('tax_total', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('ready_at', sa.String(length=32), nullable=True),
    sa.Column('picked_up_at', sa.String(length=32), nullable=True),
    sa.Column('picked_up_by', sa.String(length=36), nullable=True),
    sa.Column('picked_up_device_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('web_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_orders_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_web_orders_status'), ['status'], unique=False)

    op.create_table('web_order_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('order_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.String(length=36), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('variant_label', sa.String(length=100), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['web_orders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('web_order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_order_lines_order_id'), ['order_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('web_order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_order_lines_order_id'))

    op.drop_table('web_order_lines')
    with op.batch_alter_table('web_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_orders_status'))
        batch_op.drop_index(batch_op.f('ix_web_orders_customer_id'))

    op.drop_table('web_orders')
    op.drop_table('stock_levels')
