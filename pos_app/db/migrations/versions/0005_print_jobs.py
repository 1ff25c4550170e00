"""print jobs: the receipts this till still has to print, and what became of each

Revision ID: 0005
Revises: 0004

Why: a receipt that could not print (printer off, out of paper) is kept and retried
(DESIGN.md §6), and a sale made just before the app crashed or was closed must still get
its receipt when the till starts again. One row per receipt job (the original receipt of a
sale, or a reprint) says whether it printed; the print queue (hardware/print_queue.py)
resumes the unfinished ones at start-up. Empty after the upgrade.
"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('print_jobs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('sale_id', sa.String(length=36), nullable=False),
    sa.Column('copy', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('problem', sa.String(length=32), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_print_jobs_sale_id'), ['sale_id'], unique=False)
        batch_op.create_index('ix_print_jobs_status_created', ['status', 'created_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_print_jobs_status_created')
        batch_op.drop_index(batch_op.f('ix_print_jobs_sale_id'))

    op.drop_table('print_jobs')
