"""`python -m bench`: list the scenarios; `python -m bench NAME [options]`: run one.

Why: one command runs one measured scenario against a database of the stated size (built once
and cached under bench/_data/) and prints the result as ONE JSON object on the LAST line of
stdout, so scripts and CI can parse it; progress goes to stderr. Budgets come from
DESIGN.md §8; "ok" says whether the measurement is within its budget.

    python -m bench
    python -m bench search --products 1000000 --customers 1000000 --iterations 2000
    python -m bench sale_commit --strict      # exit status 1 when over budget

Runs in the main thread of its own process.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

from bench.scenarios import RunArgs, db_counts, default_db_path, load_all, log, machine_note


def list_scenarios(registry) -> None:
    width = max((len(n) for n in registry), default=0)
    print("Benchmark scenarios (python -m bench NAME [--products N] [--customers N]"
          " [--iterations K]):")
    for name in sorted(registry):
        sc = registry[name]
        print(f"  {name:<{width}}  {sc.description}  [budget: {sc.budget}]")


def main(argv: list[str] | None = None) -> int:
    registry = load_all()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("name", nargs="?", help="scenario to run; omit to list them")
    parser.add_argument("--products", type=int, default=1_000_000,
                        help="variants (SKUs) in the database (default 1,000,000)")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=None,
                        help="measured operations (default: the scenario's own)")
    parser.add_argument("--store", default="hcm", choices=("hcm", "nyc"))
    parser.add_argument("--seed", type=int, default=20251)
    parser.add_argument("--strict", action="store_true", help="exit 1 when over budget")
    args = parser.parse_args(argv)
    if args.name is None:
        list_scenarios(registry)
        return 0
    if args.name not in registry:
        parser.error(f"unknown scenario {args.name!r}; choose from {', '.join(sorted(registry))}")
    scenario = registry[args.name]
    run_args = RunArgs(args.products, args.customers, args.iterations, args.store, args.seed)
    log(f"running {scenario.name}: {scenario.description}")
    started = time.perf_counter()
    measured = scenario.run(run_args)
    db = default_db_path(args.products, args.customers, args.store)
    counts = db_counts(db) if db.exists() else {}
    result = {
        "bench": scenario.name,
        "n": counts.get("variants", args.products),
        "customers": counts.get("customers", args.customers),
        **measured,
        "budget": str(scenario.budget),
        "ok": scenario.budget.ok(measured),
        "store": args.store,
        "requested": {"products": args.products, "customers": args.customers},
        "wall_s": round(time.perf_counter() - started, 1),
        "machine": machine_note(),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 1 if args.strict and not result["ok"] else 0


if __name__ == "__main__":
    sys.exit(main())
