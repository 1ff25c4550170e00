"""The benchmark scenarios: a registry that `python -m bench` lists and runs.

Why: DESIGN.md §8 budgets are checked by measurement, each by one scenario with its own
budget. Scenarios are plugins: any module in this package whose name does not start with "_"
is imported by `load_all()`, and registers its functions with the `register` decorator:

    from bench.scenarios import Budget, RunArgs, ensure_db, register

    @register("scan_ui", "scan -> line shown through the UI path, 1M products",
              Budget("p99_ms", 30))
    def scan_ui(args: RunArgs) -> dict:
        db = ensure_db(args.products, args.customers, args.store)  # cached under bench/_data
        samples_ns = [...]
        return {**summarize(samples_ns), "iterations": len(samples_ns)}

A scenario returns a dict of measurements that holds its budget's metric (e.g. "p99_ms",
"rss_mb", "launch_ms"); the runner adds bench, n, budget and ok, and prints it as JSON.

Runs in the benchmark's main thread (a command-line tool, not part of the app).
"""
from __future__ import annotations

import importlib
import math
import os
import pkgutil
import platform
import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from bench.generate import default_db_path, generate


@dataclass(frozen=True, slots=True)
class Budget:
    """The result's `metric` must be below `limit` (DESIGN.md §8)."""

    metric: str  # a key of the scenario's result: "p99_ms", "rss_mb", "launch_ms", ...
    limit: float

    def __str__(self) -> str:
        return f"{self.metric} < {self.limit:g}"

    def ok(self, result: dict) -> bool:
        value = result.get(self.metric)
        return isinstance(value, (int, float)) and value < self.limit


@dataclass(frozen=True, slots=True)
class RunArgs:
    """What the command line asked for. `iterations` None: the scenario's own default."""

    products: int = 1_000_000
    customers: int = 1_000_000
    iterations: int | None = None
    store: str = "hcm"
    seed: int = 20251

    def iterations_or(self, default: int) -> int:
        return self.iterations if self.iterations else default


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str
    budget: Budget
    run: Callable[[RunArgs], dict]


REGISTRY: dict[str, Scenario] = {}


def register(name: str, description: str, budget: Budget | tuple[str, float]):
    """Decorator: add `fn(args: RunArgs) -> dict` to the registry under `name`."""
    if not isinstance(budget, Budget):
        budget = Budget(*budget)

    def decorate(fn: Callable[[RunArgs], dict]) -> Callable[[RunArgs], dict]:
        if name in REGISTRY and REGISTRY[name].run is not fn:
            raise ValueError(f"Benchmark scenario {name!r} is registered twice")
        REGISTRY[name] = Scenario(name, description, budget, fn)
        return fn

    return decorate


def load_all() -> dict[str, Scenario]:
    """Import every scenario module of this package (modules named _x are helpers)."""
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY


def ensure_db(products: int, customers: int, store: str = "hcm") -> Path:
    """The cached benchmark database of that size under bench/_data/, built if missing."""
    path = default_db_path(products, customers, store)
    generate(path, products, customers, store)
    return path


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- statistics ----------------------------------------------------------------------------
def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarize(samples_ns: list[int], prefix: str = "") -> dict:
    """p50/p90/p99/max/mean in milliseconds (3 decimals) of durations in nanoseconds."""
    ms = sorted(s / 1e6 for s in samples_ns)
    out = {f"{prefix}p50_ms": percentile(ms, 50), f"{prefix}p90_ms": percentile(ms, 90),
           f"{prefix}p99_ms": percentile(ms, 99), f"{prefix}max_ms": ms[-1] if ms else None,
           f"{prefix}mean_ms": sum(ms) / len(ms) if ms else None}
    return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in out.items()}


def machine_note() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} CPU ({cpu}), "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def db_counts(path: Path) -> dict:
    """Rows in the benchmark database (max rowid: instant on a million-row table)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return {t: conn.execute(f"SELECT max(rowid) FROM {t}").fetchone()[0] or 0
                for t in ("variants", "customers")}
