"""How the partner endpoints appear in the OpenAPI document: the token scheme and the answers of each write."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class PartnerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "partners.auth.PartnerTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A partner token: `Authorization: Bearer ogpt_…` (or `Token ogpt_…`).",
        }


class ApiErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ApiErrorSerializer, description=description)


UNAUTHENTICATED = error("No token, or one that is unknown, revoked or expired (`token_invalid`, `token_revoked`, "
                        "`token_expired`).")  # fmt: skip
FILE = OpenApiResponse(response=OpenApiTypes.BINARY, description="The zip archive.")
