"""How the browse view shows a cell (Datasette's render_cell hook): a match as its span
highlighted within the unit, differences marked, with a link that opens the source at the
quote and the capture hash; a quote as a link to its chain page; flags and verdicts as labels.

Captured text is untrusted: every piece of HTML here is built with markupsafe from escaped
values, and only http(s) URLs ever become links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar, cast
from urllib.parse import urldefrag, urlsplit

from datasette import hookimpl as datasette_hookimpl
from markupsafe import Markup, escape

from provenance.anchors import fragment_link
from provenance.storage import RUN_BREAK

STATIC = "provenance-static"  # where make_datasette mounts browse/static/
CONTEXT = 160  # characters of the unit shown on either side of the matched span
RUN_UNITS = 20  # the most units after a match's own that the cell joins to find its end
PAGE = re.compile(r"\b(?:page|p\.)\s*(\d+)", re.IGNORECASE)
# Where a query carries the match's offsets into the unit text, by the table it reads.
OFFSET_COLUMNS = (("start", "end"), ("match_start", "match_end"))


Hook = TypeVar("Hook", bound=Callable[..., Any])


def hookimpl(function: Hook) -> Hook:
    """Datasette's hook marker with its type kept (Datasette ships no type hints)."""
    return cast(Hook, datasette_hookimpl(function))


