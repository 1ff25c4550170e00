"""Bootstrap from HQ's bulk snapshot against the real HQ app (uvicorn on loopback, SQLite, demo
company): a device loaded from the snapshot holds exactly what a feed replay gives (tables and
search) and then follows the deltas; a download cut mid-stream leaves the device refusing to
open and restartable, and the retry completes; an HQ without snapshots (404) gets the feed
replayed, by enrolment and by the worker.
"""
from __future__ import annotations

import pytest
from sqlalchemy import text

from hq.db.engine import make_engine as make_hq_engine
from hq.db.migrate import upgrade
from hq.demo.seed import seed_demo
from hq.services import catalog
from hq.services.enrolment import create_enrolment_code
from pos_app.db import migrate
from pos_app.db.catalog_queries import find_by_barcode, search_items
from pos_app.db.engine import make_engine
from pos_app.demo.store import DEMO_ASSOCIATES
from pos_app.store_context import (DEVICE_SECRET_SETTING, NotProvisioned, load_store_context,
                                   read_setting,
                                   write_setting)
from pos_app.textfold import fts_prefix_query
from sync import change_puller
from sync.change_puller import read_cursor
from sync.enrolment import enrol_device, stored_credentials
from sync.hq_client import HQClient, HQUnreachable
from sync.snapshot_loader import (DROPPED_INDEXES_KEY, SnapshotError, bootstrap,
                                  download_incomplete, load_snapshot)
from sync.worker import SyncWorker
from tests.sync.catalog_feed import catalog_snapshot, feed_from_device, pins_verify
from tests.sync.fake_hq import FakeHQ, FakeHQState
from tests.sync.fault_proxy import FaultProxy
from tests.sync.test_live_lookup import ThreadedHQ
from tests.waiting import PATIENT_HTTP

QUERIES = ("ao", "so mi lua", "quan", "den", "xl", "zzz-none")


class CountingClient(HQClient):
    """The real client, counting snapshot requests (to tell the two bootstrap paths apart)."""

    snapshots = 0

    def snapshot(self, gzip: bool = False):
        self.snapshots += 1
        return super().snapshot(gzip)


@pytest.fixture
def real_hq(tmp_path):
    """(server, hq engine): the demo company at a real HQ app on loopback."""
    engine = make_hq_engine(f"sqlite:///{tmp_path / 'hq.db'}")
    upgrade(engine)
    seed_demo(engine)
    server = ThreadedHQ(engine).start()
    yield server, engine
    server.stop()
    engine.dispose()


def new_code(hq_engine) -> str:
    with hq_engine.begin() as conn:
        return create_enrolment_code(conn, "HCM1", 10)[0]


def hcm_store_id(hq_engine) -> str:
    with hq_engine.connect() as conn:
        return conn.execute(text("SELECT id FROM stores WHERE code = 'HCM1'")).scalar_one()


def replayed_device(path, server, hq_engine):
    """A device enrolled over HTTP that replays the whole feed from cursor 0 (the old way)."""
    engine = make_engine(path)
    migrate.ensure_current(engine)
    client = HQClient(server.url, timeout=PATIENT_HTTP)
    answer = client.enrol(new_code(hq_engine), "replay")
    with engine.begin() as conn:
        for key, value in (("device_id", answer.device_id), ("store_id", answer.store_id),
                           ("device_code", answer.device_code), ("device_secret",
                                                                 answer.device_secret)):
            write_setting(conn, key, value)
    client.set_credentials(answer.device_id, answer.device_secret)
    change_puller.bootstrap(engine, client)
    return engine, client


def search_view(engine, store_id: str) -> dict:
    """What the sell screen and the customer book find, by natural keys."""
    with engine.connect() as conn:
        out = {q: [i.sku for i in search_items(conn, store_id, q, limit=50)] for q in QUERIES}
        for q in ("nguyen", "tran thi", "090"):
            out["c:" + q] = sorted(r[0] for r in conn.execute(text(
                "SELECT c.id FROM customer_fts f JOIN customers c ON c.pk = f.rowid"
                " WHERE customer_fts MATCH :m"), {"m": fts_prefix_query(q)}))
        codes = [r[0] for r in conn.execute(text("SELECT code FROM barcodes ORDER BY code"
                                                 " LIMIT 20"))]
        out["barcodes"] = [(c, (find_by_barcode(conn, store_id, [c]) or None) and
                            find_by_barcode(conn, store_id, [c]).sku) for c in codes]
    return out


