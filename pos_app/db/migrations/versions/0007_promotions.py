"""promotions: HQ's automatic promotions, applied by the till as line discounts

Revision ID: 0007
Revises: 0006

Why: the feed's "promotion" entity (sync/change_apply.py) lands here; pos_app/promotions.py
finds the best active one for a scanned item with one indexed query. Empty after the upgrade:
the next pull fills it.
"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('promotions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('store_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('target_kind', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=100), nullable=False),
    sa.Column('starts_at', sa.String(length=32), nullable=False),
    sa.Column('ends_at', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_promotions_target', 'promotions', ['target_kind', 'target'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_promotions_target', table_name='promotions')
    op.drop_table('promotions')
