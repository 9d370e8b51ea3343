"""The permission model: roles grant scoped permissions, held per organisation.

One table says what each role may do (`ROLE_PERMISSIONS`) and in which kinds of organisation the
role makes sense (`ROLE_ORGANISATION_KINDS`). Every check goes through `has_perm`; every queryset
is scoped by the selectors of its app using the acting membership.
"""

from __future__ import annotations

from enum import StrEnum

from .models import REFERRING_KINDS, Membership, OrganisationKind, Role


class Perm(StrEnum):
    REFERRAL_CREATE = "referral.create"
    REFERRAL_VIEW_ORG = "referral.view_org"  # referrals the organisation made (closed loop)
    REFERRAL_TRIAGE_ORG = "referral.triage_org"  # triage queue; assign to own organisation
    REFERRAL_TRIAGE_ALL = "referral.triage_all"  # triage queue; assign to any delivery partner
    CASE_VIEW_ORG = "case.view_org"  # cases held by the organisation
    CASE_CHANGE_ORG = "case.change_org"
    DASHBOARD_VIEW = "dashboard.view"  # aggregate figures, no personal data
    AUDIT_VIEW = "audit.view"
    DIRECTORY_MANAGE = "directory.manage"  # create, edit, review, publish, withdraw directory services; import
    DIRECTORY_GAPS_VIEW = "directory.view_gaps"  # published provision by area and cohort (no personal data)
    PERSON_MERGE = "person.merge"  # see possible duplicate people anywhere in the partnership; merge, reverse
    JOBS_MANAGE = "jobs.manage"  # the background jobs page: every job's state and error; run a failed one again
    ACCOUNT_MANAGE = "account.manage"  # unlock a locked sign-in, reset a user's two-factor (issue 17)
    # Information governance (issue 17, decision 019).
    RIGHTS_MANAGE = "governance.rights"  # the person's requests (access, rectification, erasure); legal holds
    EXTRACT_MANAGE = "governance.extracts"  # data-sharing agreements and the pseudonymised extracts under them
    AUDIT_REPORT = "audit.report"  # the report of unusual access
    EMPLOYER_VIEW = "employer.view"  # every employer, vacancy and engagement in the partnership (no people)
    EMPLOYER_CHANGE_ORG = "employer.change_org"  # employers the organisation holds: edit, vacancies, engagement
    EMPLOYER_INVITE = "employer.invite"  # invite an employer's people to sign in (employers the org holds)
    EMPLOYER_SELF = "employer.self"  # an employer's own people: their record, vacancies, candidates
    # Programmes and claims (decision 021).
    PROGRAMME_MANAGE = "programme.manage"  # set up programmes, contracts, tariffs, budgets; decide claim batches
    PROGRAMME_VIEW = "programme.view"  # programme figures: ESF returns, performance, costs (no personal data)
    PROGRAMME_PARTICIPANTS = "programme.participants"  # open a figure to the participants behind it; PDS export
    CLAIM_SUBMIT_ORG = "claim.submit_org"  # the organisation's claims: batch, submit, correct, withdraw evidence
    EXPENSE_APPROVE_ORG = "expense.approve_org"  # approve or refuse the organisation's participant expenses
    # Population need and the business case (issue 16, decision 023): figures only, no personal data.
    NEED_VIEW = "need.view"  # the need pages, their exports and the business case
    NEED_WRITE = "need.write"  # edit the business case's narrative sections (saved as dated versions)


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.REFERRER: frozenset({Perm.REFERRAL_CREATE, Perm.REFERRAL_VIEW_ORG}),
    Role.PERSONAL_ADVISER: frozenset(
        {Perm.CASE_VIEW_ORG, Perm.CASE_CHANGE_ORG, Perm.EMPLOYER_VIEW, Perm.EMPLOYER_CHANGE_ORG}
    ),
    Role.PARTNER_MANAGER: frozenset(
        {
            Perm.REFERRAL_TRIAGE_ORG,
            Perm.CASE_VIEW_ORG,
            Perm.CASE_CHANGE_ORG,
            Perm.EMPLOYER_VIEW,
            Perm.EMPLOYER_CHANGE_ORG,
            Perm.EMPLOYER_INVITE,
            Perm.CLAIM_SUBMIT_ORG,
            Perm.EXPENSE_APPROVE_ORG,
        }
    ),
    Role.PROGRAMME_MANAGER: frozenset(
        {
            Perm.REFERRAL_TRIAGE_ALL,
            Perm.DASHBOARD_VIEW,
            Perm.DIRECTORY_MANAGE,
            Perm.DIRECTORY_GAPS_VIEW,
            Perm.PERSON_MERGE,
            Perm.EMPLOYER_VIEW,
            Perm.EMPLOYER_CHANGE_ORG,
            Perm.EMPLOYER_INVITE,
            Perm.PROGRAMME_MANAGE,
            Perm.PROGRAMME_VIEW,
            Perm.PROGRAMME_PARTICIPANTS,
            Perm.NEED_VIEW,
            Perm.NEED_WRITE,
        }
    ),
    Role.ANALYST: frozenset(
        {
            Perm.DASHBOARD_VIEW,
            Perm.DIRECTORY_GAPS_VIEW,
            Perm.EMPLOYER_VIEW,
            Perm.PROGRAMME_VIEW,
            Perm.NEED_VIEW,
            Perm.NEED_WRITE,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            Perm.AUDIT_VIEW,
            Perm.DIRECTORY_MANAGE,
            Perm.JOBS_MANAGE,
            Perm.ACCOUNT_MANAGE,
            Perm.RIGHTS_MANAGE,
            Perm.EXTRACT_MANAGE,
            Perm.AUDIT_REPORT,
        }
    ),
    Role.EMPLOYER: frozenset({Perm.EMPLOYER_SELF}),
}

