"""payments: bank-transfer (VietQR) intents and bank credits, gift cards and store credit with
their ledgers, the non-cash tenders of accepted sales (hq/db/models/payments.py)

New tables only: an HQ that ran 0008 upgrades without touching a row it holds.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('transfer_intents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('store_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('note', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('bank_transaction_id', sa.String(length=64), nullable=True),
    sa.Column('confirmed_at', sa.String(length=32), nullable=True),
    sa.Column('accepted_offline_by', sa.String(length=64), nullable=True),
    sa.Column('accepted_offline_at', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('bank_transaction_id'))
    op.create_index('ix_transfer_intents_note', 'transfer_intents', ['note'], unique=False)
    op.create_index('ix_transfer_intents_unverified', 'transfer_intents',
                    ['accepted_offline_at'], unique=False,
                    postgresql_where=sa.text("state = 'unverified'"),
                    sqlite_where=sa.text("state = 'unverified'"))
    op.create_table('bank_credits',
    sa.Column('id', _BIGINT_PK, autoincrement=True, nullable=False),
    sa.Column('bank_transaction_id', sa.String(length=64), nullable=False),
    sa.Column('account_number', sa.String(length=40), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=16), nullable=True),
    sa.Column('bank_reference', sa.String(length=100), nullable=True),
    sa.Column('transaction_at', sa.String(length=40), nullable=True),
    sa.Column('received_at', sa.String(length=32), nullable=False),
    sa.Column('intent_id', sa.String(length=36), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('bank_transaction_id'))
    op.create_index('ix_bank_credits_unmatched', 'bank_credits', ['note'], unique=False,
                    postgresql_where=sa.text('intent_id IS NULL'),
                    sqlite_where=sa.text('intent_id IS NULL'))
    op.create_table('gift_cards',
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('pin_hash', sa.Text(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('blocked_at', sa.String(length=32), nullable=True),
    sa.Column('blocked_reason', sa.Text(), nullable=True),
    sa.Column('pin_failures', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('number'))
    op.create_table('gift_card_ledger',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('card_number', sa.String(length=16), nullable=False),
    sa.Column('delta', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('payment_id', sa.String(length=36), nullable=True),
    sa.Column('ref', sa.String(length=36), nullable=True),
    sa.Column('store_id', sa.String(length=36), nullable=True),
    sa.Column('device_id', sa.String(length=36), nullable=True),
    sa.Column('balance_after', sa.BigInteger(), nullable=True),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_gift_card_ledger_card', 'gift_card_ledger', ['card_number'],
                    unique=False)
    op.create_table('store_credit_accounts',
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('customer_id'))
    op.create_table('store_credit_ledger',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('delta', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('payment_id', sa.String(length=36), nullable=True),
    sa.Column('ref', sa.String(length=36), nullable=True),
    sa.Column('store_id', sa.String(length=36), nullable=True),
    sa.Column('device_id', sa.String(length=36), nullable=True),
    sa.Column('balance_after', sa.BigInteger(), nullable=True),
    sa.Column('by', sa.String(length=100), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_store_credit_ledger_customer', 'store_credit_ledger', ['customer_id'],
                    unique=False)
    op.create_table('sale_tenders',
    sa.Column('payment_id', sa.String(length=36), nullable=False),
    sa.Column('sale_id', sa.String(length=36), nullable=False),
    sa.Column('store_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('tender', sa.String(length=32), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('offline', sa.Integer(), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('payment_id'))
    op.create_index('ix_sale_tenders_sale_id', 'sale_tenders', ['sale_id'], unique=False)
    op.create_index('ix_sale_tenders_reference', 'sale_tenders', ['reference'], unique=False)
    op.create_index('ix_sale_tenders_offline', 'sale_tenders', ['device_id', 'day'],
                    unique=False, postgresql_where=sa.text('offline = 1'),
                    sqlite_where=sa.text('offline = 1'))


def downgrade() -> None:
    op.drop_index('ix_sale_tenders_offline', table_name='sale_tenders')
    op.drop_index('ix_sale_tenders_reference', table_name='sale_tenders')
    op.drop_index('ix_sale_tenders_sale_id', table_name='sale_tenders')
    op.drop_table('sale_tenders')
    op.drop_index('ix_store_credit_ledger_customer', table_name='store_credit_ledger')
    op.drop_table('store_credit_ledger')
    op.drop_table('store_credit_accounts')
    op.drop_index('ix_gift_card_ledger_card', table_name='gift_card_ledger')
    op.drop_table('gift_card_ledger')
    op.drop_table('gift_cards')
    op.drop_index('ix_bank_credits_unmatched', table_name='bank_credits')
    op.drop_table('bank_credits')
    op.drop_index('ix_transfer_intents_unverified', table_name='transfer_intents')
    op.drop_index('ix_transfer_intents_note', table_name='transfer_intents')
    op.drop_table('transfer_intents')
