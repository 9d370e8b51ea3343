from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.organisations.models import Membership

from .models import ApiToken


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def api_token_issue(*, membership: Membership) -> tuple[ApiToken, str]:
    """Issue a token acting as `membership`. The plain key is returned once and never stored."""
    key = "ju_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            membership=membership, key_hash=hash_key(key), prefix=key[:10], created_by=membership.user
        )
        audit_record(
            actor=None,
            verb=AuditVerb.TOKEN_ISSUED,
            target=token,
            organisation=membership.organisation,
            channel="command",
            payload={"user": membership.user.username, "role": membership.role},
        )
    return token, key
