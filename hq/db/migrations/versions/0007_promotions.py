"""promotions: automatic price promotions published to the tills (feed entity "promotion")

Revision ID: 0007
Revises: 0006
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
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('target_kind', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=100), nullable=False),
    sa.Column('starts_at', sa.String(length=32), nullable=False),
    sa.Column('ends_at', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id']),
    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_promotions_store_id', 'promotions', ['store_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_promotions_store_id', table_name='promotions')
    op.drop_table('promotions')
