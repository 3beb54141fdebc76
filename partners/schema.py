"""How the partner endpoints appear in the OpenAPI document: the token scheme and the answers of each write."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "partners.auth.PartnerTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A partner token: `Authorization: Bearer ogpt_…` (or `Token ogpt_…`).",
        }


ERROR_PROPERTIES: dict[str, Any] = {
    "code": {"type": "string"},
    "message": {"type": "string"},
    "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
}
ERROR: dict[str, Any] = {"type": "object", "properties": ERROR_PROPERTIES, "required": ["code", "message", "fields"]}
CONFLICT: dict[str, Any] = {
    "type": "object",
    "properties": {
        **ERROR_PROPERTIES,
        "current": {
            "allOf": [{"$ref": "#/components/schemas/AlignmentState"}],
            "description": "The alignment as it is now: decide again on its version.",
        },
    },
    "required": ["code", "message", "fields", "current"],
}


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ERROR, description=description)


UNAUTHENTICATED = error("No token, or one that is unknown, revoked or expired (`token_invalid`, `token_revoked`, "
                        "`token_expired`).")  # fmt: skip
FILE = OpenApiResponse(response=OpenApiTypes.BINARY, description="The zip archive.")
