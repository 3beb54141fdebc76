"""How the API knows a partner: `Authorization: Bearer <key>` (or `Token <key>`), and what each scope opens."""

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.utils.translation import gettext, gettext_lazy
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from partners.models import PartnerToken, Scope
from partners.tokens import TokenRefused, authenticate_key

if TYPE_CHECKING:
    from rest_framework.views import APIView

KEYWORDS = (b"bearer", b"token")

# What a session user (a reviewer or Support Unit staff using the API in a browser) needs for each scope.
SESSION_PERMISSIONS: dict[str, str] = {
    Scope.DECIDE: "commitments.review_alignment",
    Scope.IMPORT: "commitments.import_ogp_data",
}


class PartnerTokenAuthentication(BaseAuthentication):
    """A request carrying a key is the key's partner account, or is refused (401) when the key is unknown,
    revoked or expired; a request without one is left to the other authenticators."""

    def authenticate(self, request: Request) -> tuple[User, PartnerToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                gettext("Send the header as: Authorization: Bearer <token>."), "token_invalid"
            )
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(gettext("The token is not valid text."), "token_invalid") from exc
        try:
            token = authenticate_key(key)
        except TokenRefused as exc:
            raise exceptions.AuthenticationFailed(str(exc), exc.code) from exc
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def partner_token(request: Request) -> PartnerToken | None:
    return request.auth if isinstance(request.auth, PartnerToken) else None


class ScopePermission(BasePermission):
    """A partner token needs the scope; a session user needs the permission the same scope stands for."""

    scope: str = ""
    message = gettext_lazy("This token does not have the scope this needs.")

    def has_permission(self, request: Request, view: "APIView") -> bool:
        token = partner_token(request)
        if token is not None:
            return token.has_scope(self.scope)
        permission = SESSION_PERMISSIONS.get(self.scope)
        return bool(permission and request.user.is_authenticated and request.user.has_perm(permission))


class CanDecide(ScopePermission):
    scope = Scope.DECIDE


class CanImport(ScopePermission):
    scope = Scope.IMPORT


class IsPartner(BasePermission):
    """Partner accounts only, through one of their tokens (any scope): webhooks are theirs."""

    message = gettext_lazy("Only partner accounts, with one of their tokens, may do this.")

    def has_permission(self, request: Request, view: "APIView") -> bool:
        return partner_token(request) is not None


class IsSupportUnit(BasePermission):
    """Support Unit staff, in a session; never a partner token."""

    def has_permission(self, request: Request, view: "APIView") -> bool:
        return bool(
            partner_token(request) is None
            and request.user.is_authenticated
            and request.user.is_staff
            and request.user.has_perm("partners.build_snapshot")
        )


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}
