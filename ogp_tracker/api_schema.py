"""Completes the generated OpenAPI document: the one error shape on every operation, and an example for
every response, built from the response's own schema so it can never drift from it."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import permissions

from ogp_tracker.api_access import ReadOnly


class ApiAutoSchema(AutoSchema):
    """States that anyone may read where the default `ReadOnly` permission lets anyone read: a public read
    lists no credentials as one way in (`{}`), besides the token and the session."""

    def get_auth(self) -> list[dict[str, Any]]:
        auths = super().get_auth()
        allowed = [p.__class__ for p in self.view.get_permissions()]
        if ReadOnly in allowed and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths


ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error: a stable code, a sentence, and the fields at fault (empty when none is).",
    "properties": {
        "code": {"type": "string", "example": "not_found"},
        "message": {"type": "string", "example": "Not found."},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {},
        },
    },
    "required": ["code", "message", "fields"],
}
ERRORS = {
    "400": ("invalid", "The request is not valid; see fields.", {"member": ["Unknown member code(s): XXX."]}),
    "401": ("token_invalid", "The token is unknown.", {}),
    "403": ("permission_denied", "You do not have permission to perform this action.", {}),
    "404": ("not_found", "No such object.", {}),
    "405": ("method_not_allowed", 'Method "POST" not allowed.', {}),
    "406": ("not_acceptable", "Could not satisfy the request Accept header.", {}),
    "429": ("throttled", "Request was throttled. Expected available in 30 seconds.", {}),
}
DESCRIPTIONS = {
    "400": "A filter or parameter is not valid.",
    "401": "A token was sent that is unknown, revoked or expired: refused even where anyone may read.",
    "403": "Writes are refused.",
    "404": "No object with this id or code, or no such page (`?page=`, `?cursor=`).",
    "405": "The method is not allowed here.",
    "406": "The format asked for is not offered here.",
    "429": "Too many requests; retry after the Retry-After header's seconds.",
}
STRINGS = {"date": "2024-05-31", "date-time": "2024-05-31T12:00:00Z", "uri": "https://www.opengovpartnership.org/"}
MAX_DEPTH = 6
NO_NUL = "^[^\\x00]*$"
# Realistic values for the parameters partners use most; any other gets one built from its schema.
PARAMETER_EXAMPLES = {
    "member": "MEX,ARG",
    "ogp_id": "MX0001",
    "pair": "MX0001.cta2019-civic-space-2",
    "resolution_key": "call-to-action-2019.civic-space",
    "slug": "call-to-action-2019",
    "version": "v1",
    "members": "MEX,ARG,KEN",
    "q": "beneficial ownership",
    "cursor": "cD0yMDI0LTA1LTMx",
    "updated_since": "2026-11-01T00:00:00Z",
    "policy_area": "open-contracting",
    "group": "leaders-network",
    "era": "civic-space",
    "ordering": "-updated_at",
    "format": "csv",
}
# Integer bounds that come from the database in use (SQLite's and PostgreSQL's differ): left out, so the
# document is the same whichever database generated it.
DATABASE_BOUNDS = {32767, -32768, 2147483647, -2147483648, 9223372036854775807, -9223372036854775808}


def _without_database_bounds(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "integer":
            for key in ("maximum", "minimum"):
                if node.get(key) in DATABASE_BOUNDS:
                    del node[key]
            if node.get("format") in ("int32", "int64"):
                del node["format"]
        for value in node.values():
            _without_database_bounds(value)
    elif isinstance(node, list):
        for value in node:
            _without_database_bounds(value)


def _no_null_characters(schema: dict[str, Any]) -> None:
    """Free text may hold any character but NUL, which Django refuses (PostgreSQL cannot store it)."""
    if schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema):
        schema["pattern"] = NO_NUL
    elif schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        _no_null_characters(schema["items"])


def add_errors_and_examples(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    _without_database_bounds(result)
    for name, component in schemas.items():
        if name.endswith("Request"):
            for prop in component.get("properties", {}).values():
                _no_null_characters(prop)
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            codes = ["401", "403", "406", "429"]
            if operation.get("parameters"):
                codes.append("400")
            names = {parameter.get("name") for parameter in operation.get("parameters", [])}
            if "{" in path or names & {"page", "cursor"}:  # no such object, or no such page
                codes.append("404")
            for code in sorted(codes):
                key, message, fields = ERRORS[code]
                responses.setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Error"},
                                "example": {"code": key, "message": message, "fields": fields},
                            }
                        },
                    },
                )
            for parameter in operation.get("parameters", []):
                _no_null_characters(parameter.get("schema", {}))
                if "example" not in parameter and "examples" not in parameter:
                    name = parameter["name"]
                    if name == "code":
                        parameter["example"] = "MEX" if path.startswith("/api/v1/members/") else "cta2019-civic-space-2"
                    elif name in PARAMETER_EXAMPLES and "enum" not in parameter.get("schema", {}):
                        parameter["example"] = PARAMETER_EXAMPLES[name]
                    else:
                        parameter["example"] = _example(parameter.get("schema", {}), schemas, 0)
            for response in responses.values():
                for media, body in response.get("content", {}).items():
                    if "example" not in body and "examples" not in body:
                        body["example"] = _example(body.get("schema", {}), schemas, 0, media)
    return result


def _example(schema: dict[str, Any], schemas: dict[str, Any], depth: int, media: str = "application/json") -> Any:
    if media == "text/csv":
        return "code,name\r\nALB,Albania\r\n"
    if "$ref" in schema:
        return _example(schemas.get(schema["$ref"].rsplit("/", 1)[-1], {}), schemas, depth)
    if "example" in schema:
        return schema["example"]
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema:
            parts = [_example(part, schemas, depth) for part in schema[combined]]
            merged = [part for part in parts if part is not None]
            if combined == "allOf" and all(isinstance(part, dict) for part in merged):
                return {key: value for part in merged for key, value in part.items()}
            return merged[0] if merged else None
    if "enum" in schema:
        values = [value for value in schema["enum"] if value not in (None, "")]
        return values[0] if values else None
    kind = schema.get("type")
    if depth > MAX_DEPTH:
        return None
    if kind == "object" or "properties" in schema:
        if "properties" in schema:
            return {name: _example(prop, schemas, depth + 1) for name, prop in schema["properties"].items()}
        extra = schema.get("additionalProperties")
        return {"key": _example(extra, schemas, depth + 1)} if isinstance(extra, dict) else {}
    if kind == "array":
        return [_example(schema.get("items", {}), schemas, depth + 1)]
    if kind == "integer":
        return 1
    if kind == "number":
        return "12.50" if schema.get("format") == "decimal" else 0.5
    if kind == "boolean":
        return True
    if kind == "string":
        return STRINGS.get(schema.get("format", ""), "string")
    return None
