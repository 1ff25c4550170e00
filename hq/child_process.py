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
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _live_members(pgid: int) -> list[int]:
    """Processes of group ``pgid`` that can still run (zombies excluded: they hold nothing)."""
    import psutil  # test and benchmark dependency, like this module's callers

    alive = []
    for proc in psutil.process_iter(["pid", "status"]):
        try:
            if os.getpgid(proc.pid) == pgid and proc.info["status"] != psutil.STATUS_ZOMBIE:
                alive.append(proc.pid)
        except (ProcessLookupError, psutil.Error):
            continue
    return alive


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
        if log_path is None:  # the server's output is kept: a failed start says why
            fd, name = tempfile.mkstemp(prefix="pos-hq-serve-", suffix=".log")
            os.close(fd)
            log_path = Path(name)
        self.log_path, self.startup_seconds = Path(log_path), startup_seconds
        self.proc: subprocess.Popen | None = None
        self._started = False

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
        """Start the server and return once /healthz answers.

        The port is chosen before the child binds it, so another program may take it in
        between (an outgoing connection gets its local port from the same range).  The
        child then exits with "address already in use": the first start moves to another
        free port, a restart (which must keep its port) tries the same one again.
        """
        for _attempt in range(5):
            offset = self._log_size()
            if self._spawn_and_wait():
                self._started = True
                return self
            port_taken = "address already in use" in self._log_text(offset).lower()
            self.stop()
            if not port_taken:
                break
            if not self._started:
                self.port = free_port()
                self.url = f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"
            else:
                time.sleep(1)
        raise RuntimeError(f"pos-hq serve did not come up on {self.url}\n"
                           f"{self._log_text(0)[-3000:]}")

    def _spawn_and_wait(self) -> bool:
        args = ["serve", "--database", self.database, "--host", "127.0.0.1", "--port",
                str(self.port), "--log-level", "warning"]
        if self.workers > 1:
            args += ["--workers", str(self.workers)]
        if self.tls:
            args += ["--tls-cert", self.tls[0], "--tls-key", self.tls[1]]
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "hq.cli", *args], cwd=ROOT,
                                         env=self._env(), stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)  # its own process group
        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5, verify=self.verify).ok:
                    return True
            except requests.RequestException:
                time.sleep(0.1)
        return False

    def _log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def _log_text(self, offset: int) -> str:
        if not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")

    def stop(self, timeout: float = 60) -> None:
        """Kill the server at once (as a crash or a pulled cable would), workers included, and
        return only once every process of its group is gone (or a zombie nobody can run).

        uvicorn's workers are the server's children in the same process group: SIGKILL to the
        group reaches them, but they die on the kernel's time, not ours.  Waiting for the parent
        alone left a worker still running after `stop()` on a busy machine.  Raises if a
        process of the group outlives ``timeout`` seconds (something is really broken then).
        """
        if self.proc is None:
            return
        pgid, deadline = self.proc.pid, time.monotonic() + timeout
        try:
            os.killpg(pgid, signal.SIGKILL)  # the group: uvicorn's workers too
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=timeout)
        self.proc = None
        while survivors := _live_members(pgid):
            if time.monotonic() > deadline:
                raise RuntimeError(f"pos-hq processes {survivors} outlived SIGKILL for "
                                   f"{timeout:.0f} s")
            for pid in survivors:  # a worker forked while the group was being killed
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.02)

    def admin(self, path: str):
        answer = requests.get(f"{self.url}{path}", timeout=60, verify=self.verify,
                              headers={"Authorization": f"Bearer {self.admin_token}"})
        answer.raise_for_status()
        return answer.json()

    def __enter__(self) -> "HQChild":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
