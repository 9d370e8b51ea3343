"""An employer's own sign-in: the owning partner invites a person at the employer, who sets their
password from the link (Django's token generator, the one password reset uses) and then signs in
with the employer role for the employer's organisation. They never see a case record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.core.urls import reverse
from joinedup.organisations.services import employer_membership_create

from .access import audit, require_invite
from .models import Employer

if TYPE_CHECKING:
    from joinedup.organisations.permissions import Membership


@dataclass(frozen=True)
class Invitation:
    membership: Membership
    path: str  # where the invited person sets their password


def invitation_path(user: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("employers:invitation", args=[uid, default_token_generator.make_token(user)])


def employer_invite(
    *, actor: Membership, employer: Employer, email: str, first_name: str = "", last_name: str = ""
) -> Invitation:
    """Invite someone at `employer` to sign in. Only the organisation holding the relationship
    (a partner or programme manager) invites. The employer's organisation is made on first invite."""
    require_invite(actor, employer)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError("Enter an email address, like name@example.com", field="email") from exc
    User = get_user_model()
    with transaction.atomic():
        employer = Employer.objects.select_for_update().get(pk=employer.pk)
        if User.objects.filter(username=email).exists():
            raise DomainError("Someone with that email address can already sign in.", field="email")
        user = User.objects.create_user(
            username=email, email=email, first_name=first_name.strip()[:150], last_name=last_name.strip()[:150]
        )
        user.set_unusable_password()
        user.save()
        membership = employer_membership_create(
            user=user, employer_name=employer.name, organisation_id=employer.organisation_id
        )
        if employer.organisation_id is None:
            employer.organisation_id = membership.organisation_id
            employer.save(update_fields=["organisation", "updated_at"])
        audit(actor, AuditVerb.INVITED, employer, invited=email)
    return Invitation(membership, invitation_path(user))


def invited_user(uidb64: str, token: str) -> Any | None:
    """The invited user the link is for, or None when the link is wrong or already used."""
    User = get_user_model()
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return user if default_token_generator.check_token(user, token) else None
