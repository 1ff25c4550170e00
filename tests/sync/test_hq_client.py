"""HQClient: HTTP outcomes map onto the small error hierarchy; auth header; health."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sync.hq_client import HQBusy, HQClient, HQRejected, HQServerError, HQUnreachable


class Canned(BaseHTTPRequestHandler):
    """Answers every request with the server's (status, body, headers); records the headers."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        status, body, headers = self.server.answer
        self.server.seen.append(dict(self.headers))
        data = body.encode()
        self.send_response(status)
        for k, v in {"Content-Length": str(len(data)), **headers}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def canned():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Canned)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, HQClient(f"http://127.0.0.1:{server.server_address[1]}/", ("dev-1", "s3cr3t"))
    server.shutdown()
    server.server_close()


PAGE = json.dumps({"changes": [], "next_cursor": 7, "has_more": False})


@pytest.mark.parametrize("status,body,headers,error,check", [
    (401, '{"detail": "device revoked"}', {}, HQRejected,
     lambda e: e.status == 401 and e.reason == "device revoked" and not e.retryable),
    (422, "not json", {}, HQRejected, lambda e: e.reason == "not json"),
    (429, "{}", {"Retry-After": "12"}, HQBusy, lambda e: e.retry_after == 12 and e.retryable),
    (503, '{"detail": "db down"}', {}, HQServerError, lambda e: e.status == 503 and e.retryable),
    (200, '{"changes": "nope"}', {}, HQServerError, lambda e: "ChangePage" in e.reason),
])
def test_http_outcomes_map_to_errors(canned, status, body, headers, error, check):
    server, client = canned
    server.answer = (status, body, headers)
    with pytest.raises(error) as err:
        client.changes(0, 10)
    assert check(err.value)
    assert "s3cr3t" not in str(err.value)


def test_success_sends_bearer_auth_and_parses(canned):
    server, client = canned
    server.answer = (200, PAGE, {})
    assert client.changes(3, 10).next_cursor == 7
    assert server.seen[-1]["Authorization"] == "Bearer dev-1.s3cr3t"
    assert "s3cr3t" not in repr(client)
    server.answer = (200, '{"status": "ok"}', {})
    assert client.health() is True
    server.answer = (500, "", {})
    assert client.health() is False


def test_unreachable_and_unenrolled():
    import socket
    with socket.socket() as s:  # bound, never listening: nobody else can take the port
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        client = HQClient(f"http://127.0.0.1:{port}", ("d", "x"), timeout=(0.5, 0.5))
        with pytest.raises(HQUnreachable):
            client.journal_status()
        assert client.health() is False
        with pytest.raises(HQRejected):
            HQClient(f"http://127.0.0.1:{port}").changes(0, 1)


def test_a_kept_alive_connection_hq_closed_is_replaced_once_but_a_refusal_is_not_retried():
    """HQ answers, then closes the kept-alive connection (as uvicorn does after a failed
    request); the till's next request on it is sent again on a new connection, once."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    connections: list[int] = []

    def serve() -> None:
        for n in range(2):
            conn, _ = listener.accept()
            connections.append(n)
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: " + str(len(PAGE)).encode() + b"\r\n\r\n"
                         + PAGE.encode())
            if n == 0:  # keep-alive promised, then closed after the client's next request
                conn.recv(65536)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    client = HQClient(f"http://127.0.0.1:{port}", ("dev-1", "s3cr3t"))
    try:
        assert client.changes(0, 10).next_cursor == 7
        assert client.changes(0, 10).next_cursor == 7  # aborted once, then a new connection
        assert connections == [0, 1]
    finally:
        thread.join(timeout=30)
        listener.close()
        client.close()
    refused = socket.socket()
    refused.bind(("127.0.0.1", 0))
    dead_port = refused.getsockname()[1]
    refused.close()  # nothing listens there: refused at once, reported, not retried
    with pytest.raises(HQUnreachable):
        HQClient(f"http://127.0.0.1:{dead_port}", ("dev-1", "s3cr3t")).changes(0, 10)