def assert_same_device(a, b, store_id: str) -> None:
    got, want = catalog_snapshot(a), catalog_snapshot(b)
    for table in want:
        assert got[table] == want[table], table
    pins = {x.code: x.pin for x in DEMO_ASSOCIATES["hcm"]}
    assert pins_verify(a, pins) == pins_verify(b, pins) == {code: True for code in pins}
    assert search_view(a, store_id) == search_view(b, store_id)
    schema = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    with a.connect() as ca, b.connect() as cb:  # indexes dropped for the load are all back
        assert ca.execute(text(schema)).all() == cb.execute(text(schema)).all()


def hq_history(hq_engine, store_id: str) -> None:
    """Updates and deletes at HQ before the devices arrive (the feed holds both versions)."""
    with hq_engine.begin() as conn:
        prices = conn.execute(text("SELECT variant_id FROM prices WHERE store_id = :s"
                                   " ORDER BY variant_id LIMIT 2"), {"s": store_id}).scalars().all()
        catalog.upsert(conn, "price", {"store_id": store_id, "variant_id": prices[0],
                                       "amount_minor": 123_000}, store_id)
        catalog.delete(conn, "price", {"store_id": store_id, "variant_id": prices[1]}, store_id)
        product = dict(conn.execute(text("SELECT * FROM products WHERE store_id = :s"
                                         " ORDER BY id LIMIT 1"), {"s": store_id}).mappings().one())
        catalog.upsert(conn, "product", {**product, "name": "Áo Quokka Zephyr"}, store_id)
        catalog.upsert(conn, "product", {**product, "id": "dddddddd-0000-4000-8000-0000000000f1",
                                         "store_id": None, "name": "Thẻ quà tặng"}, None)


def test_a_snapshot_device_equals_a_replayed_one_and_then_follows_the_deltas(tmp_path, real_hq):
    server, hq_engine = real_hq
    store_id = hcm_store_id(hq_engine)
    hq_history(hq_engine, store_id)
    engine = make_engine(tmp_path / "snap.db")
    client = CountingClient(server.url)
    progress: list[int] = []
    ctx = enrol_device(engine, client, new_code(hq_engine), "Tablet", progress.append)
    assert client.snapshots == 1 and ctx.store_id == store_id
    assert progress == sorted(progress) and progress[-1] > 9000
    reference, ref_client = replayed_device(tmp_path / "replay.db", server, hq_engine)
    with engine.connect() as conn:
        assert not download_incomplete(conn)
        names = {r[0] for r in conn.execute(text("SELECT name FROM products"))}
        automerge = conn.execute(text("SELECT v FROM variant_fts_config"
                                      " WHERE k = 'automerge'")).scalar_one()
    assert {"Áo Quokka Zephyr", "Thẻ quà tặng"} <= names
    assert automerge == 4  # FTS5's defaults are back after the bulk build
    assert_same_device(engine, reference, store_id)
    with engine.connect() as conn:
        assert [i.sku for i in search_items(conn, store_id, "quokka zephyr")]

    # later changes at HQ reach both devices through the feed, from the snapshot's cursor
    with hq_engine.begin() as conn:
        product = {"id": "dddddddd-0000-4000-8000-0000000000a1", "store_id": store_id,
                   "style_code": "NEW-1", "name": "Áo khoác Wombat", "brand": "SL",
                   "category": "Áo", "tax_code": "VAT10", "active": 1}
        variant = {"id": "dddddddd-0000-4000-8000-0000000000a2", "product_id": product["id"],
                   "sku": "NEW-1-M", "size": "M", "colour": "Xanh", "active": 1}
        catalog.insert_new(conn, "product", [product], store_id)
        catalog.insert_new(conn, "variant", [variant], store_id)
        catalog.insert_new(conn, "barcode", [{"code": "8930000111116",
                                              "variant_id": variant["id"]}], store_id)
        catalog.insert_new(conn, "price", [{"store_id": store_id, "variant_id": variant["id"],
                                            "amount_minor": 450_000}], store_id)
    assert change_puller.bootstrap(engine, client) == 4
    assert change_puller.bootstrap(reference, ref_client) == 4
    assert_same_device(engine, reference, store_id)
    with engine.connect() as conn:
        assert find_by_barcode(conn, store_id, ["8930000111116"]).sku == "NEW-1-M"
        assert [i.sku for i in search_items(conn, store_id, "wombat")] == ["NEW-1-M"]
    engine.dispose()
    reference.dispose()


