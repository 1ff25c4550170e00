"""Property: any interleaving of sales, pushes and faults ends with every event at HQ exactly once.

Faults are injected on both sides of HQ's commit: at the fake HQ ("before": the connection is
dropped before anything is stored; "after": the batch is stored, then the answer is lost) and
in the network through the fault proxy (half a response, a reset after the request, a
duplicated request, a reset before it). Poison events are mixed in. At the end, with the
network healed, one drain must leave nothing pending and HQ must hold each event once, in the
device's outbox order.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from sync.hq_client import HQClient
from sync.outbox_pusher import drain, push_once
from tests.sync.conftest import copy_device, outbox_counts, sale_ids_at_hq, sell
from tests.sync.fake_hq import FakeHQ, FakeHQState
from tests.sync.fault_proxy import FaultProxy
from tests.sync.test_push import add_poison
from tests.waiting import PATIENT_HTTP

HQ_FAULTS = ("before", "after")
NET_FAULTS = ("drop_mid", "reset", "reset_after", "duplicate")

op = st.one_of(
    st.tuples(st.just("sell"), st.integers(1, 3)),
    st.tuples(st.just("poison"), st.just(0)),
    st.tuples(st.just("push"), st.integers(1, 4)),
    st.tuples(st.sampled_from(HQ_FAULTS + NET_FAULTS), st.integers(1, 4)),
)


@pytest.fixture(scope="module")
def network():
    server = FakeHQ(FakeHQState()).start()
    proxy = FaultProxy(server.server_address[1]).start()
    yield server, proxy
    proxy.stop()
    server.stop()


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(op, min_size=1, max_size=14))
def test_exactly_once_under_any_interleaving_of_faults(demo_template, network, ops):
    server, proxy = network
    with tempfile.TemporaryDirectory() as tmp:
        engine, ctx = copy_device(demo_template, Path(tmp) / "device.db")
        state = FakeHQState(store_id=ctx.store_id)
        server.state = state
        # none of these faults needs the client to time out: a generous timeout only keeps a
        # slow answer on a busy machine from reading as a fault
        client = HQClient(proxy.url, state.add_device(ctx.device_id), timeout=PATIENT_HTTP)
        try:
            sales, poisons = [], []
            for kind, n in ops:
                if kind == "sell":
                    sales += [sell(engine, ctx) for _ in range(n)]
                elif kind == "poison":
                    poisons.append(add_poison(engine))
                else:
                    if kind in HQ_FAULTS:
                        state.fail_pushes.append(kind)
                    elif kind in NET_FAULTS:
                        proxy.plan.append(kind)
                    push_once(engine, client, batch_size=n)
            state.fail_pushes.clear()
            proxy.plan.clear()
            final = drain(engine, client, batch_size=3)

            assert final.error is None
            assert outbox_counts(engine).get("pending", 0) == 0
            at_hq = sale_ids_at_hq(state)
            assert sorted(at_hq) == sorted(sales) and len(set(at_hq)) == len(at_hq)
            assert set(state.quarantined) == set(poisons)
            with engine.connect() as conn:
                outbox = conn.execute(text("SELECT id, status FROM outbox ORDER BY position")).all()
            # HQ stored each event once, in the device's order; the device agrees on each fate
            assert state.received_order == [r[0] for r in outbox]
            assert all((r[1] == "quarantined") == (r[0] in poisons) for r in outbox)
        finally:
            client.close()
            engine.dispose()
