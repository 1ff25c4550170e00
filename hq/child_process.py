"""Run `pos-hq serve` as a child process on a loopback port, and stop it (tests, benchmarks).

Why: end-to-end tests and benchmarks need a real HQ process they can kill and start again on
the same port (HQ "down for a while"); one runner serves them all. It waits for /healthz
before returning, so callers never race the server's start-up. Runs on the caller's thread.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HQChild:
    """`pos-hq serve --database URL` on 127.0.0.1; `start()`/`stop()` as often as needed."""

    def __init__(self, database: str, admin_token: str, *, tls: tuple[str, str] | None = None,
                 log_path: Path | None = None, startup_seconds: float = 60,
                 workers: int = 1) -> None:
        self.database, self.admin_token, self.tls = database, admin_token, tls
        self.workers = workers
        self.port = free_port()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.verify: str | bool = tls[0] if tls else True
        self.log_path, self.startup_seconds = log_path, startup_seconds
        self.proc: subprocess.Popen | None = None

    def _env(self) -> dict:
        return {**os.environ, "STORELINE_HQ_ADMIN_TOKEN": self.admin_token}

    def cli(self, *args: str) -> str:
        """Run another `pos-hq` command on the same database; its stdout (raises on failure)."""
        out = subprocess.run([sys.executable, "-m", "hq.cli", *args, "--database", self.database],
                             cwd=ROOT, capture_output=True, text=True, timeout=300, env=self._env())
        if out.returncode != 0:
            raise RuntimeError(f"pos-hq {args[0]} failed: {out.stderr[-3000:]}")
        return out.stdout

    def start(self) -> "HQChild":
        args = ["serve", "--database", self.database, "--host", "127.0.0.1", "--port",
                str(self.port), "--log-level", "warning"]
        if self.workers > 1:
            args += ["--workers", str(self.workers)]
        if self.tls:
            args += ["--tls-cert", self.tls[0], "--tls-key", self.tls[1]]
        log = open(self.log_path, "a") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen([sys.executable, "-m", "hq.cli", *args], cwd=ROOT,
                                     env=self._env(), stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)  # its own process group
        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if requests.get(f"{self.url}/healthz", timeout=1, verify=self.verify).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        detail = Path(self.log_path).read_text()[-3000:] if self.log_path else ""
        raise RuntimeError(f"pos-hq serve did not come up on {self.url}\n{detail}")

    def stop(self) -> None:
        """Kill the server at once (as a crash or a pulled cable would), workers included."""
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the group: uvicorn's workers too
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=30)
            self.proc = None

    def admin(self, path: str):
        answer = requests.get(f"{self.url}{path}", timeout=60, verify=self.verify,
                              headers={"Authorization": f"Bearer {self.admin_token}"})
        answer.raise_for_status()
        return answer.json()

    def __enter__(self) -> "HQChild":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
