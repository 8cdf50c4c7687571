"""Attribution and date checks: does the speaker and date an article gives a quote agree
with the unit's own record? Pure functions.

A speaker is a person or an organisation ("OpenAI", "the Board", "Riverton FC", "the
White House"): a person's words credited to the organisation that published them are
flagged credited_to_organisation, not misattributed; an organisation's statement credited
to a person, or either credited to someone else, is misattributed.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from provenance.matching import fold, word_set
from provenance.models import REDACTED, StoredUnit

_TITLES = frozenset({"mr", "mrs", "ms", "mx", "miss", "dr", "prof", "professor", "sir"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_HONORIFICS = _TITLES | _SUFFIXES
# Letters that carry no combining mark to drop but are written plain in English copy.
_PLAIN_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "ł": "l"})


def _plain(word: str) -> str:
    """A folded word without its diacritics ("sølberg" is "solberg", "núñez" "nunez"):
    English copy often drops them, and two people told apart by them alone are rarer."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_PLAIN_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _name_tokens(name: str) -> list[str]:
    """A person's name as plain folded words in reading order, titles and suffixes left out."""
    words = fold(personal_name(name)).text.split()
    return [_plain(t) for t in words if t not in _HONORIFICS]


def _suffix(name: str) -> str | None:
    """A name's generational suffix ("jr", "iii"), if it writes one."""
    return next((w for w in fold(name).text.split() if w in _SUFFIXES), None)


def _agrees(given: str, others: list[str]) -> bool:
    """Whether a given name or initial agrees with one of OTHERS ("m" with "margit")."""
    return any(
        given == other or (min(len(given), len(other)) == 1 and given[0] == other[0])
        for other in others
    )


def same_person(a: str, b: str) -> bool:
    """Whether two names plausibly name one person: same surname, and no clash elsewhere
    ("Musk" and "Elon Musk" agree, so do "Elon" and "Elon Musk", and "M. A. Halvorsen"
    and "Margit Halvorsen"; "Elon Musk" and "Kimbal Musk" do not). A father and a son
    share all but a suffix: two names that write different ones ("Jr." and "Sr.") are two
    people, one that writes none may be either."""
    x, y = _name_tokens(a), _name_tokens(b)
    if min(len(x), len(y)) == 1 < max(len(x), len(y)):  # one word against a full name
        lone, full = sorted((x, y), key=len)
        if lone[0] == full[0]:  # a given name alone: "Elon" for Elon Musk
            return True
    if not x or not y or x[-1] != y[-1]:
        return False
    if None not in (suffixes := {_suffix(a), _suffix(b)}) and len(suffixes) > 1:
        return False
    shorter, longer = sorted((x[:-1], y[:-1]), key=len)
    return all(_agrees(token, longer) for token in shorter)


_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")  # Ingrid, O'Brien, M.


def _name_words(words: list[str], most: int) -> bool:
    """Whether WORDS are one to MOST capitalised words or initials ("Ingrid", "M.")."""
    return 0 < len(words) <= most and all(
        _NAME_WORD.fullmatch(w) is not None and w[0].isupper() for w in words
    )


def personal_name(name: str) -> str:
    """A person's name in reading order: "Solberg, Ingrid M." is "Ingrid M. Solberg", as
    mail programs and directories write it. Flipped only when both sides look like a
    person's (one or two capitalised words, then given names or initials, a title before
    them or a suffix after allowed, "Solberg, Ingrid, Jr." too); "Acme, Inc." and "Smith,
    Jones & Co" stay as given."""
    parts = name.split(",")
    if len(parts) == 3 and fold(parts[2]).text in _SUFFIXES:
        parts = [parts[0], f"{parts[1]} {parts[2].strip()}"]
    if len(parts) != 2 or is_organisation(name):
        return name
    last, given = parts[0].split(), parts[1].split()
    title = given[:1] if given and fold(given[0]).text in _TITLES else []
    suffix = given[-1:] if given and fold(given[-1]).text in _SUFFIXES else []
    given = given[len(title) : len(given) - len(suffix)]
    if not _name_words(last, 2) or not _name_words(given, 3):
        return name
    return " ".join([*title, *given, *last, *suffix])


_COMPANY_WORDS = word_set(  # a legal form or a trade: the words that say "a business"
    """inc corp corporation llc llp ltd plc co company group systems labs lab robotics bank
    services partners holdings technologies media foods industries airlines airways motors
    pharmaceuticals energy brands enterprises solutions capital ventures networks
    communications entertainment studios insurance logistics shipping dairies fisheries
    mining software electronics"""
)
_ORGANISATION_WORDS = _COMPANY_WORDS | word_set(
    """board office council committee department agency ministry court fc club university
    college institute foundation reserve association union party government commission
    authority news times post journal campaign administration family"""
)
_SEATS = frozenset(  # places whose name stands for the government sitting in them, folded
    {"white house", "kremlin", "downing street", "pentagon", "elysee", "elysee palace"}
)
_NOT_A_NAME = frozenset({"the", "of", "and", "for"})
_INNER_CAPITAL = re.compile(r"^[A-Z][a-z]+[A-Z]\w*$")  # OpenAI, DeepMind, YouTube


