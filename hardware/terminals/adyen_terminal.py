"""`AdyenTerminal`: the `PaymentTerminal` port over Adyen's local Terminal API.

Why: the till talks to the terminal directly on the store network (POST https://IP:8443/nexo,
one request, one synchronous answer), so it must itself do what a cloud integration gets for
free (Adyen, "Protect local communications"):

- Identity before anything is sent. The TLS certificate must chain to the CA file of the
  settings (Adyen's TEST or LIVE terminal root; the terminal sends the intermediate), and its
  common name must be this terminal's: [POIID].<test|live>.terminal.adyen.com. The IP address
  never matches a terminal certificate, so hostname checking is off and the common name is
  compared right after the handshake, inside the connection's `connect()`: a terminal that
  fails either check gets the TCP+TLS handshake and nothing else, and the call raises
  `TerminalIdentityError`. A kept-alive connection was checked when it was opened.
- Every message encrypted and authenticated (nexo_crypto). An answer that does not
  authenticate is not believed: UNKNOWN, never APPROVED. A terminal that cannot decrypt the
  till's request answers HTTP 401 {"errors": ["Nexo Service: crypto error (9)"]}: the shared
  key in the settings is wrong, the terminal read nothing, and the call raises
  `TerminalKeyError` (a settings problem for the manager; nothing was charged).
- Lost answers are UNKNOWN, not errors: the request went out and the card may have been
  charged. What decides between UNREACHABLE (nothing sent) and UNKNOWN is whether any of the
  request's bytes were handed to the connection, tracked per thread (`_wire`): a refused or
  timed-out connection or a failed handshake is UNREACHABLE; a reset, a read timeout (the
  payment timeout is 150 s: card presentation takes a while, and the terminal gives up itself
  at 120 s) or an unreadable answer is UNKNOWN, and `status(intent_id)` asks the terminal.

Threads: every method blocks on the network and runs on a worker thread, never the UI
thread. `abort` is meant to be called from another thread while `pay` blocks; the session's
connection pool gives it its own connection. Methods never raise for terminal trouble (the
port's contract): only `TerminalError` subclasses for settings and identity problems, raised
before the terminal could act on the request.
"""
from __future__ import annotations

import json
import logging
import ssl
import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from hardware.terminals import nexo_messages as nexo
from hardware.terminals.nexo_crypto import NexoCryptoError, NexoKey, dumps
from hardware.terminals.terminal_settings import TerminalSettings
from pos_app.payments.terminal import TerminalError, TerminalOutcome, TerminalResult

log = logging.getLogger(__name__)
_wire = threading.local()  # how far the current thread's request got: start/connecting/sending


class TerminalIdentityError(TerminalError):
    """The device at the terminal's address is not the configured terminal: its certificate
    does not chain to the CA file, or names another POIID. Nothing was sent to it."""


class TerminalKeyError(TerminalError):
    """The terminal could not decrypt the till's request ("crypto error"): the key
    identifier, key version or passphrase in the settings differ from the terminal's shared
    key. The terminal read nothing, so nothing was charged."""


class _IdentityRefused(Exception):
    """Raised inside connect(); deliberately not an OSError, so urllib3 and requests let it
    through unchanged instead of retrying or wrapping it."""


class _CheckedHTTPSConnection(HTTPSConnection):
    expected_names: tuple[str, ...] = ()
    ca_file = ""

    def connect(self) -> None:
        _wire.phase = "connecting"
        try:
            super().connect()
        except ssl.SSLCertVerificationError as exc:
            raise _IdentityRefused(
                f"The device at {self.host}:{self.port} presents a certificate that does not "
                f"chain to the CA file {self.ca_file} ({exc.verify_message}): nothing was "
                "sent to it. Check that the CA file is Adyen's terminal root certificate for "
                "this environment and that the address is the terminal's.") from None
        common_name = _common_name(self.sock.getpeercert())
        if common_name not in self.expected_names:
            self.close()
            raise _IdentityRefused(
                f"The device at {self.host}:{self.port} presents a certificate for "
                f"{common_name!r}, not for {' or '.join(self.expected_names)}: nothing was "
                "sent to it. Check the POIID in the settings, or which device answers at that "
                "address.")
        _wire.phase = "connected"

    def request(self, *args, **kwargs):  # noqa: ANN002, ANN003 - urllib3's signature
        _wire.phase = "sending"
        return super().request(*args, **kwargs)


