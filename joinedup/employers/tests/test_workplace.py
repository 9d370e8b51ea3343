from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from joinedup.core.errors import DomainError, NotPermitted
from joinedup.directory.selectors import published_services
from joinedup.employers.models import AccessToWork, AdviceRequest, CharterAnswer, CharterAssessment
from joinedup.employers.placement import PreferencesInput, work_preferences_set
from joinedup.employers.workplace import (
    Answer,
    absence_record,
    access_to_work_set,
    adjustment_record,
    adjustments_reminders,
    advice_answer,
    advice_request,
    assessment_record,
    employer_workplace,
    summarise,
)

pytestmark = pytest.mark.django_db


def _all(level_upto: dict):
    out = []
    for standard in (
        "leadership",
        "attendance",
        "health_safety",
        "mental_health",
        "smoking",
        "physical_activity",
        "healthy_eating",
        "alcohol",
    ):
        for i, level in enumerate(("commitment", "achievement", "excellence")):
            out.append(Answer(standard, level, i < level_upto.get(standard, 1), "policy seen"))
    return out


def test_assessment_levels_per_standard_and_overall(world):
    a = assessment_record(
        actor=world.member,
        employer=world.employer,
        assessed_on=timezone.localdate(),
        answers=_all({"leadership": 3, "mental_health": 2}),
    )
    s = summarise(a)
    by = {r.standard: r.level for r in s.standards}
    assert by["leadership"] == "excellence" and by["mental_health"] == "achievement" and by["smoking"] == "commitment"
    assert s.overall == "Commitment" and s.current
    assert a.valid_until == timezone.localdate().replace(year=timezone.localdate().year + 2)


def test_level_needs_the_levels_below():
    from joinedup.employers.workplace import level_reached

    assert level_reached({("smoking", "achievement"): True}, "smoking") == ""
    assert level_reached({("smoking", "commitment"): True, ("smoking", "excellence"): True}, "smoking") == "commitment"


def test_item_answered_twice_refused_nothing_saved(world):
    answers = _all({}) + [Answer("leadership", "commitment", False)]
    with pytest.raises(DomainError) as exc:
        assessment_record(
            actor=world.member, employer=world.employer, assessed_on=timezone.localdate(), answers=answers
        )
    assert "Leadership at commitment level is answered twice" in exc.value.message
    assert not CharterAssessment.objects.exists() and not CharterAnswer.objects.exists()


def test_assessment_is_repeatable_and_other_employer_refused(world):
    for days in (400, 0):
        assessment_record(
            actor=world.member,
            employer=world.employer,
            assessed_on=timezone.localdate() - timedelta(days=days),
            answers=_all({}),
        )
    assert len(employer_workplace(employer=world.employer)["assessments"]) == 2
    with pytest.raises(NotPermitted):
        assessment_record(
            actor=world.other_member, employer=world.employer, assessed_on=timezone.localdate(), answers=_all({})
        )


def test_assessment_page_refuses_an_item_posted_twice(client, world):

    client.force_login(world.member.user)
    today = timezone.localdate()
    data = {
        "assessed_on_0": today.day,
        "assessed_on_1": today.month,
        "assessed_on_2": today.year,
        "met-leadership-commitment": ["yes", "no"],
    }
    response = client.post(f"/employers/{world.employer.pk}/assessments/new/", data)
    assert response.status_code == 400 and "answered twice" in response.content.decode()
    assert not CharterAssessment.objects.exists()
    data["met-leadership-commitment"] = "yes"
    assert client.post(f"/employers/{world.employer.pk}/assessments/new/", data).status_code == 302
    page = client.get(f"/employers/{world.employer.pk}/").content.decode()
    assert "<svg" in page and "Level reached per standard" in page


