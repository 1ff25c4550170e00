"""Word lists for the demo stores and the benchmark generator: product types, colours, sizes,
brands and people's names, in Vietnamese and English.

Why: the demo store (pos_app.demo.store) and the 1M-row benchmark database (bench/generate.py)
must look like a real fashion and footwear shop -- Vietnamese names with diacritics, realistic
prices -- without downloading anything. Everything is built by code from these small tables.
All names of brands, people, streets and e-mail domains are made up (e-mails use the reserved
example.* domains).

Pure data: safe on any thread.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProductType:
    """One kind of product, with its name in both demo languages.

    Prices are a range from which each product draws its price: thousands of dong for the
    Vietnamese store, cents for the US store. `descriptors` are (vi, en) pairs that make
    several products ("Áo sơ mi lụa tay dài", "Long Sleeve Silk Shirt") out of one type.
    """

    vi: str
    en: str
    category_vi: str
    category_en: str
    size_kind: str  # key of SIZES_VI / SIZES_EN
    vnd_k: tuple[int, int]  # price range in thousands of dong
    usd_cents: tuple[int, int]  # price range in cents
    descriptors: tuple[tuple[str, str], ...]
    kids: bool = False  # VAT8 in the Vietnamese store, EXEMPT in the US one


def _t(vi, en, cvi, cen, size, vnd, usd, desc, kids=False) -> ProductType:
    return ProductType(vi, en, cvi, cen, size, vnd, usd, tuple(desc), kids)


PRODUCT_TYPES: tuple[ProductType, ...] = (
    # --- tops --------------------------------------------------------------------------------
    _t("Áo sơ mi lụa", "Silk Shirt", "Áo sơ mi", "Shirts", "apparel", (450, 1290), (6900, 14900),
       [("tay dài", "Long Sleeve"), ("cổ đức", "Point Collar"), ("tay lỡ", "Elbow Sleeve"),
        ("cổ nơ", "Bow Neck")]),
    _t("Áo sơ mi linen", "Linen Shirt", "Áo sơ mi", "Shirts", "apparel", (390, 890),
       (4900, 8900), [("tay ngắn", "Short Sleeve"), ("dáng rộng", "Relaxed"),
                      ("kẻ sọc", "Striped")]),
    _t("Áo sơ mi Oxford", "Oxford Shirt", "Áo sơ mi", "Shirts", "apparel", (350, 750),
       (3900, 7900), [("tay dài", "Long Sleeve"), ("slim fit", "Slim Fit")]),
    _t("Áo thun cổ tròn", "Crew Neck Tee", "Áo thun", "T-Shirts", "apparel", (99, 349),
       (999, 2999), [("basic", "Essential"), ("oversize", "Oversized"), ("in chữ", "Graphic"),
                     ("cotton compact", "Compact Cotton")]),
    _t("Áo polo", "Polo Shirt", "Áo thun", "T-Shirts", "apparel", (249, 599), (2499, 5900),
       [("pique", "Pique"), ("kẻ ngang", "Striped"), ("phối cổ", "Tipped")]),
    _t("Áo khoác gió", "Windbreaker", "Áo khoác", "Outerwear", "apparel", (499, 1290),
       (5900, 12900), [("chống nước", "Water-Resistant"), ("có mũ", "Hooded"),
                       ("hai lớp", "Lined")]),
    _t("Áo khoác bomber", "Bomber Jacket", "Áo khoác", "Outerwear", "apparel", (690, 1590),
       (7900, 16900), [("vải dù", "Nylon"), ("nỉ", "Fleece")]),
    _t("Áo len cổ lọ", "Turtleneck Sweater", "Áo len", "Knitwear", "apparel", (390, 890),
       (3900, 8900), [("mỏng", "Fine Knit"), ("gân", "Ribbed")]),
    _t("Áo cardigan", "Cardigan", "Áo len", "Knitwear", "apparel", (350, 790), (3900, 7900),
       [("len dệt kim", "Knit"), ("dáng ngắn", "Cropped")]),
    _t("Áo blazer", "Blazer", "Áo khoác", "Outerwear", "apparel", (990, 2490), (9900, 24900),
       [("một khuy", "Single-Button"), ("dáng suông", "Relaxed"), ("kẻ caro", "Check")]),
    _t("Áo hoodie", "Hoodie", "Áo nỉ", "Sweatshirts", "apparel", (399, 899), (3900, 7900),
       [("nỉ bông", "Fleece"), ("khóa kéo", "Zip-Up")]),
    _t("Áo croptop", "Crop Top", "Áo thun", "T-Shirts", "apparel", (149, 349), (1499, 2999),
       [("gân", "Ribbed"), ("cổ vuông", "Square Neck")]),
    _t("Áo kiểu", "Blouse", "Áo sơ mi", "Shirts", "apparel", (299, 690), (2999, 6900),
       [("tay bồng", "Puff Sleeve"), ("cổ yếm", "Halter"), ("voan", "Chiffon")]),
    # --- bottoms -----------------------------------------------------------------------------
    _t("Quần jean ống đứng", "Straight Leg Jeans", "Quần jean", "Jeans", "apparel",
       (490, 1190), (4900, 11900), [("co giãn", "Stretch"), ("lưng cao", "High Rise"),
                                    ("rách gối", "Ripped"), ("basic", "Classic")]),
    _t("Quần jean skinny", "Skinny Jeans", "Quần jean", "Jeans", "apparel", (450, 990),
       (4900, 9900), [("lưng cao", "High Rise"), ("co giãn", "Stretch")]),
    _t("Quần tây", "Trousers", "Quần", "Pants", "apparel", (450, 1190), (4900, 11900),
       [("ống côn", "Tapered"), ("ống suông", "Wide Leg"), ("xếp ly", "Pleated")]),
    _t("Quần kaki", "Chinos", "Quần", "Pants", "apparel", (350, 790), (3900, 7900),
       [("ống đứng", "Straight"), ("túi hộp", "Cargo")]),
    _t("Quần short kaki", "Chino Shorts", "Quần", "Pants", "apparel", (249, 499), (2499, 4900),
       [("basic", "Classic"), ("gấu lật", "Cuffed")]),
    _t("Quần jogger", "Joggers", "Quần", "Pants", "apparel", (299, 599), (2999, 5900),
       [("nỉ", "Fleece"), ("vải dù", "Nylon")]),
    _t("Quần culottes", "Culottes", "Quần", "Pants", "apparel", (350, 690), (3900, 6900),
       [("lưng thun", "Elastic Waist"), ("vải đũi", "Linen Blend")]),
    # --- dresses and skirts --------------------------------------------------------------------
    _t("Đầm maxi hoa nhí", "Floral Maxi Dress", "Đầm", "Dresses", "apparel", (590, 1490),
       (6900, 14900), [("cổ V", "V-Neck"), ("hai dây", "Strappy"), ("tay phồng", "Puff Sleeve")]),
    _t("Đầm suông", "Shift Dress", "Đầm", "Dresses", "apparel", (450, 990), (4900, 9900),
       [("linen", "Linen"), ("cổ tròn", "Crew Neck")]),
    _t("Đầm công sở", "Work Dress", "Đầm", "Dresses", "apparel", (590, 1390), (5900, 12900),
       [("ôm body", "Fitted"), ("peplum", "Peplum")]),
    _t("Váy xếp ly", "Pleated Skirt", "Chân váy", "Skirts", "apparel", (350, 790),
       (3900, 7900), [("dáng dài", "Maxi"), ("dáng midi", "Midi")]),
    _t("Chân váy bút chì", "Pencil Skirt", "Chân váy", "Skirts", "apparel", (350, 690),
       (3900, 6900), [("lưng cao", "High Waist"), ("xẻ sau", "Back Slit")]),
    _t("Chân váy jean", "Denim Skirt", "Chân váy", "Skirts", "apparel", (290, 590),
       (2900, 5900), [("chữ A", "A-Line"), ("cài khuy", "Button-Front")]),
    _t("Áo dài cách tân", "Modern Ao Dai", "Áo dài", "Ao Dai", "apparel", (890, 2500),
       (8900, 24900), [("lụa tơ tằm", "Mulberry Silk"), ("gấm", "Brocade"),
                       ("thêu hoa", "Embroidered")]),
    # --- shoes ---------------------------------------------------------------------------------
    _t("Giày thể thao", "Sneakers", "Giày", "Shoes", "shoes_u", (590, 2290), (5900, 19900),
       [("chạy bộ", "Running"), ("đế bằng", "Flat Sole"), ("cổ cao", "High-Top"),
        ("trắng basic", "Classic White")]),
    _t("Giày cao gót", "High Heel Pumps", "Giày", "Shoes", "shoes_w", (450, 1490),
       (5900, 14900), [("mũi nhọn", "Pointed Toe"), ("đế vuông", "Block Heel"),
                       ("quai mảnh", "Strappy")]),
    _t("Giày lười da", "Leather Loafers", "Giày", "Shoes", "shoes_m", (790, 1990),
       (7900, 17900), [("da bò", "Calfskin"), ("da lộn", "Suede")]),
    _t("Giày tây", "Dress Shoes", "Giày", "Shoes", "shoes_m", (990, 2490), (9900, 22900),
       [("buộc dây", "Lace-Up"), ("mũi trơn", "Plain Toe")]),
    _t("Sandal quai hậu", "Slingback Sandals", "Dép & sandal", "Sandals", "shoes_w",
       (299, 690), (2999, 6900), [("đế xuồng", "Wedge"), ("quai chéo", "Cross Strap")]),
    _t("Dép quai ngang", "Slide Sandals", "Dép & sandal", "Sandals", "shoes_u", (99, 399),
       (999, 3900), [("cao su", "Rubber"), ("đế êm", "Cushioned")]),
    _t("Bốt cổ ngắn", "Ankle Boots", "Giày", "Shoes", "shoes_w", (890, 2290), (8900, 21900),
       [("da lộn", "Suede"), ("khóa kéo", "Side Zip")]),
    # --- bags and accessories ------------------------------------------------------------------
    _t("Túi xách da", "Leather Handbag", "Túi xách", "Bags", "none", (690, 2500),
       (7900, 24900), [("đeo vai", "Shoulder"), ("cỡ nhỏ", "Mini"), ("công sở", "Work")]),
    _t("Túi tote vải canvas", "Canvas Tote Bag", "Túi xách", "Bags", "none", (199, 450),
       (1999, 4500), [("in hình", "Printed"), ("trơn", "Plain")]),
    _t("Ba lô", "Backpack", "Túi xách", "Bags", "none", (390, 1290), (3900, 12900),
       [("laptop", "Laptop"), ("mini", "Mini")]),
    _t("Ví da nam", "Men's Leather Wallet", "Phụ kiện", "Accessories", "none", (290, 890),
       (2900, 8900), [("gập đôi", "Bifold"), ("dáng đứng", "Vertical")]),
    _t("Ví cầm tay nữ", "Clutch", "Phụ kiện", "Accessories", "none", (249, 690),
       (2499, 6900), [("da bóng", "Patent"), ("đính hạt", "Beaded")]),
    _t("Thắt lưng da", "Leather Belt", "Phụ kiện", "Accessories", "belt", (290, 990),
       (2900, 8900), [("khóa kim", "Pin Buckle"), ("khóa tự động", "Ratchet")]),
    _t("Mũ lưỡi trai", "Baseball Cap", "Phụ kiện", "Accessories", "none", (149, 349),
       (1499, 3500), [("thêu logo", "Embroidered"), ("trơn", "Plain")]),
    _t("Khăn lụa", "Silk Scarf", "Phụ kiện", "Accessories", "none", (199, 590), (2500, 6900),
       [("vuông", "Square"), ("choàng", "Long")]),
    # --- kids (VAT8 in Vietnam, EXEMPT in the US demo) ------------------------------------------
    _t("Áo thun trẻ em", "Kids Tee", "Trẻ em", "Kids", "kids", (99, 249), (999, 1999),
       [("in hình", "Graphic"), ("kẻ ngang", "Striped")], kids=True),
    _t("Đầm bé gái", "Girls Dress", "Trẻ em", "Kids", "kids", (199, 490), (1999, 3900),
       [("voan", "Tulle"), ("hoa nhí", "Floral")], kids=True),
    _t("Quần short bé trai", "Boys Shorts", "Trẻ em", "Kids", "kids", (99, 249), (999, 2499),
       [("kaki", "Chino"), ("jean", "Denim")], kids=True),
    _t("Bộ đồ ngủ trẻ em", "Kids Pajama Set", "Trẻ em", "Kids", "kids", (149, 349),
       (1499, 2999), [("cotton", "Cotton"), ("tay dài", "Long Sleeve")], kids=True),
    _t("Giày tập đi", "Toddler Shoes", "Trẻ em", "Kids", "shoes_kids", (199, 450),
       (1999, 3900), [("đế mềm", "Soft Sole"), ("quai dán", "Hook and Loop")], kids=True),
)

# (code, Vietnamese, English). The code goes into SKUs: DEMO-TEE-WHT-M.
COLOURS: tuple[tuple[str, str, str], ...] = (
    ("WHT", "Trắng", "White"), ("BLK", "Đen", "Black"), ("RED", "Đỏ", "Red"),
    ("NVY", "Xanh navy", "Navy"), ("BEI", "Be", "Beige"), ("PNK", "Hồng phấn", "Blush Pink"),
    ("GRY", "Xám", "Grey"), ("OLV", "Xanh rêu", "Olive"), ("BRN", "Nâu", "Brown"),
    ("MUS", "Vàng mù tạt", "Mustard"), ("SKY", "Xanh da trời", "Sky Blue"),
    ("CRM", "Kem", "Cream"),
)
COLOUR_VI = {code: vi for code, vi, _en in COLOURS}
COLOUR_EN = {code: en for code, _vi, en in COLOURS}

# Sizes per size kind; None = one size (bags, caps) and the variant has no size.
SIZES_VI: dict[str, tuple[str | None, ...]] = {
    "apparel": ("S", "M", "L", "XL"),
    "shoes_u": tuple(str(s) for s in range(36, 45)),
    "shoes_w": tuple(str(s) for s in range(35, 41)),
    "shoes_m": tuple(str(s) for s in range(39, 45)),
    "shoes_kids": tuple(str(s) for s in range(20, 26)),
    "kids": ("90", "100", "110", "120", "130"),  # child height in cm, as VN shops label them
    "belt": ("100", "110", "120"),
    "none": (None,),
}
SIZES_EN: dict[str, tuple[str | None, ...]] = {
    "apparel": ("XS", "S", "M", "L", "XL"),
    "shoes_u": tuple(str(s) for s in range(6, 13)),
    "shoes_w": ("6", "6.5", "7", "7.5", "8", "8.5", "9"),
    "shoes_m": ("8", "9", "10", "11", "12", "13"),
    "shoes_kids": ("4C", "5C", "6C", "7C", "8C"),
    "kids": ("2T", "3T", "4T", "5", "6"),
    "belt": ("S", "M", "L"),
    "none": (None,),
}

# Made-up brands, by the categories they sell.
BRANDS_VI = ("Mây Studio", "Sen Việt", "Sài Gòn Mode", "Storeline Basics", "Lụa Hội An",
             "Bến Thành Denim", "Phố Cổ", "Da Mộc", "Bước Chân", "Sóng Kids")
BRANDS_EN = ("Hudson & Pine", "Mercer Studio", "Storeline Basics", "Canal Street Denim",
             "Bowery Leather", "Stride Lab", "Little Crosby", "Prince Atelier")
# category_en -> brand indices that make it, per language
BRANDS_BY_CATEGORY_VI = {
    "Shirts": (0, 1, 2, 3, 4), "T-Shirts": (0, 2, 3), "Outerwear": (0, 2, 6),
    "Knitwear": (0, 1, 6), "Sweatshirts": (2, 3), "Jeans": (5, 3), "Pants": (0, 2, 3, 5),
    "Dresses": (0, 1, 4, 6), "Skirts": (0, 1, 6), "Ao Dai": (4, 1), "Shoes": (8, 7),
    "Sandals": (8, 3), "Bags": (7, 0, 6), "Accessories": (7, 4, 3), "Kids": (9,),
}
BRANDS_BY_CATEGORY_EN = {
    "Shirts": (0, 1, 2, 7), "T-Shirts": (0, 2), "Outerwear": (0, 1, 7), "Knitwear": (0, 1),
    "Sweatshirts": (2,), "Jeans": (3, 2), "Pants": (0, 2, 3), "Dresses": (1, 7),
    "Skirts": (1, 7), "Ao Dai": (7,), "Shoes": (5, 4), "Sandals": (5, 2), "Bags": (4, 1),
    "Accessories": (4, 2), "Kids": (6,),
}

# --- people ----------------------------------------------------------------------------------
FAMILY_VI = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
             "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE_VI = ("Thị", "Văn", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Gia", "Bảo", "Thu",
             "Đức", "Anh")
GIVEN_VI = ("An", "Anh", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa",
            "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Ngân",
            "Nhung", "Phúc", "Phương", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo", "Trang", "Trinh",
            "Tuấn", "Vy", "Yến", "Đạt", "Khoa", "Thủy", "Ánh", "Tú", "Uyên")
FIRST_EN = ("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
            "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
            "Thomas", "Sarah", "Daniel", "Karen", "Sofia", "Mateo", "Priya", "Wei", "Aisha",
            "Diego", "Hannah", "Noah", "Olivia", "Ethan", "Grace", "Leo")
LAST_EN = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
           "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Taylor",
           "Thomas", "Moore", "Jackson", "Martin", "Lee", "Chen", "Patel", "Kim", "Nguyen",
           "Cohen", "Rossi", "O'Brien", "Murphy")
# Vietnamese mobile prefixes after the leading 0 (Viettel, Vinaphone, MobiFone ranges).
MOBILE_PREFIXES_VN = ("90", "91", "93", "94", "96", "97", "98", "86", "88", "89")
AREA_CODES_US = ("212", "646", "917", "347", "718", "332")
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
TIERS = ("member", "member", "member", "silver", "silver", "gold", "platinum")