def _common_name(cert: dict | None) -> str | None:
    for rdn in (cert or {}).get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                return value
    return None


class _TerminalAdapter(HTTPAdapter):
    """requests' adapter with our SSL context (the settings' CA only, no hostname check) and
    the checking connection class; never the system or certifi CA bundle."""

    def __init__(self, settings: TerminalSettings) -> None:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.check_hostname = False  # the IP never matches: the common name is checked instead
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(cafile=settings.ca_file)
        self._ssl_context = ctx
        connection = type("TerminalConnection", (_CheckedHTTPSConnection,),
                          {"expected_names": settings.expected_common_names,
                           "ca_file": settings.ca_file})
        self._pool_class = type("TerminalPool", (HTTPSConnectionPool,),
                                {"ConnectionCls": connection})
        super().__init__(pool_connections=1, pool_maxsize=4, max_retries=0)

    def init_poolmanager(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": HTTPConnectionPool,
                                                   "https": self._pool_class}

    def build_connection_pool_key_attributes(self, request, verify, cert=None):  # noqa: ANN001
        host_params, _ = super().build_connection_pool_key_attributes(request, verify, cert)
        return host_params, {"ssl_context": self._ssl_context, "assert_hostname": False,
                             "cert_reqs": "CERT_REQUIRED"}

    def cert_verify(self, conn, url, verify, cert) -> None:  # noqa: ANN001
        conn.cert_reqs = "CERT_REQUIRED"  # with our context: the settings' CA file only
        conn.ca_certs = None
        conn.ca_cert_dir = None


@dataclass(frozen=True, slots=True)
class _Reply:
    """What became of one request: `sent` False means the terminal got none of it."""

    sent: bool
    message: dict | None = None  # the decrypted answer, when there is one
    problem: str = ""  # why there is no trustworthy answer


