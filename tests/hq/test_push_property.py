"""Property of the push protocol (both databases): random batches with duplicates, retries
and reorderings store each event exactly once; the accepted events are exactly the distinct
valid ones; every valid event is answered "accepted" exactly once, then "duplicate"."""
from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from hq.db.models.sales import Event, Sale
from hq.services.ingest import ingest
from tests.hq.helpers import chain_for, enrol_device, make_store


@st.composite
def scenarios(draw):
    n = draw(st.integers(min_value=1, max_value=10))
    invalid = draw(st.sets(st.integers(min_value=0, max_value=n - 1), max_size=n // 2))
    pushes = draw(st.lists(st.lists(st.integers(min_value=0, max_value=n - 1), min_size=1,
                                    max_size=2 * n), max_size=5))
    final = draw(st.permutations(range(n)))  # the device's last retry sends everything
    return n, invalid, pushes + [list(final)]


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(scenario=scenarios())
def test_random_batches_retries_and_reorderings_are_exactly_once(hq_engine, scenario):
    n, invalid, pushes = scenario
    with hq_engine.connect() as conn:  # one engine serves all examples: one store for them
        has_store = conn.exec_driver_sql("SELECT count(*) FROM stores").scalar_one()
    if not has_store:
        make_store(hq_engine)
    device, _ = enrol_device(hq_engine)  # a fresh device per example: independent journals
    chain = chain_for(device)
    events = chain.batch(n)
    for i in invalid:
        payload = copy.deepcopy(events[i].payload)
        payload["sale"]["created_at"] = "2000-01-01T00:00:00.000000Z"  # breaks the hash
        events[i] = events[i].model_copy(update={"payload": payload})
    answers: dict[str, list[str]] = {e.id: [] for e in events}
    for batch in pushes:
        with hq_engine.begin() as conn:
            results = ingest(conn, device, [events[i] for i in batch])
        assert [r.id for r in results] == [events[i].id for i in batch]
        for r in results:
            answers[r.id].append(r.status)
    valid = {e.id for i, e in enumerate(events) if i not in invalid}
    for eid, got in answers.items():
        if eid in valid:
            assert got[0] == "accepted" and set(got[1:]) <= {"duplicate"}, got
        else:
            assert set(got) == {"quarantined"}, got
    with hq_engine.connect() as conn:
        rows = conn.execute(select(Event.id, Event.status).where(Event.device_id == device.id)
                            ).all()
        sales = conn.execute(select(func.count()).select_from(Sale).where(
            Sale.device_id == device.id)).scalar_one()
    assert len(rows) == len({r.id for r in rows}) == n
    assert {r.id for r in rows if r.status == "accepted"} == valid
    assert sales == len(valid)
