"""Attribution and date checks: does the speaker and date an article gives a quote agree
with the unit's own record? Pure functions.

A speaker is a person or an organisation ("OpenAI", "the Board", "Riverton FC"): a
person's words credited to the organisation that published them are flagged
credited_to_organisation, not misattributed; an organisation's statement credited to a
person, or either credited to someone else, is misattributed.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from provenance.matching import fold, word_set
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


_ORGANISATION_WORDS = word_set(
    """inc corp corporation llc llp ltd plc co company group board office council committee
    department agency ministry court fc club university college institute foundation
    systems labs lab robotics bank reserve association union party government commission
    authority services partners holdings technologies media news times post journal
    campaign administration"""
)
_NOT_A_NAME = frozenset({"the", "of", "and", "for"})
_INNER_CAPITAL = re.compile(r"^[A-Z][a-z]+[A-Z]\w*$")  # OpenAI, DeepMind, YouTube


def is_organisation(name: str) -> bool:
    """Whether a name is an organisation's: an organisation word, or one camel-cased word."""
    tokens = fold(name).text.split()
    return bool(_ORGANISATION_WORDS.intersection(tokens)) or bool(
        _INNER_CAPITAL.match(name.strip())
    )


_LEGAL_FORMS = word_set("inc corp corporation llc llp ltd limited plc co company gmbh ag sa")


def _organisation_tokens(name: str) -> set[str]:
    """A name's words but for articles and its legal form ("Acme Corp." is "Acme")."""
    tokens = {t for t in fold(name).text.split() if t not in _NOT_A_NAME}
    return tokens - _LEGAL_FORMS or tokens


def same_organisation(a: str, b: str) -> bool:
    """Whether two names plausibly name one organisation: one's words, legal forms aside,
    among the other's ("the Board" and "Coastal Reserve Board", "Acme" and "Acme Corp.")."""
    x, y = _organisation_tokens(a), _organisation_tokens(b)
    return bool(x) and bool(y) and (x <= y or y <= x)


def publishes(organisation: str, unit: StoredUnit) -> bool:
    """Whether the unit's document is the organisation's own: its name, run together, in
    the host ("Halcyon Robotics" on halcyonrobotics.example) or in the title."""
    tokens = [t for t in fold(organisation).text.split() if t not in _NOT_A_NAME]
    distinctive = [t for t in tokens if t not in _ORGANISATION_WORDS] or tokens
    host = (urlsplit(unit.document.url).hostname or "").replace("-", "")
    title = fold(unit.document.title).text
    return "".join(distinctive) in host or " ".join(tokens) in title


def same_speaker(a: str, b: str) -> bool:
    """Same person if both are people, else the same organisation: a name that does not
    look like one ("Acme") may be an organisation's short name ("Acme Corporation")."""
    if is_organisation(a) or is_organisation(b):
        return same_organisation(a, b)
    return same_person(a, b)


def known_author(author: str | None) -> bool:
    return bool(author) and author != REDACTED


_ISO_WEEK = re.compile(r"(\d{4})-W(\d{2})")


def same_date(claimed: str, actual: str) -> bool:
    """Whether a claimed date (a year, month, day or ISO week such as 2024-W23) covers the
    actual ISO date or timestamp."""
    week = _ISO_WEEK.fullmatch(claimed)
    if week is None:
        return actual.startswith(claimed)
    try:
        year, number, _ = date.fromisoformat(actual[:10]).isocalendar()
    except ValueError:
        return False
    return (year, number) == (int(week[1]), int(week[2]))


def attribution_flags(unit: StoredUnit, *, speaker: str | None, date: str | None) -> list[str]:
    """Check who and when the quote is credited to against the unit's own record.

    misattributed: the speaker did not write the unit (a forwarder is not the author, a
    boss not his assistant, an organisation not an outsider); credited_to_organisation: a
    person wrote it and the article credits the organisation that published it;
    forwarded: the unit reached its readers as a forward; author_unknown: the source
    redacts or omits the author, so the speaker can be neither confirmed nor ruled out;
    date_mismatch: the claimed date is not the unit's date; date_of_forward: the claimed
    date is the forward's date, not the original's."""
    flags = []
    if unit.forwarded_by:
        flags.append("forwarded")
    if speaker:
        forwarder = bool(unit.forwarded_by) and same_person(speaker, unit.forwarded_by or "")
        author = unit.author or ""
        if known_author(author):
            if (
                is_organisation(speaker)
                and not is_organisation(author)
                and publishes(speaker, unit)
            ):
                flags.append("credited_to_organisation")
            elif not same_speaker(speaker, author) and not (
                is_organisation(author) and is_organisation(speaker) and publishes(speaker, unit)
            ):  # "Press Office" on acme.example speaks for Acme Corporation
                flags.append("misattributed")
        elif forwarder:
            flags.append("misattributed")
        else:
            flags.append("author_unknown")
    if date and unit.date and not same_date(date, unit.date):
        flags.append("date_mismatch")
        if unit.forwarded_at and same_date(date, unit.forwarded_at):
            flags.append("date_of_forward")
    return flags
