"""A fault-injecting TCP proxy on loopback between the HQ client and an HTTP server.

Why: the network between a store and HQ drops, resets, stalls and repeats; the sync code must
keep its promises (every sale at HQ exactly once, nothing stuck) through all of it. The proxy
reads whole HTTP/1.1 requests and responses (Content-Length framing, which the fake HQ and
uvicorn both use for these endpoints) so that it can act per request. Actions, taken from
`plan` in order, one per request, then `default` ("pass"):

    pass             forward the request, forward the whole response
    drop_mid         forward the request; send the client half of the response, then close
    reset            send an RST to the client before forwarding anything (server never sees it)
    reset_after      forward the request, wait for the response, then RST the client
    delay:<s>        wait <s> seconds before forwarding the response (client read timeouts)
    duplicate        send the request bytes twice upstream (the second copy on its own
                     connection, like a retransmission); the client gets the first answer
    blackhole        accept and read the request but never answer (until the client gives up)
    cut_after:<n>    forward the request; relay the first <n> bytes of the response as they
                     come (any framing, chunked streams too), then close the connection

Runs an accept thread and one thread per client connection; all daemon threads.
"""
from __future__ import annotations

import socket
import struct
import threading
import time


def _read_message(sock: socket.socket, buf: bytearray) -> bytes | None:
    """One HTTP message (head + Content-Length body) from `sock`; None at EOF."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    head_end = buf.index(b"\r\n\r\n") + 4
    length = 0
    for line in bytes(buf[:head_end]).split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(buf) < head_end + length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    message = bytes(buf[:head_end + length])
    del buf[:head_end + length]
    return message


def _relay(source: socket.socket, dest: socket.socket, limit: int) -> None:
    """Copy up to `limit` bytes from `source` to `dest` as they arrive."""
    while limit > 0:
        chunk = source.recv(min(65536, limit))
        if not chunk:
            return
        dest.sendall(chunk)
        limit -= len(chunk)


def _rst_close(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class FaultProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.plan: list[str] = []
        self.default = "pass"
        self.actions_taken: list[str] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._closing = False
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def start(self) -> "FaultProxy":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing = True
        self._listener.close()

    def _next_action(self) -> str:
        with self._lock:
            action = self.plan.pop(0) if self.plan else self.default
            self.actions_taken.append(action)
            return action

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        cbuf, ubuf = bytearray(), bytearray()
        try:
            while True:
                request = _read_message(client, cbuf)
                if request is None:
                    return
                action = self._next_action()
                if action == "reset":
                    _rst_close(client)
                    return
                if upstream is None:
                    upstream = socket.create_connection(self.upstream)
                upstream.sendall(request)
                if action == "duplicate":
                    threading.Thread(target=self._send_copy, args=(request,), daemon=True).start()
                if action.startswith("cut_after:"):
                    _relay(upstream, client, int(action.split(":", 1)[1]))
                    return
                response = _read_message(upstream, ubuf)
                if response is None:
                    return
                if action == "blackhole":
                    client.recv(1)  # until the client times out and closes
                    return
                if action == "reset_after":
                    _rst_close(client)
                    return
                if action == "drop_mid":
                    client.sendall(response[: max(1, len(response) // 2)])
                    return
                if action.startswith("delay:"):
                    time.sleep(float(action.split(":", 1)[1]))
                client.sendall(response)
        except OSError:
            return
        finally:
            for s in (client, upstream):
                if s is not None:
                    try:
                        s.close()
                    except OSError:
                        pass

    def _send_copy(self, request: bytes) -> None:
        try:
            with socket.create_connection(self.upstream) as dup:
                dup.sendall(request)
                _read_message(dup, bytearray())
        except OSError:
            pass
