"""An Adyen payment terminal simulator speaking the local Terminal API, for tests and crash runs.

Why: DESIGN.md §7 — real components, not mocks. The simulator is written from Adyen's public
documentation, not from the till's code: it serves HTTPS on 127.0.0.1 (POST /nexo) with a
certificate chain shaped like a terminal's (terminal_sim_pki), opens every request with the
real nexo encryption and answers encrypted, as a terminal does:

- PaymentRequest: per the next queued `Scenario` (approve by default): approve, decline
  ("Not enough balance", "Expired Card"), wait for a card (blocks until `present_card` or an
  AbortRequest naming the payment's ServiceID -> Failure/Aborted; with `card_timeout_s`, no
  card in time -> Failure/Cancel, as a terminal gives up after 120 s), busy, silent (charges,
  never answers), drop the connection after approving, answer with a bad HMAC. A payment
  arriving while another waits for its card is answered Busy, as a terminal does.
- AbortRequest: an empty HTTP 200, always; the waiting payment answers Aborted.
- TransactionStatusRequest: from the ledger, by MessageReference SaleID + ServiceID: NotFound
  when it never saw the payment, InProgress while it waits for a card, else Success with the
  original PaymentResponse repeated.
- ReversalRequest: against the ledger by POITransactionID: the whole payment (reversal) or
  ReversedAmount of it (referenced refund), never more than is left.
- A request it cannot decrypt (another key, passphrase or version): HTTP 401
  {"errors": ["Nexo Service: crypto error (9)"], "ServiceID": ...}, what Adyen documents.

It keeps its own LEDGER (one entry per payment it processed: intent id, amount, state,
refunds), so a test can assert that no intent was charged twice or that a decline charged
nothing; `--ledger FILE` persists it as JSON after every change. Cards are test PANs
(4111111111111111, ...), kept inside: like a real terminal it only ever sends the masked
form "411111 **** 1111" and "************1111" on slips.

Use: `TerminalSim(...).start()` in a test (see `running_sim`), or a separate process for
crash tests:

    python -m tests.hardware.terminal_sim --port 8443 --poiid P400Plus-123456789 \
        --passphrase-env SIM_PASSPHRASE [--key-id K --key-version 1] [--ledger FILE] \
        [--cert-dir DIR] [--scenario approve --scenario "decline:Not enough balance"]

It prints one JSON line ({"url", "ca_file", "poiid", "port"}) when it is listening. Another
process steers it over the same HTTPS port: POST /control/scenario {"kind": ...}, POST
/control/present-card {"card": "visa"}, POST /control/release, GET /control/ledger.

Test helper: each connection is served on its own daemon thread; shared state is guarded by
one condition variable.
"""
from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import signal
import socket
import ssl
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from hardware.terminals.nexo_crypto import NexoCryptoError, NexoKey, dumps
from tests.hardware.terminal_sim_messages import (CARDS, Ledger, LedgerEntry, amount_minor,
                                                  failure, payment_body, repeated_status,
                                                  reversal_body)
from tests.hardware.terminal_sim_pki import make_pki, terminal_common_name

KINDS = ("approve", "decline", "wait_card", "busy", "silent", "drop_after_approve", "bad_hmac")


@dataclass
class Scenario:
    kind: str = "approve"
    refusal: str = "Not enough balance"  # decline: Adyen's refusalReason
    card: str = "visa"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown scenario {self.kind!r}; one of {', '.join(KINDS)}")

    @classmethod
    def parse(cls, text: str) -> "Scenario":
        """"approve", "decline:Expired Card", "wait_card", ..."""
        kind, _, refusal = text.partition(":")
        return cls(kind, refusal) if refusal else cls(kind)


@dataclass
class _Card:
    card: str = "visa"
    refusal: str | None = None  # decline with this reason instead of approving


