"""The bulk snapshot (GET /v1/snapshot) and the feed_state behind it, on SQLite and PostgreSQL:
feed_state follows every upsert and delete; a snapshot is exactly the feed replayed; a write
racing a snapshot is either in it or after its cursor; device auth is required; the 0003
migration backfills feed_state from an existing change_log.
"""
from __future__ import annotations

import gzip
import json
import socket
import sqlite3
import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from hq.api.app import create_app
from hq.db.engine import make_engine
from hq.db.migrate import upgrade
from hq.db.models.organisation import FeedState, Store
from hq.demo.seed import seed_demo
from hq.services import catalog
from hq.services.changes import changes
from hq.services.enrolment import revoke
from hq.services.snapshot import snapshot_lines
from pos_app.auth import pin_key
from sync.protocol import SNAPSHOT_ENTITY_ORDER, SnapshotEnd, SnapshotHeader
from tests.hq.helpers import OTHER_STORE_ID, STORE_ID, enrol_device, make_store
from tests.sync.test_live_lookup import ThreadedHQ
from tests.waiting import WAIT_S, wait_for

PRODUCT = {"id": "bbbbbbbb-0000-4000-8000-000000000001", "store_id": STORE_ID,
           "style_code": "TEE", "name": "Áo thun", "brand": "SL", "category": "Tops",
           "tax_code": "VAT10", "active": 1}
GLOBAL = {**PRODUCT, "id": "bbbbbbbb-0000-4000-8000-000000000002", "store_id": None,
          "style_code": "GIFT", "name": "Gift card"}
VARIANT = {"id": "cccccccc-0000-4000-8000-000000000001", "product_id": PRODUCT["id"],
           "sku": "TEE-M", "size": "M", "colour": "Red", "active": 1}


def state_rows(engine) -> dict[tuple[str, str, str], tuple[int, dict]]:
    with engine.connect() as conn:
        return {(r.entity, r.key, r.scope): (r.seq, json.loads(r.data))
                for r in conn.execute(select(FeedState))}


def replay(engine, store_id: str, pin_key: bytes | None = None
           ) -> tuple[dict[tuple[str, str], dict], int]:
    """The device's view after replaying the whole feed: (entity, key) -> data, and cursor
    (`pin_key`: the device's, as the API gives it)."""
    seen: dict[tuple[str, str], dict] = {}
    cursor = 0
    with engine.connect() as conn:
        while True:
            page = changes(conn, store_id, cursor, 5000, pin_key=pin_key)
            for c in page.changes:
                if c.op == "upsert":
                    seen.pop((c.entity, c.key), None)  # re-inserted: now in feed order
                    seen[(c.entity, c.key)] = c.data
                else:
                    seen.pop((c.entity, c.key), None)
            cursor = page.next_cursor
            if not page.has_more:
                return seen, cursor


def parse(body: bytes) -> tuple[SnapshotHeader, list[tuple[str, dict]], SnapshotEnd]:
    lines = body.split(b"\n")
    assert lines[-1] == b"" and all(lines[:-1]), "every line ends in \\n, none empty"
    header = SnapshotHeader.model_validate_json(lines[0])
    end = SnapshotEnd.model_validate_json(lines[-2])
    rows = []
    for line in lines[1:-2]:
        chunk = json.loads(line)
        assert set(chunk) == {"entity", "rows"} and chunk["rows"]
        rows += [(chunk["entity"], d) for d in chunk["rows"]]
    return header, rows, end


def as_state(rows: list[tuple[str, dict]]) -> dict[tuple[str, str], dict]:
    out: dict[tuple[str, str], dict] = {}
    for entity, data in rows:  # applied in order, as a device does: the last one wins
        out.pop((entity, catalog.feed_key(entity, data)), None)
        out[(entity, catalog.feed_key(entity, data))] = data
    return out


@pytest.fixture
def store_engine(hq_engine):
    make_store(hq_engine)
    make_store(hq_engine, OTHER_STORE_ID, "TST2")
    return hq_engine


