"""`AdyenTerminal` against the terminal simulator over real HTTPS on loopback: every outcome of
the `PaymentTerminal` port, the simulator's ledger as the judge of what was charged.

Waits are on conditions (the simulator waiting for a card, a worker's result), never fixed
sleeps; the only short timeout is the payment timeout of the "never answers" case, whose
expiry is the point of that test.
"""
from __future__ import annotations

import dataclasses
import logging
import re
import threading
import uuid

import pytest

from hardware.terminals import nexo_messages as nexo
from hardware.terminals.adyen_terminal import (AdyenTerminal, TerminalIdentityError,
                                               TerminalKeyError)
from hardware.terminals.terminal_settings import TerminalSettings
from pos_app.payments.terminal import TerminalOutcome
from tests.hardware.terminal_sim import Scenario, TerminalSim, running_sim
from tests.hardware.terminal_sim_messages import CARDS
from tests.waiting import PATIENT_IO_S, WAIT_S, wait_for

PASSPHRASE = "sim-passphrase-not-secret"


def settings_for(sim: TerminalSim, **changes) -> TerminalSettings:
    values = dict(url=f"https://127.0.0.1:{sim.port}", poiid=sim.poiid,
                  key_identifier="StorelineKey", key_version=1, passphrase=PASSPHRASE,
                  ca_file=sim.ca_file, sale_id="till-7", connect_timeout_s=PATIENT_IO_S,
                  request_timeout_s=WAIT_S, payment_timeout_s=WAIT_S)
    values.update(changes)
    return TerminalSettings(**values)


@pytest.fixture
def sim():
    with running_sim() as simulator:
        yield simulator


@pytest.fixture
def terminal(sim):
    with AdyenTerminal(settings_for(sim)) as t:
        yield t


def new_intent() -> str:
    return str(uuid.uuid4())


def payments_sent(sim: TerminalSim, intent_id: str) -> int:
    return sum(1 for m in sim.requests if "PaymentRequest" in m["SaleToPOIRequest"] and
               m["SaleToPOIRequest"]["PaymentRequest"]["SaleData"]["SaleTransactionID"]
               ["TransactionID"] == intent_id)


class PayInBackground:
    """`pay` on a worker thread, as the till's I/O pool runs it."""

    def __init__(self, terminal: AdyenTerminal, intent_id: str, amount: int, currency: str):
        self.result = None
        self.thread = threading.Thread(
            target=lambda: setattr(self, "result", terminal.pay(intent_id, amount, currency)))
        self.thread.start()

    def wait(self):
        self.thread.join(WAIT_S)
        assert not self.thread.is_alive(), "pay() did not return"
        return self.result


def test_an_approved_payment_in_vnd(sim, terminal):
    intent = new_intent()
    result = terminal.pay(intent, 1_250_000, "VND")
    (entry,) = sim.ledger.for_intent(intent)
    assert result.outcome is TerminalOutcome.APPROVED
    assert (result.amount, result.currency, result.intent_id) == (1_250_000, "VND", intent)
    assert result.reference == entry.poi_transaction_id
    assert result.auth_code == entry.response["PaymentResult"]["PaymentAcquirerData"][
        "ApprovalCode"]
    assert (result.masked_pan, result.card_brand) == ("**** 1111", "visa")
    assert "Card: **** 1111" in result.receipt_lines and "APPROVED" in result.receipt_lines
    assert "CARDHOLDER COPY" in result.receipt_lines
    assert (entry.state, entry.amount, sim.ledger.times_charged(intent)) == ("charged",
                                                                             1_250_000, 1)
    raw = sim.raw_requests[-1]
    assert b'"RequestedAmount":1250000' in raw
    assert f'"ServiceID":"{uuid.UUID(intent).hex[:10]}"'.encode() in raw
    assert entry.sale_id == "till-7"


def test_usd_amounts_go_on_the_wire_exactly(sim, terminal):
    result = terminal.pay(new_intent(), 1250, "USD")
    assert b'"RequestedAmount":12.50' in sim.raw_requests[-1]
    assert (result.outcome, result.amount) == (TerminalOutcome.APPROVED, 1250)


