"""Partner tokens: issued by the Support Unit, shown once, kept only as a hash, scoped, expiring, revocable."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import PARTNERS, PartnerToken, Scope

KEY_PREFIX = "ogpt_"
ISSUE_PERMISSION = "partners.issue_partnertoken"


def hash_key(key: str) -> str:
    """Keys are 256 random bits: a plain SHA-256 is enough to keep a stolen table useless, and lets the
    database find a key by its hash."""
    return hashlib.sha256(key.encode()).hexdigest()


def is_partner(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(isinstance(user, User) and user.is_active and user.groups.filter(name=PARTNERS).exists())


@dataclass(frozen=True)
class IssuedToken:
    token: PartnerToken
    key: str  # shown once, to the person who issued it; never stored


def issue_token(
    *,
    user: User,
    name: str,
    scopes: list[str],
    issued_by: User,
    expires_at: datetime.datetime | None = None,
) -> IssuedToken:
    """Issue a key for a partner account; the returned `key` is the only time anyone sees it."""
    if not issued_by.has_perm(ISSUE_PERMISSION):
        raise PermissionDenied(_("Only the Support Unit issues partner tokens."))
    if not is_partner(user):
        raise ValidationError({"user": _("Tokens belong to partner accounts: active users in the Partners group.")})
    scopes = sorted(set(scopes))
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise ValidationError({"scopes": _("Choose one or more of: %s.") % ", ".join(Scope.values)})
    now = timezone.now()
    expires_at = expires_at or now + datetime.timedelta(days=settings.PARTNER_TOKEN_DAYS)
    if expires_at <= now:
        raise ValidationError({"expires_at": _("The expiry must lie in the future.")})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = PartnerToken(
        user=user,
        name=name.strip(),
        prefix=key[: len(KEY_PREFIX) + 6],
        key_hash=hash_key(key),
        scopes=scopes,
        expires_at=expires_at,
        created_by=issued_by,
    )
    token.full_clean()
    token.save()
    return IssuedToken(token=token, key=key)


def revoke_token(*, token: PartnerToken, revoked_by: User) -> PartnerToken:
    """A revoked token stops working at once; it stays listed, with who revoked it and when."""
    if not revoked_by.has_perm(ISSUE_PERMISSION):
        raise PermissionDenied(_("Only the Support Unit revokes partner tokens."))
    with transaction.atomic():
        token = PartnerToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = revoked_by
            token.save(update_fields=["revoked_at", "revoked_by"])
    return token


class TokenRefused(Exception):
    """The key is unknown, revoked, expired, or its account may no longer use it; `code` says which."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


def authenticate_key(key: str) -> PartnerToken:
    """The token a key belongs to, if it may be used now; its last use is recorded (at most once a minute)."""
    token = PartnerToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None:
        raise TokenRefused("token_invalid", _("This token is not known."))
    if token.is_revoked:
        raise TokenRefused("token_revoked", _("This token was revoked."))
    if token.is_expired:
        raise TokenRefused("token_expired", _("This token has expired."))
    if not is_partner(token.user):
        raise TokenRefused("token_invalid", _("This token's account is no longer a partner account."))
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - datetime.timedelta(seconds=60):
        PartnerToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