def test_feed_state_follows_upserts_and_deletes(store_engine):
    engine = store_engine
    with engine.begin() as conn:
        catalog.insert_new(conn, "product", [PRODUCT], STORE_ID)
        catalog.insert_new(conn, "variant", [VARIANT], STORE_ID)
        catalog.upsert(conn, "product", GLOBAL, None)
    rows = state_rows(engine)
    assert rows[("product", PRODUCT["id"], STORE_ID)][1]["name"] == "Áo thun"
    assert "store_id" not in rows[("product", PRODUCT["id"], STORE_ID)][1]  # HQ-only column
    assert ("product", GLOBAL["id"], "") in rows and ("variant", VARIANT["id"], STORE_ID) in rows
    with engine.begin() as conn:
        catalog.upsert(conn, "product", {**PRODUCT, "name": "Áo thun mới"}, STORE_ID)
        catalog.delete(conn, "variant", {"id": VARIANT["id"]}, STORE_ID)
    after = state_rows(engine)
    seq, data = after[("product", PRODUCT["id"], STORE_ID)]
    assert data["name"] == "Áo thun mới" and seq > rows[("product", PRODUCT["id"], STORE_ID)][0]
    assert ("variant", VARIANT["id"], STORE_ID) not in after
    with engine.connect() as conn:  # seq is the change_log row the state came from
        logged = conn.execute(text("SELECT data FROM change_log WHERE seq = :s"),
                              {"s": seq}).scalar_one()
    assert json.loads(logged) == data
    # a key published to one store and to every store: two rows; a delete sent to every
    # store removes both (every device saw it after both)
    with engine.begin() as conn:
        catalog.publish(conn, catalog._changes("product", [PRODUCT], None, "upsert", "t"))
    assert {k[2] for k in state_rows(engine) if k[1] == PRODUCT["id"]} == {"", STORE_ID}
    with engine.begin() as conn:
        catalog.delete(conn, "variant", {"id": "none"}, STORE_ID)  # unknown key: harmless
        catalog.delete(conn, "product", {"id": PRODUCT["id"]}, None)
    assert not [k for k in state_rows(engine) if k[1] == PRODUCT["id"]]
    assert ("product", GLOBAL["id"], "") in state_rows(engine)


