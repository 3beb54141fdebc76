"""The Django admin of the commitments app, by subject; importing this package registers every screen."""

from commitments.admin import catalogue, flags, imports, review, scores

__all__ = ["catalogue", "flags", "imports", "review", "scores"]
