"""Text fields of requests to HQ: the one text rule applied at HQ's edge, and said in its schema.

Why: a NUL in a search, a stock query or an enrolment used to reach PostgreSQL, which refused
it with a 500 (issue 18). HQ now refuses any control character in a request's text with a 422
naming the field, by the ONE rule of pos_app/text_rules.py (read through sync.protocol), and
/openapi.json says so with a `pattern`, so that a client (or a fuzzer) knows which text is
accepted. The patterns are derived from that rule, not written again: every character of the
Basic Multilingual Plane is put to `first_unsafe` once (Unicode has control characters and
surrogates only there), and white space is what Python's str.split() splits on.

    Annotated[str, TextRule()]                     no control character
    Annotated[str, TextRule(non_blank=True)]       ... and something besides white space
    Annotated[str, TextRule(needs_digit=True)]     ... and an ASCII digit (a phone number)
    class Body(RefusesControlCharacters, Model)    every str field of Model, no control character

Lone surrogates are refused by the rule but left out of the patterns: JSON-schema patterns are
read as UTF-16 by some validators, where a surrogate range would also match emoji.

Pure definitions; the patterns are computed once, on first use, on whichever thread asks.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import core_schema

from sync.protocol import check_text, first_unsafe

_BMP = 0x10000
_SURROGATES = range(0xD800, 0xE000)


def _char_class(codepoints: list[int]) -> str:
    """`codepoints` as the inside of a regex character class: "\\u0000-\\u0008\\u000b"."""
    parts, i = [], 0
    while i < len(codepoints):
        j = i
        while j + 1 < len(codepoints) and codepoints[j + 1] == codepoints[j] + 1:
            j += 1
        first, last = codepoints[i], codepoints[j]
        parts.append(f"\\u{first:04x}" if first == last else f"\\u{first:04x}-\\u{last:04x}")
        i = j + 1
    return "".join(parts)


@cache
def _unsafe() -> str:
    return _char_class([c for c in range(_BMP) if c not in _SURROGATES
                        and first_unsafe(chr(c)) is not None])


@cache
def _blank() -> str:
    return _char_class([c for c in range(_BMP) if chr(c).isspace()
                        and first_unsafe(chr(c)) is None])


def safe_text_pattern(*, non_blank: bool = False, needs_digit: bool = False) -> str:
    """The JSON-schema pattern of text the rule accepts (with the extra requirement)."""
    safe = f"[^{_unsafe()}]*"
    if needs_digit:
        return f"^{safe}[0-9]{safe}$"
    if non_blank:
        return f"^{safe}[^{_unsafe()}{_blank()}]{safe}$"
    return f"^{safe}$"


def check_field(value: str, field: str, *, non_blank: bool = False,
                needs_digit: bool = False) -> str:
    """`value`, or ValueError naming `field` and what is wrong with it (pydantic: 422)."""
    check_text(value, field)
    if needs_digit and not any("0" <= c <= "9" for c in value):
        raise ValueError(f"{field}: must contain a digit")
    if non_blank and not value.split():
        raise ValueError(f"{field}: must contain something besides spaces")
    return value


class TextRule:
    """Annotated metadata: validates a str by `check_field` and declares its pattern."""

    def __init__(self, field: str | None = None, *, non_blank: bool = False,
                 needs_digit: bool = False) -> None:
        self.field, self.non_blank, self.needs_digit = field, non_blank, needs_digit

    def _check(self, value: str, info: ValidationInfo) -> str:
        return check_field(value, self.field or info.field_name or "text",
                           non_blank=self.non_blank, needs_digit=self.needs_digit)

    def __get_pydantic_core_schema__(self, source: Any, handler) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler) -> dict:
        json_schema = handler(schema)
        json_schema["pattern"] = safe_text_pattern(non_blank=self.non_blank,
                                                   needs_digit=self.needs_digit)
        return json_schema


def _declare_safe_strings(schema: dict[str, Any]) -> None:
    for prop in schema.get("properties", {}).values():
        for branch in prop.get("anyOf", [prop]):
            if branch.get("type") == "string" and "pattern" not in branch \
                    and "format" not in branch and "enum" not in branch:
                branch["pattern"] = safe_text_pattern()


class RefusesControlCharacters(BaseModel):
    """Mixin for a wire model HQ reads: every str field refuses control characters (422
    naming the field) and its schema says so. For models HQ does not own (EnrolRequest)."""

    model_config = ConfigDict(json_schema_extra=_declare_safe_strings)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            check_text(value, info.field_name or "text")
        return value
