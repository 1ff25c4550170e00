"""feed_state: the change feed compacted to its current state (bulk snapshot for new devices)

Revision ID: 0003
Revises: 0002

The table is backfilled from change_log with the rule the writers follow from now on
(hq/services/catalog.py): per (entity, key, scope) the latest change; a key whose latest change
is a delete has no row, and a delete published to every store (store_id NULL) also removes the
key's rows of single stores published before it (every device saw that delete after them).
Plain SQL, the same on SQLite and PostgreSQL; one statement, whatever the size of the feed.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

BACKFILL = """
INSERT INTO feed_state (entity, key, scope, seq, data)
SELECT c.entity, c.key, COALESCE(c.store_id, ''), c.seq, c.data
FROM change_log c
JOIN (SELECT max(seq) AS seq FROM change_log
      GROUP BY entity, key, COALESCE(store_id, '')) latest ON latest.seq = c.seq
LEFT JOIN (SELECT entity, key, max(seq) AS seq FROM change_log
           WHERE store_id IS NULL AND op = 'delete'
           GROUP BY entity, key) everywhere
       ON everywhere.entity = c.entity AND everywhere.key = c.key
WHERE c.op = 'upsert' AND c.data IS NOT NULL
  AND (everywhere.seq IS NULL OR everywhere.seq < c.seq)
"""


def upgrade() -> None:
    op.create_table('feed_state',
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('scope', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'key', 'scope')
    )
    op.get_bind().execute(sa.text(BACKFILL))
    # The index after the bulk insert: built once from sorted data, not row by row.
    with op.batch_alter_table('feed_state', schema=None) as batch_op:
        batch_op.create_index('ix_feed_state_scope_entity_seq', ['scope', 'entity', 'seq'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('feed_state', schema=None) as batch_op:
        batch_op.drop_index('ix_feed_state_scope_entity_seq')
    op.drop_table('feed_state')
