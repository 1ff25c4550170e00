"""omnichannel: web orders and lines (with BOPIS pickup tracking), customer profiles (sizes,
preferences, consents), online carts, wishlists, the loyalty ledger, published stock levels
and the variants whose stock is still to be published

Revision ID: 0004
Revises: 0003

Stock levels already known (an opening balance or ledger deltas) are computed once here,
in SQL, and published to each store's feed (entity "stock"), so devices of an HQ upgraded
in place learn their store's on hand like those of a new one. Variants with neither have no
row (on hand 0) and are published when their first delta arrives (hq/services/stock.py).
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

BACKFILL_LEVELS = """
INSERT INTO stock_levels (store_id, variant_id, on_hand, updated_at)
SELECT store_id, variant_id, SUM(quantity), :now
FROM (SELECT store_id, variant_id, quantity FROM stock_openings
      UNION ALL
      SELECT store_id, variant_id, delta FROM stock_ledger) moves
GROUP BY store_id, variant_id
"""


def upgrade() -> None:
    op.create_table('stock_pending',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('store_id', sa.String(length=36), nullable=False),
    sa.Column('variant_id', sa.String(length=36), nullable=False),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    op.create_table('stock_levels',
    sa.Column('store_id', sa.String(length=36), nullable=False),
    sa.Column('variant_id', sa.String(length=36), nullable=False),
    sa.Column('on_hand', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], ),
    sa.PrimaryKeyConstraint('store_id', 'variant_id')
    )
    op.create_table('cart_lines',
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('variant_id', sa.String(length=36), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('added_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.PrimaryKeyConstraint('customer_id', 'variant_id')
    )
    op.create_table('customer_profiles',
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('sizes', sa.Text(), nullable=False),
    sa.Column('preferences', sa.Text(), nullable=False),
    sa.Column('customer_since', sa.String(length=32), nullable=False),
    sa.Column('marketing_opt_in', sa.Integer(), nullable=False),
    sa.Column('marketing_consent_at', sa.String(length=32), nullable=True),
    sa.Column('marketing_consent_channel', sa.String(length=16), nullable=True),
    sa.Column('marketing_consent_by', sa.String(length=36), nullable=True),
    sa.Column('data_use_consent', sa.Integer(), nullable=False),
    sa.Column('data_use_consent_at', sa.String(length=32), nullable=True),
    sa.Column('data_use_consent_channel', sa.String(length=16), nullable=True),
    sa.Column('data_use_consent_by', sa.String(length=36), nullable=True),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.PrimaryKeyConstraint('customer_id')
    )
    op.create_table('loyalty_ledger',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=True),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('store_id', sa.String(length=36), nullable=True),
    sa.Column('device_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loyalty_ledger', schema=None) as batch_op:
        batch_op.create_index('ix_loyalty_ledger_customer_at', ['customer_id', 'at'], unique=False)

    op.create_table('web_orders',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('fulfilment', sa.String(length=16), nullable=False),
    sa.Column('fulfilment_store_id', sa.String(length=36), nullable=True),
    sa.Column('customer_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('payment_status', sa.String(length=24), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
    sa.Column('ship_address', sa.Text(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('tax_mode', sa.String(length=16), nullable=False),
    sa.Column('subtotal', sa.BigInteger(), nullable=False),
    sa.Column('shipping_fee', sa.BigInteger(), nullable=False),
    sa.Column('tax_total', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('pickup_code', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('completed_at', sa.String(length=32), nullable=True),
    sa.Column('ready_at', sa.String(length=32), nullable=True),
    sa.Column('picked_up_at', sa.String(length=32), nullable=True),
    sa.Column('picked_up_by', sa.String(length=36), nullable=True),
    sa.Column('picked_up_device_id', sa.String(length=36), nullable=True),
    sa.Column('pickup_event_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.ForeignKeyConstraint(['fulfilment_store_id'], ['stores.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('web_orders', schema=None) as batch_op:
        batch_op.create_index('ix_web_orders_customer_created', ['customer_id', 'created_at'], unique=False)
        batch_op.create_index('ix_web_orders_store_status', ['fulfilment_store_id', 'status'], unique=False)

    op.create_table('wishlist_items',
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('variant_id', sa.String(length=36), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.PrimaryKeyConstraint('customer_id', 'variant_id')
    )
    op.create_table('web_order_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('order_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.String(length=36), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('variant_label', sa.String(length=100), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('discount', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('tax_code', sa.String(length=16), nullable=False),
    sa.Column('tax', sa.BigInteger(), nullable=False),
    sa.Column('returned_quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['web_orders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('web_order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_order_lines_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_web_order_lines_variant_id'), ['variant_id'], unique=False)

    _publish_known_levels()


def _publish_known_levels() -> None:
    """Fill stock_levels from openings + ledger and publish each row to its store's feed."""
    from hq.services.catalog import lock_change_log, publish
    from hq.services.common import utc_iso

    conn = op.get_bind()
    now = utc_iso()
    conn.execute(sa.text(BACKFILL_LEVELS), {"now": now})
    rows = conn.execute(sa.text(
        "SELECT store_id, variant_id, on_hand, updated_at FROM stock_levels"
        " ORDER BY store_id, variant_id")).all()
    if not rows:
        return
    lock_change_log(conn)
    for i in range(0, len(rows), 5000):
        publish(conn, [{
            "store_id": r.store_id, "entity": "stock", "op": "upsert",
            "key": f"{r.store_id}:{r.variant_id}", "at": now,
            "data": json.dumps({"store_id": r.store_id, "variant_id": r.variant_id,
                                "on_hand": int(r.on_hand), "updated_at": r.updated_at})}
            for r in rows[i:i + 5000]])


def downgrade() -> None:
    with op.batch_alter_table('web_order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_order_lines_variant_id'))
        batch_op.drop_index(batch_op.f('ix_web_order_lines_order_id'))

    op.drop_table('web_order_lines')
    op.drop_table('wishlist_items')
    with op.batch_alter_table('web_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_web_orders_store_status')
        batch_op.drop_index('ix_web_orders_customer_created')

    op.drop_table('web_orders')
    with op.batch_alter_table('loyalty_ledger', schema=None) as batch_op:
        batch_op.drop_index('ix_loyalty_ledger_customer_at')

    op.drop_table('loyalty_ledger')
    op.drop_table('customer_profiles')
    op.drop_table('cart_lines')
    op.drop_table('stock_levels')
    op.drop_table('stock_pending')
