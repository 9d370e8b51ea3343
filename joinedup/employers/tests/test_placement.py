from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from joinedup.audit.models import AuditEvent
from joinedup.cases.models import JobStart
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.employers.invitations import employer_invite
from joinedup.employers.models import JobStartLink, Nomination, ShareConsent, WorkPreferences
from joinedup.employers.placement import (
    PreferencesInput,
    allowed_moves,
    job_start_from_vacancy,
    nomination_update,
    put_forward,
    share_consent_withdraw,
    work_preferences_set,
)
from joinedup.employers.portal import candidate_for_employer, candidates_for_employer
from joinedup.outcomes.models import MonthlyTally
from joinedup.outcomes.selectors import tallies_differences
from joinedup.testkit.employers import employer, employer_member, vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(partnership):
    p = partnership
    case = p.enrol(p.assign(p.refer(given_name="Asha", family_name="Khan")))
    work_preferences_set(actor=p.adviser_a, case=case, data=PreferencesInput(adjustments_needed=["hours"]))
    e = employer(p.adviser_a)
    v = vacancy(p.adviser_a, e)
    member = employer_member(e)
    return case, e, v, member


def _forward(p, case, v, **kw):
    values: dict[str, Any] = {"consent_given": True, "expires_on": timezone.localdate() + timedelta(days=90)}
    values.update(kw)
    return put_forward(actor=p.adviser_a, case=case, vacancy=v, **values)


def test_put_forward_needs_consent_and_a_sensible_expiry(partnership, setup):
    case, _e, v, _m = setup
    for kw, field in (
        ({"consent_given": False}, "consent_given"),
        ({"expires_on": timezone.localdate()}, "expires_on"),
        ({"expires_on": timezone.localdate() + timedelta(days=400)}, "expires_on"),
    ):
        with pytest.raises(DomainError) as exc:
            _forward(partnership, case, v, **kw)
        assert exc.value.field == field
    assert not Nomination.objects.exists() and not ShareConsent.objects.exists()
    with pytest.raises(NotPermitted):
        put_forward(
            actor=partnership.adviser_b,
            case=case,
            vacancy=v,
            consent_given=True,
            expires_on=timezone.localdate() + timedelta(days=9),
        )


def test_put_forward_twice_returns_the_first(partnership, setup):
    case, _e, v, _m = setup
    first = _forward(partnership, case, v)
    assert _forward(partnership, case, v) == first
    assert Nomination.objects.count() == 1 and ShareConsent.objects.count() == 1
    assert first.consent.purpose.startswith("To share their details with Sherwood Care Ltd")
    assert MonthlyTally.objects.get(measure="put_forward").n == 1


def test_put_forward_again_after_consent_withdrawn_shares_again(partnership, setup):
    """A fresh consent, after the first was withdrawn, is recorded and the employer sees the person
    again (it was silently dropped: the first nomination came back with its withdrawn consent)."""
    case, _e, v, member = setup
    first = _forward(partnership, case, v)
    share_consent_withdraw(actor=partnership.adviser_a, consent=first.consent)
    assert candidates_for_employer(actor=member) == []
    again = _forward(partnership, case, v, shares_contact=True)
    assert again.pk == first.pk and again.consent_id != first.consent_id
    assert Nomination.objects.count() == 1 and ShareConsent.objects.count() == 2
    assert ShareConsent.objects.get(pk=first.consent_id).withdrawn_at is not None
    [c] = candidates_for_employer(actor=member)
    assert c.shares_contact
    assert MonthlyTally.objects.get(measure="put_forward").n == 1
    assert AuditEvent.objects.filter(verb="put_forward", person_id=case.person_id).count() == 2


def test_employer_sees_only_what_was_consented_while_in_force_audited(partnership, setup):
    case, e, v, member = setup
    n = _forward(partnership, case, v, shares_contact=False, shares_adjustments=True)
    [c] = candidates_for_employer(actor=member)
    assert (c.name, c.email, c.phone) == ("Asha Khan", "", "")
    assert c.adjustments == ("Hours (for example shorter or later hours)",)
    viewed = AuditEvent.objects.filter(verb="viewed", person_id=case.person_id, organisation=member.organisation)
    assert viewed.count() == 1
    candidate_for_employer(actor=member, pk=n.pk)
    assert viewed.count() == 2
    share_consent_withdraw(actor=partnership.adviser_a, consent=n.consent)
    assert candidates_for_employer(actor=member) == []
    with pytest.raises(Http404):
        candidate_for_employer(actor=member, pk=n.pk)


