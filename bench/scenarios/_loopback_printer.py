"""A network receipt printer on loopback that notes when each connection's bytes arrive.

Why: the print budget (DESIGN.md §8) is "payment accepted -> first byte at the printer",
so the benchmark needs a real TCP printer that timestamps, on its own side of the socket,
the first byte of each connection (the status request DLE EOT) and the first byte of the
receipt itself (after the status requests). It answers DLE EOT n at once with "ready" like
an Epson printer, so the timing includes the status round trips a real printer costs.

Benchmark helper: a listener thread and one thread per connection; timestamps are
`time.perf_counter_ns()` of this process.
"""
from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

_DLE_EOT = b"\x10\x04"
_READY = 0x12  # fixed bits of every DLE EOT answer: online, paper, cover closed, no error


@dataclass
class Arrival:
    first_byte_ns: int | None = None
    first_job_byte_ns: int | None = None
    size: int = 0
    done: threading.Event = field(default_factory=threading.Event)


class LoopbackPrinter:
    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.uri = f"tcp://127.0.0.1:{self._listener.getsockname()[1]}"
        self.arrivals: list[Arrival] = []
        self._lock = threading.Lock()
        self._new = threading.Condition(self._lock)
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()

    def wait_for_connection(self, index: int, timeout: float = 10.0) -> Arrival:
        with self._new:
            if not self._new.wait_for(lambda: len(self.arrivals) > index, timeout):
                raise TimeoutError(f"the printer got no connection #{index + 1}")
            return self.arrivals[index]

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            arrival = Arrival()
            with self._new:
                self.arrivals.append(arrival)
                self._new.notify_all()
            threading.Thread(target=self._serve, args=(client, arrival), daemon=True).start()

    @staticmethod
    def _serve(client: socket.socket, arrival: Arrival) -> None:
        pending = b""
        in_job = False
        try:
            while data := client.recv(65536):
                now = time.perf_counter_ns()
                if arrival.first_byte_ns is None:
                    arrival.first_byte_ns = now
                arrival.size += len(data)
                if in_job:
                    continue
                pending += data
                while pending[:2] == _DLE_EOT and len(pending) >= 3:
                    client.sendall(bytes([_READY]))
                    pending = pending[3:]
                if pending and pending[:2] != _DLE_EOT[:len(pending[:2])]:
                    arrival.first_job_byte_ns = now
                    in_job = True
        except OSError:
            pass
        finally:
            client.close()
            arrival.done.set()