@pytest.mark.parametrize("reason", ["Not enough balance", "Expired Card"])
def test_a_declined_card_leaves_nothing_charged(sim, terminal, reason):
    sim.queue(Scenario("decline", reason))
    intent = new_intent()
    result = terminal.pay(intent, 500_000, "VND")
    assert result.outcome is TerminalOutcome.DECLINED and result.nothing_charged
    assert result.message == reason and result.amount == 0
    assert sim.ledger.times_charged(intent) == 0 and sim.ledger.net_charged(intent) == 0
    assert sim.ledger.for_intent(intent)[0].state == "declined"
    assert terminal.status(intent).outcome is TerminalOutcome.DECLINED


def test_a_lost_answer_after_approval_is_found_by_status_never_paid_again(sim, terminal):
    sim.queue("drop_after_approve")
    intent = new_intent()
    lost = terminal.pay(intent, 990_000, "VND")
    assert lost.outcome is TerminalOutcome.UNKNOWN and "status" in lost.message
    found = terminal.status(intent)
    (entry,) = sim.ledger.for_intent(intent)
    assert found.outcome is TerminalOutcome.APPROVED and found.amount == 990_000
    assert found.reference == entry.poi_transaction_id and found.masked_pan == "**** 1111"
    assert payments_sent(sim, intent) == 1 and sim.ledger.times_charged(intent) == 1


def test_an_answer_with_a_bad_hmac_is_unknown_then_status_resolves(sim, terminal):
    sim.queue("bad_hmac")
    intent = new_intent()
    untrusted = terminal.pay(intent, 1500, "USD")
    assert untrusted.outcome is TerminalOutcome.UNKNOWN
    assert "could not be trusted" in untrusted.message
    resolved = terminal.status(intent)
    assert (resolved.outcome, resolved.amount) == (TerminalOutcome.APPROVED, 1500)
    assert payments_sent(sim, intent) == 1 and sim.ledger.times_charged(intent) == 1


def test_a_terminal_that_never_answers_is_unknown_then_status_resolves(sim):
    sim.queue("silent")
    intent = new_intent()
    with AdyenTerminal(settings_for(sim, payment_timeout_s=1.0)) as impatient:
        result = impatient.pay(intent, 1500, "USD")
        assert result.outcome is TerminalOutcome.UNKNOWN and "no answer" in result.message
        # (on a loaded machine the till may give up before the terminal has even read it)
        wait_for(lambda: sim.ledger.times_charged(intent), what="the terminal to charge")
        assert impatient.status(intent).outcome is TerminalOutcome.APPROVED
    sim.release()
    assert payments_sent(sim, intent) == 1


def test_abort_while_waiting_for_a_card_cancels_and_charges_nothing(sim, terminal):
    sim.queue("wait_card")
    intent = new_intent()
    paying = PayInBackground(terminal, intent, 2_000_000, "VND")
    wait_for(sim.waiting_for_card, what="the terminal to wait for a card")
    in_progress = terminal.status(intent)
    assert in_progress.outcome is TerminalOutcome.UNKNOWN and "in progress" in in_progress.message
    terminal.abort(intent)  # from this thread while pay() blocks on the worker
    result = paying.wait()
    assert result.outcome is TerminalOutcome.CANCELLED and result.nothing_charged
    assert sim.ledger.times_charged(intent) == 0
    assert sim.ledger.for_intent(intent)[0].state == "cancelled"
    assert terminal.status(intent).outcome is TerminalOutcome.CANCELLED


def test_a_card_presented_while_waiting_is_approved(sim, terminal):
    sim.queue("wait_card")
    intent = new_intent()
    paying = PayInBackground(terminal, intent, 2_000_000, "VND")
    wait_for(sim.waiting_for_card, what="the terminal to wait for a card")
    sim.present_card("mc")
    result = paying.wait()
    assert (result.outcome, result.masked_pan, result.card_brand) == (
        TerminalOutcome.APPROVED, "**** 4444", "mc")


