"""The plain words every format shares: dates with their kind, verdicts, attributions."""

from __future__ import annotations

from provenance import stated_dates
from provenance.chains import Appearance, Chain, ChainHop, DateKind
from provenance.models import REDACTED

VERDICT_WORDS = {
    "verbatim": "verbatim",
    "verbatim_truncated": "truncated",
    "punctuation": "punctuation changed",
    "elided": "elided",
    "bracketed": "bracketed changes",
    "altered": "altered",
}

# What a page's credit is, by its attribution flags (the dates are said by _date_note).
CREDIT_NOTES = {
    "misattributed": "misattributed",
    "credited_to_organisation": "the publisher, not the person who wrote them",
    "author_unknown": "unconfirmed: the source does not name its author",
}


def dated(date: tuple[str, DateKind]) -> str:
    """ "published 2024-03-05", or "captured …" where no date was given."""
    value, kind = date
    return f"{kind} {value.replace('T', ' ')}"


def verdict(appearance: Appearance) -> str:
    return VERDICT_WORDS.get(appearance.verdict, appearance.verdict)


def attribution(appearance: Appearance, *, unit: bool = False) -> str:
    """Who this document says spoke: a unit's own author (and forwarder), or the speaker
    an article names."""
    if unit:
        author = appearance.unit.author or "an unnamed author"
        if author == REDACTED:
            author = "[redacted]"
        forward = appearance.unit.forwarded_by
        when = appearance.unit.forwarded_at
        forwarded = f", forwarded by {forward}" + (f" on {when}" if when else "") if forward else ""
        return f"written by {author}{forwarded}"
    who = f"credited to {appearance.speaker}" if appearance.speaker else "no speaker named"
    notes = flag_notes(appearance)
    return f"{who} ({'; '.join(notes)})" if notes else who


def flag_notes(appearance: Appearance, *, leave: frozenset[str] = frozenset()) -> list[str]:
    """Each attribution flag of a page's credit in words (but those to `leave`), so that
    what the JSON's `flags` say is said to people too; `forwarded` is the unit's, said
    where its author is ("forwarded by …")."""
    notes = [
        words
        for flag, words in CREDIT_NOTES.items()
        if flag in appearance.flags and flag not in leave
    ]
    if {"date_mismatch", "date_of_forward"} & set(appearance.flags) - leave:
        notes.append(_date_note(appearance))
    return notes


def _date_note(appearance: Appearance) -> str:
    """The date a page gives that the source's date contradicts, and whose date it is."""
    whose = "the forward's date, not the original's"
    if "date_of_forward" not in appearance.flags:
        whose = "not the source's date"
    return f"dated {stated_dates.in_words(appearance.claimed_date or '')}, {whose}"


def listed_attribution(appearance: Appearance) -> str:
    """Who a page holding the words says wrote them: a primary page its unit's author (a
    later statement, a filing), an article the speaker it credits."""
    return attribution(appearance, unit=appearance.role == "primary")


def hop_attribution(hop: ChainHop) -> str:
    """Who a hop says wrote the words: a primary page's unit's author where the chain
    passes through one, and the origin's for its unit; the page holding the origin is a
    publication, not its author (the unit below it says whose the words are)."""
    primary = hop.appearance.role == "primary" and hop.kind != "source_document"
    return attribution(hop.appearance, unit=primary)


def hop_finding(hop: ChainHop) -> str:
    """How the hop's page has the words, who it credits and, in a filing, the pin cite of
    the passage: "verbatim, no speaker named, Compl. ¶ 4, ECF No. 1 at 1"."""
    cite = f", {hop.appearance.cite}" if hop.appearance.cite else ""
    return f"{verdict(hop.appearance)}, {hop_attribution(hop)}{cite}"


def hop_title(hop: ChainHop) -> str:
    if hop.kind == "origin_unit":
        unit = hop.appearance.unit
        return unit.label or unit.subject or unit.kind
    return hop.appearance.title


def opening_link(appearance: Appearance) -> str:
    """The link a reader is given: the deep link where the current version of the page
    holds the quote, else the page's bare URL (a text fragment would select nothing in the
    page opened today), beside which `version_note` names the version that holds it."""
    return appearance.link if appearance.current else appearance.url


def version_note(appearance: Appearance) -> str:
    if appearance.current:
        return ""
    return (
        f"only in version {appearance.version} (captured {appearance.fetched_at}), "
        f"not in the current version {appearance.latest_version}"
    )


def origin_sentence(chain: Chain) -> str:
    if chain.origin:
        origin = chain.origin
        return (
            f"Origin: {hop_title(chain.hops[-1])} in “{origin.title}”, {dated(origin.date)}, "
            f"{attribution(origin, unit=True)}."
        )
    if chain.earliest:
        earliest = chain.earliest
        return (
            "No primary source holds these words. Earliest known appearance (not an origin): "
            f"“{earliest.title}”, {dated(earliest.date)}."
        )
    return "Not found in the corpus."


def misattribution_sentence(chain: Chain) -> str | None:
    if chain.misattributed_at is None:
        return None
    hop = chain.hops[chain.misattributed_at]
    return (
        f"The misattribution enters at “{hop.appearance.title}” ({dated(hop.date)}), which "
        f"credits the words to {hop.appearance.speaker}."
    )
