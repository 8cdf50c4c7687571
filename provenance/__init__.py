"""provenance: find where a quote was first said, by whom, when, and how it travelled."""

__version__ = "0.1.0"