class TerminalSim:
    def __init__(self, poiid: str = "P400Plus-123456789", key_identifier: str = "StorelineKey",
                 key_version: int = 1, passphrase: str = "sim-passphrase-not-secret",
                 ledger_file: Path | None = None, cert_dir: Path | None = None,
                 cert_poiid: str | None = None, untrusted: bool = False,
                 host: str = "127.0.0.1", port: int = 0,
                 card_timeout_s: float | None = None) -> None:
        self.poiid = poiid
        self.card_timeout_s = card_timeout_s  # None: wait for a card forever (tests steer)
        self.key = NexoKey(key_identifier, key_version, passphrase)
        self._tmp = None if cert_dir else tempfile.TemporaryDirectory(prefix="terminal-sim-")
        self.pki = make_pki(Path(cert_dir or self._tmp.name),
                            terminal_common_name(cert_poiid or poiid), untrusted)
        self.ledger = Ledger.load(ledger_file)
        self.host, self.port = host, port
        self.cond = threading.Condition()
        self.scenarios: list[Scenario] = []
        self.cards: list[_Card] = []
        self.released = False
        self.stopping = False
        self.requests: list[dict] = []  # every decrypted request, in order
        self.raw_requests: list[bytes] = []  # their plaintext JSON
        self.sent_plaintexts: list[bytes] = []  # every answer's plaintext, before encryption
        self.arrivals_ns: list[int] = []  # perf_counter_ns when a /nexo request was read
        self.crypto_errors = 0
        self.http_requests = 0  # any HTTP request at all, /nexo or not
        self.handshakes = 0
        self._server: ThreadingHTTPServer | None = None
        self._sockets: set[socket.socket] = set()

    # --- life --------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}/nexo"

    @property
    def ca_file(self) -> str:
        return str(self.pki.ca_file)

    def start(self) -> "TerminalSim":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(self.pki.chain_file, self.pki.key_file)
        self._server = _Server((self.host, self.port), _Handler, self, ctx)
        self.port = self._server.server_address[1]
        self.stopping = False
        threading.Thread(target=self._server.serve_forever, args=(0.05,), name="terminal-sim",
                         daemon=True).start()
        return self

    def stop(self) -> None:
        """Switch off: stop listening (connections are refused) and cut every connection."""
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        for sock in list(self._sockets):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    # --- steering ----------------------------------------------------------------------------
    def queue(self, *scenarios: Scenario | str) -> None:
        with self.cond:
            self.scenarios.extend(s if isinstance(s, Scenario) else Scenario.parse(s)
                                  for s in scenarios)

    def present_card(self, card: str = "visa", refusal: str | None = None) -> None:
        """The shopper taps a card on a payment waiting for one."""
        if card not in CARDS:
            raise ValueError(f"Unknown test card {card!r}")
        with self.cond:
            self.cards.append(_Card(card, refusal))
            self.cond.notify_all()

    def release(self) -> None:
        """Let silent payments end (their connections close without an answer)."""
        with self.cond:
            self.released = True
            self.cond.notify_all()

    def waiting_for_card(self) -> bool:
        with self.cond:
            return any(e.state == "in_progress" for e in self.ledger.entries)

    # --- one /nexo request -------------------------------------------------------------------
    def handle_nexo(self, raw: bytes, handler: "_Handler") -> tuple[int, bytes] | None:
        """(HTTP status, body) to send, or None to close the connection without answering."""
        try:
            envelope = json.loads(raw)
            message = self.key.open_json(envelope, parse_float=Decimal)
        except (ValueError, NexoCryptoError):
            with self.cond:
                self.crypto_errors += 1
            service_id = _clear_service_id(raw)
            return 401, json.dumps({"errors": ["Nexo Service: crypto error (9)"],
                                    "ServiceID": service_id}).encode()
        request = message.get("SaleToPOIRequest")
        if not isinstance(request, dict):
            return 400, b'{"errors":["not a SaleToPOIRequest"]}'
        with self.cond:
            self.requests.append(message)
            self.raw_requests.append(self.key.open(envelope)[1])
        header = request.get("MessageHeader") or {}
        category = header.get("MessageCategory")
        if category == "Abort":
            self._abort(request.get("AbortRequest") or {}, header)
            return 200, b""
        if category == "Payment":
            return self._payment(request, header, handler)
        if category == "TransactionStatus":
            body = self._status(request.get("TransactionStatusRequest") or {}, header)
            return self._answer(header, "TransactionStatusResponse", body)
        if category == "Reversal":
            body = self._reversal(request.get("ReversalRequest") or {})
            return self._answer(header, "ReversalResponse", body)
        return self._answer(header, f"{category}Response",
                            failure("MessageFormat", f"{category} is not supported"))

    def _answer(self, header: dict, body_name: str, body: dict, bad_hmac: bool = False
                ) -> tuple[int, bytes]:
        answer = {"SaleToPOIResponse": {"MessageHeader": {**header, "MessageType": "Response"},
                                        body_name: body}}
        plaintext = dumps(answer)
        envelope = self.key.seal_bytes("SaleToPOIResponse",
                                       answer["SaleToPOIResponse"]["MessageHeader"], plaintext)
        if bad_hmac:
            trailer = envelope["SaleToPOIResponse"]["SecurityTrailer"]
            trailer["Hmac"] = _flip_first_byte(trailer["Hmac"])
        with self.cond:
            self.sent_plaintexts.append(plaintext)
        return 200, json.dumps(envelope).encode()

    def _payment(self, request: dict, header: dict, handler: "_Handler"
                 ) -> tuple[int, bytes] | None:
        payment = request.get("PaymentRequest") or {}
        sale_tx = (payment.get("SaleData") or {}).get("SaleTransactionID") or {}
        amounts = (payment.get("PaymentTransaction") or {}).get("AmountsReq") or {}
        currency = amounts.get("Currency")
        try:
            minor = amount_minor(amounts.get("RequestedAmount"), currency)
        except ValueError as exc:
            return self._answer(header, "PaymentResponse", failure("MessageFormat", str(exc)))
        with self.cond:
            scenario = self.scenarios.pop(0) if self.scenarios else Scenario()
            if scenario.kind == "busy" or self.waiting_for_card_locked():
                return self._answer(header, "PaymentResponse",
                                    failure("Busy", "Terminal busy", sale_tx))
            entry = LedgerEntry.new(header, sale_tx, minor, currency)
            self.ledger.add(entry)
            if scenario.kind == "wait_card":
                card = self._wait_for_card(entry)
                if card is None:  # switched off while waiting
                    return None
                scenario = Scenario("approve" if card.refusal is None else "decline",
                                    card.refusal or "", card.card)
            if entry.state != "cancelled":
                approved = scenario.kind != "decline"
                entry.state = "charged" if approved else "declined"
                entry.card = scenario.card
                entry.response = payment_body(entry, sale_tx, approved, scenario.refusal,
                                              amounts.get("RequestedAmount"))
            self.ledger.save()
        if scenario.kind == "drop_after_approve":
            return None
        if scenario.kind == "silent":
            with self.cond:
                self.cond.wait_for(lambda: self.released or self.stopping)
            return None
        return self._answer(header, "PaymentResponse", entry.response,
                            bad_hmac=scenario.kind == "bad_hmac")

    def waiting_for_card_locked(self) -> bool:
        return any(e.state == "in_progress" for e in self.ledger.entries)

    def _wait_for_card(self, entry: LedgerEntry) -> _Card | None:
        """(cond held) Block until a card is presented or the payment is aborted."""
        self.ledger.save()
        self.cond.notify_all()
        presented = self.cond.wait_for(
            lambda: self.cards or entry.abort_requested or self.stopping, self.card_timeout_s)
        if entry.abort_requested or not presented:
            entry.state = "cancelled"
            entry.response = failure(
                "Aborted" if entry.abort_requested else "Cancel",
                "Transaction cancelled by merchant" if entry.abort_requested
                else "Shopper did not present card", entry.sale_transaction)
            return _Card()
        if self.stopping:
            return None
        return self.cards.pop(0)

    def _abort(self, abort: dict, header: dict) -> None:
        ref = abort.get("MessageReference") or {}
        sale_id = ref.get("SaleID") or header.get("SaleID")
        with self.cond:
            for entry in self.ledger.entries:
                if entry.state == "in_progress" and entry.service_id == ref.get("ServiceID") \
                        and entry.sale_id == sale_id:
                    entry.abort_requested = True
            self.cond.notify_all()

    def _status(self, status: dict, header: dict) -> dict:
        ref = status.get("MessageReference")
        with self.cond:
            if ref:
                entry = self.ledger.by_service(ref.get("SaleID") or header.get("SaleID"),
                                               ref.get("ServiceID"))
            else:
                entry = self.ledger.entries[-1] if self.ledger.entries else None
            if entry is None:
                return failure("NotFound", "No transaction found with the given reference")
            if entry.state == "in_progress":
                return failure("InProgress", "Transaction in progress")
            return repeated_status(entry)

    def _reversal(self, reversal: dict) -> dict:
        poi = (reversal.get("OriginalPOITransaction") or {}).get("POITransactionID") or {}
        sale_tx = (reversal.get("SaleData") or {}).get("SaleTransactionID") or {}
        if not poi.get("TimeStamp"):
            return failure("MessageFormat", "POITransactionID.TimeStamp is missing")
        with self.cond:
            entry = self.ledger.by_poi(poi.get("TransactionID"))
            if entry is None:
                return failure("NotFound", "Original transaction not found")
            if entry.state not in ("charged",):
                return failure("NotAllowed", f"Original transaction is {entry.state}")
            left = entry.amount - entry.refunded
            wanted = reversal.get("ReversedAmount")
            try:
                amount = left if wanted is None else amount_minor(wanted, entry.currency)
            except ValueError as exc:
                return failure("MessageFormat", str(exc))
            if amount <= 0 or amount > left:
                return failure("NotAllowed", f"Cannot give back {amount}: {left} left")
            body = reversal_body(entry, amount, sale_tx, whole=wanted is None)
            self.ledger.save()
            return body


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, handler, sim: TerminalSim, ctx: ssl.SSLContext) -> None:
        self.sim, self.ssl_context = sim, ctx
        super().__init__(address, handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        return self.ssl_context.wrap_socket(sock, server_side=True,
                                            do_handshake_on_connect=False), addr

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up or refuses our certificate is not the simulator's error


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed ACK
    server: _Server

    def setup(self) -> None:
        sim = self.server.sim
        sim._sockets.add(self.request)
        self.request.do_handshake()
        with sim.cond:
            sim.handshakes += 1
        super().setup()

    def finish(self) -> None:
        self.server.sim._sockets.discard(self.request)
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base's name
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        sim = self.server.sim
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with sim.cond:
            sim.http_requests += 1
            if self.path == "/nexo":
                sim.arrivals_ns.append(time.perf_counter_ns())
        if self.path == "/nexo":
            reply = sim.handle_nexo(raw, self)
        else:
            reply = _control(sim, self.path, raw)
        if reply is None:
            self.close_connection = True
            return
        self._send(*reply)

    def do_GET(self) -> None:  # noqa: N802
        self.server.sim.http_requests += 1
        self._send(*_control(self.server.sim, self.path, b""))

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _control(sim: TerminalSim, path: str, raw: bytes) -> tuple[int, bytes]:
    try:
        data = json.loads(raw) if raw else {}
        if path == "/control/scenario":
            sim.queue(Scenario(**data))
        elif path == "/control/present-card":
            sim.present_card(**data)
        elif path == "/control/release":
            sim.release()
        elif path != "/control/ledger":
            return 404, b'{"errors":["no such path"]}'
    except (ValueError, TypeError) as exc:
        return 400, json.dumps({"errors": [str(exc)]}).encode()
    with sim.cond:
        return 200, dumps(sim.ledger.to_json())


def _clear_service_id(raw: bytes) -> str | None:
    try:
        body = next(iter(json.loads(raw).values()))
        return body["MessageHeader"]["ServiceID"]
    except (ValueError, KeyError, TypeError, AttributeError, StopIteration):
        return None


def _flip_first_byte(b64: str) -> str:
    data = bytearray(base64.b64decode(b64))
    data[0] ^= 0x01
    return base64.b64encode(bytes(data)).decode()


def control(port: int, ca_file: str, path: str, payload: dict | None = None,
            host: str = "127.0.0.1") -> object:
    """Steer a simulator running in another process: `control(port, ca, "/control/ledger")`,
    `control(port, ca, "/control/present-card", {"card": "visa"})`. Verifies its certificate
    against `ca_file` (not the IP, which no terminal certificate names)."""
    ctx = ssl.create_default_context(cafile=ca_file)
    ctx.check_hostname = False
    conn = http.client.HTTPSConnection(host, port, context=ctx, timeout=60)
    try:
        body = None if payload is None else json.dumps(payload)
        conn.request("GET" if payload is None else "POST", path, body,
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        data = json.loads(response.read() or b"null", parse_float=Decimal)
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status} {data}")
        return data
    finally:
        conn.close()


@contextmanager
def running_sim(**kwargs):
    """A started simulator, stopped and cleaned up afterwards (for pytest fixtures)."""
    sim = TerminalSim(**kwargs).start()
    try:
        yield sim
    finally:
        sim.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.hardware.terminal_sim")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--poiid", default="P400Plus-123456789")
    p.add_argument("--key-id", default="StorelineKey")
    p.add_argument("--key-version", type=int, default=1)
    p.add_argument("--passphrase-env", required=True, metavar="VAR",
                   help="environment variable holding the shared key's passphrase")
    p.add_argument("--ledger", type=Path, help="JSON file the ledger is kept in")
    p.add_argument("--cert-dir", type=Path, help="where the certificates are (made if absent)")
    p.add_argument("--card-timeout", type=float, metavar="S",
                   help="cancel a payment waiting for a card after S seconds (a real "
                        "terminal: 120); default: wait until a card or an abort comes")
    p.add_argument("--scenario", action="append", default=[],
                   help=f"queue a scenario: {', '.join(KINDS)} (decline:REASON)")
    args = p.parse_args(argv)
    passphrase = os.environ.get(args.passphrase_env)
    if not passphrase:
        p.error(f"environment variable {args.passphrase_env} is empty or not set")
    sim = TerminalSim(args.poiid, args.key_id, args.key_version, passphrase, args.ledger,
                      args.cert_dir, host=args.host, port=args.port,
                      card_timeout_s=args.card_timeout)
    sim.queue(*args.scenario)
    sim.start()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    print(json.dumps({"url": sim.url, "ca_file": sim.ca_file, "poiid": sim.poiid,
                      "port": sim.port}), flush=True)
    stop.wait()
    sim.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
