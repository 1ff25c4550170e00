"""ingest checks (issue 18): store settings, sale flags, the cross-store write audit, receipt
numbers unique per device, device time stamps bounded

Data steps, both written so an HQ that ran the old ingest upgrades without losing anything:

- Sales that reused a receipt number of the same device (accepted before HQ checked) keep
  their row; the later ones (by journal seq) get receipt_no "dup:<sale id>" so the unique
  index can be built, and a `duplicate_receipt` sale flag naming the original number. The
  event payload (the document as the till sent it) is untouched.
- Device time stamps that lie in the future or are not times at all ("9999-12-31...",
  "zzzz") made every later edit lose last-writer-wins; they are clamped to the upgrade time
  (customer_field_edits, customer_tasks, the consent times kept on customer_profiles).

Revision ID: 0008
Revises: 0007
"""
import json
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_SKEW = timedelta(minutes=10)  # hq/services/device_time.py MAX_CLOCK_SKEW


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def upgrade() -> None:
    op.add_column('stores', sa.Column('settings', sa.Text(), server_default=sa.text("'{}'"),
                                      nullable=False))
    op.create_table('sale_flags',
    sa.Column('id', _BIGINT_PK, autoincrement=True, nullable=False),
    sa.Column('sale_id', sa.String(length=36), nullable=False),
    sa.Column('store_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('line_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_sale_flags_sale_id', 'sale_flags', ['sale_id'], unique=False)
    op.create_index('ix_sale_flags_store_id', 'sale_flags', ['store_id', 'id'], unique=False)
    op.create_table('cross_store_writes',
    sa.Column('id', _BIGINT_PK, autoincrement=True, nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('store_id', sa.String(length=36), nullable=False),
    sa.Column('owner_store_id', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_cross_store_writes_store', 'cross_store_writes', ['store_id', 'id'],
                    unique=False)
    op.create_index('ix_cross_store_writes_owner', 'cross_store_writes',
                    ['owner_store_id', 'id'], unique=False)
    now = datetime.now(timezone.utc)
    _rename_duplicate_receipts(_iso(now))
    _clamp_device_times(_iso(now), _iso(now + _SKEW))
    op.drop_index('ix_sales_device_id', table_name='sales')
    op.create_index('ux_sales_device_receipt', 'sales', ['device_id', 'receipt_no'],
                    unique=True)


def _rename_duplicate_receipts(now: str) -> None:
    conn = op.get_bind()
    later = conn.execute(sa.text(
        "SELECT s.id, s.device_id, s.store_id, s.receipt_no FROM sales s WHERE EXISTS ("
        " SELECT 1 FROM sales o WHERE o.device_id = s.device_id AND o.receipt_no = s.receipt_no"
        " AND (o.seq < s.seq OR (o.seq = s.seq AND o.id < s.id)))")).all()
    for sale_id, device_id, store_id, receipt_no in later:
        conn.execute(sa.text("UPDATE sales SET receipt_no = :r WHERE id = :i"),
                     {"r": f"dup:{sale_id}", "i": sale_id})
        conn.execute(sa.text(
            "INSERT INTO sale_flags (sale_id, store_id, device_id, line_id, kind, reason,"
            " detail, at) VALUES (:s, :st, :d, NULL, 'duplicate_receipt', :reason, :detail,"
            " :at)"), {"s": sale_id, "st": store_id, "d": device_id, "at": now,
                       "reason": f"receipt number {receipt_no} was already used by another "
                                 "sale of this device (found when HQ began checking)",
                       "detail": json.dumps({"receipt_no": receipt_no}, ensure_ascii=False)})


def _clamp_device_times(now: str, latest: str) -> None:
    """Fixed-width UTC text compares as time; junk that sorts after `latest` is clamped too
    (junk that sorts before it only ever loses, which harms nobody)."""
    for table, column in (('customer_field_edits', 'edited_at'), ('customer_tasks', 'at'),
                          ('customer_profiles', 'marketing_consent_at'),
                          ('customer_profiles', 'data_use_consent_at')):
        op.get_bind().execute(sa.text(
            f"UPDATE {table} SET {column} = :now WHERE {column} > :latest"),
            {"now": now, "latest": latest})


def downgrade() -> None:
    op.drop_index('ux_sales_device_receipt', table_name='sales')
    op.create_index('ix_sales_device_id', 'sales', ['device_id'], unique=False)
    op.drop_index('ix_cross_store_writes_owner', table_name='cross_store_writes')
    op.drop_index('ix_cross_store_writes_store', table_name='cross_store_writes')
    op.drop_table('cross_store_writes')
    op.drop_index('ix_sale_flags_store_id', table_name='sale_flags')
    op.drop_index('ix_sale_flags_sale_id', table_name='sale_flags')
    op.drop_table('sale_flags')
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('settings')
