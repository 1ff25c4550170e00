"""Request bodies of the look-ups that carry personal data: customer search and duplicates.

    POST /v1/customers/search       CustomerSearchRequest -> CustomerSearchResult (masked)
    POST /v1/customers/duplicates   DuplicatesRequest     -> DuplicateCandidates (masked)

Why POST: what an associate types to find a shopper is often her phone number or e-mail
address, and a URL's query string is written to every access log, proxy log and crash report
on its way (issue 18); a request body is not. The GET forms are gone: HQ answers them 405
with the reason. Responses are in sync/protocol.py and sync/protocol_customers.py.

Text is checked by the one rule (sync/text_fields.py): a control character is refused with a
422 naming the field, and the schema's patterns say what is accepted. The till cleans what
was typed before it asks (sync/live_lookup.py), so a stray control character from a scanner
never costs a round trip.

Pure data definitions: safe on any thread.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sync.protocol import MAX_CUSTOMER_SEARCH
from sync.text_fields import TextRule

MAX_SEARCH_TEXT = 100  # characters of a search; HQ's key ranges need no more


class CustomerSearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: Annotated[str, TextRule(non_blank=True)] = Field(min_length=1,
                                                        max_length=MAX_SEARCH_TEXT)
    limit: int = Field(default=20, ge=1, le=MAX_CUSTOMER_SEARCH)


def _phone_or_email(schema: dict) -> None:
    # "at least one of them, as text": a JSON null is the same as leaving it out
    schema["anyOf"] = [{"required": [name], "properties": {name: {"type": "string"}}}
                       for name in ("phone", "email")]


class DuplicatesRequest(BaseModel):
    """A phone (any format, national digits compared) and/or an e-mail address."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_phone_or_email)

    phone: Annotated[str, Field(max_length=32), TextRule(needs_digit=True)] | None = None
    email: Annotated[str, Field(max_length=200), TextRule(non_blank=True)] | None = None

    @model_validator(mode="after")
    def _one_of_them(self) -> "DuplicatesRequest":
        if self.phone is None and self.email is None:
            raise ValueError("give phone or email (or both) to look for duplicates")
        return self