def test_a_cut_download_leaves_the_device_closed_and_the_retry_completes(tmp_path, real_hq):
    server, hq_engine = real_hq
    store_id = hcm_store_id(hq_engine)
    proxy = FaultProxy(server.port).start()
    engine = make_engine(tmp_path / "cut.db")
    try:
        proxy.plan = ["pass", "cut_after:200000"]  # the enrolment passes, the snapshot is cut
        with pytest.raises((HQUnreachable, SnapshotError)):
            enrol_device(engine, HQClient(proxy.url, timeout=PATIENT_HTTP), new_code(hq_engine),
                         "Tablet")
        assert stored_credentials(engine) is not None and read_cursor(engine) == 0
        with engine.connect() as conn:
            assert download_incomplete(conn)
            with pytest.raises(NotProvisioned, match="not complete"):
                load_store_context(conn)
        # a second attempt, cut later, commits part of the store before the cut
        client = HQClient(proxy.url, stored_credentials(engine), timeout=PATIENT_HTTP)
        proxy.plan = ["cut_after:700000"]
        with pytest.raises((HQUnreachable, SnapshotError)):
            bootstrap(engine, client, rows_per_transaction=300)
        with engine.connect() as conn:
            loaded = conn.execute(text("SELECT count(*) FROM variants")).scalar_one()
            doomed = conn.execute(text("SELECT id FROM variants ORDER BY pk LIMIT 1")).scalar()
            assert download_incomplete(conn) and loaded > 0
            assert read_setting(conn, DROPPED_INDEXES_KEY)  # kept until a load completes
            with pytest.raises(NotProvisioned):
                load_store_context(conn)
        assert read_cursor(engine) == 0
        # meanwhile HQ deletes a variant the device already holds: the retry must not keep it
        with hq_engine.begin() as conn:
            for code in conn.execute(text("SELECT code FROM barcodes WHERE variant_id = :v"),
                                     {"v": doomed}).scalars().all():
                catalog.delete(conn, "barcode", {"variant_id": doomed, "code": code}, store_id)
            catalog.delete(conn, "price", {"store_id": store_id, "variant_id": doomed},
                           store_id)
            catalog.delete(conn, "variant", {"id": doomed}, store_id)
        # the network is back; the wizard again (the code was spent: the kept credentials
        # resume the download)
        ctx = enrol_device(engine, HQClient(server.url, timeout=PATIENT_HTTP), "SPENT-CODE",
                           "Tablet")
        assert ctx.store_id == store_id
        with engine.connect() as conn:
            assert not download_incomplete(conn)
            assert conn.execute(text("SELECT count(*) FROM variants WHERE id = :v"),
                                {"v": doomed}).scalar_one() == 0
        reference, _ = replayed_device(tmp_path / "replay.db", server, hq_engine)
        assert_same_device(engine, reference, store_id)
        reference.dispose()
    finally:
        proxy.stop()
        engine.dispose()


def test_a_snapshot_of_another_store_is_refused_and_nothing_counts(tmp_path, real_hq):
    server, hq_engine = real_hq
    engine = make_engine(tmp_path / "wrong.db")
    migrate.ensure_current(engine)
    client = HQClient(server.url, timeout=PATIENT_HTTP)
    answer = client.enrol(new_code(hq_engine), "x")
    client.set_credentials(answer.device_id, answer.device_secret)
    with engine.begin() as conn:
        write_setting(conn, "store_id", "00000000-0000-4000-8000-000000000000")
    with pytest.raises(SnapshotError, match="snapshot of store"):
        load_snapshot(engine, client)
    assert read_cursor(engine) == 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM variants")).scalar_one() == 0
    engine.dispose()


