"""Sample CustomerProfile documents (sync/protocol_customers.py) for the clienteling tests."""
from __future__ import annotations

import uuid

from sync.protocol_customers import CustomerProfile


def profile_json(customer_id: str, *, name: str = "Nguyễn Thị Mai", balance: int = 5_000,
                 entry_ids: tuple[str, ...] = (), data_use: bool | None = True,
                 as_of: str = "2025-03-14T09:00:00.000000Z", phone: str = "+84901234567",
                 email: str = "mai.nguyen@example.com", tasks: tuple[dict, ...] = (),
                 currency: str = "VND") -> dict:
    """A valid profile as HQ publishes it; `data_use` None: no consent recorded at all."""
    consents = [] if data_use is None else [
        {"kind": "data_use", "granted": data_use, "at": "2025-01-02T03:04:05.000000Z",
         "channel": "in_store", "by": "Lan"}]
    doc = {
        "customer": {"id": customer_id, "name": name, "phone": phone, "email": email,
                     "loyalty_card": "SLVN0000000042", "tier": "gold",
                     "home_store_code": "HCM1"},
        "customer_since": "2023-05-01", "sizes": {"tops": "M"}, "preferences": {},
        "consents": consents,
        "loyalty": {"balance": balance, "qualifying": 1_200, "tier": "gold",
                    "next_tier": "platinum", "points_to_next": 1_300,
                    "point_value_minor": 100 if currency == "VND" else 1, "currency": currency,
                    "entries": [{"id": i, "delta": -100, "reason": "redeem",
                                 "at": "2025-03-14T08:00:00.000000Z"} for i in entry_ids]},
        "lifetime_value": 12_500_000, "currency": currency, "orders": [], "cart": [],
        "wishlist": [],
        "notes": [{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, customer_id + "note")),
                   "text": "Thích màu xanh", "by": "Lan", "store_code": "HCM1",
                   "at": "2025-02-01T10:00:00.000000Z"}],
        "tasks": list(tasks), "recommendations": [], "as_of": as_of,
    }
    return CustomerProfile.model_validate(doc).model_dump(mode="json")


def task_json(task_id: str, customer_id: str, due: str, assigned_to: str | None,
              status: str = "open", at: str = "2025-03-01T00:00:00.000000Z") -> dict:
    return {"id": task_id, "customer_id": customer_id, "customer_name": "Nguyễn Thị Mai",
            "text": "Gọi khi có size 42", "due_date": due, "status": status,
            "assigned_to": assigned_to, "assigned_to_name": None, "created_by": "Lan",
            "at": at}
