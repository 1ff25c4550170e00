"""The device side of HQ sync (DESIGN.md §2, §4). Imports pos_app only; never ui, hardware, Qt.

    protocol       the wire contract shared with hq/ (pydantic models)
    hq_client      HQClient over requests + the HQError hierarchy
    outbox_pusher  push_once / drain / Backoff: the outbox to HQ, at least once, in order
    change_puller  pull_once / bootstrap: HQ's change feed into the device tables, page-atomic
    change_apply   how each change entity maps onto the device tables (the `data` shapes)
    status         SyncStatus / read_status: what the sync indicator shows
    worker         SyncWorker: the background thread that runs it all
    enrolment      enrol_device: first run, code -> credentials -> store downloaded

Nothing here runs at import time.
"""
