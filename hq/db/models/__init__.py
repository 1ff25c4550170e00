"""HQ's database tables (SQLAlchemy 2 typed models), one module per area.

- base: `Base`, `BigIntPK`, `SearchTerm` and the conventions every table follows
- organisation: stores, tax rates, associates, the change feed, the audit log
- devices: enrolled devices and enrolment codes
- catalog: products, variants, barcodes, prices, promotions, stock, what sells with what
- sales: what devices sent (events, journal, sales, the stock ledger) and what HQ noticed
- customers: customers and clienteling (profiles, carts, loyalty, notes, tasks, consent)
- web_orders: web orders and their lines
- payments: transfer intents and bank credits, gift cards, store credit, sale tenders

Import a model from its area module (`from hq.db.models.catalog import Product`); nothing is
re-exported here. Every area module is imported below, so `Base.metadata` always holds every
table, whichever model was imported. A new feature adds its own area module and lists it here.
Alembic owns the schema (hq/db/migrations): change a model, add a revision.
"""
from hq.db.models import (catalog, customers, devices, organisation,  # noqa: F401
                          payments, sales, web_orders)
