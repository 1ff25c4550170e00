"""Receipts: what goes on one (`receipt`), its wording in English and Vietnamese (`labels`), the
typed blocks every output draws (`layout`), the tamper-evident code printed as its QR (`code`),
and what the till asks a receipt printer and hears back (`printing`: jobs, status, outcomes).

Pure core code (DESIGN.md §2): no printer library, no Qt; hardware/ turns these into bytes.
"""