def test_no_card_before_the_terminal_gives_up_is_cancelled():
    with running_sim(card_timeout_s=0.2) as sim, AdyenTerminal(settings_for(sim)) as terminal:
        sim.queue("wait_card")
        intent = new_intent()
        result = terminal.pay(intent, 100_000, "VND")
        assert result.outcome is TerminalOutcome.CANCELLED
        assert result.message == "Shopper did not present card"
        assert sim.ledger.times_charged(intent) == 0


def test_busy_terminal(sim, terminal):
    sim.queue("busy")
    intent = new_intent()
    result = terminal.pay(intent, 100_000, "VND")
    assert result.outcome is TerminalOutcome.BUSY and result.nothing_charged
    assert sim.ledger.for_intent(intent) == []


def test_a_second_payment_while_one_waits_for_a_card_is_busy(sim, terminal):
    sim.queue("wait_card")
    first, second = new_intent(), new_intent()
    paying = PayInBackground(terminal, first, 100_000, "VND")
    wait_for(sim.waiting_for_card, what="the terminal to wait for a card")
    assert terminal.pay(second, 200_000, "VND").outcome is TerminalOutcome.BUSY
    terminal.abort(first)
    assert paying.wait().outcome is TerminalOutcome.CANCELLED
    assert sim.ledger.times_charged(first) == sim.ledger.times_charged(second) == 0


def test_a_switched_off_terminal_is_unreachable_and_nothing_is_sent(sim, terminal):
    assert terminal.pay(new_intent(), 1000, "USD").approved  # a kept-alive connection
    sim.stop()
    intent = new_intent()
    result = terminal.pay(intent, 1000, "USD")
    assert result.outcome is TerminalOutcome.UNREACHABLE and result.nothing_charged
    assert "refused the connection" in result.message
    assert sim.ledger.for_intent(intent) == []
    assert terminal.status(intent).outcome is TerminalOutcome.UNKNOWN  # could not ask


def test_status_of_a_payment_the_terminal_never_saw(sim, terminal):
    result = terminal.status(new_intent())
    assert result.outcome is TerminalOutcome.NOT_FOUND and result.nothing_charged


def test_reversal_and_referenced_refunds_against_the_ledger(sim, terminal):
    intent = new_intent()
    paid = terminal.pay(intent, 1_000_000, "VND")
    refund = terminal.refund(new_intent(), paid, 300_000)
    assert (refund.outcome, refund.amount) == (TerminalOutcome.APPROVED, 300_000)
    assert refund.reference != paid.reference
    too_much = terminal.refund(new_intent(), paid, 800_000)
    assert too_much.outcome is TerminalOutcome.DECLINED and "700000 left" in too_much.message
    reversed_ = terminal.reverse(intent, paid)
    assert (reversed_.outcome, reversed_.amount) == (TerminalOutcome.APPROVED, 700_000)
    (entry,) = sim.ledger.for_intent(intent)
    assert (entry.state, entry.refunded, sim.ledger.net_charged(intent)) == ("reversed",
                                                                            1_000_000, 0)
    again = terminal.reverse(intent, paid)
    assert again.outcome is TerminalOutcome.DECLINED and again.amount == 0


def test_a_reversal_of_an_unknown_transaction_is_not_found(sim, terminal):
    paid = terminal.pay(new_intent(), 1000, "USD")
    other = dataclasses.replace(paid, reference="ABCD00123.NOTAREALPSPREF00")
    assert terminal.reverse(paid.intent_id, other).outcome is TerminalOutcome.NOT_FOUND


@pytest.mark.parametrize("changes", [{"passphrase": "the wrong passphrase"},
                                     {"key_version": 2}, {"key_identifier": "OtherKey"}])
def test_a_wrong_shared_key_is_a_clear_settings_problem(sim, changes):
    intent = new_intent()
    with AdyenTerminal(settings_for(sim, **changes)) as wrong:
        with pytest.raises(TerminalKeyError, match="passphrase in the settings") as raised:
            wrong.pay(intent, 1000, "USD")
    assert "crypto error" in str(raised.value) and "Nothing was charged" in str(raised.value)
    assert sim.crypto_errors == 1 and sim.ledger.entries == []