ROLE_ORGANISATION_KINDS: dict[str, frozenset[str]] = {
    Role.REFERRER: frozenset(REFERRING_KINDS),
    Role.PERSONAL_ADVISER: frozenset({OrganisationKind.DELIVERY_PARTNER}),
    Role.PARTNER_MANAGER: frozenset({OrganisationKind.DELIVERY_PARTNER}),
    Role.PROGRAMME_MANAGER: frozenset({OrganisationKind.LEAD_BODY}),
    Role.ANALYST: frozenset({OrganisationKind.LEAD_BODY, OrganisationKind.EVALUATOR}),
    Role.ADMINISTRATOR: frozenset({OrganisationKind.LEAD_BODY}),
    Role.EMPLOYER: frozenset({OrganisationKind.EMPLOYER}),
}


def has_perm(membership: Membership | None, perm: Perm) -> bool:
    """Whether the acting membership's role grants `perm` (in that membership's organisation)."""
    if membership is None or membership.archived_at is not None:
        return False
    return perm in ROLE_PERMISSIONS.get(membership.role, frozenset())


def user_has_perm(user, perm: Perm, organisation) -> bool:
    """Whether `user` holds `perm` in `organisation` through any of their memberships."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return any(
        has_perm(m, perm)
        for m in Membership.objects.filter(user=user, organisation=organisation, archived_at__isnull=True)
    )


def check_registry() -> None:
    """Start-up check: every role is described, and only with known permissions and kinds."""
    roles = {r.value for r in Role}
    if set(ROLE_PERMISSIONS) != roles or set(ROLE_ORGANISATION_KINDS) != roles:
        raise RuntimeError("Every role needs permissions and organisation kinds declared.")
    kinds = {k.value for k in OrganisationKind}
    for role, role_kinds in ROLE_ORGANISATION_KINDS.items():
        if not role_kinds <= kinds:
            raise RuntimeError(f"Role {role} names an unknown organisation kind.")
