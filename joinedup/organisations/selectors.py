from __future__ import annotations

from django.db.models import QuerySet

from joinedup.core.compiled import CompiledQuery

from .models import Membership, Organisation, OrganisationKind, Role


def memberships_for_user(*, user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, archived_at__isnull=True, user__is_active=True).select_related(
        "organisation", "user"
    )


def memberships_in_order(*, user) -> list[Membership]:
    """The user's active memberships, by organisation name and role (the order the switcher shows),
    with their user and organisation. Every signed-in request makes this read, so its SQL is built
    once (`CompiledQuery`, decision 011). `user` is a user or their primary key."""
    return _memberships_in_order(user=getattr(user, "pk", user))


_memberships_in_order = CompiledQuery(
    lambda user: memberships_for_user(user=user).order_by("organisation__name", "role"),
    user=Membership._meta.get_field("user"),
)


def memberships_for_session(*, user, membership_id: str | None) -> tuple[Membership | None, list[Membership]]:
    """The membership the user chose to act in (or their first one; never another user's), and all
    of theirs, by organisation name and role. No query when sign-in read them with the user
    (`backends.MembershipBackend`), else one."""
    memberships = getattr(user, "_memberships", None)
    if memberships is None:
        memberships = memberships_in_order(user=user)
    chosen = next((m for m in memberships if membership_id and str(m.pk) == str(membership_id)), None)
    return (chosen or (memberships[0] if memberships else None)), memberships


def delivery_partners() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.DELIVERY_PARTNER, archived_at__isnull=True)


def advisers_for(*, organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(
        organisation=organisation,
        role=Role.PERSONAL_ADVISER,
        archived_at__isnull=True,
        user__is_active=True,
    ).select_related("user")


def organisation_names(*, ids: list) -> dict:
    """Organisations' names by id (for counts by partner that name no person)."""
    return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))


def organisation_kind_choices() -> list[tuple[str, str]]:
    """Every kind of organisation as (code, words), for another app's choices (the directory's rules
    say which kinds of organisation may refer)."""
    return list(OrganisationKind.choices)