def test_employer_list_reads_each_person_without_a_query_each(partnership, setup):
    """The portal's list reads in the same number of queries for one person as for two (no N+1 on
    the adjustments shared); only the audit rows, one a person, grow."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case, _e, v, member = setup
    _forward(partnership, case, v, shares_adjustments=True)

    def reads() -> int:
        with CaptureQueriesContext(connection) as ctx:
            candidates_for_employer(actor=member)
        return sum(1 for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith("INSERT"))

    one = reads()
    other = partnership.enrol(partnership.assign(partnership.refer(given_name="Ben", family_name="Ode")))
    work_preferences_set(actor=partnership.adviser_a, case=other, data=PreferencesInput(adjustments_needed=["hours"]))
    _forward(partnership, other, v, shares_adjustments=True)
    assert len(candidates_for_employer(actor=member)) == 2
    assert reads() == one


def test_employer_cannot_read_a_person_after_consent_expires(partnership, setup):
    case, _e, v, member = setup
    n = _forward(partnership, case, v)
    ShareConsent.objects.filter(pk=n.consent_id).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert candidates_for_employer(actor=member) == []
    with pytest.raises(Http404):
        candidate_for_employer(actor=member, pk=n.pk)


def test_employer_a_cannot_see_employer_b_candidates(partnership, setup):
    case, _e, v, member_a = setup
    n = _forward(partnership, case, v)
    other = employer(partnership.adviser_a, name="Other Employer Ltd", postcode="NG19 7AA")
    member_b = employer_member(other, email="b@other.example")
    assert candidates_for_employer(actor=member_b) == []
    with pytest.raises(Http404):
        candidate_for_employer(actor=member_b, pk=n.pk)


def test_nomination_moves(partnership, setup):
    case, _e, v, _m = setup
    n = _forward(partnership, case, v)
    n = nomination_update(actor=partnership.adviser_a, nomination=n, status="interview")
    with pytest.raises(DomainError):
        nomination_update(actor=partnership.adviser_a, nomination=n, status="put_forward")
    with pytest.raises(DomainError):
        nomination_update(actor=partnership.adviser_a, nomination=n, status="started")  # only by a job start
    with pytest.raises(NotPermitted):
        nomination_update(actor=partnership.adviser_b, nomination=n, status="offer")


def test_job_start_from_vacancy_carries_employer_and_role(partnership, setup):
    case, e, v, _m = setup
    n = _forward(partnership, case, v)
    job = job_start_from_vacancy(
        actor=partnership.adviser_a, case=case, vacancy=v, start_date=timezone.localdate(), hours_per_week=Decimal("20")
    )
    assert (job.employer_name, job.job_title, job.hourly_pay) == (
        "Sherwood Care Ltd",
        "Care assistant",
        Decimal("12.80"),
    )
    link = JobStartLink.objects.get()
    assert link.vacancy == v and link.nomination == n
    n.refresh_from_db()
    assert n.status == "started"
    assert MonthlyTally.objects.get(measure="vacancy_starts").n == 1
    assert MonthlyTally.objects.get(measure="job_starts").n == 1
    assert tallies_differences() == []
    # The same again is refused by cases' duplicate check, and nothing is half-saved.
    with pytest.raises(DomainError):
        job_start_from_vacancy(
            actor=partnership.adviser_a,
            case=case,
            vacancy=v,
            start_date=timezone.localdate(),
            hours_per_week=Decimal("20"),
        )
    assert JobStart.objects.count() == 1 and JobStartLink.objects.count() == 1


def test_invite_only_by_the_owning_partners_manager(partnership, setup):
    _case, e, _v, _m = setup
    for actor in (partnership.adviser_a, partnership.adviser_b, partnership.programme):
        with pytest.raises(NotPermitted):
            employer_invite(actor=actor, employer=e, email="x@example.com")
    with pytest.raises(DomainError) as exc:
        employer_invite(actor=partnership.manager_a, employer=e, email="not an email")
    assert exc.value.field == "email"
    inv = employer_invite(actor=partnership.manager_a, employer=e, email="second@employer.example")
    assert inv.membership.organisation_id == e.organisation_id
    assert inv.path.startswith("/employers/invitation/")


def test_employer_moves_only_its_own_steps_while_consent_is_in_force(partnership, setup):
    case, e, v, member = setup
    n = _forward(partnership, case, v)
    assert allowed_moves(n, actor=member) == ["interview", "not_successful", "offer"]
    nomination_update(actor=member, nomination=n, status="interview")
    n.refresh_from_db()
    assert n.status == "interview"
    moved = AuditEvent.objects.get(verb="status_changed", person_id=case.person_id)
    assert moved.organisation == member.organisation and moved.payload["after"] == "interview"
    # "Withdrew" and "started" stay the adviser's.
    for status in ("withdrew", "started"):
        with pytest.raises(DomainError):
            nomination_update(actor=member, nomination=n, status=status)
    n.refresh_from_db()
    assert n.status == "interview"
    # Another employer's people cannot move it.
    other = employer_member(employer(partnership.adviser_a, name="Other Ltd", postcode="NG19 7AA"), email="o@x.example")
    with pytest.raises(NotPermitted):
        nomination_update(actor=other, nomination=n, status="offer")
    # The adviser withdraws them; the employer sees the withdrawal while the consent lasts.
    nomination_update(actor=partnership.adviser_a, nomination=n, status="withdrew")
    [c] = candidates_for_employer(actor=member)
    assert c.status_label == "Withdrew"
    # Not after the consent ends.
    n2 = _forward(partnership, case, vacancy(partnership.adviser_a, e, title="Cleaner"))
    share_consent_withdraw(actor=partnership.adviser_a, consent=n2.consent)
    with pytest.raises(NotPermitted):
        nomination_update(actor=member, nomination=n2, status="interview")
    n2.refresh_from_db()
    assert n2.status == "put_forward"


def test_erasure_keeps_employer_share_consents_and_reaches_every_employer_row(partnership, setup):
    from joinedup.governance.erasure import person_erase
    from joinedup.governance.models import Erasure, ErasureTrigger
    from joinedup.governance.subject_access import subject_access_build
    from joinedup.people.records import HELD, REGISTRY, undeclared_held

    case, _e, v, member = setup
    n = _forward(partnership, case, v)
    # Every employers model holding a person's record is declared (kept, moved, anonymised or deleted).
    declared = {r.model._meta.label for r in REGISTRY.values()} | {r.model._meta.label for r in HELD.values()}
    for label in ("ShareConsent", "Nomination", "WorkPreferences", "TravelArea", "Adjustment", "AccessToWork",
                  "JobStartLink"):  # fmt: skip
        assert f"employers.{label}" in declared
    assert [u for u in undeclared_held() if u.startswith("employers.")] == []
    export = subject_access_build(person=case.person)
    [consents] = [s for s in export.sections if s.key == "employer_consents"]
    assert len(consents.rows) == 1
    person_erase(person=case.person, trigger=ErasureTrigger.REQUEST)
    done = Erasure.objects.get(person=case.person).done
    assert done["employer_consents"]["action"] == "keep"
    assert ShareConsent.objects.filter(pk=n.consent_id).exists()  # never deleted
    assert Nomination.objects.filter(pk=n.pk).exists()
    assert not WorkPreferences.objects.filter(case=case).exists()


def test_erasure_ends_share_consents_so_the_employer_sees_nothing(partnership, setup, client):
    from joinedup.governance.erasure import person_erase
    from joinedup.governance.models import ErasureTrigger

    case, _e, v, member = setup
    n = _forward(partnership, case, v, shares_contact=True)
    assert [c.nomination_id for c in candidates_for_employer(actor=member)] == [n.pk]
    person_erase(person=case.person, trigger=ErasureTrigger.REQUEST)
    consent = ShareConsent.objects.get(pk=n.consent_id)
    assert not consent.in_force()
    assert candidates_for_employer(actor=member) == []
    with pytest.raises(Http404):
        candidate_for_employer(actor=member, pk=n.pk)
    with pytest.raises(NotPermitted):
        nomination_update(actor=member, nomination=n, status="interview")
    # The candidate page is a 404 for the employer's own sign-in too.
    client.force_login(member.user)
    assert client.get(f"/employers/portal/candidates/{n.pk}/").status_code == 404
