"""The till's clienteling use cases (issue 5), called by the UI through its database worker.

Why: the Customers screen, quick attach on the Sell screen, "My tasks" and the loyalty tender
need one small facade over the local database that works the same online and offline
(docs/clienteling.md). Every write is ONE transaction: the local rows the till shows at once
(customers + customer_fts, customer_notes, customer_tasks, customer_consents), the outbox
event HQ will merge (sync/protocol_customers.py payloads) and an audit row.

Threads: every method touches the disk: run it on the database worker
(ui.tasks.TaskManager.run_db) or in a test, never on the UI thread. Live HQ calls are NOT
here (pos_app never calls HQ): the UI asks sync.live_lookup.LiveLookup on its I/O pool —
`profile(id)`, `duplicates(phone, email)`, `search_customers(q)`, `loyalty_balance(id)` — and
hands what it got to these methods.

The use cases (ClienteleService(ctx, writer, reader, clock)):

    # customers ----------------------------------------------------------------------------
    create_customer(draft: CustomerDraft, associate_id: str, *,
                    data_use_consent: bool | None = None,
                    marketing_consent: bool | None = None,
                    consent_channel: str = "in_store", customer_id: str | None = None)
                    -> LocalCustomer
        New customer with a device-made UUID: customers row + search index, outbox
        "customer.upserted" (fields = the ones set), consent events, audit row. Searchable at
        once (LiveLookup.search_customers falls back to the same index). Raises
        ClientelingError (message shown as is) for a missing name, a bad phone/e-mail.
    edit_customer(customer_id: str, changes: dict[str, object], associate_id: str)
                    -> LocalCustomer
        `changes`: any of EDITABLE_FIELDS (name, phone, email, loyalty_card, sizes,
        preferences). Only the fields that really changed travel (field-level LWW at HQ);
        nothing changed -> no event, the customer as it is.
    (likely duplicates: the UI asks sync.live_lookup.LiveLookup.duplicates(phone, email) on
     its I/O pool: HQ's answer, or offline the local book's — same phone normalised to
     digits in national form, or same lower-cased e-mail — masked either way.)
    local_customer(customer_id: str) -> LocalCustomer | None

    # notes, tasks, consent (local rows at once + outbox event) ------------------------------
    add_note(customer_id: str, text: str, associate_id: str) -> LocalNote
    save_task(customer_id: str, text: str, due_date: str, associate_id: str, *,
              assigned_to: str | None = None, task_id: str | None = None,
              status: "open"|"done" = "open") -> LocalTask
        New task (task_id None) or an edit of one; due_date "YYYY-MM-DD".
    complete_task(task_id: str, associate_id: str, known: LocalTask | None = None)
                    -> LocalTask
        `known`: the task as shown, for one of HQ's tasks this till has no row of yet.
    record_consent(customer_id: str, kind: "marketing"|"data_use", granted: bool,
                   channel: "in_store"|"web"|"phone"|"email", associate_id: str)
                    -> LocalConsent
        Withdrawn data-use consent also drops the cached profile (never cached without it).
    notes(customer_id) -> list[LocalNote]           newest first
    tasks(customer_id) -> list[LocalTask]           open first (by due date), then done
    consents(customer_id) -> list[LocalConsent]     latest per kind
    my_tasks(associate_id: str, limit: int = 200) -> list[LocalTask]
        Open tasks assigned to `associate_id` or to nobody, soonest due first, with the
        customer's name: the "My tasks" list (local rows + the tasks of cached profiles).
        Online, LiveLookup.my_tasks(associate_id) asks HQ and falls back to this.

    # profile open -------------------------------------------------------------------------
    record_profile_view(customer_id: str, associate_id: str, source: "live"|"cache",
                        profile: dict | None = None) -> None
        Call after showing a profile. "cache": writes the audit row "customer.profile_viewed"
        (HQ audits live reads itself). Both: the customer counts as seen (eviction clock).
        `profile` (a live CustomerProfile as JSON, model_dump(mode="json")) refreshes the
        cache when she has data-use consent.

    # loyalty ------------------------------------------------------------------------------
    earn_estimate(snapshot: BasketSnapshot) -> int
        Points the basket will earn at HQ (pos_app.loyalty, same rule as HQ); 0 without a
        customer. CompletedSale.points_earned carries it after the sale.
    redeemable(customer_id: str, live: LiveBalance | None) -> RedeemAllowance
        How many points may be redeemed now: online (`live` from
        LiveLookup.loyalty_balance when its result is live) the live balance minus this
        till's redemptions HQ has not booked yet; offline the cached profile's balance
        minus the same, capped by the store's offline limit per customer per store day.
    loyalty_payment(customer_id: str | None, points: int, live: LiveBalance | None,
                    due: int | None = None) -> Payment
        The LOYALTY tender for `points` (amount = points x point value), or LoyaltyError
        saying exactly why not (no customer, no balance known offline, above the balance,
        above the offline limit). Pass the Payment to checkout with the customer attached.
"""
from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from pos_app.basket import BasketSnapshot
from pos_app.loyalty import (DEFAULT_OFFLINE_LIMIT, OFFLINE_LIMIT_SETTING, LiveBalance,
                             LoyaltyError, RedeemAllowance, allowance, check_redemption)