def test_the_snapshot_equals_replaying_the_feed(hq_engine):
    engine = hq_engine
    seed_demo(engine)
    with engine.connect() as conn:
        stores = dict(conn.execute(select(Store.code, Store.id)).all())
    hcm = stores["HCM1"]
    # history: updates, deletes, a product for every store, a key published twice
    global_product = {**GLOBAL, "tax_code": "VAT0"}
    with engine.begin() as conn:
        prices = conn.execute(text("SELECT variant_id FROM prices WHERE store_id = :s"
                                   " ORDER BY variant_id LIMIT 3"), {"s": hcm}).scalars().all()
        code = conn.execute(text("SELECT code FROM barcodes b JOIN products p ON p.id ="
                                 " (SELECT product_id FROM variants WHERE id = b.variant_id)"
                                 " WHERE p.store_id = :s ORDER BY code LIMIT 1"),
                            {"s": hcm}).scalar_one()
        catalog.upsert(conn, "price", {"store_id": hcm, "variant_id": prices[0],
                                       "amount_minor": 12_345}, hcm)
        catalog.delete(conn, "price", {"store_id": hcm, "variant_id": prices[1]}, hcm)
        catalog.upsert(conn, "product", global_product, None)
        catalog.upsert(conn, "product", {**global_product, "name": "Gift card 2"}, None)
    device, bearer = enrol_device(engine, "HCM1")
    expected, cursor = replay(engine, hcm, pin_key(bearer.partition(".")[2]))
    with TestClient(create_app(engine, admin_token="a")) as client:
        r = client.get("/v1/snapshot", headers={"Authorization": bearer,
                                                "Accept-Encoding": "identity"})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("application/x-ndjson")
        assert "content-encoding" not in r.headers
        header, rows, end = parse(r.content)
        zipped = client.get("/v1/snapshot", headers={"Authorization": bearer,
                                                     "Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert zipped.content == r.content  # httpx decoded it: the same stream
    assert header.store_id == hcm and header.cursor == cursor == end.cursor
    assert end.rows == len(rows)
    got = as_state(rows)
    assert got == expected  # associates' verifiers keyed to this device on both paths
    assert all(d["pin_hash"].startswith("slk1$") for (e, _), d in got.items()
               if e == "associate")
    assert got[("product", GLOBAL["id"])]["name"] == "Gift card 2"
    assert got[("price", f"{hcm}:{prices[0]}")]["amount_minor"] == 12_345
    assert ("price", f"{hcm}:{prices[1]}") not in got and ("barcode", code) in got
    assert not {k for k in got if k[0] == "store"} - {("store", hcm)}  # not the other store
    order = [e for e, _ in rows]
    firsts = list(dict.fromkeys(order))
    assert firsts[:len(SNAPSHOT_ENTITY_ORDER)] == [e for e in SNAPSHOT_ENTITY_ORDER if e in order]
    assert firsts == [e for i, e in enumerate(order) if i == 0 or order[i - 1] != e], \
        "each entity in one run"


def test_a_write_racing_a_snapshot_is_in_it_or_after_its_cursor(store_engine):
    engine = store_engine
    with engine.begin() as conn:
        catalog.insert_new(conn, "product", [{**PRODUCT, "id": f"{PRODUCT['id'][:-3]}{i:03d}",
                                              "name": f"P{i}"} for i in range(40)], STORE_ID)
    # one write lands between the snapshot's start and its end: not in it, after its cursor
    lines = snapshot_lines(engine, STORE_ID, chunk_rows=7)
    first = next(lines)
    header = SnapshotHeader.model_validate_json(first)
    with engine.begin() as conn:
        catalog.upsert(conn, "product", {**PRODUCT, "name": "renamed mid-snapshot"}, STORE_ID)
    _, rows, end = parse(first + b"".join(lines))
    assert len(rows) == 41  # the store and 40 products
    assert end.cursor == header.cursor
    assert "renamed mid-snapshot" not in {d["name"] for e, d in rows if e == "product"}
    with engine.connect() as conn:
        later = changes(conn, STORE_ID, header.cursor, 100).changes
    assert [c.data["name"] for c in later] == ["renamed mid-snapshot"]

    # many writers racing many snapshots: snapshot + the feed after its cursor = the truth
    stop = threading.Event()
    errors: list[BaseException] = []
    written = [0]

    def writer() -> None:
        n = 0
        try:
            while not stop.is_set():
                n += 1
                written[0] = n
                with engine.begin() as conn:
                    catalog.upsert(conn, "product", {**PRODUCT, "id": f"{PRODUCT['id'][:-3]}"
                                                     f"{n % 60:03d}", "name": f"v{n}"}, STORE_ID)
                    if n % 7 == 0:
                        catalog.delete(conn, "product", {"id": f"{PRODUCT['id'][:-3]}"
                                                         f"{(n * 3) % 60:03d}"}, STORE_ID)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    snapshots = []
    try:
        for _ in range(5):
            seen = written[0]
            wait_for(lambda: written[0] >= seen + 3 or not thread.is_alive(),  # it moves on first
                     what="the writer's next commits", interval=0.005)
            body = []
            for line in snapshot_lines(engine, STORE_ID, chunk_rows=5):
                body.append(line)
                time.sleep(0.003)  # a slow client: writes commit while it reads
            snapshots.append(parse(b"".join(body)))
    finally:
        stop.set()
        thread.join(WAIT_S)
    assert not thread.is_alive() and not errors, errors  # the truth below is final
    truth, final_cursor = replay(engine, STORE_ID)
    for header, rows, end in snapshots:
        state = as_state(rows)
        with engine.connect() as conn:
            after = changes(conn, STORE_ID, header.cursor, 5000)
        assert not after.has_more
        for c in after.changes:
            state.pop((c.entity, c.key), None)
            if c.op == "upsert":
                state[(c.entity, c.key)] = c.data
        assert state == truth
    assert len({h.cursor for h, _, _ in snapshots}) > 1, "the writer ran during the snapshots"


def test_the_snapshot_needs_a_valid_device(store_engine):
    engine = store_engine
    device, bearer = enrol_device(engine, "TST1")
    with TestClient(create_app(engine, admin_token="a")) as client:
        assert client.get("/v1/snapshot").status_code == 401
        bad = bearer[:-3] + "xyz"
        r = client.get("/v1/snapshot", headers={"Authorization": bad})
        assert r.status_code == 401 and r.json()["detail"] == "invalid device credentials"
        assert client.get("/v1/snapshot", headers={"Authorization": bearer}).status_code == 200
        with engine.begin() as conn:
            revoke(conn, device.id)
        r = client.get("/v1/snapshot", headers={"Authorization": bearer})
        assert r.status_code == 401 and r.json()["detail"] == "device revoked"


# The change_log an HQ at revision 0002 may hold: (store_id, entity, op, key, data).
OLD_FEED = [
    (STORE_ID, "product", "upsert", "p1", {"id": "p1", "name": "one"}),
    (STORE_ID, "product", "upsert", "p2", {"id": "p2", "name": "two"}),
    (OTHER_STORE_ID, "product", "upsert", "p3", {"id": "p3", "name": "three"}),
    (STORE_ID, "product", "upsert", "p1", {"id": "p1", "name": "one, renamed"}),
    (STORE_ID, "product", "delete", "p2", None),
    (None, "product", "upsert", "p4", {"id": "p4", "name": "for all"}),
    (STORE_ID, "product", "upsert", "p4", {"id": "p4", "name": "for one"}),
    (OTHER_STORE_ID, "product", "upsert", "p5", {"id": "p5", "name": "five"}),
    (None, "product", "delete", "p5", None),  # sent to all: gone from every scope
    (STORE_ID, "product", "upsert", "p2", {"id": "p2", "name": "two again"}),
    (None, "price", "upsert", "p6", {"id": "p6"}),
    (STORE_ID, "price", "delete", "p6", None),  # only that store's row (there is none)
]


def expected_state() -> dict[tuple[str, str, str], tuple[int, dict]]:
    state: dict[tuple[str, str, str], tuple[int, dict]] = {}
    for seq, (store, entity, op, key, data) in enumerate(OLD_FEED, start=1):
        if op == "upsert":
            state[(entity, key, store or "")] = (seq, data)
        elif store is None:
            state = {k: v for k, v in state.items() if k[:2] != (entity, key)}
        else:
            state.pop((entity, key, store), None)
    return state


def test_the_migration_backfills_feed_state_from_the_change_log(db_url):
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0002")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO change_log(store_id, entity, op, key, data, at)"
                              " VALUES (:s, :e, :o, :k, :d, 't')"),
                         [{"s": s, "e": e, "o": o, "k": k,
                           "d": json.dumps(d) if d is not None else None}
                          for s, e, o, k, d in OLD_FEED])
        upgrade(engine, "0003")
        assert state_rows(engine) == expected_state()
        upgrade(engine)
        # the writers keep feed_state by the very same rule
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM feed_state"))
            conn.execute(text("DELETE FROM change_log"))
            catalog.publish(conn, [{"store_id": s, "entity": e, "op": o, "key": k,
                                    "data": json.dumps(d) if d is not None else None,
                                    "at": "t"} for s, e, o, k, d in OLD_FEED])
            base = conn.execute(text("SELECT min(seq) FROM change_log")).scalar_one() - 1
        assert state_rows(engine) == {k: (base + seq, d)
                                      for k, (seq, d) in expected_state().items()}
    finally:
        engine.dispose()