class AdyenTerminal:
    """One Adyen terminal on the store network (see the module docstring)."""

    def __init__(self, settings: TerminalSettings) -> None:
        self.settings = settings
        self._key = NexoKey(settings.key_identifier, settings.key_version, settings.passphrase)
        self._session = requests.Session()
        self._session.trust_env = False  # no proxy or CA bundle from the environment
        self._session.mount("https://", _TerminalAdapter(settings))
        self._times_lock = threading.Lock()
        self._poi_times: OrderedDict[str, str] = OrderedDict()  # reference -> POI TimeStamp

    def __repr__(self) -> str:
        return f"AdyenTerminal({self.settings})"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> "AdyenTerminal":
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self.close()

    # --- the port --------------------------------------------------------------------------
    def pay(self, intent_id: str, amount: int, currency: str) -> TerminalResult:
        s = self.settings
        request = nexo.payment_request(intent_id, amount, currency, s.sale_id, s.poiid)
        reply = self._exchange(request, s.payment_timeout_s)
        result = self._read(reply, request, intent_id, "PaymentResponse",
                            lambda body: nexo.payment_result(body, intent_id, currency, amount))
        return self._logged("payment", result)

    def abort(self, intent_id: str) -> None:
        """Ask the terminal to abort the payment of `intent_id` (any thread). The terminal
        answers an AbortRequest with an empty 200; the payment's own answer says whether it
        was aborted (CANCELLED) or had already finished."""
        s = self.settings
        try:
            reply = self._exchange(nexo.abort_request(intent_id, s.sale_id, s.poiid),
                                   s.request_timeout_s)
        except TerminalError as exc:
            log.warning("terminal %s: abort of %s not sent: %s", s.poiid, intent_id, exc)
            return
        log.info("terminal %s: abort of %s %s%s", s.poiid, intent_id,
                 "sent" if reply.sent else "not sent", f" ({reply.problem})"
                 if reply.problem else "")

    def status(self, intent_id: str) -> TerminalResult:
        s = self.settings
        request = nexo.status_request(intent_id, s.sale_id, s.poiid)
        reply = self._exchange(request, s.request_timeout_s)
        result = self._read(reply, request, intent_id, "TransactionStatusResponse",
                            lambda body: nexo.status_result(body, intent_id))
        if result.outcome is TerminalOutcome.UNREACHABLE or (
                reply.message is not None and "SaleToPOIRequest" in reply.message):
            # Not being able to ask says nothing about the payment: never "nothing charged".
            result = nexo.unknown(intent_id, f"Could not ask the terminal: {result.message}")
        return self._logged("status", result)

    def reverse(self, intent_id: str, original: TerminalResult) -> TerminalResult:
        """Give back the whole of an approved payment (a ReversalRequest without an amount)."""
        return self._reversal(str(nexo.intent_uuid(intent_id)), original, original.amount,
                              None, "reversal")

    def refund(self, refund_id: str, original: TerminalResult, amount: int) -> TerminalResult:
        """A referenced refund of `amount` (minor units) of an approved payment: Adyen's
        ReversalRequest with ReversedAmount, named by the refund's UUID in SaleData."""
        if amount <= 0 or (original.amount and amount > original.amount):
            raise ValueError(f"A refund is for more than zero and at most the payment's "
                             f"{original.amount}, not {amount}")
        return self._reversal(str(nexo.intent_uuid(refund_id)), original, amount,
                              nexo.major_units(amount, original.currency), "refund")

    # --- one request -----------------------------------------------------------------------
    def _reversal(self, transaction_id: str, original: TerminalResult, amount: int,
                  reversed_amount: Decimal | None, what: str) -> TerminalResult:
        s = self.settings
        if not original.reference:
            return self._logged(what, TerminalResult(
                TerminalOutcome.DECLINED, transaction_id, currency=original.currency,
                message="The payment has no terminal reference: reverse it on the terminal or "
                        "in the Customer Area"))
        request = nexo.reversal_request(transaction_id, original.reference,
                                        self._poi_time(original.reference), s.sale_id, s.poiid,
                                        reversed_amount)
        reply = self._exchange(request, s.request_timeout_s)
        result = self._read(reply, request, transaction_id, "ReversalResponse",
                            lambda body: nexo.reversal_result(body, transaction_id, amount,
                                                              original.currency))
        return self._logged(what, result)

    def _exchange(self, message: dict, read_timeout_s: float) -> _Reply:
        """Encrypt, send, receive, decrypt. Raises only TerminalIdentityError and
        TerminalKeyError; every other failure is a _Reply without a message."""
        kind, body = next(iter(message.items()))
        envelope = self._key.seal_bytes(kind, body["MessageHeader"], dumps(message))
        payload = json.dumps(envelope, separators=(",", ":")).encode("ascii")
        where = f"{self.settings.url}"
        _wire.phase = "start"
        try:
            response = self._session.post(
                self.settings.url, data=payload, headers={"Content-Type": "application/json"},
                timeout=(self.settings.connect_timeout_s, read_timeout_s))
        except _IdentityRefused as exc:
            raise TerminalIdentityError(str(exc)) from None
        except requests.exceptions.ConnectTimeout:
            return _Reply(False, problem=f"{where} did not accept a connection within "
                                         f"{self.settings.connect_timeout_s:g} s")
        except requests.exceptions.ReadTimeout:
            sent = getattr(_wire, "phase", "") == "sending"
            return _Reply(sent, problem=f"no answer from {where} within {read_timeout_s:g} s")
        except requests.exceptions.RequestException as exc:
            sent = getattr(_wire, "phase", "") == "sending"
            return _Reply(sent, problem=_describe(exc, where, sent))
        text = response.content
        if response.status_code == 401 and b"crypto" in text.lower():
            raise TerminalKeyError(
                f"The terminal {self.settings.poiid} could not decrypt the request (it "
                f"answered {_errors(text)}): the key identifier, key version or passphrase "
                "in the settings are not the terminal's shared key. Nothing was charged.")
        if response.status_code != 200:
            return _Reply(True, problem=f"the terminal answered HTTP {response.status_code}")
        if not text.strip():
            return _Reply(True)
        try:
            envelope = json.loads(text)
            answer = self._key.open_json(envelope, parse_float=Decimal)
        except (ValueError, NexoCryptoError) as exc:
            return _Reply(True, problem=f"the terminal's answer could not be trusted ({exc})")
        return _Reply(True, message=answer)

    def _read(self, reply: _Reply, request: dict, intent_id: str, body_name: str,
              parse) -> TerminalResult:  # noqa: ANN001
        if reply.message is None:
            if not reply.sent:
                return TerminalResult(TerminalOutcome.UNREACHABLE, intent_id,
                                      message=f"Nothing was sent: {reply.problem}")
            return nexo.unknown(intent_id, f"Sent, but {reply.problem or 'no answer came'}: "
                                           "ask the terminal for this transaction's status")
        asked = request["SaleToPOIRequest"]["MessageHeader"]
        if "SaleToPOIRequest" in reply.message:  # an event instead of an answer
            event = reply.message["SaleToPOIRequest"].get("EventNotification") or {}
            if event.get("EventToNotify") == "Reject":
                return TerminalResult(TerminalOutcome.DECLINED, intent_id, message=(
                    "The terminal rejected the request: "
                    f"{nexo.scrub_card_numbers(str(event.get('EventDetails', '')))}"))
            return nexo.unknown(intent_id, "The terminal sent an event instead of an answer")
        answer = reply.message["SaleToPOIResponse"]
        got = answer.get("MessageHeader") or {}
        if got.get("ServiceID") != asked["ServiceID"] \
                or got.get("MessageCategory") != asked["MessageCategory"]:
            return nexo.unknown(intent_id, "The terminal's answer is for another request")
        body = answer.get(body_name)
        self._remember_poi_time(body)
        return parse(body)

    # --- helpers ---------------------------------------------------------------------------
    def _remember_poi_time(self, body: object) -> None:
        """Keep (reference -> the terminal's TimeStamp) of recent answers: a reversal names
        the original transaction by both."""
        if isinstance(body, dict) and "RepeatedMessageResponse" in body:
            body = nexo.dig(body, "RepeatedMessageResponse", "RepeatedResponseMessageBody",
                             "PaymentResponse")
        poi = nexo.dig(body, "POIData", "POITransactionID")
        if isinstance(poi, dict) and poi.get("TransactionID") and poi.get("TimeStamp"):
            with self._times_lock:
                self._poi_times[str(poi["TransactionID"])] = str(poi["TimeStamp"])
                while len(self._poi_times) > 512:
                    self._poi_times.popitem(last=False)

    def _poi_time(self, reference: str) -> str:
        """The original's TimeStamp when this till saw it; otherwise now (Adyen finds the
        original by its TransactionID)."""
        with self._times_lock:
            return self._poi_times.get(reference) or nexo.timestamp()

    def _logged(self, what: str, result: TerminalResult) -> TerminalResult:
        log.info("terminal %s: %s %s -> %s%s", self.settings.poiid, what, result.intent_id,
                 result.outcome.value, f" ({result.message})" if result.message else "")
        return result


def _describe(exc: requests.exceptions.RequestException, where: str, sent: bool) -> str:
    chain, cause = [], exc
    while cause is not None and len(chain) < 8:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__ or \
            (cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else None)
        if hasattr(chain[-1], "reason") and isinstance(chain[-1].reason, BaseException):
            cause = chain[-1].reason
    if any(isinstance(c, ConnectionRefusedError) for c in chain):
        return f"{where} refused the connection (is the terminal on, and on this network?)"
    if not sent:
        return f"could not connect to {where} ({type(chain[-1]).__name__})"
    return f"the connection to {where} broke ({type(chain[-1]).__name__})"


def _errors(text: bytes) -> str:
    try:
        errors = json.loads(text).get("errors")
    except (ValueError, AttributeError):
        errors = None
    return "; ".join(map(str, errors)) if isinstance(errors, list) and errors else "401"