def test_self_assessment_page_links_its_print_stylesheet(client, world):
    assessment_record(actor=world.member, employer=world.employer, assessed_on=timezone.localdate(), answers=_all({}))
    client.force_login(world.member.user)
    page = client.get(f"/employers/{world.employer.pk}/").content.decode()
    head, body = page.split("</head>", 1)
    assert "data-print-styles" in head and "@media print" in head
    print_rules = head.split("@media print", 1)[1]
    for rule in (".govuk-service-navigation", ".govuk-header", "break-before: page", "break-inside: avoid"):
        assert rule in print_rules, rule
    assert 'class="jup-workplace"' in body and "<svg" in body and "govuk-table" in body


def test_advice_request_to_a_directory_provider_tracked_to_the_answer(world):
    provider = published_services().first()
    assert provider is not None
    req = advice_request(
        actor=world.member,
        employer=world.employer,
        provider_id=provider.pk,
        question="How do we support a phased return after back surgery?",
        about_employee=True,
        urgency="soon",
    )
    assert req.status == "sent" and req.response_days is None
    with pytest.raises(NotPermitted):
        advice_answer(actor=world.member, request=req, answer="x")  # the employer does not answer its own question
    req = advice_answer(actor=world.p.adviser_a, request=req, answer="Agree a phased return plan with the GP fit note.")
    assert req.status == "answered" and req.response_days == 0
    with pytest.raises(DomainError):
        advice_request(
            actor=world.member,
            employer=world.employer,
            provider_id="not-a-uuid",
            question="q",
            about_employee=False,
            urgency="routine",
        )
    assert AdviceRequest.objects.count() == 1


def test_sickness_absence_over_time(world):
    today = timezone.localdate()
    absence_record(
        actor=world.member,
        employer=world.employer,
        period_start=today - timedelta(days=90),
        period_end=today - timedelta(days=1),
        days_lost=Decimal("30"),
        headcount=20,
    )
    with pytest.raises(DomainError):
        absence_record(
            actor=world.member,
            employer=world.employer,
            period_start=today - timedelta(days=90),
            period_end=today - timedelta(days=1),
            days_lost=Decimal("3"),
            headcount=20,
        )
    with pytest.raises(DomainError) as exc:
        absence_record(
            actor=world.member,
            employer=world.employer,
            period_start=today,
            period_end=today,
            days_lost=Decimal("30"),
            headcount=2,
        )
    assert exc.value.field == "days_lost"
    [(row, per)] = employer_workplace(employer=world.employer)["absences"]
    assert per == Decimal("1.5")


def test_adjustments_and_access_to_work_with_the_four_week_reminder(world):
    p = world.p
    job = world.job
    type(job).objects.filter(pk=job.pk).update(start_date=timezone.localdate() - timedelta(weeks=5))
    job.refresh_from_db()
    work_preferences_set(actor=p.adviser_a, case=world.case, data=PreferencesInput(adjustments_needed=["equipment"]))
    assert [j.pk for j in adjustments_reminders(actor=p.adviser_a)] == [job.pk]
    assert adjustments_reminders(actor=p.adviser_b) == []
    adjustment_record(
        actor=p.adviser_a, job=job, kind="equipment", description="Sit-stand desk", who_pays="access_to_work"
    )
    assert [j.pk for j in adjustments_reminders(actor=p.adviser_a)] == [job.pk]  # agreed, not in place
    with pytest.raises(DomainError):
        access_to_work_set(actor=p.adviser_a, job=job, status="awarded", elements=[], applied_on=timezone.localdate())
    access_to_work_set(
        actor=p.adviser_a,
        job=job,
        status="awarded",
        elements=["equipment"],
        applied_on=timezone.localdate() - timedelta(days=20),
        decided_on=timezone.localdate(),
    )
    assert AccessToWork.objects.get().elements == ["equipment"]
    assert adjustments_reminders(actor=p.adviser_a) == []
    with pytest.raises(NotPermitted):
        adjustment_record(actor=p.adviser_b, job=job, kind="hours", description="x", who_pays="employer")
