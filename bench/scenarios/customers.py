"""Local customer search over 1M customers: a name typed without accents, or phone digits.

Why: DESIGN.md §8 — search as you type (customers) p99 < 50 ms with 1M rows, and §4 — when
HQ does not answer, the associate searches the local cache. The query measured is
bench.customer_query.search_customers (pos_app has no customer search module yet).

Runs in the benchmark's main thread, standing in for the app's reader worker.
"""
from __future__ import annotations

import random
import time

from bench.customer_query import search_customers
from bench.scenarios import Budget, RunArgs, ensure_db, log, register, summarize
from bench.scenarios.catalog import WARMUP, by_last_term, open_reader, sample_rows
from pos_app.demo.customers import phone_search_forms
from pos_app.textfold import fold


@register("customer_search", "local customer search as you type over customer_fts: folded name "
          "prefixes and phone digits, one key at a time", Budget("p99_ms", 50))
def customer_search(args: RunArgs) -> dict:
    db = ensure_db(args.products, args.customers, args.store)
    engine, _ctx = open_reader(db)
    rng = random.Random(args.seed)
    iterations = args.iterations_or(3000)
    people = sample_rows(engine, "SELECT name, phone FROM customers WHERE rowid = ?",
                         "customers", max(10, iterations // 12), rng)
    queries: list[tuple[str, str]] = []
    for i, (name, phone) in enumerate(people):
        if i % 2 == 0:  # a name, typed without accents
            typed = fold(name)
            queries += [("name", typed[:k]) for k in range(1, len(typed) + 1)]
        else:  # the phone number as the shopper says it, national form: "0901234567"
            forms = phone_search_forms(phone)
            typed = forms[1] if len(forms) > 1 else forms[0]
            queries += [("phone", typed[:k]) for k in range(1, len(typed) + 1)]
    while len(queries) < iterations + WARMUP:
        queries += queries
    queries = queries[:iterations + WARMUP]
    samples: dict[str, list[tuple[str, int]]] = {"name": [], "phone": []}
    empty = 0
    try:
        for i, (kind, query) in enumerate(queries):
            t0 = time.perf_counter_ns()
            with engine.connect() as conn:
                hits = search_customers(conn, query)
            elapsed = time.perf_counter_ns() - t0
            if i >= WARMUP:
                samples[kind].append((query, elapsed))
                empty += not hits
    finally:
        engine.dispose()
    every = samples["name"] + samples["phone"]
    log(f"customer_search: {len(every)} queries for {len(people)} customers")
    return {**summarize([ns for _q, ns in every]), "iterations": len(every),
            **summarize([ns for _q, ns in samples["name"]], "name_"),
            **summarize([ns for _q, ns in samples["phone"]], "phone_"),
            "empty_results": empty,
            "by_last_word": by_last_term(every),
            "slowest_query": max(every, key=lambda s: s[1])[0]}