def test_a_certificate_for_another_terminal_is_refused_before_anything_is_sent():
    with running_sim(cert_poiid="P400Plus-999999999") as impostor:
        with AdyenTerminal(settings_for(impostor)) as terminal:
            with pytest.raises(TerminalIdentityError, match="P400Plus-999999999") as raised:
                terminal.pay(new_intent(), 1000, "USD")
        assert "nothing was sent" in str(raised.value)
        wait_for(lambda: impostor.handshakes >= 1, what="the TLS handshake")
        assert impostor.http_requests == 0 and impostor.requests == []


def test_a_certificate_that_does_not_chain_to_the_ca_is_refused_before_anything_is_sent():
    with running_sim(untrusted=True) as impostor:
        with AdyenTerminal(settings_for(impostor)) as terminal:
            with pytest.raises(TerminalIdentityError, match="does not chain to the CA file"):
                terminal.pay(new_intent(), 1000, "USD")
            terminal.abort(new_intent())  # never raises; nothing sent either
        assert impostor.http_requests == 0


def test_the_legacy_certificate_only_when_allowed():
    with running_sim(cert_poiid="legacy-terminal-certificate") as legacy:
        with AdyenTerminal(settings_for(legacy)) as strict:
            with pytest.raises(TerminalIdentityError, match="legacy-terminal-certificate"):
                strict.pay(new_intent(), 1000, "USD")
        with AdyenTerminal(settings_for(legacy, allow_legacy_certificate=True)) as lenient:
            assert lenient.pay(new_intent(), 1000, "USD").approved


def card_numbers_in(text: str) -> list[str]:
    """What a grep for card numbers finds: every run of 13-19 digits (groups split by single
    spaces joined, as slips print them) that passes the Luhn check."""
    joined = re.sub(r"(?<=\d) (?=\d)", "", text)
    return [run for run in re.findall(r"(?<!\d)\d{13,19}(?!\d)", joined)
            if nexo.luhn_valid(run)]


def test_no_card_number_reaches_the_till(sim, terminal, caplog):
    for pan, _, _ in CARDS.values():  # the check does see the simulator's cards
        assert card_numbers_in(f"x {pan} y") == [pan]
    assert card_numbers_in("4111 1111 1111 1111") == ["4111111111111111"]
    caplog.set_level(logging.DEBUG)
    intent = new_intent()
    sim.queue("drop_after_approve", Scenario("decline", "Expired Card"), "wait_card")
    got = [terminal.pay(intent, 150_000, "VND"), terminal.status(intent),
           terminal.pay(new_intent(), 150_000, "VND")]
    waiting = PayInBackground(terminal, new_intent(), 150_000, "VND")
    wait_for(sim.waiting_for_card, what="the terminal to wait for a card")
    sim.present_card("amex")
    got.append(waiting.wait())
    got.append(terminal.refund(new_intent(), got[1], 50_000))
    assert [r.outcome for r in got] == [TerminalOutcome.UNKNOWN, TerminalOutcome.APPROVED,
                                        TerminalOutcome.DECLINED, TerminalOutcome.APPROVED,
                                        TerminalOutcome.APPROVED]
    received = b"\n".join(sim.sent_plaintexts).decode()  # every answer the till decrypted
    kept = "\n".join(map(repr, got))  # what the till keeps (and the UI shows, prints)
    assert "411111 **** 1111" in received  # the terminal's masked form, with the BIN, came
    assert card_numbers_in("\n".join([received, caplog.text, kept])) == []
    for value in (kept, caplog.text):  # of that, the till keeps and logs the last 4 only
        assert "411111" not in value and "cardBin" not in value and "370000" not in value
    assert {r.masked_pan for r in got} - {None} == {"**** 1111", "**** 0002"}


def test_the_card_request_benchmark_runs_end_to_end():
    """Not a performance test (`python -m bench card_request` gives the numbers): the
    scenario pays through the simulator and reports its percentiles."""
    from bench.scenarios import RunArgs
    from bench.scenarios.card_request import card_request

    result = card_request(RunArgs(iterations=5))
    assert result["iterations"] == 5 and result["currency"] == "VND"
    assert 0 < result["p50_ms"] <= result["p99_ms"] and result["cold_ms"] > 0
