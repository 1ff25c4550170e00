"""How the customer screens word codes from the wire: tiers, order statuses, channels,
consent, loyalty reasons and the "why" of a recommendation, in the associate's language.

Why: HQ sends codes (`tier="gold"`, `reason_code="bought_together"` with
`reason_args={"item": "Áo sơ mi lụa"}`), never sentences, so one profile reads right in
English and Vietnamese. The tr() strings live here so the .ts file has one context for them.
Also the small formatting helpers the customer widgets share (money in a given currency,
UTC times in the store's zone). UI thread only.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject

from babel.numbers import format_decimal

from pos_app.money import format_money


class CustomerWording(QObject):
    """tr() for customer codes; create one per screen (it follows the installed language)."""

    def tier(self, code: str | None) -> str:
        names = {"member": self.tr("Member"), "silver": self.tr("Silver"),
                 "gold": self.tr("Gold"), "platinum": self.tr("Platinum")}
        return names.get(code or "", code or "–")

    def order_status(self, code: str) -> str:
        names = {"placed": self.tr("placed"), "processing": self.tr("processing"),
                 "ready_for_pickup": self.tr("ready for pickup"),
                 "picked_up": self.tr("picked up"), "shipped": self.tr("shipped"),
                 "delivered": self.tr("delivered"), "completed": self.tr("completed"),
                 "cancelled": self.tr("cancelled"), "returned": self.tr("returned")}
        return names.get(code, code)

    def where(self, channel: str, store_code: str | None) -> str:
        """Where an order happened: "Web", "Web · pickup HCM1" or "Store HCM1"."""
        if channel == "store":
            return self.tr("Store %1").replace("%1", store_code or "?")
        if store_code:
            return self.tr("Web · pickup %1").replace("%1", store_code)
        return self.tr("Web")

    def consent_kind(self, kind: str) -> str:
        return {"marketing": self.tr("Marketing"),
                "data_use": self.tr("Data use")}.get(kind, kind)

    def channel(self, code: str | None) -> str:
        names = {"in_store": self.tr("in store"), "store": self.tr("in store"),
                 "web": self.tr("web"),
                 "phone": self.tr("by phone"), "email": self.tr("by e-mail")}
        return names.get(code or "", code or "")

    def loyalty_reason(self, code: str) -> str:
        names = {"earn": self.tr("Earned"), "redeem": self.tr("Redeemed"),
                 "welcome": self.tr("Welcome bonus"), "adjust": self.tr("Adjustment"),
                 "expire": self.tr("Expired")}
        return names.get(code, code)

    def recommendation_reason(self, code: str, args: dict[str, str]) -> str:
        """The reason HQ gives for a suggestion, as a sentence the associate can say."""
        item = args.get("item") or args.get("name") or ""
        category = args.get("category") or item
        size = args.get("size") or ""
        if code == "bought_together":
            return self.tr("Because she bought %1").replace("%1", item)
        if code == "history_size":
            text = self.tr("Best seller in her size %1").replace("%1", size)
            return text + (f" · {category}" if category else "")
        if code == "history_category":
            return self.tr("She often buys %1").replace("%1", category)
        return ", ".join(f"{k}: {v}" for k, v in args.items()) or code

    def not_sold_here(self) -> str:
        return self.tr("not sold in this store")

    def stock_here(self, on_hand: int) -> str:
        return (self.tr("%1 in stock here").replace("%1", str(on_hand)) if on_hand > 0
                else self.tr("none in stock here"))

    def source(self, live: bool, as_of_local: str | None) -> str:
        """The label every customer list and profile carries: live, or saved data."""
        if live:
            return self.tr("Live from HQ")
        if as_of_local:
            return self.tr("Offline — saved data from %1").replace("%1", as_of_local)
        return self.tr("Offline — saved data on this till")


def money_in(minor: int | None, currency: str, locale: str) -> str:
    """An amount of any currency for the store's locale ("1.250.000 ₫"); "–" when unknown."""
    return "–" if minor is None else format_money(minor, currency, locale)


def points_text(points: int, locale: str) -> str:
    """A points count grouped for the store's locale ("1.250" in vi_VN, "1,250" in en_US)."""
    return format_decimal(points, locale=locale)


def _parse_utc(utc_iso: str) -> datetime:
    text = utc_iso.rstrip("Z")
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text[:26], fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    raise ValueError(f"Not a UTC time: {utc_iso!r}")


def local_datetime(utc_iso: str | None, tz_name: str, with_time: bool = True) -> str:
    """"2026-03-14T09:26:53Z" -> "14/03/2026 16:26" in the store's zone ("" when None)."""
    if not utc_iso:
        return ""
    try:
        moment = _parse_utc(utc_iso).astimezone(ZoneInfo(tz_name))
    except ValueError:
        return utc_iso
    return moment.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


def local_date(iso_date: str) -> str:
    """"2026-03-14" -> "14/03/2026" (due dates are plain dates, no zone)."""
    try:
        return datetime.strptime(iso_date, "%Y-%m-%d").strftime("%d/%m/%Y")
    except ValueError:
        return iso_date