def is_organisation(name: str) -> bool:
    """Whether a name is an organisation's: an organisation word, one camel-cased word, or
    a seat of government standing for its government ("the White House", "the Kremlin")."""
    return (
        _has_word(name, _ORGANISATION_WORDS)
        or bool(_INNER_CAPITAL.match(name.strip()))
        or _plain(fold(name).text).removeprefix("the ") in _SEATS
    )


def is_company(name: str) -> bool:
    """Whether a name is a business's, what "the company" may stand for: a legal form or a
    trade ("Halvorsen Foods"), or one camel-cased word; not "the Food Safety Authority"."""
    return _has_word(name, _COMPANY_WORDS) or bool(_INNER_CAPITAL.match(name.strip()))


def _has_word(name: str, words: frozenset[str]) -> bool:
    """Whether any of a name's words, folded, is one of `words`."""
    return bool(words.intersection(fold(name).text.split()))


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
    """Whether the source gives its author: neither missing nor redacted."""
    return bool(author) and author != REDACTED


_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+")


def is_address(author: str) -> bool:
    """Whether an author is an email address alone: a sender who gave no display name."""
    return _ADDRESS.fullmatch(author.strip()) is not None


def names_speaker(speaker: str, who: str) -> bool:
    """Whether a unit's sender or forwarder, a name or an address alone, is the speaker."""
    return address_fits(speaker, who) if is_address(who) else same_person(speaker, who)


def address_fits(speaker: str, address: str) -> bool:
    """Whether a person's name plausibly owns an address's local part: its surname as a
    part, the other parts agreeing with the given names ("jonas.eide", "eide.jonas",
    "j_eide"), or run together with them ("jeide", "jonaseide")."""
    tokens = _name_tokens(speaker)
    parts = re.findall(r"[^\W\d_]+", _plain(fold(address.split("@")[0]).text))
    if not tokens or not parts:
        return False
    surname, given = tokens[-1], tokens[:-1]
    if surname in parts:
        rest = list(parts)
        rest.remove(surname)
        return not given or all(_agrees(part, given) for part in rest)
    joined = "".join(parts)
    forms = {given[0], given[0][0], "".join(t[0] for t in given)} if given else set()
    return any(joined in (form + surname, surname + form) for form in forms)


_ISO_WEEK = re.compile(r"(\d{4})-W(\d{2})")


def same_date(claimed: str, actual: str) -> bool:
    """Whether a claimed date (a year, month, day, ISO week such as 2024-W23, or a month or
    day without a year, --03 or --03-05, which any year's may be) covers the actual ISO
    date or timestamp: a time with its zone on its own day or on the day in UTC, which an
    archive or a reader elsewhere gives it ("23:45 -08:00" on March 5 is March 6 in UTC)."""
    return any(_covers(claimed, day) for day in _days_of(actual))


def _days_of(actual: str) -> list[str]:
    """The actual date as written and, for a time with its zone, as it is in UTC."""
    try:
        moment = datetime.fromisoformat(actual)
    except ValueError:
        return [actual]
    if moment.tzinfo is None:
        return [actual]
    return [actual, moment.astimezone(UTC).date().isoformat()]


def _covers(claimed: str, actual: str) -> bool:
    """same_date for one reading of the actual date."""
    if claimed.startswith("--"):
        return re.match(r"\d{4}-", actual) is not None and actual[4:].startswith(claimed[1:])
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
    redacts or omits the author, or gives only an address the speaker's name does not fit
    ("press@acme.example": a shared mailbox, an assistant), so the speaker can be neither
    confirmed nor ruled out; date_mismatch: the claimed date is not the unit's date;
    date_of_forward: the claimed date is the forward's date, not the original's."""
    flags = []
    if unit.forwarded_by:
        flags.append("forwarded")
    if speaker:
        flags.extend(_speaker_flags(unit, speaker))
    if date and unit.date and not same_date(date, unit.date):
        flags.append("date_mismatch")
        if unit.forwarded_at and same_date(date, unit.forwarded_at):
            flags.append("date_of_forward")
    return flags


def _speaker_flags(unit: StoredUnit, speaker: str) -> list[str]:
    """The flags on who the quote is credited to: an address alone stands for its owner
    when the speaker's name fits it, and is no author's name otherwise."""
    author = unit.author or ""
    if is_address(author):
        if address_fits(speaker, author):
            return []
        author = ""
    if not known_author(author):
        forwarder = bool(unit.forwarded_by) and names_speaker(speaker, unit.forwarded_by or "")
        return ["misattributed" if forwarder else "author_unknown"]
    if is_organisation(speaker) and not is_organisation(author) and publishes(speaker, unit):
        return ["credited_to_organisation"]
    if not same_speaker(speaker, author) and not (
        is_organisation(author) and is_organisation(speaker) and publishes(speaker, unit)
    ):  # "Press Office" on acme.example speaks for Acme Corporation
        return ["misattributed"]
    return []
