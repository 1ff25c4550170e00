"""Payments and tenders: how a sale is paid (cash, card terminal, VietQR bank transfer, gift
card, store credit, loyalty points), split across several tenders.

Owns the payment session over a basket (what is still due, change only from cash, no
overpayment by any other tender), the payment intents that make an external authorisation
crash-safe, the card terminal's port types (`terminal`) and the VietQR payload (`vietqr`).

Invariants of DESIGN.md §3 it carries: money in integer minor units; no card data (a masked
PAN, an approval code and a reference only); an external authorisation is a durable payment
intent written, with the basket, before the request leaves the till, and after any crash each
intent ends attached to a committed sale or voided/reversed and shown — never a charge without
a sale, never a sale paid by an unapproved tender, never two charges for one intent.
"""
