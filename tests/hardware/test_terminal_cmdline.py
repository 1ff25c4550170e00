"""`pos-app terminal-test`: run as a real process through ui.app:main (the console script),
paying on the terminal simulator over HTTPS on loopback; and the simulator run as its own
process (`python -m tests.hardware.terminal_sim`) with its ledger in a JSON file, as crash
tests use it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hardware.terminals.cmdline import EXIT_FAILED, EXIT_OK, EXIT_USAGE, PASSPHRASE_ENV
from tests.hardware.test_adyen_terminal import card_numbers_in
from tests.hardware.terminal_sim import control, running_sim
from tests.waiting import WAIT_S

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "sim-passphrase-not-secret"


def pos_app(*args: str, passphrase: str | None = PASSPHRASE) -> subprocess.CompletedProcess:
    """`pos-app ARGS` as the installed console script runs it."""
    env = {k: v for k, v in os.environ.items() if k != PASSPHRASE_ENV}
    if passphrase is not None:
        env[PASSPHRASE_ENV] = passphrase
    return subprocess.run(
        [sys.executable, "-c", "import sys; from ui.app import main; sys.exit(main())", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)  # a hang guard


def terminal_args(sim, amount: str = "1250000", currency: str = "VND", **changes) -> list[str]:
    values = {"--terminal": f"https://127.0.0.1:{sim.port}", "--poiid": sim.poiid,
              "--key-id": "StorelineKey", "--key-version": "1", "--amount": amount,
              "--currency": currency, "--ca": sim.ca_file}
    values.update(changes)
    return ["terminal-test", *[x for pair in values.items() for x in pair]]


@pytest.fixture
def sim():
    with running_sim(passphrase=PASSPHRASE) as simulator:
        yield simulator


def assert_no_secrets(done: subprocess.CompletedProcess) -> None:
    output = done.stdout + done.stderr
    assert PASSPHRASE not in output
    assert card_numbers_in(output) == [] and "411111" not in output


def test_an_approved_payment_prints_the_card_code_and_slip(sim):
    done = pos_app(*terminal_args(sim))
    assert done.returncode == EXIT_OK, done.stderr
    (entry,) = sim.ledger.entries
    code = entry.response["PaymentResult"]["PaymentAcquirerData"]["ApprovalCode"]
    first = done.stdout.splitlines()[0]
    assert first.startswith("Approved ₫1,250,000") and "visa **** 1111" in first
    assert f"approval code {code}" in first and entry.poi_transaction_id in first
    assert "  Card: **** 1111" in done.stdout and "  APPROVED" in done.stdout
    assert "Paying ₫1,250,000 on Adyen terminal P400Plus-123456789" in done.stderr
    assert (entry.state, entry.amount, entry.currency) == ("charged", 1_250_000, "VND")
    assert_no_secrets(done)


def test_a_declined_payment_exits_1_with_the_reason(sim):
    sim.queue("decline:Not enough balance")
    done = pos_app(*terminal_args(sim, amount="1250", currency="USD"))
    assert done.returncode == EXIT_FAILED
    assert "Declined: Not enough balance · **** 1111" in done.stderr and done.stdout == ""
    assert sim.ledger.entries[0].state == "declined"
    assert b'"RequestedAmount":12.50' in sim.raw_requests[0]
    assert_no_secrets(done)


def test_a_lost_answer_is_resolved_by_status_not_by_paying_again(sim):
    sim.queue("drop_after_approve")
    done = pos_app(*terminal_args(sim))
    assert done.returncode == EXIT_OK, done.stderr
    assert "asking the terminal for the payment's status" in done.stderr
    assert done.stdout.startswith("Approved")
    assert len(sim.ledger.entries) == 1
    assert [next(iter(m["SaleToPOIRequest"].keys() - {"MessageHeader"}))
            for m in sim.requests] == ["PaymentRequest", "TransactionStatusRequest"]


def test_the_passphrase_only_comes_from_the_environment(sim):
    missing = pos_app(*terminal_args(sim), passphrase=None)
    assert missing.returncode == EXIT_USAGE and PASSPHRASE_ENV in missing.stderr
    as_argument = pos_app(*terminal_args(sim), "--passphrase", PASSPHRASE)
    assert as_argument.returncode == EXIT_USAGE
    assert "unrecognized arguments" in as_argument.stderr
    assert sim.http_requests == 0


def test_a_wrong_passphrase_is_a_settings_problem(sim):
    done = pos_app(*terminal_args(sim), passphrase="not the terminal's passphrase")
    assert done.returncode == EXIT_USAGE
    assert "could not decrypt the request" in done.stderr and "Nothing was charged" in done.stderr
    assert "not the terminal's passphrase" not in done.stdout + done.stderr
    assert sim.crypto_errors == 1 and sim.ledger.entries == []


def test_a_terminal_naming_another_poiid_is_refused_before_anything_is_sent():
    with running_sim(passphrase=PASSPHRASE, cert_poiid="V400m-324688179") as impostor:
        done = pos_app(*terminal_args(impostor))
        assert done.returncode == EXIT_FAILED
        assert "refused the terminal" in done.stderr
        assert "V400m-324688179.test.terminal.adyen.com" in done.stderr
        assert impostor.http_requests == 0


def test_a_terminal_whose_certificate_does_not_chain_to_the_ca_is_refused():
    with running_sim(passphrase=PASSPHRASE, untrusted=True) as impostor:
        done = pos_app(*terminal_args(impostor))
        assert done.returncode == EXIT_FAILED
        assert "does not chain to the CA file" in done.stderr
        assert impostor.http_requests == 0


def test_an_unreachable_terminal_exits_1(sim):
    sim.stop()
    done = pos_app(*terminal_args(sim))
    assert done.returncode == EXIT_FAILED
    assert "Unreachable: Nothing was sent" in done.stderr and "refused the connection" in \
        done.stderr


@pytest.mark.parametrize("changes, message", [
    ({"--poiid": "P400Plus"}, "is not a terminal id"),
    ({"--terminal": "http://127.0.0.1:8443"}, "must start with https://"),
    ({"--ca": "/nonexistent/root.pem"}, "does not exist"),
    ({"--currency": "XYZ"}, "not an ISO 4217 currency"),
    ({"--amount": "0"}, "more than zero"),
    ({"--timeout": "0"}, "payment_timeout_s must be between"),
])
def test_wrong_settings_exit_2_with_the_reason(sim, changes, message):
    done = pos_app(*terminal_args(sim, **changes))
    assert done.returncode == EXIT_USAGE and message in done.stderr
    assert sim.http_requests == 0


def test_the_simulator_as_a_process_keeps_its_ledger_in_a_file(tmp_path: Path):
    ledger = tmp_path / "ledger.json"
    env = {**os.environ, "SIM_PASSPHRASE": PASSPHRASE}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.hardware.terminal_sim", "--port", "0",
         "--poiid", "P400Plus-275039202", "--passphrase-env", "SIM_PASSPHRASE",
         "--ledger", str(ledger), "--cert-dir", str(tmp_path / "pki"),
         "--scenario", "decline:Expired Card"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        started = json.loads(process.stdout.readline())  # blocks until it listens
        args = ["terminal-test", "--terminal", f"https://127.0.0.1:{started['port']}",
                "--poiid", "P400Plus-275039202", "--key-id", "StorelineKey",
                "--key-version", "1", "--amount", "990000", "--currency", "VND",
                "--ca", started["ca_file"]]
        declined = pos_app(*args)
        approved = pos_app(*args)
        assert (declined.returncode, approved.returncode) == (EXIT_FAILED, EXIT_OK)
        states = [(e["state"], e["amount"]) for e in json.loads(ledger.read_text())]
        assert states == [("declined", 990000), ("charged", 990000)]
        served = control(started["port"], started["ca_file"], "/control/ledger")
        assert [(e["state"], e["amount"]) for e in served] == states
    finally:
        process.terminate()
        process.wait(WAIT_S)
    assert process.returncode == 0, process.stderr.read()
