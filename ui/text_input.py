"""What the person is told when text they typed holds a control character (issue 18).

Why: a NUL or another invisible control character pasted into a note once stopped every sale
of the till from reaching HQ. The rule is the core's (pos_app/text_rules.py); this module
words the refusal in the associate's language, naming the field and the character, so she
can fix it where she typed it. Nothing is saved while the text is refused.

UI thread only (uses QCoreApplication.translate).
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from pos_app.text_rules import UnsafeText, describe_char, first_unsafe


def unsafe_text_message(field_label: str, char: str, index: int) -> str:
    """"Note: an invisible control character (U+0000 (NUL)) at position 5 ..." translated."""
    return (QCoreApplication.translate(
        "TextInput", "%1: an invisible control character (%2) at position %3 cannot be "
        "saved. Delete it (or retype the text) and try again.")
            .replace("%1", field_label).replace("%2", describe_char(char))
            .replace("%3", str(index + 1)))


def text_problem(field_label: str, value: str | None) -> str | None:
    """The refusal to show for `value`, or None when it may be saved."""
    hit = first_unsafe(value or "")
    return None if hit is None else unsafe_text_message(field_label, hit[1], hit[0])


def first_text_problem(fields: dict[str, str | None]) -> str | None:
    """The first refusal among {label: value}, in the order given."""
    for label, value in fields.items():
        problem = text_problem(label, value)
        if problem is not None:
            return problem
    return None


def failure_text(exc: BaseException) -> str:
    """A core refusal worded for the screen: UnsafeText translated, others as they come."""
    if isinstance(exc, UnsafeText):
        return unsafe_text_message(exc.field, exc.char, exc.index)
    return str(exc)
