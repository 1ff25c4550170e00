"""HQ's tables for payments: bank-transfer (VietQR) intents and the bank's credits, gift cards
and store credit accounts with their ledgers, and the non-cash tenders of accepted sales.

Why: HQ confirms bank transfers (the bank tells HQ, never the till) and keeps the balances
that several tills spend at once (DESIGN.md §3, docs/payments.md). Balances are ledgers of
deltas, never overwritten totals: an entry's id is its idempotency key (the till's payment
id for a redemption, uuid5 of it for the void, the sale line id for a load), so a retried
request or a replayed sale can never move money twice. The account rows (`gift_cards`,
`store_credit_accounts`) exist to be locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
write transactions are serial anyway) while a redemption reads the balance and debits it.

Written by hq/services/bank_transfers.py, gift_cards.py, store_credit.py and, at ingest,
payments.py. Area module of hq.db.models; shared types come from hq.db.models.base.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from hq.db.models.base import Base, BigIntPK


# --- bank transfers ----------------------------------------------------------------------------
class TransferIntent(Base):
    """A VietQR payment a till showed (or accepted offline). `note` is what the customer's
    bank copies into the transfer (pos_app.payments.transfer_note); `state`: pending |
    confirmed | unverified | cancelled (sync.protocol_payments.TransferIntent)."""

    __tablename__ = "transfer_intents"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the till's intent id
    store_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    note: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[str] = mapped_column(String(32))  # HQ's time of registration
    bank_transaction_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirmed_at: Mapped[str | None] = mapped_column(String(32))
    accepted_offline_by: Mapped[str | None] = mapped_column(String(64))  # the manager
    accepted_offline_at: Mapped[str | None] = mapped_column(String(32))  # HQ's time
    __table_args__ = (Index("ix_transfer_intents_note", "note"),
                      Index("ix_transfer_intents_unverified", "accepted_offline_at",
                            postgresql_where=text("state = 'unverified'"),
                            sqlite_where=text("state = 'unverified'")))


class BankCredit(Base):
    """Every credit notification HQ believed (good signature), once per bank transaction id.
    `intent_id` is the intent it confirmed; NULL with `reason` (wrong amount, unknown note,
    another account, ...): an unmatched credit for reconciliation. `content` is the transfer's
    text as the bank gave it (it may name the payer): kept here for reconciliation only,
    never logged."""

    __tablename__ = "bank_credits"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    bank_transaction_id: Mapped[str] = mapped_column(String(64), unique=True)
    account_number: Mapped[str] = mapped_column(String(40))
    amount: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(16))  # the first transfer note found
    bank_reference: Mapped[str | None] = mapped_column(String(100))
    transaction_at: Mapped[str | None] = mapped_column(String(40))  # the bank's time, as sent
    received_at: Mapped[str] = mapped_column(String(32))
    intent_id: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_bank_credits_unmatched", "note",
                            postgresql_where=text("intent_id IS NULL"),
                            sqlite_where=text("intent_id IS NULL")),)


# --- gift cards --------------------------------------------------------------------------------
class GiftCard(Base):
    """A gift card HQ made ("G" + 12 digits: sync.protocol_payments). Its balance is the sum
    of its ledger; it is active once it has a load entry (its sale reached HQ). `pin_hash`:
    argon2id of the scratch code, never the code."""

    __tablename__ = "gift_cards"
    number: Mapped[str] = mapped_column(String(16), primary_key=True)
    pin_hash: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[str] = mapped_column(String(32))
    blocked_at: Mapped[str | None] = mapped_column(String(32))
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    pin_failures: Mapped[int] = mapped_column(Integer, default=0)  # wrong PINs in a row


class GiftCardEntry(Base):
    """One delta of a gift card. `kind`: load (a sale line sold it: id = line id) | redeem
    (authorised online: id = the till's payment id) | offline_redeem (a sale's offline
    tender: id = payment id) | void (id = uuid5(payment id, "void"), delta = what the redeem
    took, 0 when it never did). `balance_after` answers a repeated request the same."""

    __tablename__ = "gift_card_ledger"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    card_number: Mapped[str] = mapped_column(String(16))
    delta: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    payment_id: Mapped[str | None] = mapped_column(String(36))  # redeem/void: the payment
    ref: Mapped[str | None] = mapped_column(String(36))  # the sale, when known
    store_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(36))
    balance_after: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_gift_card_ledger_card", "card_number"),)


# --- store credit ------------------------------------------------------------------------------
class StoreCreditAccount(Base):
    """A customer's store credit account (one currency); the row a redemption locks."""

    __tablename__ = "store_credit_accounts"
    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[str] = mapped_column(String(32))


class StoreCreditEntry(Base):
    """One delta of a customer's store credit. `kind`: issue (a manager at HQ: id = the
    request id) | redeem | offline_redeem | void, keyed as gift card entries are."""

    __tablename__ = "store_credit_ledger"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36))
    delta: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    payment_id: Mapped[str | None] = mapped_column(String(36))
    ref: Mapped[str | None] = mapped_column(String(36))
    store_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(36))
    balance_after: Mapped[int | None] = mapped_column(BigInteger)
    by: Mapped[str | None] = mapped_column(String(100))  # who issued it
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_store_credit_ledger_customer", "customer_id"),)


# --- the tenders of accepted sales -------------------------------------------------------------
class SaleTender(Base):
    """Every non-cash payment of an accepted sale, keyed by the till's payment id (one sale
    per payment, forever). `reference`: the gift card number, the transfer intent id, the
    store credit customer; never card data (a card tender keeps only its masked PAN in the
    event). Read to count offline acceptances per device and day and to find confirmed
    transfers no sale ever used."""

    __tablename__ = "sale_tenders"
    payment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sale_id: Mapped[str] = mapped_column(String(36), index=True)
    store_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    tender: Mapped[str] = mapped_column(String(32))
    amount: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str | None] = mapped_column(String(64))
    offline: Mapped[int] = mapped_column(Integer, default=0)
    day: Mapped[str] = mapped_column(String(10))  # the sale's UTC date: offline limits per day
    at: Mapped[str] = mapped_column(String(32))  # the sale's time as HQ stores it
    __table_args__ = (Index("ix_sale_tenders_reference", "reference"),
                      Index("ix_sale_tenders_offline", "device_id", "day",
                            postgresql_where=text("offline = 1"),
                            sqlite_where=text("offline = 1")))
