"""live look-ups: customer search terms (prefix index), stock opening balances, the audit log

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_TERM = sa.String(length=210).with_variant(sa.String(length=210, collation='C'), 'postgresql')


def upgrade() -> None:
    op.create_table('customer_search_terms',
    sa.Column('term', _TERM, nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.PrimaryKeyConstraint('term', 'customer_id')
    )
    with op.batch_alter_table('customer_search_terms', schema=None) as batch_op:
        batch_op.create_index('ix_customer_search_terms_customer', ['customer_id'], unique=False)

    op.create_table('stock_openings',
    sa.Column('store_id', sa.String(length=36), nullable=False),
    sa.Column('variant_id', sa.String(length=36), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], ),
    sa.PrimaryKeyConstraint('store_id', 'variant_id')
    )
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=True),
    sa.Column('store_id', sa.String(length=36), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=128), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_subject', ['subject'], unique=False)

    # Customers already at HQ become searchable (their keys are computed in Python, with the
    # same pure function the service uses).
    from hq.services.lookups import customer_terms
    conn = op.get_bind()
    terms = sa.table('customer_search_terms', sa.column('term'), sa.column('customer_id'))
    rows = conn.execute(sa.text(
        "SELECT id, name, phone, email, loyalty_card FROM customers")).all()
    batch = [{"term": t, "customer_id": r[0]} for r in rows for t in customer_terms(*r[1:])]
    for i in range(0, len(batch), 5000):
        conn.execute(terms.insert(), batch[i:i + 5000])


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_subject')
    op.drop_table('audit_log')
    op.drop_table('stock_openings')
    with op.batch_alter_table('customer_search_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_search_terms_customer')
    op.drop_table('customer_search_terms')
