"""The Django admin of the commitments app, by subject; importing this package registers every screen."""

from commitments.admin import catalogue, imports, review, scores

__all__ = ["catalogue", "imports", "review", "scores"]