def http_url(url: object) -> str | None:
    """The URL if it is http(s), else None: javascript:, data: and the rest never link."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    return url if urlsplit(url).scheme in ("http", "https") and " " not in url else None


def chain_url(datasette: Any, database: str, quote_id: object) -> str:
    """The chain page of a quote."""
    return f"{datasette.urls.database(database)}/-/chain/{int(str(quote_id))}"


def source_link(url: str, *, content_type: str | None, label: str | None, text: str) -> str | None:
    """A link that opens the source at the quote: `#page=N` for a PDF whose unit names its
    page, a text fragment for a web page; None for a URL that must not be a link."""
    if http_url(url) is None:
        return None
    if "pdf" in (content_type or "") or urlsplit(url).path.lower().endswith(".pdf"):
        page = PAGE.search(label or "")
        bare = urldefrag(url).url
        return f"{bare}#page={page.group(1)}" if page else bare
    return fragment_link(url, text)


def _word_pattern(words: str) -> re.Pattern[str] | None:
    parts = words.split()
    return re.compile(r"\s+".join(map(re.escape, parts))) if parts else None


def mark_differences(span: str, differences: Sequence[Mapping[str, str]]) -> Markup:
    """The span with each difference's source words wrapped and titled with the quote's."""
    pieces: list[Markup] = []
    position = 0
    for difference in differences:
        pattern = _word_pattern(difference.get("source") or "")
        found = pattern.search(span, position) if pattern else None
        if found is None:
            continue
        kind = difference.get("kind", "changed")
        quoted = difference.get("quote") or ""
        title = f"{kind}: the quote has “{quoted}”" if quoted else f"{kind} in the quote"
        pieces.append(escape(span[position : found.start()]))
        pieces.append(
            Markup('<span class="pv-diff pv-diff-{}" title="{}">{}</span>').format(
                kind, title, found.group()
            )
        )
        position = found.end()
    pieces.append(escape(span[position:]))
    return Markup("").join(pieces)


def _differences(value: object) -> list[dict[str, str]]:
    try:
        parsed = json.loads(value) if isinstance(value, str) else []
    except json.JSONDecodeError:
        return []
    return [d for d in parsed if isinstance(d, dict)] if isinstance(parsed, list) else []


def _stated(row: Mapping[str, Any], keys: Sequence[str]) -> list[tuple[int, int]]:
    """The (start, end) offsets the row gives for its match in the unit's text, by the
    columns its table names them with."""
    return [
        (row[start_key], row[end_key])
        for start_key, end_key in OFFSET_COLUMNS
        if start_key in keys
        and end_key in keys
        and isinstance(row[start_key], int)
        and isinstance(row[end_key], int)
    ]


def _offsets(
    row: Mapping[str, Any], keys: Sequence[str], text: str, matched: str
) -> tuple[int, int] | None:
    for start, end in _stated(row, keys):
        if text[start:end] == matched:
            return start, end
    at = text.find(matched)
    return (at, at + len(matched)) if at >= 0 and matched else None


async def match_cell(
    datasette: Any, database: str, row: Mapping[str, Any], keys: Sequence[str], matched: str
) -> Markup | None:
    """A matched span in its unit: context, the span marked, the differences, the link."""
    unit_id = row["unit_id"]
    if isinstance(unit_id, dict):  # a table page expands a foreign key to {value, label}
        unit_id = unit_id["value"]
    db = datasette.get_database(database)
    result = await db.execute(
        """select u.text, u.label, d.url, d.content_type, d.sha256, u.document_id, u.ordinal
           from units u join documents d on d.id = u.document_id where u.id = ?""",
        [unit_id],
    )
    found = result.first()
    if found is None:
        return None
    text, label, url, content_type, sha256, document_id, ordinal = found
    offsets = _offsets(row, keys, text, matched)
    end = max((end for _, end in _stated(row, keys)), default=0)
    if offsets is None and end > len(text):
        # A quote over a paragraph break: its offsets run over the unit and the ones after
        # it, joined as the trace joined them.
        following = await db.execute(
            "select text from units where document_id = ? and ordinal > ? order by ordinal limit ?",
            [document_id, ordinal, RUN_UNITS],
        )
        for (more,) in following.rows:
            if len(text) >= end:
                break
            text += RUN_BREAK + more
        offsets = _offsets(row, keys, text, matched)
    if offsets is None:
        return None
    start, end = offsets
    differences = _differences(row["differences"]) if "differences" in keys else []
    before = text[max(start - CONTEXT, 0) : start]
    after = text[end : end + CONTEXT]
    html = Markup('<div class="pv-match"><p class="pv-unit">{}{}<mark>{}</mark>{}{}</p>').format(
        "…" if start > CONTEXT else "",
        before,
        mark_differences(text[start:end], differences),
        after,
        "…" if end + CONTEXT < len(text) else "",
    )
    unlisted = [d for d in differences if d.get("quote") and not d.get("source")]
    if unlisted:
        html += Markup('<p class="pv-differences">{}</p>').format(
            "; ".join(f"{d.get('kind', 'inserted')}: “{d['quote']}”" for d in unlisted)
        )
    link = source_link(url, content_type=content_type, label=label, text=text[start:end])
    opens = Markup('<a href="{}" rel="noopener noreferrer">open the source at the quote</a>')
    meta = [opens.format(link)] if link else []
    capture = f"{datasette.urls.table(database, 'captures')}/{sha256}"
    meta.append(
        Markup('capture <a class="pv-capture" href="{}" title="{}">sha256 {}…</a>').format(
            capture, sha256, sha256[:12]
        )
    )
    return html + Markup('<p class="pv-meta">{}</p></div>').format(Markup(" · ").join(meta))


def labels(value: object, css: str) -> Markup | None:
    """A JSON list of strings (flags) or a single word (a verdict) as labels."""
    if not isinstance(value, str) or not value:
        return None
    try:
        items = json.loads(value) if value.startswith("[") else [value]
    except json.JSONDecodeError:
        return None
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        return None
    return Markup(" ").join(
        Markup('<span class="{} {}-{}">{}</span>').format(css, css, item, item) for item in items
    )


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Markup | Awaitable[Markup | None] | None:
    keys = row.keys() if hasattr(row, "keys") else ()
    if column == "matched_text" and isinstance(value, str) and "unit_id" in keys:
        return match_cell(datasette, database, row, list(keys), value)
    if column == "flags":
        return labels(value, "pv-flag")
    if column == "verdict":
        return labels(value, "pv-verdict")
    if table is None and column == "quote_id" and isinstance(value, int):
        return Markup('<a class="pv-chain" href="{}">{} · chain</a>').format(
            chain_url(datasette, database, value), value
        )
    if table == "matches" and column == "quote_id" and isinstance(value, dict):
        return Markup('<a class="pv-chain" href="{}">{}</a>').format(
            chain_url(datasette, database, value["value"]), value.get("label") or value["value"]
        )
    if table == "quotes" and column == "text" and "id" in keys and isinstance(value, str):
        return Markup('<a class="pv-chain" href="{}">{}</a>').format(
            chain_url(datasette, database, row["id"]), value
        )
    return None


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.path(f"/{STATIC}/browse.css")]
