"""Payments in the sales HQ ingests: the tenders are checked, the ledgers follow the sale.

Why: a sale's payments are where money and card data meet the record HQ keeps forever
(DESIGN.md §3). When HQ ingests a "sale.completed" event (hq/services/ingest.py):

Refused (the event is quarantined with the reason, as HQ's other checks do):
- anything in the event that could be a full card number (13-19 digits passing the Luhn
  check, sync.protocol_payments.pan_like_path): the reason names where, never the number,
  and the stored copy has it removed (hq/services/event_guard.py);
- a tender HQ does not know; change given by anything but cash; a card tender whose
  masked PAN is not "**** 1234"; a gift card tender without a valid card number; a store
  credit tender without the sale's customer; a gift card / store credit tender neither
  authorised by HQ (its payment id is a redemption in HQ's ledger, for that account and
  amount) nor marked offline; a VietQR tender whose intent HQ does not hold unless a manager
  accepted it offline; a VietQR tender whose amount is not its intent's; a gift card line
  (a card sold: sync.protocol_payments.GiftCardLine) that is malformed.

Accepted, and recorded:
- every non-cash tender in `sale_tenders` (one sale per payment id, forever);
- an offline gift card / store credit tender as an `offline_redeem` ledger entry keyed by
  its payment id; an overdraft it causes and a store limit it passes are flagged for the
  manager (`sale_flags`: hq/services/review.py lists them), never refused: the customer
  has left with the goods;
- a gift card line loads the card (ledger entry keyed by the line id: activation on the
  first load); an unknown or blocked card, or another currency, is flagged;
- a VietQR tender accepted offline makes its intent "unverified" (or creates it), and a
  bank credit already stored for it confirms it (hq/services/bank_transfers.py).
Flagged as well: an intent still pending or cancelled, an authorisation HQ voided, an
intent a second sale also claims.

`PaymentLookups.load` reads what a whole push needs in a few queries; `judge` is per sale;
`add_rows` appends the rows the ingest writes with the sale, in its savepoint.

Runs on the push request's thread, in its transaction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Sequence
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import Connection, func, select, update

from hq.db.models.organisation import Store
from hq.db.models.payments import (GiftCard, GiftCardEntry, SaleTender, StoreCreditEntry,
                                   TransferIntent)
from hq.services import bank_transfers
from hq.services import payment_ledger as pl
from hq.services.customer_events import resolve_ids
from hq.services.sale_checks import flag_row
from hq.services.sale_validation import CheckedSale
from hq.services.store_settings import StoreRules
from pos_app.payments.transfer_note import transfer_note
from sync.protocol_payments import (GIFT_CARD_LINE_KIND, MASKED_PAN_PATTERN, MAX_AMOUNT,
                                    GiftCardLine, GiftCardNumberError, PaymentTender, Tender,
                                    normalise_gift_card, pan_like_path)

__all__ = ["AFTER", "PAYMENT_TABLES", "PaymentLookups", "card_data_problem", "tender_problem"]
AFTER = "after"  # key of the rows dict: callables run after the inserts (updates)
# Written with the sale, parents of nothing: after the sale's own tables.
PAYMENT_TABLES = (TransferIntent, SaleTender, GiftCardEntry, StoreCreditEntry)
_MASKED = re.compile(MASKED_PAN_PATTERN)
_LINE_KINDS = (None, "merchandise", GIFT_CARD_LINE_KIND)
_UTC = ZoneInfo("UTC")


def card_data_problem(payload: Any) -> str | None:
    """The quarantine reason when the event holds what could be a full card number."""
    where = pan_like_path(payload)
    if where is None:
        return None
    return (f"{where} holds what could be a full card number (13-19 digits passing the "
            f"Luhn check): card data is never stored (only a masked PAN such as "
            f"\"**** 1234\"); the event is kept with it removed")


def _plain_cash(raw: Any) -> bool:
    """A cash payment with nothing to check beyond what HQ's sale check already did (its
    id and amount): the common case, decided without building a model."""
    if not isinstance(raw, dict) or raw.get("tender") != Tender.CASH:
        return False
    tendered, change = raw.get("tendered"), raw.get("change")
    amount = raw["amount"]
    return (type(tendered) is int and amount <= tendered <= MAX_AMOUNT and type(change) is int
            and change == tendered - amount and not raw.get("offline")
            and not raw.get("offline_approved_by"))


def _tenders(raw_sale: dict, cash: bool = True) -> list[PaymentTender] | str:
    """The sale's payments as PaymentTender (`cash`: plain cash payments included)."""
    tenders = []
    for no, raw in enumerate(raw_sale.get("payments") or [], start=1):
        if _plain_cash(raw):
            if cash:
                tenders.append(PaymentTender.model_construct(**raw))
            continue
        try:
            tenders.append(PaymentTender.model_validate(raw))
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            return f"payment {no}: {where}: {err['msg']}"
    return tenders


