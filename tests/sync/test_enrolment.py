"""Enrolment: a new device exchanges a code for credentials and downloads the demo store."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from pos_app.db.catalog_queries import find_by_barcode, search_items
from pos_app.db.engine import make_engine
from pos_app.demo.store import DEMO_VN_SILK_SKU, DEMO_VN_TEE_BARCODE, DEMO_VN_TEE_SKU
from sync.change_puller import read_cursor
from sync.enrolment import AlreadyEnrolled, enrol_device, stored_credentials
from sync.hq_client import HQClient, HQRejected
from sync.outbox_pusher import drain
from tests.sync.catalog_feed import catalog_snapshot, feed_from_device
from tests.sync.conftest import sale_ids_at_hq, sell
from tests.sync.fake_hq import FakeHQ, FakeHQState


@pytest.fixture
def demo_hq(demo_template):
    """A fake HQ publishing exactly what load_demo wrote, with one enrolment code."""
    template = make_engine(demo_template, readonly=True)
    feed = feed_from_device(template)
    with template.connect() as conn:
        store_id = conn.execute(text("SELECT id FROM stores")).scalar_one()
    state = FakeHQState(store_id=store_id, store_code="HCM1")
    for entity, op, key, data in feed:
        state.publish(entity, op, key, data)
    state.codes.add("ENROL-123456")
    server = FakeHQ(state).start()
    yield server, state, template, len(feed)
    server.stop()
    template.dispose()


def test_new_device_enrols_and_ends_with_the_demo_catalog(tmp_path, demo_hq):
    server, state, template, n_changes = demo_hq
    engine = make_engine(tmp_path / "new.db")
    client = HQClient(server.url, None)
    progress: list[int] = []

    ctx = enrol_device(engine, client, "ENROL-123456", "Tablet 9", progress=progress.append)

    assert ctx.store_id == state.store_id and ctx.store_code == "HCM1"
    assert ctx.device_code == "T09" and ctx.currency == "VND"
    assert ctx.tax_rates and ctx.barcode_rules
    assert progress[-1] == n_changes and progress == sorted(progress) and len(progress) > 1
    assert read_cursor(engine) == n_changes
    expected, got = catalog_snapshot(template), catalog_snapshot(engine)
    for table in expected:
        assert got[table] == expected[table], table
    assert len(got["variants"]) > 1000 and len(got["customers"]) >= 300
    with engine.connect() as conn:
        assert find_by_barcode(conn, ctx.store_id, [DEMO_VN_TEE_BARCODE]).sku == DEMO_VN_TEE_SKU
        assert DEMO_VN_SILK_SKU in {i.sku for i in search_items(conn, ctx.store_id, "so mi lua")}

    creds = stored_credentials(engine)
    assert creds is not None and state.devices[creds[0]] == creds[1]
    sale_id = sell(engine, ctx)  # the enrolled device sells and pushes with its credentials
    assert drain(engine, client).sent == 1 and sale_ids_at_hq(state) == [sale_id]

    with pytest.raises(AlreadyEnrolled):
        enrol_device(engine, HQClient(server.url), "ENROL-123456", "again")
    engine.dispose()


def test_a_used_or_wrong_code_is_refused_and_nothing_is_written(tmp_path, demo_hq):
    server, *_ = demo_hq
    engine = make_engine(tmp_path / "new.db")
    with pytest.raises(HQRejected) as err:
        enrol_device(engine, HQClient(server.url), "WRONG-CODE", "Tablet")
    assert err.value.status == 403 and "code" in err.value.reason
    assert stored_credentials(engine) is None
    with engine.connect() as conn:  # only the request id kept for a retry of this code
        assert conn.execute(text("SELECT key FROM settings")).scalars().all() == [
            "enrolment_request"]
    engine.dispose()
