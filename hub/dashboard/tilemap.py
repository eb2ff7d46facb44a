"""Where each of the 34 current provinces sits on the tile-grid map: (column, row).

A tile grid, not a boundary map: the official boundaries of the 34 provinces drawn after the
July 2025 merger are not shipped with any package the hub installs, and a boundary file of
Vietnam (with its islands) would weigh more than the whole page may (docs/dashboard.md). Equal
tiles also give Hà Nội and a small province the same room for their name and number. The
positions follow the country from the north-west (Lai Châu, Điện Biên) to the southern tip
(Cà Mau), each province next to its neighbours where the grid allows. Keys are the official
post-2025 codes, the ones the API's ``Province.code`` answers (a test checks all 34 are here).
"""
from __future__ import annotations

TILE_GRID: dict[str, tuple[int, int]] = {
    # Northern mountains and midlands
    "12": (1, 0), "15": (2, 0), "08": (3, 0), "04": (4, 0),                  # Lai Châu, Lào Cai, Tuyên Quang, Cao Bằng
    "11": (0, 1), "14": (1, 1), "25": (2, 1), "19": (3, 1), "20": (4, 1),    # Điện Biên, Sơn La, Phú Thọ, Thái Nguyên, Lạng Sơn
    # Red River delta
    "01": (2, 2), "24": (3, 2), "22": (4, 2),                                # Hà Nội, Bắc Ninh, Quảng Ninh
    "37": (2, 3), "33": (3, 3), "31": (4, 3),                                # Ninh Bình, Hưng Yên, Hải Phòng
    # North-central coast
    "38": (2, 4), "40": (2, 5), "42": (3, 6), "44": (3, 7),                  # Thanh Hóa, Nghệ An, Hà Tĩnh, Quảng Trị
    # South-central coast and Central Highlands
    "46": (3, 8), "48": (4, 8), "51": (4, 9), "52": (4, 10), "66": (4, 11),  # Huế, Đà Nẵng, Quảng Ngãi, Gia Lai, Đắk Lắk
    "68": (3, 12), "56": (4, 12),                                            # Lâm Đồng, Khánh Hòa
    # South-east
    "80": (1, 13), "79": (2, 13), "75": (3, 13),                             # Tây Ninh, Hồ Chí Minh, Đồng Nai
    # Mekong delta
    "91": (0, 14), "82": (1, 14), "86": (2, 14),                             # An Giang, Đồng Tháp, Vĩnh Long
    "92": (1, 15), "96": (0, 16),                                            # Cần Thơ, Cà Mau
}
