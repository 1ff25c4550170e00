"""The sales journal's hash chain and gapless numbering rules.

Why: DESIGN.md §3 — each device numbers its receipts without gaps and chains each journal
record to the previous one by hash, so HQ (and an auditor) can prove that nothing was removed,
inserted or altered. The hash covers the previous hash and a canonical JSON of the record's
payload; the first record of a device chains to GENESIS.

Pure code: safe on any thread.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable

GENESIS = "0" * 64


def canonical_json(payload: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 kept (the hash input)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, payload_json: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{payload_json}".encode("utf-8")).hexdigest()


def receipt_number(store_code: str, device_code: str, seq: int) -> str:
    """Human receipt number, e.g. "HCM1-T02-000123"; unique per device and gapless."""
    return f"{store_code}-{device_code}-{seq:06d}"


@dataclass(frozen=True, slots=True)
class ChainRecord:
    seq: int
    prev_hash: str
    hash: str
    payload_json: str


@dataclass(frozen=True, slots=True)
class ChainProblem:
    seq: int
    problem: str  # "gap", "break" or "tampered"
    detail: str


def verify_chain(records: Iterable[ChainRecord], start_seq: int = 1,
                 start_prev: str = GENESIS) -> list[ChainProblem]:
    """Check a device's journal, in seq order: no gaps, each link and each hash intact."""
    problems: list[ChainProblem] = []
    expected_seq, prev = start_seq, start_prev
    for rec in records:
        if rec.seq != expected_seq:
            problems.append(ChainProblem(rec.seq, "gap",
                                         f"expected receipt {expected_seq}, found {rec.seq}"))
        if rec.prev_hash != prev:
            problems.append(ChainProblem(rec.seq, "break", "previous-hash link does not match"))
        if chain_hash(rec.prev_hash, rec.payload_json) != rec.hash:
            problems.append(ChainProblem(rec.seq, "tampered", "record hash does not match its content"))
        expected_seq, prev = rec.seq + 1, rec.hash
    return problems
