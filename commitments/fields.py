"""Model fields of the commitments app."""

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


class JSONTextField(models.JSONField):
    """A JSON document kept as the text it was written in: PostgreSQL's `json` type rather than `jsonb`.

    For documents that SQL writes a hundred thousand at a time and readers take whole, never searching
    inside them: parsing each one into `jsonb` took a tenth of a full score recompute, and `json` only
    checks that the text is valid. What is given up is searching in the database: the containment and
    key-existence lookups (`contains`, `has_key` and the like) need `jsonb`, so they are not used on such
    a field. Two documents with the same content may differ as text; compare them as `jsonb`. On other
    databases this is Django's JSONField unchanged.
    """

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if value is not None and not isinstance(value, str):
            return value  # a driver that decodes `json` itself; see `read_json_as_text`
        return super().from_db_value(value, expression, connection)


def read_json_as_text(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Have psycopg2 hand `json` values over as text, as Django has it do for `jsonb`, so that the field
    decodes them itself: with its decoder, and without taking a JSON string for the value it spells."""
    if connection.vendor != "postgresql":
        return
    import psycopg2.extras

    psycopg2.extras.register_default_json(conn_or_curs=connection.connection, loads=lambda text: text)
