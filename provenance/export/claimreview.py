"""The chain as schema.org ClaimReview JSON-LD: the claim is the quote as credited, its
`firstAppearance` the origin (or earliest appearance) and `appearance` every other page.
The review's own url, author and date are the newsroom's to add."""

from __future__ import annotations

import json
from typing import Any

from provenance.attribution import is_organisation
from provenance.chains import Appearance, Chain
from provenance.export.words import (
    attribution,
    flag_notes,
    opening_link,
    verdict,
    version_note,
)
from provenance.models import REDACTED


def _work(appearance: Appearance) -> dict[str, Any]:
    """A page where the words stand. A page whose current version no longer holds them is
    named by its URL alone, with the version that did: a text fragment would select
    nothing in the page a reader opens today."""
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "url": opening_link(appearance),
        "name": appearance.title,
        "datePublished": appearance.date[0],
    }
    if not appearance.current:
        work |= {"version": appearance.version, "description": version_note(appearance)}
    return work


def rating(chain: Chain) -> str:
    """The textual rating of the claim the article in hand makes (the first hop): its own
    wording of the quote, credited to whom it names, dated as it dates it. A wrong credit
    further down the chain is not this article's; `explanation` tells it."""
    if chain.origin is None:
        return "No primary source found"
    article = chain.hops[0].appearance
    if "misattributed" in article.flags:
        wrong = f"Misattributed to {article.speaker}: {attribution(chain.origin, unit=True)}"
        return "; ".join([wrong, *flag_notes(article, leave=frozenset({"misattributed"}))])
    found = f"Found in the primary source ({verdict(article)})"
    return f"{found}; {attribution(article)}" if flag_notes(article) else found


def explanation(chain: Chain) -> str | None:
    """Where the chain the article in hand cites through credits the words wrongly, when
    that is not the article itself."""
    if chain.origin is None or chain.misattributed_at in (None, 0):
        return None
    hop = chain.hops[chain.misattributed_at]
    return (
        f"“{hop.appearance.title}”, which this page's chain of citation passes through, "
        f"credits the words to {hop.appearance.speaker}; they were "
        f"{attribution(chain.origin, unit=True)}."
    )


def data(chain: Chain) -> dict[str, Any]:
    first = chain.origin or chain.earliest
    claim: dict[str, Any] = {"@type": "Claim"}
    if first:
        claim["firstAppearance"] = _work(first)
        claim["appearance"] = [_work(a) for a in chain.appearances if a is not first]
        claim["datePublished"] = first.date[0]
    if chain.origin and chain.origin.unit.author and chain.origin.unit.author != REDACTED:
        claim["author"] = _author(chain.origin.unit.author)
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": chain.quote,
        "itemReviewed": claim,
        "reviewRating": _rating(chain),
    }


def _author(name: str) -> dict[str, str]:
    """Who wrote the origin, a schema.org Organization where the name is an organisation's
    (as the attribution check reads it: "Acme Corp"), else a Person."""
    return {"@type": "Organization" if is_organisation(name) else "Person", "name": name}


def _rating(chain: Chain) -> dict[str, str]:
    found = {"@type": "Rating", "alternateName": rating(chain)}
    why = explanation(chain)
    return found | {"ratingExplanation": why} if why else found


def render(chain: Chain) -> str:
    return json.dumps(data(chain), ensure_ascii=False, indent=2) + "\n"
