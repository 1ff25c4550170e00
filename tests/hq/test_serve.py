"""End to end: a real `pos-hq serve` process on a loopback port, spoken to over HTTP with
requests, administered with the `pos-hq` commands (both databases; TLS on SQLite)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from hq.child_process import HQChild
from tests.hq.device_sales import sell_on_device

ROOT = Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "e2e-admin-token"


def pos_hq(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "hq.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_enrol_push_audit_and_revoke_against_a_real_server(db_url, tmp_path, device_copy):
    assert "seeded: HCM1, NYC1" in pos_hq("demo-seed", "--database", db_url).stdout
    code = pos_hq("enrolment-code", "--database", db_url, "--store", "HCM1").stdout.strip()
    server = HQChild(db_url, ADMIN_TOKEN, log_path=tmp_path / "serve.log").start()
    try:
        s = requests.Session()
        r = s.post(f"{server.url}/v1/enrol", json={"code": code, "device_name": "Quầy 1"},
                   timeout=10)
        assert r.status_code == 200, r.text
        enrolled = r.json()
        assert enrolled["store_code"] == "HCM1" and enrolled["device_code"] == "T01"
        assert s.post(f"{server.url}/v1/enrol", json={"code": code, "device_name": "again"},
                      timeout=10).status_code == 403
        auth = {"Authorization": f"Bearer {enrolled['device_id']}.{enrolled['device_secret']}"}
        events = sell_on_device(device_copy("hcm"), "hcm", enrolled["device_id"],
                                enrolled["device_code"])
        first = s.post(f"{server.url}/v1/push", json={"events": events}, headers=auth,
                       timeout=10).json()
        again = s.post(f"{server.url}/v1/push", json={"events": events}, headers=auth,
                       timeout=10).json()
        assert [x["status"] for x in first["results"]] == ["accepted"] * len(events)
        assert [x["status"] for x in again["results"]] == ["duplicate"] * len(events)
        page = s.get(f"{server.url}/v1/changes?limit=50", headers=auth, timeout=10).json()
        assert page["has_more"] and page["changes"][0]["entity"] == "store"
        audit = s.get(f"{server.url}/v1/admin/journal", timeout=10,
                      headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()
        assert [(d["last_seq"], d["gaps"]) for d in audit["devices"]] == [(len(events), [])]
        out = pos_hq("audit", "--database", db_url).stdout
        assert f"last_seq={len(events)} received={len(events)} ok" in out
        pos_hq("revoke", "--database", db_url, enrolled["device_id"])
        r = s.get(f"{server.url}/v1/changes", headers=auth, timeout=10)
        assert r.status_code == 401 and r.json()["detail"] == "device revoked"
    finally:
        server.stop()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed to make a cert")
def test_serve_speaks_tls_when_configured(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    server = HQChild(str(tmp_path / "hq.db"), ADMIN_TOKEN, tls=(str(cert), str(key)),
                     log_path=tmp_path / "serve.log").start()
    try:
        assert requests.get(f"{server.url}/healthz", verify=str(cert),
                            timeout=10).json() == {"status": "ok"}
        with pytest.raises(requests.exceptions.SSLError):  # the cert is not publicly trusted
            requests.get(f"{server.url}/healthz", timeout=10)
    finally:
        server.stop()


def test_serve_with_two_workers_ingests_once_and_stop_takes_the_workers_down(db_url, tmp_path,
                                                                             device_copy):
    """`pos-hq serve --workers 2` (HQ's production shape: ingest scales with cores): pushes
    and retries land on either worker and are stored once; stopping HQ leaves no orphan."""
    import psutil

    pos_hq("demo-seed", "--database", db_url)
    code = pos_hq("enrolment-code", "--database", db_url, "--store", "HCM1").stdout.strip()
    server = HQChild(db_url, ADMIN_TOKEN, log_path=tmp_path / "serve.log", workers=2).start()
    try:
        workers = wait_for_workers(server, 2)
        enrolled = requests.post(f"{server.url}/v1/enrol", timeout=10, json={
            "code": code, "device_name": "Quầy 2"}).json()
        auth = {"Authorization": f"Bearer {enrolled['device_id']}.{enrolled['device_secret']}"}
        events = sell_on_device(device_copy("hcm"), "hcm", enrolled["device_id"],
                                enrolled["device_code"], rounds=2)
        answers = []
        for _ in range(4):  # new connections: the kernel spreads them over both workers
            answers.append(requests.post(f"{server.url}/v1/push", json={"events": events},
                                         headers=auth, timeout=20).json())
        assert [r["status"] for r in answers[0]["results"]] == ["accepted"] * len(events)
        assert all(r["status"] == "duplicate" for a in answers[1:] for r in a["results"])
        audit = server.admin("/v1/admin/journal")["devices"]
        assert [(d["last_seq"], d["received"], d["gaps"]) for d in audit] == \
            [(len(events), len(events), [])]
    finally:
        server.stop()
    for proc in workers:  # stop() returned: every worker is gone, at once
        assert not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE


def wait_for_workers(server: HQChild, count: int, timeout: float = 120) -> list:
    """uvicorn's worker processes once ``count`` exist (HQ answers as soon as one is up)."""
    import psutil

    deadline = time.monotonic() + timeout
    while True:
        workers = [p for p in psutil.Process(server.proc.pid).children(recursive=True)
                   if "spawn_main" in " ".join(p.cmdline())]
        if len(workers) >= count or time.monotonic() > deadline:
            assert len(workers) == count, f"{len(workers)} workers after {timeout} s"
            return workers
        time.sleep(0.05)
