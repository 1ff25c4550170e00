#!/usr/bin/env python3
"""One entry point for developers and CI: sets up .venv, then runs the demo or the tests.

Why: the README promises two commands that work on a fresh machine with only Python 3.11+.
This script needs nothing but the standard library. It creates `.venv/` beside itself,
installs the project with its test extras (again only when pyproject.toml changed), and
then hands over to the virtual environment's Python.

    python3 dev.py demo [--store hcm|nyc] [pos-app options]
                                            # set up, start a local HQ on loopback, open the
                                            # demo store's till enrolled with it; e.g.
                                            # --printer tcp://192.168.1.50:9100 [--printer-
                                            # profile TM-T88V] sets its receipt printer
    python3 dev.py test [pytest options]    # set up, run the whole test suite
    python3 dev.py bench [scenario options] # set up, run a benchmark (python -m bench)
    python3 dev.py lock                     # refresh constraints.txt from pyproject.toml

The install is reproducible (DESIGN.md section 7): every package, pip and the build backend
included, is installed at the version pinned in constraints.txt, the versions the suite last
passed with.  `python3 dev.py lock` resolves pyproject.toml afresh in a throw-away venv and
rewrites constraints.txt with today's newest releases; run the suite, then commit both.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".storeline-install-stamp"
CONSTRAINTS = ROOT / "constraints.txt"


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _wanted_stamp() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(CONSTRAINTS.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def _install_locked(py: Path | str) -> None:
    """pip at its pinned version first (it reads the rest), then the project with every
    dependency, and the build backend for the editable install, at the pinned versions."""
    pin = ["-c", str(CONSTRAINTS)]
    subprocess.check_call([str(py), "-m", "pip", "install", "-q", *pin, "pip"])
    subprocess.check_call([str(py), "-m", "pip", "install", "-q", *pin, "--build-constraint",
                           str(CONSTRAINTS), "-e", f"{ROOT}[test]"])


def ensure_venv() -> Path:
    """Create the venv and install the project (editable, with test extras) when needed."""
    if sys.version_info < (3, 11):
        sys.exit(f"Storeline needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    py = _venv_python()
    if not py.exists():
        print(f"[dev] creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text() != _wanted_stamp():
        print("[dev] installing Storeline and its dependencies (constraints.txt)", flush=True)
        _install_locked(py)
        STAMP.write_text(_wanted_stamp())
    return py


# Local demo data: the HQ database and one till per store (git-ignored; tests point it elsewhere).
DEMO = Path(os.environ.get("STORELINE_DEMO_DIR", ROOT / ".demo"))
STORE_CODES = {"hcm": "HCM1", "nyc": "NYC1"}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_demo(py: str, rest: list[str], env: dict) -> int:
    """The demo with embedded defaults: SQLite everywhere and a local HQ on loopback.

    First run: seeds the HQ database with the demo company, makes an enrolment code and enrols
    a till for the chosen store (which downloads its catalog from HQ). Every run: starts HQ on
    a free loopback port, opens the till pointed at it, and stops HQ when the till closes.
    """
    import time
    import urllib.request

    store = "hcm"
    if "--store" in rest:
        i = rest.index("--store")
        store = rest[i + 1]
        rest = rest[:i] + rest[i + 2:]
    DEMO.mkdir(exist_ok=True)
    hq_db = f"sqlite:///{DEMO / 'hq.sqlite3'}"
    till = DEMO / f"till-{store}.sqlite3"
    if not (DEMO / "hq.sqlite3").exists():
        print("[dev] seeding the local HQ with the demo company", flush=True)
        subprocess.check_call([py, "-m", "hq.cli", "demo-seed", "--database", hq_db], cwd=ROOT,
                              env=env)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    hq = subprocess.Popen([py, "-m", "hq.cli", "serve", "--database", hq_db, "--host",
                           "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            print("[dev] the local HQ did not start", file=sys.stderr)
            return 1
        print(f"[dev] local HQ at {url}", flush=True)
        app = [py, "-m", "ui.app", "--db", str(till), "--hq", url]
        if not till.exists():
            code = subprocess.check_output(
                [py, "-m", "hq.cli", "enrolment-code", "--database", hq_db, "--store",
                 STORE_CODES[store]], cwd=ROOT, env=env, text=True).split()[-1]
            app += ["--enrol", code, "--device-name", f"Demo till ({store})"]
        if store == "nyc" and "--lang" not in rest:
            rest = [*rest, "--lang", "en"]
        return subprocess.call([*app, *rest], cwd=ROOT, env=env)
    finally:
        hq.terminate()
        hq.wait(timeout=30)


def refresh_lock() -> int:
    """Resolve pyproject.toml afresh (newest releases) in a throw-away venv; rewrite the pins."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="storeline-lock-") as tmp:
        venv.EnvBuilder(with_pip=True).create(tmp)
        py = str(Path(tmp) / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
        print("[dev] resolving the newest releases allowed by pyproject.toml", flush=True)
        subprocess.check_call([py, "-m", "pip", "install", "-q", "--upgrade", "pip",
                               "setuptools", "wheel"])
        subprocess.check_call([py, "-m", "pip", "install", "-q", f"{ROOT}[test]"])
        frozen = subprocess.check_output([py, "-m", "pip", "freeze", "--all"], text=True)
    pins = sorted((line for line in frozen.splitlines()
                   if "==" in line and not line.lower().startswith("storeline==")),
                  key=str.lower)
    CONSTRAINTS.write_text(
        "# The versions the test suite last passed with; dev.py installs exactly these.\n"
        f"# Generated by `python3 dev.py lock` on Python {sys.version.split()[0]}; "
        "refresh on purpose, run the suite, commit.\n" + "\n".join(pins) + "\n")
    print(f"[dev] wrote {len(pins)} pins to {CONSTRAINTS.name}; now run: python3 dev.py test")
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "bench", "lock"}:
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "lock":
        return refresh_lock()
    py = str(ensure_venv())
    env = dict(os.environ)
    if cmd == "demo":
        return run_demo(py, rest, env)
    if cmd == "bench":
        return subprocess.call([py, "-m", "bench", *rest], cwd=ROOT, env=env)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.call([py, "-m", "pytest", "-q", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
