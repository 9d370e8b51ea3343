from __future__ import annotations

from django.db.models import QuerySet

from .models import Membership, Organisation, OrganisationKind, Role


def memberships_for_user(*, user) -> QuerySet[Membership]:  # noqa: ANN001
    return Membership.objects.filter(user=user, archived_at__isnull=True, user__is_active=True).select_related(
        "organisation", "user"
    )


def membership_for_session(*, user, membership_id: str | None) -> Membership | None:  # noqa: ANN001
    """The membership the user chose to act in, or their first one. Never another user's."""
    memberships = memberships_for_user(user=user)
    if membership_id:
        try:
            chosen = memberships.filter(pk=membership_id).first()
        except (ValueError, TypeError):
            chosen = None
        if chosen is not None:
            return chosen
    return memberships.order_by("organisation__name", "role").first()


def delivery_partners() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.DELIVERY_PARTNER, archived_at__isnull=True)


def advisers_for(*, organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(
        organisation=organisation,
        role=Role.PERSONAL_ADVISER,
        archived_at__isnull=True,
        user__is_active=True,
    ).select_related("user")
