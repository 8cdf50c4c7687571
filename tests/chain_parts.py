"""Chains built by hand from plain data, for the export formats' tests: what a hostile or
unusual capture would give, without a corpus."""

from __future__ import annotations

from typing import Any

from provenance.chains import Appearance, UnitInfo
from provenance.models import Role


def appearance(url: str, title: str, role: Role, **extra: Any) -> Appearance:
    """An appearance with every field a format reads; `author`, `label`, `forwarded_by` and
    `link` go to the unit and link, the rest to the Appearance."""
    unit = UnitInfo(
        "paragraph",
        extra.pop("label", None),
        extra.pop("author", None),
        "2024-03-05",
        forwarded_by=extra.pop("forwarded_by", None),
    )
    return Appearance(
        url=url,
        title=title,
        role=role,
        published_at="2024-03-06",
        fetched_at="2024-03-07T00:00:00+00:00",
        version=1,
        latest_version=1,
        sha256="0" * 64,
        link=str(extra.pop("link", url)),
        verdict="verbatim",
        matched_text="the words",
        unit=unit,
        **extra,
    )
