"""Schemathesis against a real `pos-hq serve` on PostgreSQL (issue 18): no 5xx, no schema
violation, every operation exercised.

Three runs of the schemathesis CLI (`st run --checks all`: server errors, status codes,
content types, headers and bodies against /openapi.json, valid data accepted, invalid data
refused, authentication enforced, methods not in the schema answered 405):

- anonymous: every operation, without credentials;
- as an enrolled device: the device operations, /v1/push included (its body schema is in
  /openapi.json since issue 18, so pushes are generated and really ingested);
- as the admin: the admin operations.

Each run is bounded: the examples, coverage, fuzzing and stateful phases with at most
EXAMPLES generated cases per operation in the fuzzing phase (STORELINE_FUZZ_LONG=1 asks for
many more, with a random seed). The server's limits are raised for these runs: a fuzzer
makes hundreds of requests a second from one address, and the limiter's 429s would hide the
handlers it is here to reach (the limits themselves are tested in test_api_edge.py). Real
identifiers from the demo company (customers, orders, SKUs, a spare device to revoke) are
offered for half of the generated path and query values, so that look-ups reach their data
and not only their 404. Nothing here depends on the machine's speed: no response time is
checked, only what HQ answered.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import requests
from sqlalchemy import text

from hq.api.ratelimit import Limits
from hq.child_process import HQChild
from hq.db.engine import make_engine
from tests.hq.conftest import new_database_url
from tests.waiting import PATIENT_HTTP

LONG = os.environ.get("STORELINE_FUZZ_LONG", "") not in ("", "0")
EXAMPLES = 300 if LONG else 10
SEED = None if LONG else 20261122
ADMIN_TOKEN = "fuzz-admin-token-0123456789abcdef"


def _dictionaries(url: str, spare_device_id: str) -> str:
    """schemathesis.toml: real identifiers of the seeded company for half of the values."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            customers = conn.execute(text("SELECT id FROM customers ORDER BY id LIMIT 4")
                                     ).scalars().all()
            orders = conn.execute(text("SELECT number FROM web_orders ORDER BY number LIMIT 4")
                                  ).scalars().all()
            skus = conn.execute(text("SELECT sku FROM variants ORDER BY sku LIMIT 4")
                                ).scalars().all()
    finally:
        engine.dispose()
    values = {"customers": customers, "orders": orders, "skus": skus,
              "stores": ["HCM1", "NYC1"], "devices": [spare_device_id]}
    bound = {"path.customer_id": "customers", "path.number": "orders", "query.sku": "skus",
             "body.store_code": "stores", "path.device_id": "devices"}
    lines = []
    for name, entries in values.items():
        assert entries, f"the demo company has no {name}"
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(list(entries))}", ""]
    lines.append("[parameters]")
    lines += [f'"{key}" = {{ dictionary = "{name}", probability = 0.5 }}'
              for key, name in bound.items()]
    return "\n".join(lines) + "\n"


def _schemathesis(server: HQChild, workdir: Path, name: str, config: Path, *,
                  tag: str | None = None, authorization: str | None = None) -> dict:
    """One `st run` against `server`; its JSON report (with the end of its output)."""
    report = workdir / f"{name}.json"
    args = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run",
            f"{server.url}/openapi.json", "--checks", "all", "--workers", "1",
            "--max-examples", str(EXAMPLES), "--suppress-health-check", "all",
            "--request-timeout", "300", "--generation-database", "none", "--no-color",
            "--report", "json", "--report-json-path", str(report)]
    if SEED is not None:
        args += ["--seed", str(SEED)]
    if tag:
        args += ["--include-tag", tag]
    if authorization:
        args += ["-H", f"Authorization: {authorization}"]
    done = subprocess.run(args, cwd=workdir, capture_output=True, text=True,
                          timeout=6 * 3600 if LONG else 3600)  # a hang guard, not a budget
    assert report.exists(), done.stdout[-5000:] + done.stderr[-5000:]
    result = json.loads(report.read_text())
    result["output"] = done.stdout[-8000:] + done.stderr[-2000:]
    return result


def test_schemathesis_finds_no_server_error_and_no_schema_violation(tmp_path, monkeypatch):
    url, drop = new_database_url("postgresql", tmp_path)
    for variable, value in Limits(1e6, 1e6, 1e6).to_env().items():
        monkeypatch.setenv(variable, value)
    log = tmp_path / "serve.log"
    server = HQChild(url, ADMIN_TOKEN, log_path=log)
    try:
        server.cli("demo-seed")
        codes = [server.cli("enrolment-code", "--store", "HCM1").strip() for _ in range(2)]
        server.start()
        try:
            fuzzer, spare = [requests.post(f"{server.url}/v1/enrol", timeout=PATIENT_HTTP, json={
                "code": code, "device_name": f"fuzz {i}"}).json() for i, code in enumerate(codes)]
            spec = requests.get(f"{server.url}/openapi.json", timeout=PATIENT_HTTP).json()
            tagged = {tag: {f"{m.upper()} {p}" for p, ms in spec["paths"].items()
                            for m, op in ms.items() if tag in op["tags"]}
                      for tag in ("public", "device", "admin")}
            config = tmp_path / "schemathesis.toml"
            config.write_text(_dictionaries(url, spare["device_id"]))
            runs = {
                "anonymous": _schemathesis(server, tmp_path, "anonymous", config),
                "device": _schemathesis(
                    server, tmp_path, "device", config, tag="device",
                    authorization=f"Bearer {fuzzer['device_id']}.{fuzzer['device_secret']}"),
                "admin": _schemathesis(server, tmp_path, "admin", config, tag="admin",
                                       authorization=f"Bearer {ADMIN_TOKEN}"),
            }
        finally:
            server.stop()
    finally:
        drop()
    print()
    for name, run in runs.items():
        print(f"schemathesis {name}: {run['operations']['tested']} operations, "
              f"{run['test_cases']['generated']} test cases, {run['running_time']:.1f} s")
    print(f"schemathesis total: {sum(r['test_cases']['generated'] for r in runs.values())} "
          f"test cases in {sum(r['running_time'] for r in runs.values()):.1f} s")
    for name, run in runs.items():
        assert (run["failures"], run["errors"], run["test_cases"]["errored"]) == ([], [], 0), \
            f"{name}:\n{run['output']}"
        assert run["exit_code"] == 0 and run["complete"], f"{name}:\n{run['output']}"
        ops = run["operations"]
        assert ops["tested"] == ops["selected"] > 0 and ops["errored"] == 0, (name, ops)
        assert run["warnings"]["unresolvable_reference"] == [], name
    everything = set().union(*tagged.values())
    assert runs["anonymous"]["operations"]["selected"] == len(everything)  # the whole API
    for name in ("device", "admin"):  # authenticated runs: no operation saw only 401/403
        assert runs[name]["operations"]["selected"] == len(tagged[name]), name
        assert runs[name]["warnings"]["missing_auth"] == [], (name, runs[name]["output"])
    reached = {op: sum(r["accepted"] + r["unreachable"] for r in phases.values())
               for op, phases in runs["device"]["valid_rates"].items()}
    assert set(reached) == tagged["device"], reached
    assert all(reached.values()), reached  # every device operation answered valid data
    push = runs["device"]["valid_rates"]["POST /v1/push"]
    assert sum(r["accepted"] for r in push.values()) > 0  # generated pushes were ingested
    served = log.read_text()
    assert "Traceback" not in served and "Exception in ASGI" not in served, served[-5000:]
