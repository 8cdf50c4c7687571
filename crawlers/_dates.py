"""Dates as sources print them, turned into ISO 8601 as precise as the source gives them.

Handles ISO dates as they are, RFC 2822 ("Thu, 1 Feb 2018 03:52:00 -0800", and its
obsolete two-digit years), RFC 850 ("Thursday, 01-Feb-18 03:52:00 GMT"), Gmail
("Wed, Jan 31, 2018 at 11:54 PM"), Outlook ("Wednesday, January 31, 2018 11:54 PM"),
plain "Jan 31, 2018", and French and German mail programs' forms ("jeu. 1 mars 2018 à
09:15", "Do., 1. März 2018 um 09:15 Uhr"). An offset is kept only when the source gives
one (a number, or one of RFC 2822's zone names); all-numeric dates like 1/2/2018 are left
alone rather than guessed.
"""

from __future__ import annotations

import re
from datetime import datetime

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janv", "janvier", "januar", "jän", "jänner"),
            ("feb", "february", "févr", "février", "februar"),
            ("mar", "march", "mars", "mär", "märz"),
            ("apr", "april", "avr", "avril"),
            ("may", "mai"),
            ("jun", "june", "juin", "juni"),
            ("jul", "july", "juil", "juillet", "juli"),
            ("aug", "august", "août"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "octobre", "okt", "oktober"),
            ("nov", "november", "novembre"),
            ("dec", "december", "déc", "décembre", "dez", "dezember"),
        ),
        start=1,
    )
    for name in names
}
# RFC 2822 section 4.3 zone names; other abbreviations are ambiguous and dropped.
_ZONES = {
    "z": "+00:00",
    "ut": "+00:00",
    "utc": "+00:00",
    "gmt": "+00:00",
    "est": "-05:00",
    "edt": "-04:00",
    "cst": "-06:00",
    "cdt": "-05:00",
    "mst": "-07:00",
    "mdt": "-06:00",
    "pst": "-08:00",
    "pdt": "-07:00",
}
_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_WEEKDAY = r"(?:[^\W\d_]+\.?,?\s+)?"
AT = r"(?:at|à|um)"  # before a time: English, French, German
_TIME = (
    rf"(?:,?\s*(?:{AT}\s+)?"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
)
_MONTH_FIRST = re.compile(
    _WEEKDAY
    + r"(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    + _TIME
    + r"\s*(?P<zone>.*)"
)
_DAY_FIRST = re.compile(
    _WEEKDAY
    + r"(?P<day>\d{1,2})\.?[\s-](?P<month>[^\W\d_]+)\.?,?[\s-](?P<year>\d{4}|\d{2})"
    + _TIME
    + r"\s*(?P<zone>.*)"
)
_OFFSET = re.compile(r"(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2})\b")
# A zone as it follows a time: an offset, or a zone name iso_date reads.
_ZONE_NAMES = "|".join(zone.upper() for zone in _ZONES if len(zone) > 1)
ZONE = rf"(?:[+-]\d{{2}}:?\d{{2}}|\(?(?:{_ZONE_NAMES})\)?)"


def iso_date(value: str | None) -> str | None:
    """The date in VALUE as ISO 8601, or None when it is not a date this module can read."""
    if value is None:
        return None
    value = " ".join(value.split())
    if not value:
        return None
    if _ISO.fullmatch(value):
        return value.replace(" ", "T", 1)
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        match = pattern.fullmatch(value)
        if match:
            return _from_match(match)
    return None


def _from_match(match: re.Match[str]) -> str | None:
    month = _MONTHS.get(match["month"].lower())
    if month is None:
        return None
    year, day = int(match["year"]), int(match["day"])
    if len(match["year"]) == 2:  # RFC 5322 section 4.3: 00-49 are 2000-2049
        year += 2000 if year < 50 else 1900
    hour = int(match["hour"]) if match["hour"] else 0
    minute = int(match["minute"]) if match["minute"] else 0
    second = int(match["second"]) if match["second"] else 0
    ampm = (match["ampm"] or "").replace(".", "").lower()
    if ampm and not 1 <= hour <= 12:
        return None
    if ampm == "pm" and hour != 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if not match["hour"]:
        return moment.strftime("%Y-%m-%d")
    text = moment.strftime("%Y-%m-%dT%H:%M:%S" if match["second"] else "%Y-%m-%dT%H:%M")
    return text + _offset(match["zone"])


def _offset(zone: str) -> str:
    """The UTC offset a trailing zone gives, "" when it gives none (or "-0000": unknown)."""
    numeric = _OFFSET.match(zone)
    if numeric:
        if numeric["sign"] == "-" and numeric["hours"] == numeric["minutes"] == "00":
            return ""
        return f"{numeric['sign']}{numeric['hours']}:{numeric['minutes']}"
    return _ZONES.get(zone.strip("() ").lower(), "")
