"""A Markdown report a fact-checker can paste into a draft: the chain newest first, the
origin last, every appearance in date order, footnotes with links and capture hashes."""

from __future__ import annotations

from provenance.chains import Appearance, Chain
from provenance.export.words import (
    attribution,
    dated,
    hop_attribution,
    hop_title,
    misattribution_sentence,
    origin_sentence,
    verdict,
    version_note,
)

VIA = {"link": "links to it as", "named": "names it:", "matched": "does not cite it"}


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class _Notes:
    """Footnotes, one per distinct deep link, numbered in order of first use."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.numbers: dict[str, int] = {}

    def cite(self, appearance: Appearance) -> str:
        if appearance.link not in self.numbers:
            self.numbers[appearance.link] = len(self.numbers) + 1
            self.lines.append(
                f"[^{self.numbers[appearance.link]}]: “{_escape(appearance.title)}”, "
                f"<{appearance.link}>, captured {appearance.fetched_at}, "
                f"sha256 `{appearance.sha256}`."
            )
        return f"[^{self.numbers[appearance.link]}]"


def render(chain: Chain) -> str:
    notes = _Notes()
    lines = [f"## Where “{_escape(chain.quote)}” comes from", "", origin_sentence(chain)]
    entered = misattribution_sentence(chain)
    if entered:
        lines.append(entered)
    if chain.hops:
        lines += ["", "### Chain of citation (newest first)", ""]
    for index, hop in enumerate(chain.hops, start=1):
        how = ""
        if hop.via in VIA:
            how = f" ({'the page above ' + VIA[hop.via]}"
            how += f" “{_escape(hop.anchor_text)}”)" if hop.anchor_text else ")"
        note = version_note(hop.appearance)
        lines.append(
            f"{index}. **{_escape(hop_title(hop))}**, {dated(hop.date)}: "
            f"{verdict(hop.appearance)}, "
            f"{hop_attribution(hop)}{how}{'; ' + note if note else ''}."
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
        who = attribution(appearance, unit=appearance is chain.origin)
        lines.append(
            f"| {dated(appearance.date)} | {_escape(appearance.title)}{notes.cite(appearance)} "
            f"| {verdict(appearance)} | {_escape(who)} |"
        )
    return "\n".join([*lines, "", *notes.lines]) + "\n"
