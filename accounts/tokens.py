"""API tokens (SECURITY.md, item 2): random keys shown once, stored as SHA-256 digests, expiring after
settings.API_TOKEN_DAYS (30), revoked by logout, password change, two-factor reset or an admin.

    POST /api/v1/auth/token/  {username, password, otp}  ->  {token, prefix, expires_at}

`otp` (a code from the authenticator app, or a recovery code) is required for staff. Failed
passwords count towards the sign-in lockout like the web login (the call goes through
`authenticate()` with the request, which django-axes watches). Calls then send
`Authorization: Token <key>` (or `Bearer <key>`). The endpoint itself is `token_views.ObtainTokenView`
(kept apart: DRF imports this module's authentication class while it loads its views)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.models import ApiToken
from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import User
from jianxi_portal.core.permissions import ensure_perm

KEYWORDS = (b"token", b"bearer")
TOUCH_EVERY = timedelta(minutes=5)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User, by: User, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Issue a token for `user` (an admin for any account; anyone for themselves through the token
    endpoint). Returns the row and the key, which is not stored and cannot be shown again."""
    ensure_perm(by, "accounts.add_apitoken", user, message="只有系统管理员可以为其他账户签发令牌。")
    if not user.is_active:
        raise ValidationError({"user": "该账户已停用，不能签发令牌。"})
    days = days or settings.API_TOKEN_DAYS
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError({"days": f"有效期须在 1 到 {settings.API_TOKEN_MAX_DAYS} 天之间。"})
    key, now = secrets.token_hex(20), timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=key[:8],
        key_hash=key_digest(key),
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit("token.issue", user=by, obj=token, detail={"for_user": user.pk, "prefix": token.prefix, "days": days})
    return token, key


@transaction.atomic
def token_revoke(*, token_id: int, by: User) -> ApiToken:
    """Revoke one token (an admin, or the token's owner). Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token_id)
    ensure_perm(by, "accounts.delete_apitoken", token, message="只有系统管理员可以吊销其他账户的令牌。")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit("token.revoke", user=by, obj=token, detail={"for_user": token.user_id, "prefix": token.prefix})
    return token


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>`: the key's digest must match an active token of an active user."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("令牌格式不正确：应为 “Token <令牌>”。")
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("令牌格式不正确。")
        return self.authenticate_key(key)

    def authenticate_key(self, key: str):
        now = timezone.now()
        token = ApiToken.objects.select_related("user").filter(key_hash=key_digest(key)).first()
        if token is None or token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已被吊销。")
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return "Token"
