"""The chain and appearances commands: a quote's citation chain, origin and every place
it appears, in the terminal or in one of the export formats."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.text import Text
from rich.tree import Tree

from provenance.appearances import chain_for
from provenance.chains import Chain, ChainHop
from provenance.cli import app, check_unicode, emit_json, open_database, out, reports_errors
from provenance.errors import InputError
from provenance.export import FORMATS
from provenance.export.chain_json import appearance_json, chain_data
from provenance.export.text import printable_chain
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
from provenance.storage import Database
from provenance.trace import in_one_passage, locate

QUOTE_HELP = "The quote, or the id of a quote stored from an article."
HOW = {
    "link": "linked as",
    "named": "named, not linked:",
    "matched": "not cited: found by matching",
}


class Format(StrEnum):
    text = "text"
    markdown = "markdown"
    dot = "dot"
    svg = "svg"
    prov_json = "prov-json"
    claimreview = "claimreview"


def chain_tree(chain: Chain) -> Tree:
    """The chain as a tree: the article in hand at the top, the origin at the bottom."""
    tree = Tree(Text(f"“{chain.quote}”", style="bold"))
    node = tree
    for index, hop in enumerate(chain.hops):
        node = node.add(_hop_label(hop, entered=index == chain.misattributed_at))
        opened = opening_link(hop.appearance)
        node.add(Text(f"{opened}  sha256 {hop.appearance.sha256[:12]}…", style="dim"))
    return tree


def _hop_label(hop: ChainHop, *, entered: bool) -> Text:
    """A hop's line in the tree, as rich Text rather than markup: a title, name or anchor
    text is printed as it is, a trailing backslash or a [bracket] in it included."""
    label = Text.assemble((hop_title(hop), "bold"), f" ({dated(hop.date)})  {hop_finding(hop)}")
    if hop.via in HOW:
        anchor = f" “{hop.anchor_text}”" if hop.anchor_text else ""
        label.append(f"  ← {HOW[hop.via]}{anchor}", style="dim")
    if entered:
        label.append("  misattribution enters here", style="bold red")
    note = version_note(hop.appearance)
    if note:
        label.append(f"  {note}", style="yellow")
    return label


def print_chain(result: Chain) -> None:
    """The chain in the terminal: its origin, where a misattribution enters, the tree."""
    out.print(Text(origin_sentence(result)))
    entered = misattribution_sentence(result)
    if entered:
        out.print(Text(entered, style="bold red"))
    if result.hops:
        out.print(chain_tree(result))
    others = [a for a in result.appearances if a not in {h.appearance for h in result.hops}]
    if others:
        out.print(f"Also quoted in {len(others)} other document(s): see `appearances`.")


def print_appearances(chain: Chain) -> None:
    """Every appearance by date, each with its link on a line of its own, as rich Text."""
    if not chain.appearances:
        out.print(Text(f"“{chain.quote}” appears nowhere in the corpus."))
        return
    out.print(Text(f"Every appearance of “{chain.quote}”, by date", style="bold"))
    for appearance in chain.appearances:
        note = version_note(appearance)
        line = Text.assemble(
            ("NEW ", "bold green") if appearance.new else "    ",
            f"{dated(appearance.date)}  ",
            (appearance.title, "bold"),
            f"  {verdict(appearance)}, {listed_attribution(appearance)}",
            (f"  {note}" if note else "", "yellow"),
            f"\n     {opening_link(appearance)}",
        )
        out.print(line, soft_wrap=True)


@app.command()
@reports_errors
def chain(
    ctx: typer.Context,
    quote: Annotated[str, typer.Argument(help=QUOTE_HELP)],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    output_format: Annotated[
        Format, typer.Option("--format", help="Print a report, a graph or linked data.")
    ] = Format.text,
) -> None:
    """Show a quote's chain of citation, newest first, down to its origin, with every
    other appearance. Exit status 0 when it appears in the corpus, 1 when not, 2 on error.

    Example: provenance chain "attach to Tesla as its cash cow" --format markdown
    """
    check_unicode(quote=quote)
    if json_output and output_format is not Format.text:
        raise InputError(f"--json and --format {output_format.value}: give one of them")
    db = open_database(ctx)
    result = chain_for(db, quote)
    if json_output:
        emit_json(chain_data(result))
    elif output_format is not Format.text:
        sys.stdout.write(FORMATS[output_format.value](result))
    else:
        print_chain(printable_chain(result))
        _joined_note(db, result)
    raise typer.Exit(0 if result.appearances else 1)


@app.command()
@reports_errors
def appearances(
    ctx: typer.Context,
    quote: Annotated[str, typer.Argument(help=QUOTE_HELP)],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List every appearance of a quote by date, marking those new since the last crawl.
    Exit status 0 when it appears in the corpus, 1 when not, 2 on error.

    Example: provenance appearances "a more sustainable revenue stream over time"
    """
    check_unicode(quote=quote)
    db = open_database(ctx)
    result = chain_for(db, quote)
    if json_output:
        emit_json([appearance_json(a) for a in result.appearances])
    else:
        print_appearances(printable_chain(result))
        _joined_note(db, result)
    raise typer.Exit(0 if result.appearances else 1)


def _joined_note(db: Database, chain: Chain) -> None:
    """Under "not found", that the quote's parts do stand in the corpus, apart, where they
    do (a splice, or passages of one document an omission mark joins): "not found" alone
    would read as invented words."""
    if not chain.appearances and (parts := locate(db, chain.quote).parts):
        where = (
            "in one passage, with words between them left out without a mark"
            if in_one_passage(parts)
            else "in separate passages, joined into one quote here"
        )
        out.print(f"Its {len(parts)} parts stand {where}: `provenance trace` shows where.")
