"""What the CLI prints: the --json contract (documented in the README, tested) and the
terminal rendering of the same results."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape as escape_markup
from rich.tree import Tree

from provenance import stated_dates
from provenance.citations import pin_cite
from provenance.export.text import printable
from provenance.matching import Difference, joined_here
from provenance.models import DocumentRef
from provenance.storage import StoredQuote
from provenance.trace import Hop, Match, TraceResult

# --- JSON ------------------------------------------------------------------------------


def document_json(document: DocumentRef) -> dict[str, Any]:
    return {
        "id": document.id,
        "url": document.url,
        "title": document.title,
        "published_at": document.published_at,
        "role": document.role,
        "crawler": document.crawler,
        "fetched_at": document.fetched_at,
        "sha256": document.sha256,
        "version": document.version,
    }


def match_json(match: Match) -> dict[str, Any]:
    unit = match.unit
    return {
        "verdict": match.verdict,
        "score": round(match.score, 1),
        "matched_text": match.matched_text,
        "start": match.start,
        "end": match.end,
        "unit": {
            "id": unit.id,
            "kind": unit.kind,
            "label": unit.label,
            "author": unit.author,
            "date": unit.date,
            "recipients": list(unit.recipients),
            "subject": unit.subject,
            "forwarded_by": unit.forwarded_by,
            "forwarded_at": unit.forwarded_at,
            "page": unit.page,
            "cite": pin_cite(unit.cite, unit.pages, 0, len(unit.text)),
        },
        "document": document_json(unit.document),
        "link": match.link,
        "cite": match.cite,
        "differences": [vars(d) for d in match.differences],
        "flags": list(match.flags),
    }


def hop_json(hop: Hop) -> dict[str, Any]:
    return dict(vars(hop))


def trace_json(result: TraceResult) -> dict[str, Any]:
    """A trace result; an untraceable one (only `check` has them) with its `error` too."""
    return {
        "quote": result.quote,
        "speaker": result.speaker,
        "claimed_date": result.claimed_date,
        "status": result.status,
        "best": match_json(result.best) if result.best else None,
        "matches": [match_json(m) for m in result.matches],
        "flags": list(result.flags),
        "explanation": list(result.explanation),
        "chain": [hop_json(h) for h in result.chain],
        **({"error": result.error} if result.status == "untraceable" else {}),
    }


def _tally(results: list[tuple[StoredQuote, TraceResult]]) -> dict[str, int]:
    """How many quotes of a check are found, not found and untraceable."""
    statuses = [result.status for _, result in results]
    return {status: statuses.count(status) for status in ("found", "not_found", "untraceable")}


def check_json(
    document: DocumentRef, results: list[tuple[StoredQuote, TraceResult]]
) -> dict[str, Any]:
    quotes = [{"form": quote.form, **trace_json(result)} for quote, result in results]
    return {
        "document": document_json(document),
        "quotes": quotes,
        "summary": {
            "quotes": len(quotes),
            **_tally(results),
            "misattributed": sum(1 for q in quotes if "misattributed" in q["flags"]),
        },
    }


# --- terminal --------------------------------------------------------------------------

STATUS_STYLE = {"found": "bold green", "not_found": "bold red", "untraceable": "bold yellow"}


def escape(text: str) -> str:
    """Text for rich markup with no control character of a capture left to act on the
    terminal (a title's ESC), and no markup."""
    return escape_markup(printable(text))


def print_trace(console: Console, result: TraceResult) -> None:
    """A trace result as a fact-checker reads it: verdict, plain sentences, chain."""
    claim = []
    if result.speaker:
        claim.append(f"credited to {result.speaker}")
    if result.claimed_date:
        claim.append(f"dated {stated_dates.in_words(result.claimed_date)}")
    console.print(
        f"[bold]“{escape(result.quote)}”[/]" + (f"  ({escape(', '.join(claim))})" if claim else "")
    )
    status = result.status.replace("_", " ").upper()
    best = result.best
    headline = f"[{STATUS_STYLE[result.status]}]{status}[/]"
    if best:
        headline += f"  {best.verdict}  score {best.score:.1f}"
    if result.flags:
        headline += "  [bold yellow]" + escape(" ".join(f"[{f}]" for f in result.flags)) + "[/]"
    console.print(headline)
    for line in result.explanation:
        console.print(f"  {escape(line)}")
    if best:
        console.print(f"  Source text: “{escape(best.matched_text)}”")
        for change in best.differences:
            console.print(f"  {escape(_change_line(change))}")
        if best.cite:
            console.print(f"  Cite: {escape(best.cite)}")
        console.print(f"  Open at the quote: {escape(best.link)}", soft_wrap=True)
    if result.chain:
        console.print(chain_tree(result.chain))
    console.print()


def _change_line(change: Difference) -> str:
    """One difference in words: what the quote has, what the source has, no empty side."""
    if joined_here(change):
        where = "where the article's credit interrupts the quote"
        return f"{change.kind} {where}: source “{change.source}” (not in the quote)"
    if not change.source:
        return f"{change.kind}: “{change.quote}” (not in the source)"
    if not change.quote:
        return f"{change.kind}: source “{change.source}” (not in the quote)"
    return f"{change.kind}: “{change.quote}” / source “{change.source}”"


def chain_tree(chain: tuple[Hop, ...]) -> Tree:
    """The chain as a tree, the article at the top and the primary unit at the bottom."""
    tree = Tree("[bold]Chain of citation[/]")
    node = tree
    for hop in chain:
        how = ""
        if hop.linked is True and hop.kind != "source_unit":
            how = f" ← linked as “{escape(hop.anchor_text or '')}”"
        elif hop.linked is False:
            how = " ← not linked: found by matching"
        verdict = escape(f" [{hop.verdict}]") if hop.verdict else ""
        label = f"{hop.kind.replace('_', ' ')}: {escape(hop.title)} ({_hop_who(hop)}){verdict}{how}"
        node = node.add(label)
    return tree


def _hop_who(hop: Hop) -> str:
    """When and by whom: for the source unit, who wrote it and, apart, who forwarded it and
    when, since the canonical misattribution is words credited to their forwarder."""
    when = hop.date.replace("T", " ") if hop.date else "undated"
    wrote = "written by" if hop.kind == "source_unit" else "by"
    who = f"{when}, {wrote} {escape(hop.author)}" if hop.author else when
    if hop.forwarded_by:
        at = f" {hop.forwarded_at.replace('T', ' ')}" if hop.forwarded_at else ""
        who += f"; forwarded{at} by {escape(hop.forwarded_by)}"
    return who


def _tally_line(results: list[tuple[StoredQuote, TraceResult]]) -> str:
    """The check's quotes counted by status, and within each the ones a fact-checker must
    not miss: found but credited to the wrong person or date, not found though its parts
    stand apart."""
    tally = _tally(results)
    found = [r for _, r in results if r.status == "found"]
    wrong = [
        (sum(flag in r.flags for r in found), word)
        for flag, word in (("misattributed", "misattributed"), ("date_mismatch", "misdated"))
    ]
    joined = sum(r.spliced for _, r in results if r.status == "not_found")
    return (
        f"{len(results)} quote(s): {tally['found']} found"
        + _within(", ".join(f"{n} {word}" for n, word in wrong if n))
        + f", {tally['not_found']} not found"
        + _within(f"{joined} joined from parts found apart" if joined else "")
        + (f", {tally['untraceable']} untraceable" if tally["untraceable"] else "")
    )


def _within(counts: str) -> str:
    """Counts within a status, in brackets after it; nothing when there are none."""
    return f" ({counts})" if counts else ""


def print_check(
    console: Console, document: DocumentRef, results: list[tuple[StoredQuote, TraceResult]]
) -> None:
    """An article's check: its quotes counted by status, then each one's trace."""
    console.print(f"[bold]{escape(document.title)}[/]  {escape(document.url)}")
    console.print(_tally_line(results))
    if document.role == "primary":  # 0 quotes says nothing of it otherwise
        console.print("A primary source: quotes are extracted from articles (secondary) only.")
    console.print()
    for _, result in results:
        print_trace(console, result)
