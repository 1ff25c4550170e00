"""Wire models of clienteling (issue 5): the 360° profile, customer edits, notes, tasks, consent.

Why: HQ (hq/services/profile.py), the till's cache (sync/, pos_app/) and the Customers screen
(ui/) must read one shape. docs/clienteling.md says what each field means and which rule
decides conflicts. Money is integer minor units with the currency beside it; times are UTC
ISO-8601 "...Z"; dates "YYYY-MM-DD"; ids UUID text (device-made where the till creates them).

Endpoints (HQ: hq/api/, till: sync/live_lookup.py):

    GET  /v1/customers/{id}/profile          -> CustomerProfile   (audited at HQ)
    POST /v1/customers/duplicates            -> DuplicateCandidates (masked; the phone and
                                                e-mail in a DuplicatesRequest body,
                                                sync/protocol_lookups.py)
    GET  /v1/customers/tasks?assigned_to=ID  -> TaskList           (open tasks of the store)

Customer edits, notes, tasks and consent travel as outbox events (topics in
CUSTOMER_TOPICS, payload models below), like sales: one result per event.

Pure data definitions: safe on any thread.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sync.protocol import CustomerDetail, WebOrder

# The loyalty earn rule and point value: ONE definition (pos_app/loyalty.py), which HQ reads
# through this module (hq/ imports only the shared protocol modules, DESIGN.md §2).
from pos_app.loyalty import POINT_UNIT_MINOR, POINT_VALUE_MINOR, points_for  # noqa: E402,F401

_UUID = r"^[0-9a-fA-F-]{36}$"
_DATE = r"^\d{4}-\d{2}-\d{2}$"

TOPIC_CUSTOMER_UPSERTED = "customer.upserted"
TOPIC_NOTE_ADDED = "customer.note_added"
TOPIC_TASK_UPSERTED = "customer.task_upserted"
TOPIC_CONSENT_RECORDED = "customer.consent_recorded"
CUSTOMER_TOPICS = frozenset({TOPIC_CUSTOMER_UPSERTED, TOPIC_NOTE_ADDED, TOPIC_TASK_UPSERTED,
                             TOPIC_CONSENT_RECORDED})
EDITABLE_FIELDS = ("name", "phone", "email", "loyalty_card", "sizes", "preferences")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- events a till pushes ----------------------------------------------------------------------
class CustomerFields(_Strict):
    id: str = Field(pattern=_UUID)
    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=200)
    loyalty_card: str | None = Field(default=None, max_length=64)
    home_store_id: str | None = None
    sizes: dict[str, str] = Field(default_factory=dict)  # e.g. {"tops": "M", "shoes": "38"}
    preferences: dict[str, str] = Field(default_factory=dict)  # e.g. {"colours": "xanh, be"}


class CustomerUpserted(_Strict):
    customer: CustomerFields
    fields: list[str] = Field(min_length=1)  # which of EDITABLE_FIELDS the associate set
    edited_at: str
    associate_id: str
    store_id: str


class NoteAdded(_Strict):
    id: str = Field(pattern=_UUID)
    customer_id: str
    text: str = Field(min_length=1, max_length=2000)
    associate_id: str
    store_id: str
    at: str


TaskStatus = Literal["open", "done"]


class TaskUpserted(_Strict):
    id: str = Field(pattern=_UUID)
    customer_id: str
    text: str = Field(min_length=1, max_length=500)
    due_date: str = Field(pattern=_DATE)
    status: TaskStatus = "open"
    assigned_to: str | None = None  # associate id; None: anyone in the store
    associate_id: str
    store_id: str
    at: str


ConsentKind = Literal["marketing", "data_use"]
ConsentChannel = Literal["in_store", "web", "phone", "email"]


class ConsentRecorded(_Strict):
    id: str = Field(pattern=_UUID)
    customer_id: str
    kind: ConsentKind
    granted: bool
    channel: ConsentChannel
    associate_id: str | None = None
    store_id: str | None = None
    at: str


# --- the profile -------------------------------------------------------------------------------
class ConsentState(_Strict):
    kind: ConsentKind
    granted: bool
    at: str | None = None
    channel: str | None = None
    by: str | None = None  # associate name (or "web")


class LoyaltyEntryView(_Strict):
    id: str
    delta: int
    reason: str  # earn | redeem | welcome | adjust | expire
    ref: str | None = None
    at: str
    store_code: str | None = None


class LoyaltySummary(_Strict):
    balance: int
    qualifying: int  # lifetime earned: what the tier follows
    tier: str
    next_tier: str | None = None
    points_to_next: int | None = None
    point_value_minor: int  # what one point is worth when redeemed, in `currency`
    currency: str
    entries: list[LoyaltyEntryView]  # newest first, at most 50


class BasketItem(_Strict):
    """A line of her online cart or wishlist, priced for the asking store."""

    variant_id: str
    sku: str
    name: str
    variant_label: str = ""
    quantity: int = 1
    unit_price: int | None = None  # the store's current price; None: not sold in this store
    currency: str
    added_at: str
    in_stock_here: int | None = None  # on hand in the asking store, when known


class Recommendation(_Strict):
    variant_id: str
    sku: str
    name: str
    variant_label: str = ""
    unit_price: int | None = None
    currency: str
    reason_code: Literal["bought_together", "history_category", "history_size"]
    reason_args: dict[str, str]  # e.g. {"item": "Áo sơ mi lụa"}; the till words the reason
    score: float = 0.0


class NoteView(_Strict):
    id: str
    text: str
    by: str  # associate name
    store_code: str | None = None
    at: str


class TaskView(_Strict):
    id: str
    customer_id: str
    customer_name: str
    text: str
    due_date: str
    status: TaskStatus
    assigned_to: str | None = None
    assigned_to_name: str | None = None
    created_by: str | None = None
    at: str


class CustomerProfile(_Strict):
    """Everything the profile screen shows, for the asking device's store."""

    customer: CustomerDetail
    customer_since: str | None = None
    sizes: dict[str, str] = Field(default_factory=dict)
    preferences: dict[str, str] = Field(default_factory=dict)
    consents: list[ConsentState]
    loyalty: LoyaltySummary
    lifetime_value: int  # completed orders and sales, in the asking store's currency
    currency: str
    orders: list[WebOrder]  # web orders AND store sales (channel "store"), newest first, <= 50
    cart: list[BasketItem]
    wishlist: list[BasketItem]
    notes: list[NoteView]  # newest first, <= 50
    tasks: list[TaskView]  # open first, then recent done
    recommendations: list[Recommendation]  # best first, <= 12
    as_of: str
    merged_into: str | None = None  # this id was merged: the profile is of `customer.id`


class DuplicateCandidates(_Strict):
    customers: list["CustomerSummaryRef"]


class CustomerSummaryRef(_Strict):
    id: str
    name: str
    phone_masked: str | None = None
    email_masked: str | None = None
    matched_on: Literal["phone", "email"]


class TaskList(_Strict):
    tasks: list[TaskView]


DuplicateCandidates.model_rebuild()
