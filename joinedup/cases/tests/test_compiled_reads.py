"""The caseload's reads built once (`CompiledQuery`, decision 011) read exactly what the ORM reads:
every kind of caseload filter and page, the waiting list and the milestone reminders' job starts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.cases.contacts.services import contact_record
from joinedup.cases.enrolment import selectors
from joinedup.cases.enrolment.selectors import CaseloadFilters
from joinedup.cases.enrolment.services import case_next_step_set
from joinedup.cases.tests.test_caseload import new_case
from joinedup.cases.wellbeing import selectors as wellbeing_selectors
from joinedup.cases.work import selectors as work_selectors
from joinedup.core.pagination import with_total
from joinedup.testkit import MembershipFactory, loaded_fields

pytestmark = pytest.mark.django_db


def same(got: list, want: list, relations: tuple[str, ...], annotations: tuple[str, ...]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert loaded_fields(g) == loaded_fields(w)
        for relation in relations:
            g_rel, w_rel = g, w
            for step in relation.split("__"):
                g_rel, w_rel = getattr(g_rel, step), getattr(w_rel, step)
            assert loaded_fields(g_rel) == loaded_fields(w_rel)
        for name in annotations:
            assert getattr(g, name) == getattr(w, name)


@pytest.fixture
def busy(partnership):
    p = partnership
    a = p.adviser_a
    other = MembershipFactory(user__username="colleague", organisation=p.partner_a)
    made = []
    for n in range(7):
        case = new_case(p, days_ago=10 + n * 9, name=["Siân", "Łukasz", "O'Brien <b>", "Zoë", "Ama", "Bo", "Cy"][n])
        if n % 2:
            case_next_step_set(
                case=case, actor=a, next_action=f"Step {n}", next_review_on=timezone.localdate() - timedelta(days=n)
            )
        if n % 3 == 0:
            contact_record(
                case=case,
                actor=a,
                happened_on=timezone.localdate() - timedelta(days=n * 5),
                channel="phone",
                kind="support",
                duration_minutes=5,
            )
        if n == 6:  # enrolled 64 days ago: its 4-week milestone is due
            p.job_start(case, days_ago=40)
        made.append(case)
    new_case(p, adviser=other, name="Someone else's")
    p.assign(p.refer(given_name="Waiting"), adviser=a)
    p.assign(p.refer(given_name="Waiting too"), adviser=other)
    return made


FILTERS = [
    CaseloadFilters(),
    CaseloadFilters(mine_only=False),
    CaseloadFilters(stage="active"),
    CaseloadFilters(mine_only=False, stage="enrolled", review="overdue"),
    CaseloadFilters(review="due", no_recent_contact=True),
    CaseloadFilters(mine_only=False, no_recent_contact=True, adviser_id=-1),  # -1: the adviser, in the test
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize(("offset", "size"), [(0, 50), (0, 3), (3, 3), (6, 3)])
def test_each_kind_of_caseload_page_is_the_orm_read(partnership, busy, filters, offset, size) -> None:
    actor = partnership.adviser_a
    if filters.adviser_id == -1:
        filters = replace(filters, adviser_id=actor.user_id)
    values = selectors._caseload_values(filters, actor, timezone.localdate())
    kind = selectors._caseload_kind(filters)
    want = list(with_total(selectors._caseload_cases(kind, **values))[offset : offset + size])
    assert want or offset > 0  # every kind of list has cases in the fixture
    got = selectors._caseload_page(kind, tuple(sorted(values)), offset, size)(**values)
    same(got, want, ("person", "adviser"), ("last_contact_on", "page_total"))
    assert [c.pk for c in got] == [c.pk for c in want]


def test_the_caseload_page_is_what_it_was_without_the_compiled_read(partnership, busy) -> None:
    """The list the selector gives is the list its filters describe, counted right."""
    actor = partnership.adviser_a
    page = selectors.caseload(actor=actor, filters=CaseloadFilters(), size=3)
    mine = selectors.case_list(actor=actor, mine_only=True).order_by("-enrolled_on", "pk")
    assert [r.case.pk for r in page.rows] == [c.pk for c in mine[:3]]
    assert (page.total, page.pages) == (mine.count(), -(-mine.count() // 3))
    past = selectors.caseload(actor=actor, filters=CaseloadFilters(), page="99", size=3)
    assert past.number == page.pages and [r.case.pk for r in past.rows] == [c.pk for c in mine[(page.pages - 1) * 3 :]]


@pytest.mark.parametrize("mine_only", [True, False])
def test_the_waiting_list_is_the_orm_read(partnership, busy, mine_only) -> None:
    actor = partnership.adviser_a
    awaiting = selectors.referrals_awaiting_enrolment(actor=actor)
    if mine_only:
        awaiting = awaiting.filter(adviser=actor.user)
    shown = awaiting.select_related(None).select_related("person", "referring_organisation")
    want = list(with_total(shown.only(*selectors._AWAITING_COLUMNS))[:50])
    rows, total = selectors.awaiting_enrolment_shown(actor=actor, mine_only=mine_only, limit=50)
    same(rows, want, ("person", "referring_organisation"), ("page_total",))
    assert total == awaiting.count() == len(want) > 0


@pytest.mark.parametrize("mine_only", [True, False])
def test_the_reminders_job_starts_are_the_orm_read(partnership, busy, mine_only) -> None:
    actor = partnership.adviser_a
    today = timezone.localdate()
    values = {
        "partner": actor.organisation_id,
        "since": today - timedelta(days=400),
        "until": today - timedelta(days=28),
    }
    values |= {"adviser": actor.user_id} if mine_only else {}
    query = work_selectors._milestone_jobs(mine_only)
    want = list(query.build(**values))
    got = query(**values)
    assert len(got) == 1
    same(got, want, ("case", "case__person"), tuple(f"recorded_{m.code}" for m in work_selectors.MILESTONES))


def test_the_record_sections_reads_are_the_orm_reads(partnership) -> None:
    """The person record's job starts, milestones, wellbeing scores, assessments and ratings."""
    from joinedup.cases.wellbeing.models import AssessmentArea
    from joinedup.cases.wellbeing.services import assessment_record, wellbeing_record
    from joinedup.cases.work.services import sustainment_record

    p, a = partnership, partnership.adviser_a
    today = timezone.localdate()
    case = new_case(p, days_ago=300, name="Siân O'Brien")
    other = new_case(p, days_ago=300, name="Someone else")
    for days_ago in (250, 120):
        job = p.job_start(case, days_ago=days_ago)
        sustainment_record(job_start=job, actor=a, weeks=4, achieved_on=today, evidence="Payslip <b>seen</b>")
    p.job_start(other, days_ago=100)
    for n, when in enumerate((today - timedelta(days=200), today)):
        wellbeing_record(
            case=case, actor=a, instrument="swemwbs", answers=[n + 2] * 7, recorded_on=when, timepoint="start"
        )
        ratings = {area.value: (n + i) % 5 + 1 for i, area in enumerate(AssessmentArea)}
        assessment_record(case=case, actor=a, assessed_on=when, ratings=ratings, summary="Łukasz's notes")
        assessment_record(case=other, actor=a, assessed_on=when, ratings=ratings)
    for query, relations in (
        (work_selectors._job_starts_of, ()),
        (work_selectors._sustainments_of, ()),
        (wellbeing_selectors._wellbeing_of, ()),
        (wellbeing_selectors._assessments_of, ()),
    ):
        want = list(query.build(case=case.pk))
        assert want and [c.pk for c in query(case=case.pk)] == [c.pk for c in want]
        same(query(case=str(case.pk)), want, relations, ())
    want = list(wellbeing_selectors._ratings_of.build(case=case.pk))
    assert len(want) == 2 * len(AssessmentArea) and sorted(wellbeing_selectors._ratings_of(case=case.pk)) == sorted(
        want
    )
    milestones = work_selectors.case_milestones(case=case)
    assert [(m.job_start.pk, m.milestone.code, m.recorded is not None) for m in milestones][:2] == [
        (case.job_starts.order_by("-start_date")[0].pk, "4w", True),
        (case.job_starts.order_by("-start_date")[0].pk, "13w", False),
    ]
