"""Where a till keeps its card terminal's settings: one row of the device's settings table
(JSON: hardware/terminals/terminal_settings.py's to_dict, the passphrase included — the
device database is the till's own, like its device secret). Absent: no terminal set up.
UI thread (read at start-up; written by the Settings screen)."""
from __future__ import annotations

CARD_TERMINAL_SETTING = "card_terminal"
