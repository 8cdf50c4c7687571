"""Every export carries what the terminal's chain says of a hop: a filing's pin cite, the
older version that alone holds the quote, and who wrote a primary page's passage; and a
ClaimReview rates the article in hand."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace

import pytest
from chain_parts import appearance

from provenance.chains import Chain, ChainHop
from provenance.export import claimreview, dot, markdown, svg

CITE = "Compl. ¶ 4, ECF No. 1 at 1"
NOTE = "only in version 1 (captured 2024-03-07T00:00:00+00:00), not in the current version 2"


def chain(**source_extra: object) -> Chain:
    """An article linking a page whose passage is the origin, the page changed as given."""
    source = appearance(
        "https://court.example/c",
        "Complaint",
        "primary",
        author="Jo Bo",
        link="https://court.example/c#:~:text=the%20words",
    )
    source = replace(source, **source_extra)
    article = appearance("https://news.example/a", "Story", "secondary", speaker="Jo Bo")
    hops = (
        ChainHop("article", article, None),
        ChainHop("source_document", source, "link", "the complaint"),
        ChainHop("origin_unit", source, "within"),
    )
    return Chain("the words", hops, source, source, (source, article), None)


def test_markdown_gives_the_pin_cite_of_a_filing() -> None:
    (line,) = [x for x in markdown.render(chain(cite=CITE)).splitlines() if x.startswith("2. ")]
    assert f"no speaker named, {CITE} (the page above links to it" in line


def svg_text(chain: Chain) -> str:
    """The words the SVG picture draws, line by line."""
    root = ET.fromstring(svg.render(chain))
    return " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))


@pytest.mark.parametrize("render", [dot.render, svg_text])
def test_the_pictures_name_the_version_that_holds_the_quote(
    render: Callable[[Chain], str],
) -> None:
    text = render(chain(latest_version=2))
    assert " ".join(text.replace("\\n", " ").split()).count(NOTE) == 2


def test_claimreview_names_the_version_and_links_no_fragment_the_page_no_longer_has() -> None:
    first = json.loads(claimreview.render(chain(latest_version=2)))["itemReviewed"][
        "firstAppearance"
    ]
    assert first["url"] == "https://court.example/c"
    assert (first["version"], first["description"]) == (1, NOTE)


def test_claimreview_links_a_current_page_at_the_quote() -> None:
    first = json.loads(claimreview.render(chain()))["itemReviewed"]["firstAppearance"]
    assert first["url"].endswith("#:~:text=the%20words") and "version" not in first


def test_a_primary_page_other_than_the_origin_says_who_wrote_it() -> None:
    """A filing quoting the origin is written by its author, not a page naming no speaker;
    the page holding the origin is a publication, and its unit says whose the words are."""
    filing = appearance("https://court.example/f", "Filing", "primary", author="Ann Lee")
    base = chain()
    hops = (base.hops[0], ChainHop("citation", filing, "link", "the filing"), *base.hops[1:])
    text = markdown.render(replace(base, hops=hops, appearances=(*base.appearances, filing)))
    lines = {line[:2]: line for line in text.splitlines()}
    assert "verbatim, written by Ann Lee (the page above links to it" in lines["2."]
    assert "**Complaint**, published 2024-03-06: verbatim, no speaker named" in lines["3."]
    assert "| Filing[^2] | verbatim | written by Ann Lee |" in text


def test_claimreview_rates_the_credit_the_article_in_hand_gives() -> None:
    """The article credits the right person; a page it cites through credits someone else:
    the rating is the article's, the wrong credit down the chain its explanation."""
    base = chain()
    wrong = appearance(
        "https://b.example/b", "Wire", "secondary", speaker="Tom Roe", flags=("misattributed",)
    )
    hops = (base.hops[0], ChainHop("citation", wrong, "link", "the wire"), *base.hops[1:])
    rated = replace(base, hops=hops, appearances=(*base.appearances, wrong), misattributed_at=1)
    review = json.loads(claimreview.render(rated))["reviewRating"]
    assert review["alternateName"] == "Found in the primary source (verbatim)"
    assert "“Wire”" in review["ratingExplanation"] and "Tom Roe" in review["ratingExplanation"]
    first = replace(rated, hops=(replace(hops[0], appearance=wrong), *hops[1:]), misattributed_at=0)
    review = json.loads(claimreview.render(first))["reviewRating"]
    assert review["alternateName"] == "Misattributed to Tom Roe: written by Jo Bo"
    assert "ratingExplanation" not in review
