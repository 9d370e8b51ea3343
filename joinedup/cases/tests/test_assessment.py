"""Assessment of barriers and strengths: every area rated, repeatable, change over time shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.cases.wellbeing.models import AreaRating, Assessment, AssessmentArea
from joinedup.cases.wellbeing.selectors import case_assessments
from joinedup.cases.wellbeing.services import assessment_record
from joinedup.core.errors import DomainError, NotPermitted

from .test_services import backdate
from .test_views import day, summary


def today():
    return timezone.localdate()


@pytest.fixture
def case(partnership):
    return partnership.enrol(partnership.assign(backdate(partnership.refer(), 100)), days_ago=60)


def all_rated(value: int = 3, **overrides: int) -> dict[str, int]:
    return {area: overrides.get(area, value) for area in AssessmentArea.values}


def counts() -> tuple[int, int, int]:
    return Assessment.objects.count(), AreaRating.objects.count(), AuditEvent.objects.count()


def test_an_assessment_rates_every_area_with_one_audit_event(partnership, case):
    before = counts()
    a = assessment_record(
        case=case, actor=partnership.adviser_a, assessed_on=today(), ratings=all_rated(), summary=" Hi "
    )
    assert counts() == (before[0] + 1, before[1] + 12, before[2] + 1)
    assert a.summary == "Hi"
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.verb, event.target_id, event.person_id) == (AuditVerb.ASSESSMENT_RECORDED, str(a.pk), case.person_id)


@pytest.mark.parametrize(
    ("ratings", "field", "message"),
    [
        ({k: v for k, v in all_rated().items() if k != "housing"}, "housing", "Rate housing."),
        (all_rated(money=6), "money", "The rating for money and debt must be from 1 to 5."),
        (all_rated(digital=0), "digital", "must be from 1 to 5"),
        (all_rated(transport="3"), "transport", "must be from 1 to 5"),
        ({**all_rated(), "astrology": 3}, None, "Unknown assessment area: astrology."),
    ],
)
def test_bad_ratings_are_refused_and_nothing_is_saved(partnership, case, ratings, field, message):
    before = counts()
    with pytest.raises(DomainError) as exc:
        assessment_record(case=case, actor=partnership.adviser_a, assessed_on=today(), ratings=ratings)
    assert (exc.value.field, message in exc.value.message) == (field, True)
    assert counts() == before


def test_dates_and_scope(partnership, case):
    before = counts()
    with pytest.raises(DomainError, match="today or in the past"):
        assessment_record(
            case=case, actor=partnership.adviser_a, assessed_on=today() + timedelta(days=1), ratings=all_rated()
        )
    with pytest.raises(DomainError, match="before the person was enrolled"):
        assessment_record(
            case=case, actor=partnership.adviser_a, assessed_on=today() - timedelta(days=61), ratings=all_rated()
        )
    with pytest.raises(NotPermitted):
        assessment_record(case=case, actor=partnership.adviser_b, assessed_on=today(), ratings=all_rated())
    assert counts() == before


def test_repeated_assessments_show_change_by_area(partnership, case):
    a = partnership.adviser_a
    assessment_record(case=case, actor=a, assessed_on=today() - timedelta(days=50), ratings=all_rated(2, housing=1))
    assessment_record(case=case, actor=a, assessed_on=today() - timedelta(days=20), ratings=all_rated(3))
    assessment_record(case=case, actor=a, assessed_on=today(), ratings=all_rated(3, housing=5, offending=1))
    history = case_assessments(case=case)
    assert [x.assessed_on for x in history.assessments] == sorted(x.assessed_on for x in history.assessments)
    rows = {r.area: r for r in history.areas}
    assert rows["housing"].ratings == [1, 3, 5] and rows["housing"].change == 4
    assert rows["offending"].change == -1 and rows["health"].change == 1
    assert rows["housing"].labels == ["Major barrier", "Some difficulty", "A strength"]
    assert [r.label for r in history.areas][:3] == ["Health", "Wellbeing", "Confidence"]


def test_the_form_and_the_case_page(client, partnership, case):
    client.force_login(partnership.adviser_a.user)
    assert client.get(f"/cases/{case.pk}/assessments/new/").status_code == 200
    data = dict.fromkeys(AssessmentArea.values, "2") | day("assessed_on", today())
    del data["digital"]
    response = client.post(f"/cases/{case.pk}/assessments/new/", data)
    assert response.status_code == 400
    assert "Rate digital access" in summary(response)
    assert Assessment.objects.count() == 0
    data["digital"] = "5"
    assert client.post(f"/cases/{case.pk}/assessments/new/", data).status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="assessments"' in page and "Digital access" in page and "A strength" in page
    client.force_login(partnership.adviser_b.user)
    assert client.get(f"/cases/{case.pk}/assessments/new/").status_code == 404
