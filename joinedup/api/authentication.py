from __future__ import annotations

from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken
from .services import hash_key


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`. The request then acts as the token's membership."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != self.keyword.lower():  # the scheme is case-insensitive
            raise exceptions.AuthenticationFailed("Send your token as 'Authorization: Bearer <token>'.")
        token = (
            ApiToken.objects.select_related("membership__user", "membership__organisation")
            .filter(key_hash=hash_key(parts[1]), revoked_at__isnull=True, membership__archived_at__isnull=True)
            .first()
        )
        if token is None or not token.membership.user.is_active:
            raise exceptions.AuthenticationFailed("That token is not valid. Ask an administrator for a new one.")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.membership.user, token

    def authenticate_header(self, request):
        return self.keyword
