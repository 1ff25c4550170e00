"""Journal completeness at HQ: last seq, gaps and chain breaks, via the service, the admin
endpoint and `pos-hq audit` (exit 1 on problems), on both databases."""
from __future__ import annotations

import copy

from fastapi.testclient import TestClient

from hq.api.app import create_app
from hq.cli import main as hq_main
from hq.services.ingest import ingest
from hq.services.journal import journal_status
from sync.protocol import canonical_json, chain_hash
from tests.hq.helpers import chain_for, enrol_device, make_store


def push(engine, device, events):
    with engine.begin() as conn:
        return ingest(conn, device, events)


def rehash(ev, prev_hash: str):
    """The event re-chained onto `prev_hash` (a device whose chain was broken upstream)."""
    payload = copy.deepcopy(ev.payload)
    payload["journal"]["prev_hash"] = prev_hash
    payload["journal"]["hash"] = chain_hash(prev_hash, canonical_json(payload["sale"]))
    return ev.model_copy(update={"payload": payload})


def test_a_complete_chain_has_no_problems_and_audit_exits_0(hq_engine, db_url, capsys):
    make_store(hq_engine)
    device, bearer = enrol_device(hq_engine)
    push(hq_engine, device, chain_for(device).batch(4))
    with hq_engine.connect() as conn:
        status = journal_status(conn, device.id)
    assert (status.last_seq, status.received, status.gaps, status.chain_breaks) == (4, 4, [], [])
    assert hq_main(["audit", "--database", db_url]) == 0
    out = capsys.readouterr().out
    assert "last_seq=4 received=4 ok" in out and "0 with problems" in out
    with TestClient(create_app(hq_engine, admin_token="a")) as client:
        me = client.get("/v1/devices/me/journal", headers={"Authorization": bearer}).json()
        assert me["last_seq"] == 4 and me["gaps"] == []


def test_gaps_and_chain_breaks_are_reported_everywhere(hq_engine, db_url, capsys):
    make_store(hq_engine)
    device, bearer = enrol_device(hq_engine)
    chain = chain_for(device)
    events = chain.batch(10)
    # missing: 1, 4-5 and 8; seq 7 re-chained onto a wrong previous hash (a break)
    sent = [events[i] for i in (1, 2, 5, 8, 9)] + [rehash(events[6], "ab" * 32)]
    assert all(r.status == "accepted" for r in push(hq_engine, device, sent))
    with hq_engine.connect() as conn:
        status = journal_status(conn, device.id)
    assert status.last_seq == 10 and status.received == 6
    assert status.gaps == [(1, 1), (4, 5), (8, 8)]
    assert status.chain_breaks == [7]
    with TestClient(create_app(hq_engine, admin_token="a")) as client:
        audit = client.get("/v1/admin/journal", headers={"Authorization": "Bearer a"}).json()
        assert audit["devices"][0]["gaps"] == [[1, 1], [4, 5], [8, 8]]
        assert audit["devices"][0]["chain_breaks"] == [7]
        me = client.get("/v1/devices/me/journal", headers={"Authorization": bearer}).json()
        assert me["chain_breaks"] == [7]
    assert hq_main(["audit", "--database", db_url]) == 1
    out = capsys.readouterr().out
    assert "GAPS: 1, 4-5, 8" in out and "CHAIN BREAKS at: 7" in out and "1 with problems" in out
    # the missing ones arrive late (out of order): the journal is whole again
    push(hq_engine, device, [events[i] for i in (7, 0, 4, 3)])
    with hq_engine.connect() as conn:
        status = journal_status(conn, device.id)
    # no gaps now; both links around the altered record 7 are reported (8 links to the real 7)
    assert status.gaps == [] and status.chain_breaks == [7, 8]


def test_a_first_record_that_does_not_start_from_genesis_is_a_break(hq_engine):
    make_store(hq_engine)
    device, _ = enrol_device(hq_engine)
    first = chain_for(device).next_event()
    push(hq_engine, device, [rehash(first, "cd" * 32)])
    with hq_engine.connect() as conn:
        assert journal_status(conn, device.id).chain_breaks == [1]