def test_a_gzipped_snapshot_loads_the_same_store(tmp_path, real_hq):
    server, hq_engine = real_hq
    engine = make_engine(tmp_path / "gzip.db")
    client = CountingClient(server.url)
    enrolled = enrol_device(engine, client, new_code(hq_engine), "plain")  # loopback: plain
    zipped = make_engine(tmp_path / "zipped.db")
    migrate.ensure_current(zipped)
    answer = client.enrol(new_code(hq_engine), "zipped")
    client.set_credentials(answer.device_id, answer.device_secret)
    with zipped.begin() as conn:  # as enrol_device stores them (the secret keys the PINs)
        for key, value in (("store_id", answer.store_id),
                           (DEVICE_SECRET_SETTING, answer.device_secret)):
            write_setting(conn, key, value)
    result = load_snapshot(zipped, client, gzip=True)
    assert result.rows == result.applied > 9000 and read_cursor(zipped) == result.cursor
    assert_same_device(zipped, engine, enrolled.store_id)
    engine.dispose()
    zipped.dispose()


def test_the_worker_loads_the_snapshot_when_its_cursor_is_zero(tmp_path, real_hq):
    server, hq_engine = real_hq
    engine = make_engine(tmp_path / "worker.db")
    migrate.ensure_current(engine)
    client = HQClient(server.url, timeout=PATIENT_HTTP)
    answer = client.enrol(new_code(hq_engine), "worker")
    client.set_credentials(answer.device_id, answer.device_secret)
    with engine.begin() as conn:
        for key, value in (("device_id", answer.device_id), ("store_id", answer.store_id),
                           (DEVICE_SECRET_SETTING, answer.device_secret)):
            write_setting(conn, key, value)
    worker = SyncWorker(engine, client)
    worker.run_cycle()
    assert worker.last_status.last_error is None and worker.snapshots_supported
    with hq_engine.connect() as conn:
        head = conn.execute(text("SELECT max(seq) FROM change_log")).scalar_one()
    assert read_cursor(engine) == head
    reference, _ = replayed_device(tmp_path / "replay.db", server, hq_engine)
    assert_same_device(engine, reference, answer.store_id)
    reference.dispose()
    engine.dispose()


@pytest.fixture
def old_hq(demo_template):
    """A fake HQ without /v1/snapshot (like an HQ older than the snapshot protocol)."""
    template = make_engine(demo_template, readonly=True)
    feed = feed_from_device(template)
    with template.connect() as conn:
        store_id = conn.execute(text("SELECT id FROM stores")).scalar_one()
    state = FakeHQState(store_id=store_id, store_code="HCM1")
    for entity, op, key, data in feed:
        state.publish(entity, op, key, data)
    state.codes.update({"ENROL-111111", "ENROL-222222"})
    server = FakeHQ(state).start()
    yield server, state, template, len(feed)
    server.stop()
    template.dispose()


def test_an_hq_without_snapshots_gets_the_feed_replayed(tmp_path, old_hq):
    server, state, template, n_changes = old_hq
    engine = make_engine(tmp_path / "old.db")
    client = CountingClient(server.url)
    progress: list[int] = []
    ctx = enrol_device(engine, client, "ENROL-111111", "Tablet", progress.append)
    assert client.snapshots == 1 and ctx.store_code == "HCM1"
    assert progress[-1] == n_changes and read_cursor(engine) == n_changes
    with engine.connect() as conn:
        assert not download_incomplete(conn)
    expected, got = catalog_snapshot(template), catalog_snapshot(engine)
    for table in expected:
        assert got[table] == expected[table], table
    engine.dispose()

    # the worker of a device at cursor 0 asks once, then remembers HQ has no snapshots
    engine = make_engine(tmp_path / "old-worker.db")
    migrate.ensure_current(engine)
    answer = client.enrol("ENROL-222222", "worker")
    worker_client = CountingClient(server.url, (answer.device_id, answer.device_secret))
    with engine.begin() as conn:
        write_setting(conn, "device_id", answer.device_id)
        write_setting(conn, "store_id", answer.store_id)
    worker = SyncWorker(engine, worker_client)
    worker.run_cycle()
    assert not worker.snapshots_supported and read_cursor(engine) == n_changes
    worker.run_cycle()
    assert worker_client.snapshots == 1 and worker.last_status.last_error is None
    engine.dispose()
