"""A Markdown report a fact-checker can paste into a draft: the chain newest first, the
origin last, every appearance in date order, footnotes with links and capture hashes."""

from __future__ import annotations

from urllib.parse import quote

from provenance.chains import Appearance, Chain
from provenance.export.text import map_text, printable
from provenance.export.words import (
    dated,
    hop_finding,
    hop_title,
    listed_attribution,
    misattribution_sentence,
    opening_link,
    origin_sentence,
    verdict,
    version_note,
)

VIA = {"link": "links to it as", "named": "names it:", "matched": "does not cite it"}
HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
INLINE = "\\`*_[]|~!#"  # backslash-escaped: all that is markup in the middle of a line
RAW = frozenset({"url", "link", "sha256", "role", "verdict", "kind"})  # ours, not captured
LINK_SCHEMES = ("http", "https", "file")
URL_SAFE = ":/?#[]@!$&'()*+,;=%~"  # left as they are in an autolink: the rest is %-encoded


def escape(text: str) -> str:
    """Text taken from a capture as Markdown that shows it literally: HTML as entities,
    markup characters backslash-escaped, on one line with no control character."""
    return "".join(HTML.get(c) or ("\\" + c if c in INLINE else c) for c in printable(text))


def link(url: str) -> str:
    """A URL as an autolink when its scheme is one a reader may follow, else as text."""
    if url.split(":", 1)[0].lower() in LINK_SCHEMES:
        return f"<{quote(url, safe=URL_SAFE)}>"  # no space, < or > can end it early
    return escape(url)


def _escaped(chain: Chain) -> Chain:
    """The chain with every text a capture gave escaped."""
    return map_text(chain, escape, keep=RAW)


class _Notes:
    """Footnotes, one per distinct deep link, numbered in order of first use."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.numbers: dict[str, int] = {}

    def cite(self, appearance: Appearance) -> str:
        """The footnote of the page's link (its bare URL and the version that holds the
        quote, where the current one does not), numbered at first use."""
        opened = opening_link(appearance)
        if opened not in self.numbers:
            self.numbers[opened] = len(self.numbers) + 1
            version = f", version {appearance.version}, not the current version"
            version = "" if appearance.current else f"{version} {appearance.latest_version}"
            self.lines.append(
                f"[^{self.numbers[opened]}]: “{appearance.title}”, {link(opened)}{version}, "
                f"captured {appearance.fetched_at}, sha256 `{appearance.sha256}`."
            )
        return f"[^{self.numbers[opened]}]"


def render(chain: Chain) -> str:
    chain = _escaped(chain)
    notes = _Notes()
    lines = [f"## Where “{chain.quote}” comes from", "", origin_sentence(chain)]
    entered = misattribution_sentence(chain)
    if entered:
        lines.append(entered)
    if chain.hops:
        lines += ["", "### Chain of citation (newest first)", ""]
    for index, hop in enumerate(chain.hops, start=1):
        how = ""
        if hop.via in VIA:
            how = f" ({'the page above ' + VIA[hop.via]}"
            how += f" “{hop.anchor_text}”)" if hop.anchor_text else ")"
        note = version_note(hop.appearance)
        lines.append(
            f"{index}. **{hop_title(hop)}**, {dated(hop.date)}: "
            f"{hop_finding(hop)}{how}{'; ' + note if note else ''}."
            f"{notes.cite(hop.appearance)}"
        )
    if chain.appearances:
        lines += [
            "",
            "### Every appearance, by date",
            "",
            "| date | document | wording | attribution |",
            "| --- | --- | --- | --- |",
        ]
    for appearance in chain.appearances:
        who = listed_attribution(appearance)
        lines.append(
            f"| {dated(appearance.date)} | {appearance.title}{notes.cite(appearance)} "
            f"| {verdict(appearance)} | {who} |"
        )
    return "\n".join([*lines, "", *notes.lines]) + "\n"
