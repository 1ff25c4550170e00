"""A thermal receipt printer simulator: a real TCP server on loopback, or a pseudo-terminal.

Why: DESIGN.md §7 -- real sockets and real pseudo-terminals, not mocks. The simulator
behaves like an Epson-compatible printer on the wire: it takes every byte it is sent (into
`received`, per connection), and answers the real-time status request DLE EOT n (n = 1..4)
at once with one byte built from its settable state per the ESC/POS reference (fixed bits
0x12; n=1 bit2 drawer pin 3, bit3 offline; n=2 bit2 cover open, bit5 stopped at paper end,
bit6 error; n=3 bit3 cutter, bit5 unrecoverable; n=4 bits 2-3 near end, bits 5-6 paper out).
It records DLE DC4 1 (real-time drawer pulse). It can be switched off (the port refuses
connections) and on again (same port), or told to ignore status requests like a printer
without status support.

Test helper: the servers run on daemon threads; state is guarded by a lock. A TCP connection
is marked `closed` once the simulator has taken every byte of it and hung up, so a test can wait
for that instead of guessing how long the simulator's thread needs on a busy machine.
"""
from __future__ import annotations

import os
import select
import socket
import struct
import threading
import tty
from dataclasses import dataclass, field

from tests.waiting import WAIT_S, wait_for

DLE, EOT, DC4 = 0x10, 0x04, 0x14


@dataclass
class PrinterState:
    paper: str = "ok"  # "ok" | "near_end" | "out"
    cover_open: bool = False
    drawer_pin3_high: bool = False  # with the default polarity: drawer open
    cutter_error: bool = False
    answers_status: bool = True  # False: a printer that ignores DLE EOT
    crash_on_job: bool = False  # reset the connection when job data (not status) arrives

    @property
    def offline(self) -> bool:
        return self.paper == "out" or self.cover_open or self.cutter_error


def status_byte(state: PrinterState, n: int) -> int:
    value = 0x12
    if n == 1:
        value |= (0x04 if state.drawer_pin3_high else 0) | (0x08 if state.offline else 0)
    elif n == 2:
        value |= (0x04 if state.cover_open else 0) | (0x20 if state.paper == "out" else 0)
        value |= 0x40 if state.cutter_error else 0
    elif n == 3:
        value |= 0x08 if state.cutter_error else 0
    elif n == 4:
        value |= {"ok": 0, "near_end": 0x0C, "out": 0x6C}[state.paper]
    return value


@dataclass
class Connection:
    received: bytearray = field(default_factory=bytearray)
    status_queries: list = field(default_factory=list)
    pulses: int = 0
    closed: bool = False  # TCP: the host hung up and every byte it sent was taken


class PrinterLogic:
    """The byte-level behaviour shared by the TCP and the pty simulator."""

    def __init__(self, state: PrinterState | None = None) -> None:
        self.state = state or PrinterState()
        self.lock = threading.Lock()
        self.connections: list[Connection] = []

    def open_connection(self) -> Connection:
        with self.lock:
            conn = Connection()
            self.connections.append(conn)
            return conn

    def feed(self, conn: Connection, data: bytes) -> bytes:
        """Take bytes from the host; return the printer's answers."""
        with self.lock:
            start = len(conn.received)
            conn.received += data
            reply = bytearray()
            buf = conn.received
            i = max(0, start - 4)  # a request may have been split across reads
            while i < len(buf) - 2:
                if buf[i] == DLE and buf[i + 1] == EOT and 1 <= buf[i + 2] <= 4 \
                        and i + 2 >= start:
                    conn.status_queries.append(buf[i + 2])
                    if self.state.answers_status:
                        reply.append(status_byte(self.state, buf[i + 2]))
                    i += 3
                elif buf[i] == DLE and buf[i + 1] == DC4 and i + 4 < len(buf) \
                        and buf[i + 2] == 1 and i + 4 >= start:
                    conn.pulses += 1
                    i += 5
                else:
                    i += 1
            return bytes(reply)

    def payload(self, conn: Connection) -> bytes:
        """What a connection sent after its leading status requests."""
        with self.lock:
            data = bytes(conn.received)
        while data[:2] == bytes([DLE, EOT]) and len(data) >= 3:
            data = data[3:]
        return data

    def payloads(self) -> list[bytes]:
        """`payload` of every connection so far, in order (empty ones too)."""
        with self.lock:
            connections = list(self.connections)
        return [self.payload(conn) for conn in connections]


class TcpPrinterSim:
    """A network printer on 127.0.0.1:<port>; `uri` is its printer URI."""

    def __init__(self, state: PrinterState | None = None) -> None:
        self.logic = PrinterLogic(state)
        self.port = 0
        self._listener: socket.socket | None = None
        self._clients: list[socket.socket] = []
        self._threads: list[threading.Thread] = []

    @property
    def state(self) -> PrinterState:
        return self.logic.state

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def switch_on(self) -> "TcpPrinterSim":
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(8)
        self.port = listener.getsockname()[1]
        self._listener = listener
        thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def switch_off(self) -> None:
        """Stop listening and drop open connections: new connections are refused."""
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked on it
            except OSError:
                pass
            listener.close()
        for thread in self._threads:
            thread.join(timeout=WAIT_S)
        self._threads.clear()
        for client in self._clients:
            try:
                client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            client.close()
        self._clients.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            self._clients.append(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        conn = self.logic.open_connection()
        try:
            while data := client.recv(65536):
                reply = self.logic.feed(conn, data)
                if reply:
                    client.sendall(reply)
                if self.state.crash_on_job and self.logic.payload(conn):
                    # SO_LINGER 0: close with a reset, like a printer that lost power
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                      struct.pack("ii", 1, 0))
                    break
        except OSError:
            pass
        finally:
            client.close()  # the host half-closed: close our side too, like a printer does
            conn.closed = True

    def wait_closed(self, count: int, timeout: float = WAIT_S) -> list[Connection]:
        """Wait until `count` connections have come and all of them are closed (every byte
        they carried is in `received`); the connections."""
        def done():
            with self.logic.lock:
                conns = list(self.logic.connections)
            return conns if len(conns) >= count and all(c.closed for c in conns) else None
        return wait_for(done, timeout, f"{count} finished printer connection(s)")

    def __enter__(self) -> "TcpPrinterSim":
        return self.switch_on()

    def __exit__(self, *exc) -> None:
        self.switch_off()


class PtyPrinterSim:
    """A serial printer on a pseudo-terminal; `device` is the path the host opens."""

    def __init__(self, state: PrinterState | None = None) -> None:
        self.logic = PrinterLogic(state)
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # bytes pass untouched: no echo, no newline translation
        self.device = os.ttyname(self.slave)
        self.connection = self.logic.open_connection()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def state(self) -> PrinterState:
        return self.logic.state

    @property
    def received(self) -> bytes:
        with self.logic.lock:
            return bytes(self.connection.received)

    def uri(self, baudrate: int = 19200) -> str:
        return f"serial://{self.device}?baudrate={baudrate}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            reply = self.logic.feed(self.connection, data)
            if reply:
                os.write(self.master, reply)

    def __enter__(self) -> "PtyPrinterSim":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=WAIT_S)
        os.close(self.master)
        os.close(self.slave)
