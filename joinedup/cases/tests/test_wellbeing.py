"""Wellbeing measures and the next step: recorded through services (one audit event, nothing half-saved),
shown on the case page with change over time, scoped by organisation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.cases.enrolment.services import case_next_step_set
from joinedup.cases.wellbeing.models import WellbeingMeasure
from joinedup.cases.wellbeing.selectors import case_wellbeing
from joinedup.cases.wellbeing.services import wellbeing_record
from joinedup.core.errors import DomainError, NotPermitted

from .test_services import backdate
from .test_views import day, summary


def today():
    return timezone.localdate()


@pytest.fixture
def case(partnership):
    return partnership.enrol(partnership.assign(backdate(partnership.refer(), 100)), days_ago=60)


def record(case, actor, **overrides):
    values = {
        "instrument": "swemwbs",
        "answers": [3, 3, 3, 3, 3, 3, 3],
        "recorded_on": today(),
        "timepoint": "start",
    }
    values.update(overrides)
    return wellbeing_record(case=case, actor=actor, **values)


def counts() -> tuple[int, int]:
    return WellbeingMeasure.objects.count(), AuditEvent.objects.count()


def test_a_measure_is_scored_saved_and_audited_once(partnership, case):
    before = counts()
    m = record(case, partnership.adviser_a, answers=[1, 2, 3, 4, 5, 1, 2])
    assert counts() == (before[0] + 1, before[1] + 1)
    m.refresh_from_db()
    assert (m.total, m.converted, m.answers) == (18, Decimal("17.43"), [1, 2, 3, 4, 5, 1, 2])
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.verb, event.target_id, event.person_id) == (AuditVerb.WELLBEING_RECORDED, str(m.pk), case.person_id)
    assert event.payload["instrument"] == "swemwbs"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"answers": [3, 3, 3, 3, 3, 3, 6]}, "item_7"),
        ({"answers": [3, 3]}, "answers"),
        ({"instrument": "nope"}, "instrument"),
        ({"timepoint": "later"}, "timepoint"),
        ({"recorded_on": timezone.localdate() + timedelta(days=1)}, None),
        ({"recorded_on": timezone.localdate() - timedelta(days=61)}, "recorded_on"),
    ],
)
def test_bad_measures_are_refused_and_nothing_is_saved(partnership, case, overrides, field):
    before = counts()
    with pytest.raises(DomainError) as exc:
        record(case, partnership.adviser_a, **overrides)
    assert exc.value.field == field
    assert counts() == before


@pytest.mark.parametrize("who", ["adviser_b", "referrer", "programme", "analyst", "admin"])
def test_only_the_case_organisation_may_record(partnership, case, who):
    before = counts()
    with pytest.raises(NotPermitted):
        record(case, getattr(partnership, who))
    assert counts() == before


def test_change_over_time_per_instrument_and_per_ons4_question(partnership, case):
    a = partnership.adviser_a
    record(case, a, answers=[2] * 7, recorded_on=today() - timedelta(days=50))  # raw 14 -> 15.32
    record(case, a, answers=[4] * 7, recorded_on=today(), timepoint="review")  # raw 28 -> 25.03
    record(case, a, instrument="phq9", answers=[2] * 9, recorded_on=today() - timedelta(days=50))  # 18
    record(case, a, instrument="phq9", answers=[1] * 9, recorded_on=today(), timepoint="review")  # 9
    record(case, a, instrument="ons4", answers=[3, 4, 5, 8], recorded_on=today() - timedelta(days=50))
    record(case, a, instrument="ons4", answers=[7, 7, 7, 2], recorded_on=today(), timepoint="exit")
    series = {s.name: s for s in case_wellbeing(case=case)}
    swemwbs = next(s for n, s in series.items() if n.startswith("Short Warwick"))
    assert [p.value for p in swemwbs.points] == [Decimal("15.32"), Decimal("25.03")]
    assert swemwbs.change == Decimal("9.71") and swemwbs.improved is True
    phq = next(s for n, s in series.items() if "PHQ-9" in n)
    assert [p.band for p in phq.points] == ["Moderately severe", "Mild"]
    assert phq.change == -9 and phq.improved is True  # lower is better
    anxiety = series["ONS4: Anxiety"]
    assert [p.value for p in anxiety.points] == [8, 2] and anxiety.improved is True
    assert [p.band for p in anxiety.points] == ["High", "Low"]
    assert series["ONS4: Life satisfaction"].change == 4
    assert phq.scale == "0 to 27" and phq.better == "Lower scores are better"
    assert swemwbs.scale == "7 to 35" and swemwbs.better == "Higher scores are better"


def test_next_step_is_saved_and_audited(partnership, case):
    before = AuditEvent.objects.count()
    review = today() + timedelta(days=14)
    case_next_step_set(case=case, actor=partnership.adviser_a, next_action="  Apply to Boots ", next_review_on=review)
    case.refresh_from_db()
    assert (case.next_action, case.next_review_on) == ("Apply to Boots", review)
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-id").first().verb == AuditVerb.NEXT_STEP_SET
    with pytest.raises(DomainError, match="before the person was enrolled"):
        case_next_step_set(
            case=case, actor=partnership.adviser_a, next_action="x", next_review_on=today() - timedelta(days=90)
        )
    with pytest.raises(NotPermitted):
        case_next_step_set(case=case, actor=partnership.adviser_b, next_action="x", next_review_on=None)
    case.refresh_from_db()
    assert case.next_action == "Apply to Boots"
    assert AuditEvent.objects.count() == before + 1


# Pages -----------------------------------------------------------------------------------------


@pytest.fixture
def adviser(client, partnership):
    client.force_login(partnership.adviser_a.user)
    return client


def test_the_form_records_a_questionnaire_and_the_case_page_shows_it(adviser, case):
    page = adviser.get(f"/cases/{case.pk}/wellbeing/gad7/")
    assert page.status_code == 200
    assert "Not being able to stop or control worrying" in page.content.decode()
    data = {f"item_{n}": "2" for n in range(1, 8)} | day("recorded_on", today()) | {"timepoint": "start"}
    response = adviser.post(f"/cases/{case.pk}/wellbeing/gad7/", data)
    assert response.status_code == 302
    m = WellbeingMeasure.objects.get()
    assert (m.total, m.band) == (14, "Moderate")
    page = adviser.get(f"/cases/{case.pk}/").content.decode()
    assert "Generalised Anxiety Disorder scale (GAD-7), total" in page
    assert 'data-chart="wellbeing-generalised-anxiety-disorder-scale-gad-7-total"' in page and "Moderate" in page


def test_the_form_refuses_a_missing_answer_plainly(adviser, case):
    data = {f"item_{n}": "2" for n in range(1, 7)} | day("recorded_on", today()) | {"timepoint": "start"}
    data["item_3"] = "9"
    response = adviser.post(f"/cases/{case.pk}/wellbeing/swemwbs/", data)
    assert response.status_code == 400
    text = summary(response)
    assert "Select an answer to question 7" in text
    assert "The answer to question 3 must be from 1 to 5" in text
    assert WellbeingMeasure.objects.count() == 0


def test_unknown_questionnaire_and_other_partners_case_are_not_found(client, partnership, case):
    client.force_login(partnership.adviser_a.user)
    assert client.get(f"/cases/{case.pk}/wellbeing/wemwbs/").status_code == 404
    client.force_login(partnership.adviser_b.user)
    assert client.get(f"/cases/{case.pk}/wellbeing/swemwbs/").status_code == 404
    assert client.get(f"/cases/{case.pk}/next-step/").status_code == 404
    client.force_login(partnership.referrer.user)
    assert client.get(f"/cases/{case.pk}/wellbeing/swemwbs/").status_code == 403


def test_next_step_form(adviser, case):
    review = today() + timedelta(days=7)
    response = adviser.post(
        f"/cases/{case.pk}/next-step/", {"next_action": "Mock interview", **day("next_review_on", review)}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.next_action, case.next_review_on) == ("Mock interview", review)
    response = adviser.post(f"/cases/{case.pk}/next-step/", {"next_action": "x" * 301})
    assert response.status_code == 400
    assert "Next action must be 300 characters or fewer." in summary(response)


def test_the_case_page_draws_each_score_as_a_line_over_time_with_which_way_is_better(client, partnership, case):
    """Issue 18: a line per score on its own scale, the direction of "better" said (GAD-7 and PHQ-9
    lower, SWEMWBS higher), beside the table of the same scores."""
    from joinedup.core.chart_reading import charts_in, parts, points, words

    a = partnership.adviser_a
    record(case, a, instrument="gad7", answers=[3] * 7, recorded_on=today() - timedelta(days=56))  # 21
    record(case, a, instrument="gad7", answers=[2] * 7, recorded_on=today() - timedelta(days=28), timepoint="review")
    record(case, a, instrument="gad7", answers=[1] * 7, recorded_on=today(), timepoint="exit")  # 7
    record(case, a, answers=[2] * 7, recorded_on=today() - timedelta(days=56))
    record(case, a, answers=[4] * 7, recorded_on=today(), timepoint="review")
    client.force_login(a.user)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    charts = charts_in(page, "wellbeing-")
    assert len(charts) == 2
    gad = next(c for k, c in charts.items() if "gad-7" in k)
    swemwbs = next(c for k, c in charts.items() if "swemwbs" in k)
    assert "Lower scores are better" in words(gad) and "21" in words(gad)  # its own scale, 0 to 21
    assert "Higher scores are better" in words(swemwbs)
    line = points(parts(gad, "polyline")[0])
    assert len(line) == 3  # one point a questionnaire, oldest first
    (x0, y0), (x1, y1), (x2, y2) = line
    assert y0 < y1 < y2  # falling scores: 21, 14, 7
    assert abs((x1 - x0) - (x2 - x1)) < 0.5  # placed by date: four weeks apart each time
    assert 'data-testid="wellbeing-1"' in page and 'data-testid="wellbeing-2"' in page  # the tables too
    assert "jup-bar" not in page
