"""The short note a VietQR bank transfer carries, tying the bank's credit to a payment intent.

Why: the customer's banking app copies the note of the QR code (EMVCo field 62, sub-field 08)
into the transfer's content, and the bank's credit notification reaches HQ with that content;
HQ matches the credit to the intent by this note and the amount. Banks keep letters and digits
but may add their own prefix or suffix, change the case, or strip or insert spaces and
punctuation, so the note is upper-case letters and digits only, starts with a fixed marker and
is found anywhere in the content after those changes.

"SL" + the first 12 hex digits of the intent's UUID: 48 bits, so two open intents of a
retailer share a note with a chance of about 1 in 10^11 a day even at thousands of transfers;
HQ also checks the amount and that the intent is still open.

Pure code: safe on any thread.
"""
from __future__ import annotations

import re
import uuid

MARKER = "SL"
_HEX = 12
_FIND = re.compile(MARKER + "([0-9A-F]{%d})" % _HEX)


def transfer_note(intent_id: str) -> str:
    """"SL1A2B3C4D5E6F" for the intent "1a2b3c4d-5e6f-...": the note the QR code carries."""
    return MARKER + uuid.UUID(intent_id).hex[:_HEX].upper()


def find_transfer_notes(content: str) -> list[str]:
    """The notes in a bank transfer's content, as the bank reported it ("CT DEN:0123 SL1A2B
    3C4D5E6F FT2412"): upper-cased, with everything but letters and digits removed first."""
    packed = re.sub(r"[^0-9A-Z]", "", content.upper())
    return [MARKER + m for m in _FIND.findall(packed)]
