"""Fixtures for the sync tests: a real demo device database, a fake HQ on loopback, sales."""
from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from pos_app.basket import Basket
from pos_app.db.catalog_queries import find_by_sku
from pos_app.db.engine import make_engine
from pos_app.demo.catalog import demo_uuid
from pos_app.demo.store import DEMO_VN_KIDS_SKU, DEMO_VN_TEE_SKU, load_demo
from pos_app.ports import SystemClock
from pos_app.services.checkout import complete_sale
from pos_app.store_context import load_store_context
from pos_app.tenders import cash_payment
from sync.hq_client import HQClient
from tests.sync.fake_hq import FakeHQ, FakeHQState
from tests.waiting import PATIENT_HTTP

CASHIER_ID = demo_uuid("hcm", "associate", "C01")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The HCM demo store loaded once per session (argon2 PIN hashes are slow on purpose)."""
    path = tmp_path_factory.mktemp("sync-template") / "demo.db"
    engine = make_engine(path)
    load_demo(engine, "hcm")
    engine.dispose()
    return path


def copy_device(template: Path, dest: Path):
    shutil.copyfile(template, dest)
    engine = make_engine(dest)
    with engine.connect() as conn:
        ctx = load_store_context(conn)
    return engine, ctx


@pytest.fixture
def device(tmp_path, demo_template):
    """(engine, StoreContext): a demo HCM device database of its own, on a real file."""
    engine, ctx = copy_device(demo_template, tmp_path / "device.db")
    yield engine, ctx
    engine.dispose()


def make_hq(ctx) -> tuple[FakeHQ, FakeHQState, tuple[str, str]]:
    state = FakeHQState(store_id=ctx.store_id, store_code=ctx.store_code)
    creds = state.add_device(ctx.device_id)
    return FakeHQ(state).start(), state, creds


@pytest.fixture
def hq(device):
    """(server, state, client) — the fake HQ knows the device; the client talks to it directly."""
    server, state, creds = make_hq(device[1])
    client = HQClient(server.url, creds, timeout=PATIENT_HTTP)  # it answers: give it time
    yield server, state, client
    client.close()
    server.stop()


def sell(engine, ctx, skus=(DEMO_VN_TEE_SKU,)) -> str:
    """Complete a cash sale of `skus`; its sale id."""
    basket = Basket(ctx.currency, ctx.tax_mode)
    with engine.connect() as conn:
        for sku in skus:
            basket.add(find_by_sku(conn, ctx.store_id, sku))
    snap = basket.snapshot()
    pay = cash_payment(snap.priced.total, snap.priced.total)
    return complete_sale(engine, ctx, snap, (pay,), CASHIER_ID, SystemClock(),
                         sale_id=str(uuid.uuid4())).sale_id


def sell_many(engine, ctx, n: int) -> list[str]:
    return [sell(engine, ctx, (DEMO_VN_TEE_SKU, DEMO_VN_KIDS_SKU)[: 1 + i % 2])
            for i in range(n)]


def sale_ids_at_hq(state: FakeHQState) -> list[str]:
    """The sale id of every stored, not quarantined, sale event at HQ (repeats kept)."""
    with state.lock:
        return [state.events[i]["payload"]["sale"]["id"] for i in state.received_order
                if i not in state.quarantined and "sale" in state.events[i]["payload"]]


def outbox_counts(engine) -> dict[str, int]:
    from sqlalchemy import text
    with engine.connect() as conn:
        return dict(conn.execute(text(
            "SELECT status, count(*) FROM outbox GROUP BY status")).all())