from pos_app.ports import Clock, utc_iso
from pos_app.services import customer_book as book
from pos_app.services import customer_followups as follow
from pos_app.services import loyalty_ledger, profile_cache
from pos_app.services.checkout import earn_estimate
from pos_app.services.customer_book import (ClientelingError, CustomerDraft, LocalCustomer,
                                            TOPIC_CUSTOMER_UPSERTED)
from pos_app.services.customer_followups import LocalConsent, LocalNote, LocalTask
from pos_app.services.local_events import add_audit, add_outbox_event
from pos_app.store_context import StoreContext, read_setting
from pos_app.tenders import Payment, loyalty_payment

__all__ = ["ClienteleService", "ClientelingError", "CustomerDraft", "LocalCustomer",
           "LocalNote", "LocalTask", "LocalConsent", "LiveBalance", "LoyaltyError",
           "RedeemAllowance"]


class ClienteleService:
    """The use cases listed in the module docstring."""

    def __init__(self, ctx: StoreContext, writer: Engine, reader: Engine, clock: Clock) -> None:
        self.ctx, self._writer, self._reader, self._clock = ctx, writer, reader, clock

    def _now(self) -> str:
        return utc_iso(self._clock.now_utc())

    # --- customers -----------------------------------------------------------------------
    def create_customer(self, draft: CustomerDraft, associate_id: str, *,
                        data_use_consent: bool | None = None,
                        marketing_consent: bool | None = None,
                        consent_channel: str = "in_store",
                        customer_id: str | None = None) -> LocalCustomer:
        values = book.normalise({"name": draft.name, "phone": draft.phone, "email": draft.email,
                                 "loyalty_card": draft.loyalty_card, "sizes": draft.sizes,
                                 "preferences": draft.preferences})
        fields = [f for f in book.EDITABLE_FIELDS if values.get(f)]
        customer_id = customer_id or str(uuid.uuid4())
        consents = [(k, g) for k, g in (("data_use", data_use_consent),
                                        ("marketing", marketing_consent)) if g is not None]
        if consents:
            follow.check_consent("data_use", consent_channel)
        now = self._now()
        with self._writer.begin() as conn:
            if book.read_customer(conn, customer_id) is not None:  # a retried create
                return book.read_customer(conn, customer_id)
            book.insert_customer(conn, customer_id, values, self.ctx.store_id)
            customer = book.read_customer(conn, customer_id)
            self._upserted(conn, customer, fields, associate_id, now)
            for kind, granted in consents:
                self._consent(conn, customer_id, kind, granted, consent_channel, associate_id,
                              now)
            add_audit(conn, "customer.created", associate_id, customer_id, now,
                      {"fields": fields})
        return customer

    def edit_customer(self, customer_id: str, changes: dict, associate_id: str
                      ) -> LocalCustomer:
        values = book.normalise(changes)
        now = self._now()
        with self._writer.begin() as conn:
            current = book.read_customer(conn, customer_id)
            if current is None:
                raise ClientelingError("This customer is not in the store's saved data; "
                                       "open her profile online to edit it")
            changed = {k: v for k, v in values.items() if getattr(current, k) != v}
            if not changed:
                return current
            book.update_customer(conn, customer_id, changed)
            customer = book.read_customer(conn, customer_id)
            fields = [f for f in book.EDITABLE_FIELDS if f in changed]
            self._upserted(conn, customer, fields, associate_id, now)
            add_audit(conn, "customer.edited", associate_id, customer_id, now,
                      {"fields": fields})
        return customer

    def _upserted(self, conn, customer: LocalCustomer, fields: list[str], associate_id: str,
                  now: str) -> None:
        add_outbox_event(conn, TOPIC_CUSTOMER_UPSERTED, {
            "customer": book.customer_fields_payload(customer), "fields": fields,
            "edited_at": now, "associate_id": associate_id, "store_id": self.ctx.store_id},
            now)

    def local_customer(self, customer_id: str) -> LocalCustomer | None:
        with self._reader.connect() as conn:
            return book.read_customer(conn, customer_id)

    # --- notes, tasks, consent -----------------------------------------------------------
    def add_note(self, customer_id: str, text_: str, associate_id: str) -> LocalNote:
        note = {"id": str(uuid.uuid4()), "customer_id": customer_id,
                "text": follow.check_note(text_), "associate_id": associate_id,
                "store_id": self.ctx.store_id, "at": self._now()}
        with self._writer.begin() as conn:
            follow.insert_note(conn, note)
            add_outbox_event(conn, follow.TOPIC_NOTE_ADDED, note, note["at"])
            add_audit(conn, "customer.note_added", associate_id, customer_id, note["at"],
                      {"note_id": note["id"]})
            return next(n for n in follow.notes(conn, customer_id) if n.id == note["id"])

    def save_task(self, customer_id: str, text_: str, due_date: str, associate_id: str, *,
                  assigned_to: str | None = None, task_id: str | None = None,
                  status: str = "open") -> LocalTask:
        text_, due_date = follow.check_task(text_, due_date)
        if status not in ("open", "done"):
            raise ClientelingError(f"Unknown task status '{status}'")
        task = {"id": task_id or str(uuid.uuid4()), "customer_id": customer_id, "text": text_,
                "due_date": due_date, "status": status, "assigned_to": assigned_to or None,
                "associate_id": associate_id, "store_id": self.ctx.store_id,
                "at": self._now()}
        with self._writer.begin() as conn:
            follow.upsert_task(conn, task)
            add_outbox_event(conn, follow.TOPIC_TASK_UPSERTED, task, task["at"])
            add_audit(conn, "customer.task_saved", associate_id, customer_id, task["at"],
                      {"task_id": task["id"], "status": status})
            return follow.task(conn, task["id"])

    def complete_task(self, task_id: str, associate_id: str,
                      known: LocalTask | None = None) -> LocalTask:
        """Mark a task done. `known`: the task as shown (one of HQ's, from a profile or
        "My tasks", that this till has no row of yet)."""
        with self._reader.connect() as conn:
            current = follow.task(conn, task_id) or known
        if current is None:
            raise ClientelingError("This task is not known on this till")
        return self.save_task(current.customer_id, current.text, current.due_date,
                              associate_id, assigned_to=current.assigned_to, task_id=task_id,
                              status="done")

    def record_consent(self, customer_id: str, kind: str, granted: bool, channel: str,
                       associate_id: str) -> LocalConsent:
        follow.check_consent(kind, channel)
        now = self._now()
        with self._writer.begin() as conn:
            consent_id = self._consent(conn, customer_id, kind, granted, channel, associate_id,
                                       now)
        return LocalConsent(consent_id, customer_id, kind, bool(granted), channel, associate_id,
                            now)

    def _consent(self, conn, customer_id: str, kind: str, granted: bool, channel: str,
                 associate_id: str, now: str) -> str:
        consent = {"id": str(uuid.uuid4()), "customer_id": customer_id, "kind": kind,
                   "granted": bool(granted), "channel": channel, "associate_id": associate_id,
                   "store_id": self.ctx.store_id, "at": now}
        follow.insert_consent(conn, consent)
        add_outbox_event(conn, follow.TOPIC_CONSENT_RECORDED, consent, now)
        add_audit(conn, "customer.consent_recorded", associate_id, customer_id, now,
                  {"kind": kind, "granted": bool(granted), "channel": channel})
        if kind == "data_use" and not granted:
            profile_cache.delete_profile(conn, customer_id)
        return consent["id"]

    def notes(self, customer_id: str) -> list[LocalNote]:
        with self._reader.connect() as conn:
            return follow.notes(conn, customer_id)

    def tasks(self, customer_id: str) -> list[LocalTask]:
        with self._reader.connect() as conn:
            return follow.tasks(conn, customer_id)

    def consents(self, customer_id: str) -> list[LocalConsent]:
        with self._reader.connect() as conn:
            return follow.consents(conn, customer_id)

    def my_tasks(self, associate_id: str, limit: int = 200) -> list[LocalTask]:
        with self._reader.connect() as conn:
            return follow.my_tasks(conn, associate_id, limit)

    # --- profile open --------------------------------------------------------------------
    def record_profile_view(self, customer_id: str, associate_id: str, source: str,
                            profile: dict | None = None) -> None:
        now = self._now()
        with self._writer.begin() as conn:
            if profile is not None and source == "live":
                profile_cache.store_profile(conn, profile, now, seen=True)
            profile_cache.record_view(conn, customer_id, associate_id, source, now)

    # --- loyalty -------------------------------------------------------------------------
    @staticmethod
    def earn_estimate(snapshot: BasketSnapshot) -> int:
        return earn_estimate(snapshot) or 0

    def _store_day(self) -> str:
        return self._clock.now_utc().astimezone(ZoneInfo(self.ctx.timezone)).date().isoformat()

    def redeemable(self, customer_id: str, live: LiveBalance | None) -> RedeemAllowance:
        with self._reader.connect() as conn:
            if live is not None:
                pending = loyalty_ledger.pending_points(conn, customer_id, live.entry_ids)
                return allowance(customer_id, "live", live.balance, pending, self.ctx.currency)
            profile = profile_cache.read_profile(conn, customer_id)
            if profile is None:
                raise LoyaltyError("Offline, points can only be used for customers whose "
                                   "profile is saved on this till")
            limit = int(read_setting(conn, OFFLINE_LIMIT_SETTING, DEFAULT_OFFLINE_LIMIT))
            return allowance(customer_id, "cache", int(profile["loyalty"]["balance"]),
                             loyalty_ledger.pending_points(conn, customer_id),
                             self.ctx.currency,
                             loyalty_ledger.offline_used(conn, customer_id, self._store_day()),
                             limit)

    def loyalty_payment(self, customer_id: str | None, points: int, live: LiveBalance | None,
                        due: int | None = None) -> Payment:
        if not customer_id:
            raise LoyaltyError("Attach the customer to the sale before paying with points")
        allowed = self.redeemable(customer_id, live)
        amount = check_redemption(points, allowed, due)
        return loyalty_payment(points, amount, offline=live is None)


