"""Tap "Bank transfer (VietQR)" -> the code ready to show on screen.

Why: DESIGN.md §8 puts the whole tap-to-code-on-screen path of a VietQR payment under
p99 < 100 ms; the customer is holding a phone up to the screen. Each iteration does what the
till does after the tap, for a new payment intent and a different amount each time:

- payload:  the intent's transfer note and the VietQR payload (pos_app/payments/vietqr.py);
- matrix:   the QR matrix at error correction M (the `qrcode` library picks the version and
            tries its 8 masks -- almost all of the time);
- picture:  the grey picture, 8 px per module, 4-module quiet zone (hardware/vietqr_image.py,
            `render` = `qr_matrix` + `draw`);
- qimage:   that picture as a QImage, as ui/printing/print_bridge.to_qimage hands pictures to
            Qt (the last step before a QLabel shows it).

p99_ms is the p99 of the sum; each step reports its own p50/p99. `png_*` times the PNG
encoding that `pos-app qr-sample` adds (not on the till's path). Writing the durable payment
intent before the code is shown is a database commit measured by `sale_commit` (p99 < 5 ms),
not here. No database needed; --products and --customers are ignored.

Runs in the benchmark's main thread, standing in for the I/O pool worker that draws the code.
"""
from __future__ import annotations

import os
import random
import time
import uuid

from bench.scenarios import Budget, RunArgs, log, register, summarize

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
WARMUP = 10
BANK_BIN, ACCOUNT = "970436", "0011012345678"


@register("vietqr_show", "tap VietQR -> payload built, QR drawn, QImage ready to show",
          Budget("p99_ms", 100))
def vietqr_show(args: RunArgs) -> dict:
    from hardware.vietqr_image import draw, png_bytes, qr_matrix
    from pos_app.money import Money
    from pos_app.payments.vietqr import VietQRRequest, build_payload
    from ui.printing.print_bridge import to_qimage

    rng = random.Random(args.seed)
    iterations = args.iterations_or(500)
    steps: dict[str, list[int]] = {"payload": [], "matrix": [], "picture": [], "qimage": [],
                                   "png": []}
    totals: list[int] = []
    versions: set[int] = set()
    for i in range(WARMUP + iterations):
        intent = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        amount = Money(rng.randrange(1, 200_000) * 1000, "VND")  # up to 200.000.000 d
        t0 = time.perf_counter_ns()
        payload = build_payload(VietQRRequest.for_intent(BANK_BIN, ACCOUNT, intent, amount))
        t1 = time.perf_counter_ns()
        version, rows = qr_matrix(payload)
        t2 = time.perf_counter_ns()
        picture = draw(version, rows)
        t3 = time.perf_counter_ns()
        image = to_qimage(picture.image)
        t4 = time.perf_counter_ns()
        png_bytes(picture)
        t5 = time.perf_counter_ns()
        assert not image.isNull() and image.width() == picture.side_px
        if i < WARMUP:
            continue
        versions.add(version)
        for name, ns in (("payload", t1 - t0), ("matrix", t2 - t1), ("picture", t3 - t2),
                         ("qimage", t4 - t3), ("png", t5 - t4)):
            steps[name].append(ns)
        totals.append(t4 - t0)  # the till's path; the PNG is the CLI's
    log(f"QR versions drawn: {sorted(versions)}")
    result = {**summarize(totals), "iterations": len(totals), "qr_versions": sorted(versions)}
    for name, samples in steps.items():
        summary = summarize(samples, prefix=f"{name}_")
        result.update({k: v for k, v in summary.items() if k.endswith(("p50_ms", "p99_ms"))})
    return result
