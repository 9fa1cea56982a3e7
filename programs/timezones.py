"""The time zone of a region: Indonesia has three, and a regency's people read times in their own.

By the Kemendagri province code (the first two digits of every region's code): WIB (UTC+7) for Sumatra,
Java, West and Central Kalimantan; WITA (UTC+8) for Bali, Nusa Tenggara, South, East and North Kalimantan
and Sulawesi; WIT (UTC+9) for Maluku and Papua. A code outside these ranges keeps settings.TIME_ZONE.
"""

from zoneinfo import ZoneInfo

from django.conf import settings

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
WIB_KALIMANTAN = {61, 62}  # Kalimantan Barat, Kalimantan Tengah
WITA_KALIMANTAN = {63, 64, 65}  # Kalimantan Selatan, Timur, Utara


def zone_name(region_code: str) -> str:
    """The IANA name of the time zone of the region with this code ("53.03" → "Asia/Makassar")."""
    head = region_code.split(".")[0]
    if not head.isdigit():
        return settings.TIME_ZONE
    province = int(head)
    if 11 <= province <= 36 or province in WIB_KALIMANTAN:
        return WIB
    if 51 <= province <= 53 or province in WITA_KALIMANTAN or 71 <= province <= 76:
        return WITA
    if 81 <= province <= 99:
        return WIT
    return settings.TIME_ZONE


def zone_of(region) -> ZoneInfo:
    """The time zone of a region (a plan's regency); settings.TIME_ZONE without one."""
    return ZoneInfo(zone_name(region.code) if region is not None else settings.TIME_ZONE)
