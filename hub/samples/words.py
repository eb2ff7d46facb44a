"""Word lists the sample registries are combined from: products, groups, people, producers."""
from __future__ import annotations

import random
from collections.abc import Sequence

# (product, group key). Group keys are written in each registry's own words (see GROUP_WORDS).
CATALOGUE: tuple[tuple[str, str], ...] = (
    ("Miến dong", "food"), ("Mật ong", "food"), ("Gạo nếp", "food"), ("Lạp sườn", "food"),
    ("Măng khô", "food"), ("Mộc nhĩ", "food"), ("Nấm hương", "food"), ("Chả mực", "food"),
    ("Nước mắm", "food"), ("Tôm khô", "food"), ("Sá sùng khô", "food"), ("Ruốc tôm", "food"),
    ("Bánh gai", "food"), ("Bánh chưng", "food"), ("Bún khô", "food"), ("Thịt lợn gác bếp", "food"),
    ("Thịt trâu sấy", "food"), ("Lạc nhân", "food"), ("Mơ sấy dẻo", "food"), ("Chuối sấy", "food"),
    ("Mứt gừng", "food"), ("Kẹo lạc", "food"), ("Bánh tráng", "food"), ("Cốm", "food"),
    ("Gà đồi", "food"), ("Trứng vịt muối", "food"), ("Cá khô", "food"), ("Tương ớt", "food"),
    ("Hạt dẻ", "food"), ("Bánh khảo", "food"), ("Chè Shan tuyết", "drink"), ("Trà hoa vàng", "drink"),
    ("Rượu ba kích", "drink"), ("Rượu mơ", "drink"), ("Rượu ngô men lá", "drink"),
    ("Trà túi lọc", "drink"), ("Nước cốt chanh leo", "drink"), ("Cà phê bột", "drink"),
    ("Trà xạ đen", "drink"), ("Rượu nếp cẩm", "drink"), ("Rượu sim", "drink"), ("Trà giảo cổ lam", "drink"),
    ("Cao ba kích", "herbal"), ("Tinh dầu quế", "herbal"), ("Tinh dầu sả", "herbal"),
    ("Cao chè vằng", "herbal"), ("Bột sắn dây", "herbal"), ("Dầu xoa bóp", "herbal"),
    ("Trà dây thìa canh", "herbal"), ("Cao sâm", "herbal"), ("Khăn thổ cẩm", "craft"),
    ("Giỏ mây tre", "craft"), ("Chiếu cói", "craft"), ("Tranh than đá", "craft"), ("Đũa tre", "craft"),
    ("Túi cói", "craft"), ("Nón lá", "craft"), ("Áo chàm", "textile"), ("Vải lanh", "textile"),
    ("Du lịch cộng đồng", "service"), ("Homestay", "service"),
)
REGIONAL: dict[str, tuple[tuple[str, str], ...]] = {
    "Trà Vinh": (
        ("Bánh tét", "food"), ("Dừa sáp", "food"), ("Kẹo dừa", "food"), ("Mắm ba khía", "food"),
        ("Bánh canh", "food"), ("Tôm khô", "food"), ("Rượu Xuân Thạnh", "drink"), ("Nước dừa", "drink"),
        ("Giỏ lục bình", "craft"),
    ),
    "Lâm Đồng": (
        ("Cà phê Robusta", "drink"), ("Cà phê Arabica", "drink"), ("Atiso", "herbal"),
        ("Mứt dâu tây", "food"), ("Trà Ô long", "drink"), ("Hạt mắc ca", "food"), ("Rượu vang", "drink"),
    ),
}
VARIANTS = (
    "đặc biệt", "truyền thống", "hảo hạng", "loại 1", "túi 500g", "hộp quà", "sấy lạnh", "nguyên chất",
    "thượng hạng", "hữu cơ", "gia truyền", "chai 500ml",
)
GROUP_WORDS: dict[str, dict[str, Sequence[str]]] = {
    "1048": {  # the six branches of Decision 1048/QĐ-TTg (2019)
        "food": ("Thực phẩm",), "drink": ("Đồ uống",), "herbal": ("Thảo dược",),
        "textile": ("Vải và may mặc",), "craft": ("Lưu niệm - nội thất - trang trí",),
        "service": ("Dịch vụ du lịch nông thôn, bán hàng",),
    },
    "148": {  # the current national groups of Decision 148/QĐ-TTg (2023)
        "food": ("Thực phẩm",), "drink": ("Đồ uống",), "herbal": ("Dược liệu và sản phẩm từ dược liệu",),
        "textile": ("Hàng thủ công mỹ nghệ",), "craft": ("Hàng thủ công mỹ nghệ",),
        "service": ("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",),
    },
    "free": {  # what an office types by hand
        "food": ("nông sản chế biến", "thực phẩm", "Nông sản"), "drink": ("rượu", "đồ uống"),
        "herbal": ("dược liệu", "thảo dược"), "textile": ("dệt may",), "craft": ("thủ công mỹ nghệ",),
        "service": ("du lịch",),
    },
}
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
          "Nông", "Hà", "Triệu", "Ma", "Lục", "Lâm", "Thạch", "Kim")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thanh", "Ngọc", "Hữu", "Quang", "Thu", "Xuân")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Lan", "Linh",
         "Long", "Mai", "Nam", "Phong", "Quân", "Sơn", "Tâm", "Thắng", "Thủy", "Trang", "Tuấn", "Vân", "Yến")
HTX_TRADES = ("Nông nghiệp", "Dịch vụ nông nghiệp", "Nông lâm nghiệp", "Chè", "Thủy sản", "Dược liệu",
              "Sản xuất và Dịch vụ", "Nông sản sạch")
BRAND_WORDS = ("Thực phẩm Xanh", "Nông sản Việt", "Thương mại và Dịch vụ", "Đặc sản", "Sinh thái",
               "Phát triển Nông nghiệp", "Xuất nhập khẩu", "Hương Quê", "Bốn Mùa", "Sao Mai")
PRODUCER_KINDS = ("htx", "company", "enterprise", "household", "group")


def group_text(rng: random.Random, style: str, group: str) -> str:
    """A group key in a registry's own words: "1048", "148" or "free" (typed by hand)."""
    return rng.choice(GROUP_WORDS[style][group])
