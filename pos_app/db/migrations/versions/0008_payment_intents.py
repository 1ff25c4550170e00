"""payment intents: external authorisations written before the request leaves the till

Revision ID: 0008
Revises: 0007

Why: DESIGN.md §3 — a card, VietQR, gift card or store credit authorisation is a durable
payment intent, with the in-progress basket, before the request leaves the device; after any
crash each intent ends attached to a committed sale or voided/reversed and shown
(pos_app/payments/intents.py). Empty after the upgrade.
"""
from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('payment_intents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('sale_id', sa.String(length=36), nullable=False),
    sa.Column('tender', sa.String(length=32), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('basket', sa.Text(), nullable=True),
    sa.Column('associate_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('payment_intents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_intents_sale_id'), ['sale_id'],
                              unique=False)
        batch_op.create_index('ix_payment_intents_state', ['state', 'created_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('payment_intents', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_intents_state')
        batch_op.drop_index(batch_op.f('ix_payment_intents_sale_id'))
    op.drop_table('payment_intents')