def test_gzip_is_only_sent_when_asked_and_decodes_to_the_same_lines(store_engine):
    engine = store_engine
    with engine.begin() as conn:
        catalog.insert_new(conn, "product", [{**PRODUCT, "id": f"{PRODUCT['id'][:-4]}{i:04d}"}
                                             for i in range(2000)], STORE_ID)
    _, bearer = enrol_device(engine, "TST1")
    with TestClient(create_app(engine, admin_token="a")) as client:
        with client.stream("GET", "/v1/snapshot", headers={
                "Authorization": bearer, "Accept-Encoding": "gzip;q=1.0"}) as r:
            raw = b"".join(r.iter_raw())
            assert r.headers["content-encoding"] == "gzip"
        refused = client.get("/v1/snapshot", headers={"Authorization": bearer,
                                                      "Accept-Encoding": "gzip;q=0, br"})
    plain = refused.content
    assert "content-encoding" not in refused.headers
    assert gzip.decompress(raw) == plain and len(raw) * 5 < len(plain)
    assert parse(plain)[2].rows == 2001  # TST1's store row and its 2000 products


def _open_reads(engine) -> int:
    """Transactions other than this one that are open on the database (a snapshot reading)."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND xact_start IS NOT NULL")).scalar_one()
    raw = sqlite3.connect(engine.url.database)
    try:  # a reader still on an old snapshot keeps the WAL from being reset
        return raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    finally:
        raw.close()


def test_a_client_that_goes_away_releases_the_read(store_engine):
    engine = store_engine
    with engine.begin() as conn:  # a stream far bigger than the sockets' buffers
        catalog.insert_new(conn, "product", [{**PRODUCT, "id": f"{i:08d}-0000-4000-8000-"
                                              f"{i:012d}", "name": "x" * 150}
                                             for i in range(40_000)], STORE_ID)
    _, bearer = enrol_device(engine, "TST1")
    server = ThreadedHQ(engine).start()
    try:
        with socket.socket() as client:  # a tiny receive window: HQ must wait for the client
            client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            client.settimeout(WAIT_S)
            client.connect(("127.0.0.1", server.port))
            client.sendall(f"GET /v1/snapshot HTTP/1.1\r\nHost: hq\r\nAuthorization: {bearer}"
                           f"\r\nAccept-Encoding: identity\r\n\r\n".encode())
            first = client.recv(4096)
            assert first.startswith(b"HTTP/1.1 200")
            with engine.begin() as conn:  # HQ goes on writing meanwhile
                catalog.upsert(conn, "product", PRODUCT, STORE_ID)
            # the stream holds its read while the client does not read (it may open it just
            # after the first bytes left: wait for it rather than for a while)
            wait_for(lambda: _open_reads(engine) >= 1, what="the snapshot's open read")
        wait_for(lambda: _open_reads(engine) == 0, what="the read released", interval=0.1)
        assert _open_reads(engine) == 0
    finally:
        server.stop()
