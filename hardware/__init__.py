"""Devices: receipt printers (ESC/POS via python-escpos) and their cash drawers.

Why this file does something at import: python-escpos, when first imported, parses its
printer database (0.2 s) and pickles it into a *new* temporary directory unless
ESCPOS_CAPABILITIES_PICKLE_DIR names one -- every start of the till would parse it again and
leave a 70 kB pickle behind in /tmp. Point it at the user's cache directory instead (made if
missing), before any hardware module imports escpos. (python-escpos 3.1 still creates an
empty temporary directory: its `environ.get(..., mkdtemp())` evaluates the default.) If the
cache directory cannot be made, python-escpos's own behaviour stands.
"""
from __future__ import annotations

import os

from platformdirs import user_cache_dir


def _use_a_stable_escpos_cache() -> None:
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" in os.environ:
        return
    path = os.path.join(user_cache_dir("storeline", "storeline"), "escpos")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = path


_use_a_stable_escpos_cache()
