"""Dates as articles state them ("on January 31, 2018", "in a 2016 email", "last week",
"three days ago"), read as ISO 8601 as precise as they are: a day, an ISO week
("2024-W23"), a month or a year; a day or month stated without a year ("on March 5", "in
March") as ISO 8601's `--03-05` or `--03`, its year unknown. Relative ones count from a
date the caller gives (the article's, or a live blog post's). Pure functions on text."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

_MONTH = (
    r"\b(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DATES = [  # most specific first: where two overlap, the earlier pattern wins
    re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})\b"),
    re.compile(rf"{_MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<year>\d{{4}})\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}}) {_MONTH},? (?P<year>\d{{4}})\b"),
    re.compile(rf"{_MONTH},? (?P<year>\d{{4}})\b"),
    re.compile(rf"{_MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}}) {_MONTH}"),  # "on 3 March"
    re.compile(
        r"\b(?:[Ii]n|[Ff]rom|[Dd]uring) (?:(?:a|an|his|her|their|its|the) )?"
        r"(?P<year>(?:19|20)\d\d)\b(?!-)"
    ),
    re.compile(r"\b(?P<year>(?:19|20)\d\d) (?:email|e-mail|post|tweet|interview|memo|letter)"),
    re.compile(  # "in early 2018", "in the fall of 2017", "at the end of 2016": that year's
        r"\b(?:[Ii]n (?:early |late |mid-|the (?:(?:spring|summer|fall|autumn|winter|first half"
        r"|second half|start|beginning|middle|end) of ))|[Aa]t the (?:start|end) of )"
        r"(?P<year>(?:19|20)\d\d)\b(?!-)"
    ),
    re.compile(rf"\b[Ii]n {_MONTH}(?!,? ?\d)"),  # "in March": of a year not stated
    # Relative to the article's own date (`published`); see _relative.
    re.compile(r"\b(?P<rel>yesterday|today)\b", re.IGNORECASE),
    re.compile(r"\b(?P<rel>last|this) (?P<span>week|month|year)\b", re.IGNORECASE),
    re.compile(  # "on Monday", "On Monday,", "said Monday"; not "by Friday" or "Monday's vote"
        rf"(?:\b(?:[Oo]n|[Ll]ast) )?(?<!by )(?<!next )(?<!until )(?<!before )(?<!after )"
        rf"(?<!this )(?<!every )(?<!since )\b(?P<weekday>{'|'.join(_WEEKDAYS)})\b(?![’'])"
    ),
    re.compile(
        r"\b(?P<ago>\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten) "
        r"(?P<span>day|week)s? ago\b",
        re.IGNORECASE,
    ),
]
_BACKGROUND = re.compile(  # before a date that is some other event's: "Hart, who was elected
    # in 2016, said"; "according to documents filed on Tuesday"; "Berg said, before resigning
    # on March 3", "since she left in 2019" or "before the Attorney General spoke on Tuesday"
    # (one named: a clause of its own; "after the meeting on Tuesday" may date the words);
    # "an email later made public by the council on June 4" is the disclosure's
    r"(?:, (?:who|which|whose)\b[^,;.]*|\bof the(?: [\w’']+)?|\b(?:filed|published|released|"
    r"made public|disclosed|leaked|unsealed|obtained|scheduled|due)(?: [\w’']+){0,4}"
    r"|\b(?:[Bb]efore|[Aa]fter|[Uu]ntil|[Ss]ince) (?:[a-z]+ing|he|she|they|we|I|(?:the )?[A-Z])"
    r"[^,;.]*) $"
)
_MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec"
_COUNTS = ("a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def in_words(iso: str) -> str:
    """A stated date as a person reads it: `--03-05` is "March 5 (no year given)", not
    a code; other dates are already readable as they are."""
    month, _, day = iso.removeprefix("--").partition("-")
    if not iso.startswith("--") or not month.isdigit() or not 1 <= int(month) <= 12:
        return iso
    named = _MONTH_NAMES[int(month) - 1] + (f" {int(day)}" if day.isdigit() else "")
    return f"{named} (no year given)"


def day_of(iso: str | None) -> date | None:
    """The day an ISO 8601 date or time names, if it names one."""
    try:
        return date.fromisoformat((iso or "")[:10])
    except ValueError:
        return None


def dates_in(
    text: str, start: int, end: int, dated_from: Callable[[int], date | None]
) -> list[tuple[int, str]]:
    """(offset, ISO date) of every date stated in text[start:end], overlapping forms resolved;
    `dated_from(offset)` is the date a relative one counts from there."""
    matches = sorted(
        (m.start(), rank, m) for rank, p in enumerate(_DATES) for m in p.finditer(text, start, end)
    )
    found: list[tuple[int, str]] = []
    last_end = -1
    for offset, _, m in matches:
        if offset < last_end:
            continue
        if _BACKGROUND.search(text, max(offset - 80, 0), offset):
            last_end = m.end()  # nor any shorter date within it
        elif (iso := _iso(m, dated_from(offset))) is not None:
            found.append((offset, iso))
            last_end = m.end()
    return found


def _iso(m: re.Match[str], published: date | None) -> str | None:
    """The date a match states, as precise as it states it. A month or day without a year
    is ISO 8601's `--MM` or `--MM-DD`: the article's year is only a guess at it ("her March
    5 email" in a piece a year on), and a guess must not be checked as if stated."""
    parts = m.groupdict()
    if parts.get("rel") or parts.get("weekday") or parts.get("ago"):
        return _relative(parts, published) if published else None
    month = _MONTHS.index(parts["month"][:3].lower()) // 3 + 1 if parts.get("month") else None
    month = int(parts["mon"]) if parts.get("mon") else month
    day = int(parts["day"]) if parts.get("day") else None
    year = int(parts["year"]) if parts.get("year") else None
    try:
        date(year or 2000, month or 1, day or 1)  # 2000: a leap year, so "Feb. 29" stands
    except ValueError:
        return None
    stated = (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    return f"{year:04d}{stated}" if year is not None else f"-{stated}"


def _relative(parts: dict[str, str | None], published: date) -> str:
    """A date stated relative to the article's: "yesterday" and "3 days ago" give a day,
    "last week" an ISO week (2024-W23), "last month" a month, "last year" a year."""
    rel, span = (parts.get("rel") or "").lower(), (parts.get("span") or "").lower()
    if parts.get("weekday"):  # the last such weekday on or before publication
        back = (published.weekday() - _WEEKDAYS.index(parts["weekday"] or "")) % 7
        return (published - timedelta(days=back)).isoformat()
    if parts.get("ago"):
        count = (parts["ago"] or "").lower()
        n = int(count) if count.isdigit() else max(_COUNTS.index(count), 1)
        day = published - timedelta(days=n * (7 if span == "week" else 1))
        return day.isoformat() if span == "day" else _week(day)
    if rel in ("yesterday", "today"):
        return (published - timedelta(days=rel == "yesterday")).isoformat()
    last = rel == "last"
    if span == "week":
        return _week(published - timedelta(days=7 * last))
    if span == "month":
        first = published.replace(day=1) - timedelta(days=last)
        return f"{first.year:04d}-{first.month:02d}"
    return f"{published.year - last:04d}"


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"
