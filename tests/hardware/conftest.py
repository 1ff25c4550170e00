"""Fixtures for the printer tests: a real sale's receipt, the printer simulators.

The device database fixtures are the core tests' (tests/pos_app/conftest.py): a real SQLite
file with the fixture store. Previews of rendered receipts go to tests/_artifacts/receipts/
(git-ignored) so people can look at what a printer would print.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.receipts.receipt import Receipt, build_receipt
from tests.hardware.printer_sim import PtyPrinterSim, TcpPrinterSim
from tests.hardware.receipt_sales import vn_sale
from tests.pos_app.conftest import _template_dbs, clock, device_db  # noqa: F401

ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts" / "receipts"


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def vn_receipt(device_db, clock) -> Receipt:
    """The receipt of `receipt_sales.vn_sale` (VND, Vietnamese, two VAT rates, card + cash)."""
    engine, ctx = device_db
    done = vn_sale(engine, ctx, clock)
    with engine.connect() as conn:
        return build_receipt(conn, done.sale_id)


@pytest.fixture
def tcp_printer():
    """A network printer simulator on loopback, switched on."""
    sim = TcpPrinterSim().switch_on()
    yield sim
    sim.switch_off()


@pytest.fixture
def pty_printer():
    """A serial printer simulator on a pseudo-terminal."""
    with PtyPrinterSim() as sim:
        yield sim
