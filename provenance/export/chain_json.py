"""The `chain --json` and `appearances --json` contract (documented in the README)."""

from __future__ import annotations

import json
from typing import Any

from provenance.chains import Appearance, Chain, ChainHop


def appearance_json(appearance: Appearance) -> dict[str, Any]:
    unit = appearance.unit
    date, date_kind = appearance.date
    return {
        "url": appearance.url,
        "link": appearance.link,
        "title": appearance.title,
        "role": appearance.role,
        "date": date,
        "date_kind": date_kind,
        "published_at": appearance.published_at,
        "fetched_at": appearance.fetched_at,
        "version": appearance.version,
        "latest_version": appearance.latest_version,
        "current": appearance.current,
        "sha256": appearance.sha256,
        "verdict": appearance.verdict,
        "matched_text": appearance.matched_text,
        "cite": appearance.cite,
        "speaker": appearance.speaker,
        "claimed_date": appearance.claimed_date,
        "flags": list(appearance.flags),
        "new": appearance.new,
        "unit": {
            "kind": unit.kind,
            "label": unit.label,
            "author": unit.author,
            "date": unit.date,
            "subject": unit.subject,
            "forwarded_by": unit.forwarded_by,
            "forwarded_at": unit.forwarded_at,
        },
    }


def hop_json(hop: ChainHop) -> dict[str, Any]:
    date, date_kind = hop.date
    return {
        "kind": hop.kind,
        "via": hop.via,
        "anchor_text": hop.anchor_text,
        "date": date,
        "date_kind": date_kind,
        "appearance": appearance_json(hop.appearance),
    }


def chain_data(chain: Chain) -> dict[str, Any]:
    status = "origin" if chain.origin else "no_primary_source" if chain.hops else "not_found"
    return {
        "quote": chain.quote,
        "status": status,
        "origin": appearance_json(chain.origin) if chain.origin else None,
        "earliest_appearance": appearance_json(chain.earliest) if chain.earliest else None,
        "misattributed_at": chain.misattributed_at,
        "hops": [hop_json(h) for h in chain.hops],
        "appearances": [appearance_json(a) for a in chain.appearances],
    }


def render(chain: Chain) -> str:
    return json.dumps(chain_data(chain), ensure_ascii=False, indent=2) + "\n"
