"""Demo shoppers' details HQ holds beyond the clienteling book: home addresses (Vietnamese for
Saigon, English for New York), sizes, tastes and consents.

Why: the customer 360° screen, BOPIS and recommendations need shoppers who look real: a
Vietnamese address reads "18 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh", a New
York one "141 Mercer Street, Apt 4C, New York, NY 10012". Sizes and tastes are drawn first and
then *drive* the demo purchases (hq/demo/orders.py), so the profile, the order history and
the recommendations agree. Every street, person and number is made up.

Pure code, seeded `random.Random` given by the caller: safe on any thread.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

# --- addresses ---------------------------------------------------------------------------------
_VN_STREETS_HCM = ("Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Đồng Khởi", "Pasteur",
                   "Nam Kỳ Khởi Nghĩa", "Điện Biên Phủ", "Võ Văn Tần", "Nguyễn Thị Minh Khai",
                   "Cách Mạng Tháng Tám", "Trần Hưng Đạo", "Lý Tự Trọng", "Nguyễn Đình Chiểu",
                   "Phan Xích Long", "Nguyễn Văn Trỗi", "Hoàng Văn Thụ", "Lê Văn Sỹ",
                   "Nguyễn Hữu Thọ", "Xuân Thủy", "Quốc Hương")
_VN_WARDS_HCM = {
    "Quận 1": ("Phường Bến Nghé", "Phường Bến Thành", "Phường Đa Kao", "Phường Tân Định"),
    "Quận 3": ("Phường Võ Thị Sáu", "Phường 9", "Phường 14"),
    "Quận 7": ("Phường Tân Phong", "Phường Tân Phú", "Phường Tân Hưng"),
    "Quận 10": ("Phường 12", "Phường 14", "Phường 15"),
    "Quận Bình Thạnh": ("Phường 15", "Phường 22", "Phường 25"),
    "Quận Phú Nhuận": ("Phường 2", "Phường 9", "Phường 17"),
    "Quận Tân Bình": ("Phường 2", "Phường 4", "Phường 13"),
    "TP. Thủ Đức": ("Phường Thảo Điền", "Phường An Phú", "Phường Bình Thọ"),
}
_VN_STREETS_HN = ("Hàng Bông", "Bà Triệu", "Kim Mã", "Trần Duy Hưng", "Xuân Diệu")
_VN_WARDS_HN = {
    "Quận Hoàn Kiếm": ("Phường Hàng Trống", "Phường Hàng Gai"),
    "Quận Ba Đình": ("Phường Kim Mã", "Phường Ngọc Khánh"),
    "Quận Cầu Giấy": ("Phường Trung Hòa", "Phường Dịch Vọng"),
    "Quận Tây Hồ": ("Phường Quảng An", "Phường Nhật Tân"),
}
# (city, state, ZIP codes, streets)
_US_PLACES = (
    ("New York", "NY", ("10012", "10013", "10014", "10002", "10003"),
     ("Prince Street", "Spring Street", "Mercer Street", "Broome Street", "Lafayette Street",
      "Bleecker Street", "Hudson Street", "Grand Street", "Orchard Street", "West 4th Street")),
    ("Brooklyn", "NY", ("11201", "11211", "11215", "11222"),
     ("Bedford Avenue", "Atlantic Avenue", "Court Street", "Henry Street", "Driggs Avenue")),
    ("Jersey City", "NJ", ("07302", "07310"),
     ("Washington Street", "Newark Avenue", "Grand Street", "Montgomery Street")),
)
GUEST_NAMES = {"vi": ("Trần Quốc Bảo", "Lê Thị Thu Hà", "Đặng Minh Khoa"),
               "en": ("Taylor Brooks", "Sam Patel", "Riley Chen")}


def vn_address(rng: random.Random) -> str:
    if rng.random() < 0.12:  # some shoppers order from Hà Nội
        district = rng.choice(sorted(_VN_WARDS_HN))
        return (f"{rng.randint(2, 220)} {rng.choice(_VN_STREETS_HN)},"
                f" {rng.choice(_VN_WARDS_HN[district])}, {district}, Hà Nội")
    district = rng.choice(sorted(_VN_WARDS_HCM))
    number = f"{rng.randint(2, 260)}" + (f"/{rng.randint(1, 40)}" if rng.random() < 0.3 else "")
    return (f"{number} {rng.choice(_VN_STREETS_HCM)}, {rng.choice(_VN_WARDS_HCM[district])},"
            f" {district}, TP. Hồ Chí Minh")


def us_address(rng: random.Random) -> str:
    city, state, zips, streets = rng.choice(_US_PLACES)
    apt = f", Apt {rng.randint(1, 12)}{rng.choice('ABCDEF')}" if rng.random() < 0.7 else ""
    return f"{rng.randint(10, 480)} {rng.choice(streets)}{apt}, {city}, {state} {rng.choice(zips)}"


# --- sizes and tastes --------------------------------------------------------------------------
_APPAREL = {"vi": ("S", "M", "M", "L", "L", "XL"), "en": ("XS", "S", "M", "M", "L", "XL")}
_SHOES = {"vi": tuple(str(s) for s in (36, 37, 38, 39, 40, 40, 41, 42, 43)),
          "en": ("6", "7", "8", "8", "9", "9", "10", "11", "12")}
_KIDS = {"vi": ("90", "100", "110", "120", "130"), "en": ("2T", "3T", "4T", "5", "6")}
CHANNELS = ("web", "web", "web", "store")


@dataclass(frozen=True)
class Taste:
    """What a shopper wears and likes; `sizes` keys are item kinds (hq/demo/orders.py)."""

    sizes: dict[str, str]
    categories: tuple[str, ...]  # favourite categories, best first
    colours: tuple[str, ...]


def draw_taste(rng: random.Random, lang: str, categories: list[str], colours: list[str],
               kids_categories: set[str]) -> Taste:
    sizes = {"apparel": rng.choice(_APPAREL[lang]), "shoes": rng.choice(_SHOES[lang])}
    if rng.random() < 0.2:
        sizes["kids"] = rng.choice(_KIDS[lang])
    pool = [c for c in categories if c not in kids_categories or "kids" in sizes]
    return Taste(sizes=sizes, categories=tuple(rng.sample(pool, 3)),
                 colours=tuple(rng.sample(colours, 2)))


@dataclass(frozen=True)
class Consents:
    marketing: bool
    marketing_channel: str
    marketing_by: str
    data_use: bool
    data_use_channel: str
    data_use_by: str


def draw_consents(rng: random.Random, associate_ids: tuple[str, ...]) -> Consents:
    """Who agreed to what: in the webshop the shopper ticks the box ("customer"); in a store
    the associate who recorded it is named."""
    def who(channel: str) -> str:
        return rng.choice(associate_ids) if channel == "store" else "customer"
    data_channel = rng.choice(CHANNELS)
    marketing_channel = data_channel if rng.random() < 0.8 else rng.choice(CHANNELS)
    return Consents(marketing=rng.random() < 0.62, marketing_channel=marketing_channel,
                    marketing_by=who(marketing_channel), data_use=rng.random() < 0.9,
                    data_use_channel=data_channel, data_use_by=who(data_channel))
