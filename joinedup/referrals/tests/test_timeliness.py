"""Timeliness: working days, overdue queues, partners' responsiveness, the page, and query counts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from joinedup.cases.services import contact_record
from joinedup.core.errors import NotPermitted
from joinedup.referrals.models import Referral, ReferralStatusChange
from joinedup.referrals.services import referral_decline
from joinedup.referrals.timeliness import (
    is_working_day,
    overdue_cutoff,
    overdue_queues,
    responsiveness_by_partner,
    working_days_between,
)
from joinedup.testkit import OrganisationFactory

THU = date(2026, 11, 26)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


# --- Working days ------------------------------------------------------------------------------


def test_weekends_and_bank_holidays_are_not_working_days() -> None:
    assert is_working_day(date(2026, 11, 27))  # a Friday
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day falls on a Saturday: the Monday is the holiday
    assert not is_working_day(date(2026, 4, 3)) and not is_working_day(date(2026, 4, 6))  # Easter


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 23), THU, 3),  # Monday to Thursday
        (THU, THU, 0),
        (THU, date(2026, 11, 20), 0),  # backwards
        (date(2026, 11, 27), date(2026, 11, 30), 1),  # Friday to Monday: the weekend does not count
        (date(2026, 4, 2), date(2026, 4, 7), 1),  # over Easter
        (date(2026, 12, 24), date(2026, 12, 29), 1),  # over Christmas
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert working_days_between(start, end) == expected


def test_overdue_cutoff_counts_back_working_days() -> None:
    # On Thursday, more than 2 working days old means received on Monday or before.
    assert overdue_cutoff(2, today=THU) == at(date(2026, 11, 24), 0)
    # On a Monday, 2 working days back skips the weekend: received the Wednesday before or earlier.
    assert overdue_cutoff(2, today=date(2026, 11, 30)) == at(date(2026, 11, 26), 0)


# --- Overdue queues ----------------------------------------------------------------------------


def received_on(partnership, day: date, **kwargs) -> Referral:
    referral = partnership.refer(**kwargs)
    Referral.objects.filter(pk=referral.pk).update(created_at=at(day), status_changed_at=at(day))
    referral.refresh_from_db()
    return referral


def routed_on(partnership, day: date, *, partner=None, adviser=None) -> Referral:
    """Sent to a delivery partner on `day`, which has not accepted or declined it since."""
    from joinedup.referrals.services import referral_route

    referral = referral_route(
        referral=received_on(partnership, day - timedelta(days=1)),
        actor=partnership.programme,
        delivery_partner=partner or partnership.partner_a,
    )
    Referral.objects.filter(pk=referral.pk).update(status_changed_at=at(day))
    ReferralStatusChange.objects.filter(referral=referral, to_status="routed").update(at=at(day))
    referral.refresh_from_db()
    return referral


@pytest.mark.django_db
def test_overdue_queues_for_the_programme_manager(partnership) -> None:
    late = received_on(partnership, date(2026, 11, 23))  # Monday: 3 working days by Thursday
    received_on(partnership, date(2026, 11, 24))  # Tuesday: 2, not overdue
    stuck = routed_on(partnership, date(2026, 11, 18))  # Wednesday before: 6 working days
    routed_on(partnership, date(2026, 11, 19))  # 5: not overdue
    queues = overdue_queues(actor=partnership.programme, today=THU)
    assert [(r.referral, r.working_days) for r in queues.untriaged] == [(late, 3)]
    assert [(r.referral, r.working_days) for r in queues.undecided] == [(stuck, 6)]
    assert (queues.untriaged_total, queues.undecided_total) == (1, 1)
    assert (queues.triage_days, queues.decision_days) == (2, 5)


@pytest.mark.django_db
@override_settings(TIMELINESS_TRIAGE_WORKING_DAYS=0, TIMELINESS_DECISION_WORKING_DAYS=10)
def test_the_thresholds_are_settings(partnership) -> None:
    received_on(partnership, date(2026, 11, 25))
    routed_on(partnership, date(2026, 11, 18))
    queues = overdue_queues(actor=partnership.programme, today=THU)
    assert queues.untriaged_total == 1 and queues.undecided_total == 0


@pytest.mark.django_db
def test_a_partner_manager_sees_only_their_own_undecided_referrals(partnership) -> None:
    routed_on(partnership, date(2026, 11, 2))
    theirs = routed_on(partnership, date(2026, 11, 2), partner=partnership.partner_b, adviser=partnership.adviser_b)
    queues = overdue_queues(actor=partnership.manager_a, today=THU)
    assert theirs not in [r.referral for r in queues.undecided] and queues.undecided_total == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["referrer", "adviser_a", "analyst", "admin"])
def test_others_may_not_see_the_overdue_queues(partnership, who) -> None:
    with pytest.raises(NotPermitted):
        overdue_queues(actor=getattr(partnership, who))


@pytest.mark.django_db
def test_overdue_queues_take_a_constant_number_of_queries(partnership, django_assert_num_queries) -> None:
    for day in (2, 3, 4):
        received_on(partnership, date(2026, 11, day))
        routed_on(partnership, date(2026, 11, day))
    with django_assert_num_queries(4):
        queues = overdue_queues(actor=partnership.programme, today=THU)
        assert len(queues.untriaged) == 3 and len(queues.undecided) == 3
        [(r.referral.referring_organisation.name, r.referral.delivery_partner) for r in queues.undecided]


# --- Responsiveness ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_responsiveness_by_partner(partnership) -> None:
    p = partnership
    quiet = OrganisationFactory(name="Quiet Partner")
    now = timezone.now()

    def routed(days_before: float, partner=None, adviser=None) -> Referral:
        referral = p.assign(p.refer(), partner=partner, adviser=adviser)
        Referral.objects.filter(pk=referral.pk).update(created_at=now - timedelta(days=days_before))
        ReferralStatusChange.objects.filter(referral=referral, to_status="assigned").update(at=now)
        return referral

    routed(1)
    routed(3)
    declined = routed(2)
    referral_decline(referral=declined, actor=p.manager_a, reason="Outside our area")
    b1 = routed(4, partner=p.partner_b, adviser=p.adviser_b)
    # First contact: enrolled and seen today, four days after the referral was made.
    case = p.enrol(Referral.objects.get(pk=b1.pk), adviser=p.adviser_b)
    contact_record(
        case=case,
        actor=p.adviser_b,
        happened_on=timezone.localdate(),
        channel="phone",
        kind="review",
        duration_minutes=20,
    )
    figures = responsiveness_by_partner(organisation_ids=[p.partner_a.pk, p.partner_b.pk, quiet.pk])
    a, b, q = figures[p.partner_a.pk], figures[p.partner_b.pk], figures[quiet.pk]
    assert (a.routed, a.accepted, a.declined) == (3, 2, 1)
    assert a.acceptance_rate == pytest.approx(2 / 3)
    assert a.median_days_to_accept == 2.0  # 1 and 3 days
    assert a.median_days_to_first_contact is None
    assert (b.accepted, b.declined, b.acceptance_rate, b.median_days_to_accept) == (1, 0, 1.0, 4.0)
    assert b.median_days_to_first_contact == 4
    assert (q.routed, q.acceptance_rate, q.median_days_to_accept) == (0, None, None)
    # `since` limits it to referrals made on or after that day.
    recent = responsiveness_by_partner(
        organisation_ids=[p.partner_a.pk], since=timezone.localdate() - timedelta(days=1)
    )
    assert (recent[p.partner_a.pk].accepted, recent[p.partner_a.pk].declined) == (1, 0)


@pytest.mark.django_db
def test_responsiveness_takes_two_queries_whatever_the_size(partnership, django_assert_num_queries) -> None:
    p = partnership
    ids = [p.partner_a.pk, p.partner_b.pk]
    p.assign(p.refer())
    with django_assert_num_queries(2):
        responsiveness_by_partner(organisation_ids=ids)
    for _ in range(6):
        case = p.enrol(p.assign(p.refer()))
        contact_record(
            case=case,
            actor=p.adviser_a,
            happened_on=timezone.localdate(),
            channel="phone",
            kind="review",
            duration_minutes=5,
        )
        p.assign(p.refer(), partner=p.partner_b, adviser=p.adviser_b)
    with django_assert_num_queries(2):
        figures = responsiveness_by_partner(organisation_ids=ids)
    assert figures[p.partner_a.pk].accepted == 7 and figures[p.partner_b.pk].accepted == 6
    with django_assert_num_queries(0):
        assert responsiveness_by_partner(organisation_ids=[]) == {}


# --- The page ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("programme", 200), ("manager_a", 200), ("referrer", 403), ("adviser_a", 403), ("analyst", 403), ("admin", 403)],
)
def test_who_may_see_the_timeliness_page(client, partnership, who, status) -> None:
    client.force_login(getattr(partnership, who).user)
    assert client.get("/referrals/timeliness/").status_code == status


@pytest.mark.django_db
def test_the_page_shows_queues_and_partners(client, partnership) -> None:
    late = received_on(partnership, timezone.localdate() - timedelta(days=14), given_name="<script>alert(1)</script>")
    partnership.assign(partnership.refer())
    client.force_login(partnership.programme.user)
    html = client.get("/referrals/timeliness/").content.decode()
    assert late.reference in html and "<script>alert(1)</script>" not in html
    assert 'data-partner="Partner A"' in html and 'data-partner="Partner B"' in html
    assert "100%" in html  # Partner A accepted the one routed to it
    assert "/referrals/timeliness/" in client.get("/referrals/triage/").content.decode()
    client.force_login(partnership.manager_a.user)
    html = client.get("/referrals/timeliness/").content.decode()
    assert 'data-partner="Partner A"' in html and 'data-partner="Partner B"' not in html


@pytest.mark.django_db
def test_the_page_counts_the_last_90_days_of_referrals(client, partnership) -> None:
    old = partnership.assign(received_on(partnership, timezone.localdate() - timedelta(days=120)))
    partnership.assign(partnership.refer())
    assert old.delivery_partner == partnership.partner_a
    client.force_login(partnership.programme.user)
    html = client.get("/referrals/timeliness/").content.decode()
    since = timezone.localdate() - timedelta(days=90)
    assert f"since {since.day} {since:%B %Y}" in html
    row = html.split('data-partner="Partner A"')[1].split("</tr>")[0]
    cells = [c.split(">")[-1] for c in row.split("</td>")[:2]]
    assert cells == ["1", "0"]  # accepted: this month's referral, not the one from 120 days ago


def test_working_days_arithmetic_agrees_with_counting_day_by_day() -> None:
    start = date(2025, 12, 20)
    for offset in range(0, 800, 7):
        for extra in range(7):
            end = start + timedelta(days=offset + extra)
            slow = sum(is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))
            assert working_days_between(start, end) == slow, end


@pytest.mark.django_db
def test_one_referrals_timeliness(partnership, django_assert_num_queries) -> None:
    from joinedup.referrals.timeliness import referral_timeliness

    p = partnership
    waiting = received_on(p, date(2026, 11, 23))
    with django_assert_num_queries(2):
        t = referral_timeliness(referral=waiting, today=THU)
    assert (t.waiting_working_days, t.overdue, t.days_to_decision, t.days_to_first_contact) == (3, True, None, None)
    assert referral_timeliness(referral=waiting, today=date(2026, 11, 25)).overdue is False

    referral = p.assign(p.refer())
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - timedelta(days=2))
    referral.refresh_from_db()
    case = p.enrol(referral)
    contact_record(
        case=case,
        actor=p.adviser_a,
        happened_on=timezone.localdate(),
        channel="phone",
        kind="review",
        duration_minutes=5,
    )
    referral.refresh_from_db()
    t = referral_timeliness(referral=referral)
    assert t.days_to_decision == pytest.approx(2, abs=0.01)
    assert t.days_to_first_contact == 2 and t.waiting_working_days is None and t.overdue is False


@pytest.mark.django_db
def test_a_partners_decline_back_to_triage_counts_against_that_partner(partnership) -> None:
    from joinedup.referrals.services import referral_decline, referral_route

    p = partnership
    referral = referral_route(referral=p.refer(), actor=p.programme, delivery_partner=p.partner_a)
    referral_decline(referral=referral, actor=p.manager_a, reason_code="no_capacity")  # back to triage
    referral = referral_route(referral=referral, actor=p.programme, delivery_partner=p.partner_b)
    p.assign(referral, partner=p.partner_b, adviser=p.adviser_b)  # partner B takes it
    figures = responsiveness_by_partner(organisation_ids=[p.partner_a.pk, p.partner_b.pk])
    a, b = figures[p.partner_a.pk], figures[p.partner_b.pk]
    assert (a.routed, a.accepted, a.declined) == (1, 0, 1)
    assert (b.routed, b.accepted, b.declined) == (1, 1, 0)


@pytest.mark.django_db
def test_each_services_responsiveness_is_shown_on_its_public_page(client, partnership) -> None:
    from joinedup.directory.models import Service
    from joinedup.referrals.services import referral_decline, referral_route
    from joinedup.referrals.timeliness import responsiveness_by_service

    p = partnership
    service = Service.objects.filter(lifecycle="published").order_by("name").first()
    page = client.get(f"/directory/services/{service.pk}/")
    assert "No referrals have been decided through this service yet" in page.content.decode()
    # One accepted for the service; one declined back to triage by the partner, then re-routed elsewhere.
    first = referral_route(referral=p.refer(), actor=p.programme, delivery_partner=p.partner_a, service=service)
    p.assign(first)
    second = referral_route(referral=p.refer(), actor=p.programme, delivery_partner=p.partner_a, service=service)
    second = referral_decline(referral=second, actor=p.manager_a, reason_code="no_capacity")
    referral_route(referral=second, actor=p.programme, delivery_partner=p.partner_b)
    figures = responsiveness_by_service(service_ids=[service.pk])[service.pk]
    assert (figures.accepted, figures.declined, figures.decided) == (1, 1, 2)
    page = client.get(f"/directory/services/{service.pk}/")
    assert page.status_code == 200
    assert "1 of 2 referrals accepted (50%)" in page.content.decode()


@pytest.mark.django_db
def test_responsiveness_for_is_scoped_by_role(partnership) -> None:
    from joinedup.core.errors import NotPermitted
    from joinedup.referrals.timeliness import RESPONSIVENESS_WINDOW_DAYS, responsiveness_for

    today = date(2026, 12, 1)
    since, rows = responsiveness_for(actor=partnership.programme, today=today)
    assert since == today - timedelta(days=RESPONSIVENESS_WINDOW_DAYS)
    assert {p.name for p, _ in rows} == {"Partner A", "Partner B"}
    _, own = responsiveness_for(actor=partnership.manager_a, today=today)
    assert [p.name for p, _ in own] == ["Partner A"]
    for outsider in (partnership.referrer, partnership.adviser_a, partnership.analyst):
        with pytest.raises(NotPermitted):
            responsiveness_for(actor=outsider)


@pytest.mark.django_db
def test_a_message_from_the_person_is_not_the_first_contact(partnership) -> None:
    """The person writing in (decision 022) is not the service contacting them: neither the
    referral's own figure nor the partner's median counts it (Contact.objects.by_the_service)."""
    from joinedup.cases.contacts.services import contact_from_person
    from joinedup.referrals.timeliness import referral_timeliness

    p = partnership
    referral = p.assign(p.refer())
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - timedelta(days=3))
    case = p.enrol(Referral.objects.get(pk=referral.pk))
    contact_from_person(case=case, text="When will I hear from you?")
    referral.refresh_from_db()
    assert referral_timeliness(referral=referral).days_to_first_contact is None
    assert (
        responsiveness_by_partner(organisation_ids=[p.partner_a.pk])[p.partner_a.pk].median_days_to_first_contact
        is None
    )
    contact_record(
        case=case,
        actor=p.adviser_a,
        happened_on=timezone.localdate(),
        channel="phone",
        kind="review",
        duration_minutes=5,
    )
    assert referral_timeliness(referral=referral).days_to_first_contact == 3