def tender_problem(checked: CheckedSale) -> str | None:
    """What is wrong with the sale's payments and gift card lines on their own (no HQ data
    needed), or None."""
    raw = checked.event.sale
    if len({p.id.lower() for p in checked.sale.payments}) != len(checked.sale.payments):
        return "two payments of the sale have the same id"
    tenders = _tenders(raw, cash=False)  # plain cash has nothing more to check
    if isinstance(tenders, str):
        return tenders
    for t in tenders:
        problem = _tender_problem(t, checked)
        if problem:
            return f"payment {_number(checked, t)} ({t.tender}): {problem}"
    for no, (line, doc) in enumerate(zip(raw.get("lines") or [], checked.sale.lines), start=1):
        kind = doc.kind
        if kind is None:
            continue
        if kind not in _LINE_KINDS:
            return f"line {no}: unknown line kind {str(kind)[:32]!r}"
        if kind == GIFT_CARD_LINE_KIND:
            try:
                GiftCardLine.model_validate(line)
            except ValidationError as exc:
                err = exc.errors()[0]
                return (f"line {no} (gift card): {'.'.join(str(p) for p in err['loc'])}: "
                        f"{err['msg']}")
    return None


def _tender_problem(t: PaymentTender, checked: CheckedSale) -> str | None:
    if t.tender not in Tender.ALL:
        return f"unknown tender {t.tender[:32]!r}"
    if t.tender == Tender.CASH:
        if t.tendered is not None and t.tendered < t.amount:
            return f"cash tendered {t.tendered} is less than the amount {t.amount}"
        if t.tendered is not None and t.change is not None \
                and t.change != t.tendered - t.amount:
            return f"change {t.change} is not tendered {t.tendered} less amount {t.amount}"
        return None
    if t.change:
        return "only cash gives change"
    if t.tendered is not None and t.tendered != t.amount:
        return f"tendered {t.tendered} differs from the amount {t.amount}"
    if t.tender == Tender.CARD:
        if t.masked_pan is not None and not _MASKED.match(t.masked_pan):
            return "a card payment keeps only a masked PAN such as \"**** 1234\""
    elif t.tender == Tender.GIFT_CARD:
        try:
            normalise_gift_card(t.reference or "")
        except GiftCardNumberError as exc:
            return f"reference: {exc}"
        if not t.auth_code and not t.offline:
            return "neither authorised by HQ (auth_code) nor marked offline"
    elif t.tender == Tender.STORE_CREDIT:
        if not getattr(checked.sale, "customer_id", None):
            return "store credit needs the customer attached to the sale"
        if not t.auth_code and not t.offline:
            return "neither authorised by HQ (auth_code) nor marked offline"
    return None


def _local_day(created_at: str, tz: ZoneInfo) -> str:
    moment = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    return moment.astimezone(tz).date().isoformat()


