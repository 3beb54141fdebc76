"""Alignment scores: the methodology's weights, the SQL that computes them, chunked recompute runs, and
reading and explaining them. See docs/methodology.md."""
