#!/usr/bin/env python3
"""One entry point for developers and CI: sets up .venv, then runs the demo or the tests.

Why: the README promises two commands that work on a fresh machine with only Python 3.11+.
This script needs nothing but the standard library. It creates `.venv/` beside itself,
installs the project with its test extras (again only when pyproject.toml changed), and
then hands over to the virtual environment's Python.

    python3 dev.py demo [pos-app options]   # set up, open Storeline on the demo store
    python3 dev.py test [pytest options]    # set up, run the whole test suite
    python3 dev.py bench [scenario options] # set up, run a benchmark (python -m bench)
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


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _wanted_stamp() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_venv() -> Path:
    """Create the venv and install the project (editable, with test extras) when needed."""
    if sys.version_info < (3, 11):
        sys.exit(f"Storeline needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    py = _venv_python()
    if not py.exists():
        print(f"[dev] creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text() != _wanted_stamp():
        print("[dev] installing Storeline and its dependencies", flush=True)
        subprocess.check_call([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"])
        subprocess.check_call([str(py), "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"])
        STAMP.write_text(_wanted_stamp())
    return py


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "bench"}:
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    py = str(ensure_venv())
    env = dict(os.environ)
    if cmd == "demo":
        return subprocess.call([py, "-m", "ui.app", "--demo", *rest], cwd=ROOT, env=env)
    if cmd == "bench":
        return subprocess.call([py, "-m", "bench", *rest], cwd=ROOT, env=env)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.call([py, "-m", "pytest", "-q", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