@dataclass
class PaymentLookups:
    """What HQ holds about the payments of a batch of sales, and the running totals of the
    batch (a later sale of the push sees an earlier one's effects)."""

    rules: StoreRules
    tz: ZoneInfo
    intents: dict[str, Any]  # intent id -> row
    intent_used: dict[str, str]  # intent id -> payment id of the sale that used it
    entries: dict[str, Any]  # ledger entry id -> row (gift card and store credit)
    cards: dict[str, Any]  # card number -> row
    balances: dict[tuple[str, str], int]  # ("gift"|"credit", account) -> balance
    offline_used: dict[tuple, int]  # (device, day, tender) / ("card", number, day) -> amount
    customers: dict[str, str | None]  # sale's customer id (lower) -> HQ's customer
    tenders: dict[str, list[PaymentTender]] = field(default_factory=dict)  # sale id -> tenders

    @classmethod
    def load(cls, conn: Connection, rules: StoreRules, sales: Sequence[CheckedSale]
             ) -> "PaymentLookups":
        tenders = {c.sale.id: t for c in sales
                   if not isinstance(t := _tenders(c.event.sale, cash=False), str)}
        flat = [t for ts in tenders.values() for t in ts if t.tender != Tender.CASH]
        if not flat and not any(_gift_lines(c) for c in sales):
            return cls(rules, _UTC, {}, {}, {}, {}, {}, {}, {}, tenders)  # no query at all
        tz_name = conn.execute(select(Store.timezone).where(Store.id == rules.store_id)
                               ).scalar() or "UTC"
        try:
            tz = ZoneInfo(tz_name)
        except (ValueError, KeyError):
            tz = _UTC
        intent_ids = sorted({(t.intent_id or t.id).lower() for t in flat
                             if t.tender == Tender.QR_TRANSFER})
        ledger_ids = sorted({x for t in flat if t.tender in (Tender.GIFT_CARD,
                                                             Tender.STORE_CREDIT)
                             for x in (t.id.lower(), pl.void_entry_id(t.id))})
        numbers = sorted({_card(t.reference) for t in flat if t.tender == Tender.GIFT_CARD}
                         | {_card(ln.get("gift_card")) for c in sales for ln in _gift_lines(c)}
                         - {None})
        credit_customers = {c.sale.customer_id for c in sales if any(
            t.tender == Tender.STORE_CREDIT for t in tenders.get(c.sale.id, ()))
            and getattr(c.sale, "customer_id", None)}
        customers = resolve_ids(conn, credit_customers) if credit_customers else {}
        lookups = cls(rules, tz, {}, {}, {}, {}, {}, {}, customers, tenders)
        if intent_ids:
            lookups.intents = {r["id"]: r for r in conn.execute(select(TransferIntent).where(
                TransferIntent.id.in_(intent_ids))).mappings()}
            lookups.intent_used = dict(conn.execute(select(
                SaleTender.reference, SaleTender.payment_id).where(
                SaleTender.tender == Tender.QR_TRANSFER,
                SaleTender.reference.in_(intent_ids))).all())
        if ledger_ids:
            for table in (GiftCardEntry, StoreCreditEntry):
                lookups.entries.update((r["id"], r) for r in conn.execute(
                    select(table).where(table.id.in_(ledger_ids))).mappings())
        if numbers:
            lookups.cards = {r["number"]: r for r in conn.execute(select(GiftCard).where(
                GiftCard.number.in_(numbers))).mappings()}
            lookups.balances.update((("gift", n), int(b)) for n, b in conn.execute(
                select(GiftCardEntry.card_number, func.sum(GiftCardEntry.delta))
                .where(GiftCardEntry.card_number.in_(numbers))
                .group_by(GiftCardEntry.card_number)))
        accounts = sorted({c for c in customers.values() if c})
        if accounts:
            lookups.balances.update((("credit", c), int(b)) for c, b in conn.execute(
                select(StoreCreditEntry.customer_id, func.sum(StoreCreditEntry.delta))
                .where(StoreCreditEntry.customer_id.in_(accounts))
                .group_by(StoreCreditEntry.customer_id)))
        lookups._load_offline_use(conn, sales)
        return lookups

    def _load_offline_use(self, conn: Connection, sales: Sequence[CheckedSale]) -> None:
        """What HQ already holds of offline tenders for the devices, days and cards the
        batch's offline tenders count against (one query each, only when there are any)."""
        days, cards = set(), set()
        for c in sales:
            for t in self.tenders.get(c.sale.id, ()):
                if _offline(t):
                    days.add((c.sale.device_id, _local_day(c.created_at, self.tz)))
                    if t.tender == Tender.GIFT_CARD:
                        cards.add(_card(t.reference))
        if days:
            q = (select(SaleTender.device_id, SaleTender.day, SaleTender.tender,
                        func.sum(SaleTender.amount))
                 .where(SaleTender.offline == 1,
                        SaleTender.device_id.in_(sorted({d for d, _ in days})),
                        SaleTender.day.in_(sorted({day for _, day in days})))
                 .group_by(SaleTender.device_id, SaleTender.day, SaleTender.tender))
            self.offline_used.update(((d, day, t), int(s)) for d, day, t, s in
                                     conn.execute(q))
        if cards - {None}:
            q = (select(SaleTender.reference, SaleTender.day, func.sum(SaleTender.amount))
                 .where(SaleTender.offline == 1, SaleTender.tender == Tender.GIFT_CARD,
                        SaleTender.reference.in_(sorted(cards - {None})))
                 .group_by(SaleTender.reference, SaleTender.day))
            self.offline_used.update((("card", r, day), int(s)) for r, day, s in
                                     conn.execute(q))

    # --- per sale ------------------------------------------------------------------------
    def judge(self, checked: CheckedSale, device_id: str, at: str) -> list[dict] | str:
        """The sale's payment flags (possibly none), or the reason to quarantine it. Does not
        change the running totals: `add_rows` does, for sales that are accepted."""
        flags: list[dict] = []
        sale = checked.sale
        for t in self.tenders.get(sale.id, ()):
            no = _number(checked, t)
            verdict = self._judge_tender(no, t, checked, device_id, at)
            if isinstance(verdict, str):
                return f"payment {no} ({t.tender}): {verdict}"
            flags.extend(verdict)
        return flags

    def _flag(self, checked: CheckedSale, device_id: str, at: str, kind: str, reason: str,
              **detail) -> dict:
        return flag_row(checked.sale, device_id, self.rules.store_id, kind, reason, at,
                        **detail)

    def _judge_tender(self, no: int, t: PaymentTender, checked: CheckedSale, device_id: str,
                      at: str) -> list[dict] | str:
        flag = lambda kind, reason, **d: self._flag(  # noqa: E731
            checked, device_id, at, kind, f"payment {no} ({t.tender}): {reason}",
            payment_id=t.id.lower(), amount=t.amount, **d)
        if t.tender == Tender.QR_TRANSFER:
            return self._judge_transfer(t, checked, flag)
        if t.tender not in (Tender.GIFT_CARD, Tender.STORE_CREDIT):
            return []
        account = self._account(t, checked)
        entry = self.entries.get(t.id.lower())
        if entry is not None:
            if entry["kind"] != pl.REDEEM or -entry["delta"] != t.amount or \
                    entry["card_number" if t.tender == Tender.GIFT_CARD else "customer_id"] \
                    != account:
                return (f"payment id {t.id.lower()} is another authorisation at HQ "
                        f"(another account, amount or kind)")
            voided = self.entries.get(pl.void_entry_id(t.id))
            if voided is not None and voided["delta"] > 0:
                return [flag("tender_voided", "HQ voided this authorisation (the till's crash "
                                              "recovery) but the sale used it: the amount "
                                              "was credited back to the account")]
            return []
        if not t.offline:
            return f"no authorisation at HQ for payment id {t.id.lower()}, and not offline"
        if self.entries.get(pl.void_entry_id(t.id)) is not None:
            return f"payment id {t.id.lower()} was voided at HQ: it cannot pay offline"
        return self._judge_offline(t, checked, account, flag)

    def _account(self, t: PaymentTender, checked: CheckedSale) -> str | None:
        if t.tender == Tender.GIFT_CARD:
            return _card(t.reference)
        return self.customers.get((getattr(checked.sale, "customer_id", None) or "").lower())

    def _judge_offline(self, t: PaymentTender, checked: CheckedSale, account: str | None,
                       flag: Callable) -> list[dict]:
        settings, flags = self.rules.settings, []
        day = _local_day(checked.created_at, self.tz)
        gift = t.tender == Tender.GIFT_CARD
        if gift:
            card = self.cards.get(account or "")
            if card is None:
                account = None
                flags.append(flag("gift_card_unknown", "paid offline with a gift card HQ does "
                                                       "not know: nothing was debited",
                                  card=_card(t.reference)))
            else:
                if card["blocked_at"] is not None:
                    flags.append(flag("gift_card_blocked", "paid offline with a blocked card",
                                      card=account))
                cap = settings.gift_card_offline_max_per_card
                used = self.offline_used.get(("card", account, day), 0) + t.amount
                if used > cap:
                    flags.append(flag("offline_limit", f"offline payments by this card today "
                                                       f"total {used}, over the store's {cap} "
                                                       f"per card", card=account, cap=cap))
            device_cap = settings.gift_card_offline_max_per_device_day
        else:
            if account is None:
                flags.append(flag("store_credit_unknown", "paid offline with store credit of "
                                                          "a customer HQ does not hold"))
            device_cap = settings.store_credit_offline_max_per_device_day
        used = self.offline_used.get((checked.sale.device_id, day, t.tender), 0) + t.amount
        if used > device_cap:
            flags.append(flag("offline_limit", f"this device's offline {t.tender} payments "
                                               f"today total {used}, over the store's "
                                               f"{device_cap} per device and day",
                              cap=device_cap))
        if account is not None:
            balance = self.balances.get(("gift" if gift else "credit", account), 0) - t.amount
            if balance < 0:
                flags.append(flag(f"{t.tender}_overdraft", f"paid offline beyond the balance: "
                                                          f"the account is overdrawn by "
                                                          f"{-balance}", account=account,
                                  balance_after=balance))
        return flags

    def _judge_transfer(self, t: PaymentTender, checked: CheckedSale, flag: Callable
                        ) -> list[dict] | str:
        intent_id = (t.intent_id or t.id).lower()
        row = self.intents.get(intent_id)
        used_by = self.intent_used.get(intent_id)
        flags = []
        if used_by is not None and used_by != t.id.lower():
            flags.append(flag("qr_transfer_reused", f"transfer intent {intent_id} already "
                                                    f"paid payment {used_by} of another sale",
                              intent_id=intent_id))
        if row is None:
            if not t.offline_approved_by:
                return (f"no transfer intent {intent_id} at HQ, and no manager accepted it "
                        f"offline")
            return flags + self._transfer_limit(t, checked, flag)
        if row["store_id"] != self.rules.store_id:
            return f"transfer intent {intent_id} belongs to another store"
        if row["amount"] != t.amount:
            return f"amount {t.amount} is not the transfer intent's {row['amount']}"
        if row["state"] == "pending" and not t.offline_approved_by:
            flags.append(flag("qr_transfer_unconfirmed", "the bank has not confirmed this "
                                                         "transfer and no manager accepted it",
                              intent_id=intent_id))
        elif row["state"] == "cancelled":
            flags.append(flag("qr_transfer_cancelled", "the till had cancelled this transfer "
                                                       "intent", intent_id=intent_id))
        if t.offline_approved_by and row["state"] in ("pending", "unverified"):
            flags.extend(self._transfer_limit(t, checked, flag))
        return flags

    def _transfer_limit(self, t: PaymentTender, checked: CheckedSale, flag: Callable
                        ) -> list[dict]:
        day = _local_day(checked.created_at, self.tz)
        cap = self.rules.settings.vietqr_offline_max_per_device_day
        used = self.offline_used.get((checked.sale.device_id, day, t.tender), 0) + t.amount
        if used <= cap:
            return []
        return [flag("offline_limit", f"this device's unconfirmed transfers accepted today "
                                      f"total {used}, over the store's {cap} per device and "
                                      f"day", cap=cap)]

    # --- rows ----------------------------------------------------------------------------
    def add_rows(self, rows: dict, checked: CheckedSale, device_id: str, store_id: str,
                 now: str) -> None:
        """Append the payment rows of an accepted sale and update the batch's totals. `now`:
        HQ's receive time."""
        sale, at = checked.sale, checked.created_at
        day = _local_day(at, self.tz)
        for t in self.tenders.get(sale.id, ()):
            if t.tender == Tender.CASH:
                continue
            offline = bool(_offline(t))
            pid = t.id.lower()
            reference = {Tender.GIFT_CARD: _card(t.reference),
                         Tender.QR_TRANSFER: (t.intent_id or t.id).lower(),
                         Tender.STORE_CREDIT: self._account(t, checked)}.get(t.tender)
            reference = reference if reference is not None else \
                (t.reference[:64] if t.tender == Tender.LOYALTY and t.reference else None)
            rows[SaleTender].append({
                "payment_id": pid, "sale_id": sale.id, "store_id": store_id,
                "device_id": device_id, "tender": t.tender, "amount": t.amount,
                "reference": reference, "offline": int(offline), "day": day, "at": at})
            if offline:
                key = (sale.device_id, day, t.tender)
                self.offline_used[key] = self.offline_used.get(key, 0) + t.amount
            if t.tender == Tender.QR_TRANSFER:
                self.intent_used.setdefault(reference, pid)
                self._transfer_rows(rows, t, reference, device_id, store_id, now)
            elif t.tender in (Tender.GIFT_CARD, Tender.STORE_CREDIT) and offline \
                    and reference is not None and pid not in self.entries:
                self._offline_entry(rows, t, reference, sale.id, device_id, store_id, at, day)
        for ln in _gift_lines(checked):
            self._load_entry(rows, checked, ln, device_id, store_id)

    def _offline_entry(self, rows, t, account, sale_id, device_id, store_id, at, day) -> None:
        gift = t.tender == Tender.GIFT_CARD
        if gift and account not in self.cards:
            return  # flagged "gift_card_unknown": no ledger for a card HQ never made
        if gift:
            self.offline_used[("card", account, day)] = \
                self.offline_used.get(("card", account, day), 0) + t.amount
        kind = "gift" if gift else "credit"
        after = self.balances.get((kind, account), 0) - t.amount
        self.balances[(kind, account)] = after
        ledger = (GiftCardEntry, "card_number") if gift else (StoreCreditEntry, "customer_id")
        row = pl.entry_row(pl.Ledger(ledger[0], ledger[1], ""), t.id.lower(), account,
                           -t.amount, pl.OFFLINE_REDEEM, payment_id=t.id.lower(),
                           ref=sale_id, store_id=store_id, device_id=device_id,
                           balance_after=after, at=at)
        if not gift:
            row.update(by=None, reason=None)
        rows[ledger[0]].append(row)
        self.entries[t.id.lower()] = row

    def _load_entry(self, rows, checked: CheckedSale, ln: dict, device_id: str,
                    store_id: str) -> None:
        number = _card(ln.get("gift_card"))
        card = self.cards.get(number or "")
        if card is None or card["currency"] != checked.sale.currency:
            return  # flagged by `load_flags`
        after = self.balances.get(("gift", number), 0) + ln["amount"]
        self.balances[("gift", number)] = after
        rows[GiftCardEntry].append(pl.entry_row(
            pl.Ledger(GiftCardEntry, "card_number", ""), ln["id"].lower(), number,
            ln["amount"], "load", ref=checked.sale.id, store_id=store_id,
            device_id=device_id, balance_after=after, at=checked.created_at))

    def load_flags(self, checked: CheckedSale, device_id: str, at: str) -> list[dict]:
        """Flags of the gift card lines: a card HQ does not know (nothing loaded), one in
        another currency (nothing loaded), a blocked one (loaded all the same)."""
        flags = []
        for no, ln in enumerate(checked.event.sale.get("lines") or [], start=1):
            if not (isinstance(ln, dict) and ln.get("kind") == GIFT_CARD_LINE_KIND):
                continue
            number = _card(ln.get("gift_card"))
            card = self.cards.get(number or "")
            problem = None
            if card is None:
                problem = ("gift_card_unknown", "sold a gift card HQ does not know: nothing "
                                                "was loaded")
            elif card["currency"] != checked.sale.currency:
                problem = ("gift_card_currency", f"sold a gift card in {card['currency']} "
                                                 f"in a {checked.sale.currency} sale: "
                                                 f"nothing was loaded")
            elif card["blocked_at"] is not None:
                problem = ("gift_card_blocked", "loaded a blocked gift card")
            if problem:
                flags.append(flag_row(checked.sale, device_id, self.rules.store_id,
                                      problem[0], f"line {no}: {problem[1]}", at,
                                      ln.get("id"), card=number, amount=ln.get("amount")))
        return flags

    def _transfer_rows(self, rows, t: PaymentTender, intent_id: str, device_id: str,
                       store_id: str, now: str) -> None:
        if not t.offline_approved_by:
            return
        row = self.intents.get(intent_id)
        if row is None:
            new = {"id": intent_id, "store_id": store_id, "device_id": device_id,
                   "amount": t.amount, "currency": self.rules.currency,
                   "note": transfer_note(intent_id), "state": "unverified",
                   "created_at": now, "bank_transaction_id": None,
                   "confirmed_at": None, "accepted_offline_by": t.offline_approved_by,
                   "accepted_offline_at": now}
            rows[TransferIntent].append(new)
            self.intents[intent_id] = new
            rows[AFTER].append(lambda conn: bank_transfers.match_stored_credits(conn, new))
        elif row["state"] == "pending":
            self.intents[intent_id] = {**row, "state": "unverified"}
            rows[AFTER].append(lambda conn: conn.execute(
                update(TransferIntent).where(TransferIntent.id == intent_id,
                                             TransferIntent.state == "pending")
                .values(state="unverified", accepted_offline_by=t.offline_approved_by,
                        accepted_offline_at=now)))


def _number(checked: CheckedSale, t: PaymentTender) -> int:
    """The payment's place in its sale, from 1 (as the cashier's receipt lists them)."""
    return next(no for no, p in enumerate(checked.sale.payments, start=1) if p.id == t.id)


def _gift_lines(checked: CheckedSale) -> list[dict]:
    """The raw gift card lines of a sale (its SaleLineDoc says which lines are)."""
    return [raw for raw, ln in zip(checked.event.sale["lines"], checked.sale.lines)
            if ln.kind == GIFT_CARD_LINE_KIND]


def _offline(t: PaymentTender) -> bool:
    return t.offline or bool(t.offline_approved_by)


def _card(text: Any) -> str | None:
    try:
        return normalise_gift_card(text) if isinstance(text, str) else None
    except GiftCardNumberError:
        return None
