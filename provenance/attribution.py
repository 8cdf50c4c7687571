"""Attribution and date checks: does the speaker and date an article gives a quote agree
with the unit's own record? Pure functions."""

from __future__ import annotations

from provenance.matching import fold
from provenance.models import REDACTED, StoredUnit

_HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "sir", "jr", "sr"}


def _name_tokens(name: str) -> list[str]:
    return [t for t in fold(name).text.split() if t not in _HONORIFICS]


def same_person(a: str, b: str) -> bool:
    """Whether two names plausibly name one person: same surname, and no clash elsewhere
    ("Musk" and "Elon Musk" agree; "Elon Musk" and "Kimbal Musk" do not)."""
    x, y = _name_tokens(a), _name_tokens(b)
    if not x or not y or x[-1] != y[-1]:
        return False
    shorter, longer = sorted((x[:-1], y[:-1]), key=len)
    return all(token in longer for token in shorter)


def known_author(author: str | None) -> bool:
    return bool(author) and author != REDACTED


def attribution_flags(unit: StoredUnit, *, speaker: str | None, date: str | None) -> list[str]:
    """Check who and when the quote is credited to against the unit's own record.

    misattributed: the speaker did not write the unit (a forwarder is not the author);
    forwarded: the unit reached its readers as a forward; author_unknown: the source
    redacts or omits the author, so the speaker can be neither confirmed nor ruled out;
    date_mismatch: the claimed date is not the unit's date; date_of_forward: the claimed
    date is the forward's date, not the original's."""
    flags = []
    if unit.forwarded_by:
        flags.append("forwarded")
    if speaker:
        forwarder = bool(unit.forwarded_by) and same_person(speaker, unit.forwarded_by or "")
        if known_author(unit.author):
            if not same_person(speaker, unit.author or ""):
                flags.append("misattributed")
        elif forwarder:
            flags.append("misattributed")
        else:
            flags.append("author_unknown")
    if date and unit.date and not unit.date.startswith(date):
        flags.append("date_mismatch")
        if unit.forwarded_at and unit.forwarded_at.startswith(date):
            flags.append("date_of_forward")
    return flags
