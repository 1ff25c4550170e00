"""enrolment request ids (a lost enrolment answer can be replayed); quarantine index made partial

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_QUARANTINED = sa.text("status = 'quarantined'")


def upgrade() -> None:
    with op.batch_alter_table('enrolment_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.String(length=36), nullable=True))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_status')
        batch_op.create_index('ix_events_quarantined', ['device_id'], unique=False,
                              postgresql_where=_QUARANTINED, sqlite_where=_QUARANTINED)


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_quarantined', postgresql_where=_QUARANTINED,
                            sqlite_where=_QUARANTINED)
        batch_op.create_index('ix_events_status', ['status'], unique=False)
    with op.batch_alter_table('enrolment_codes', schema=None) as batch_op:
        batch_op.drop_column('request_id')
