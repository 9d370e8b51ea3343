"""The programme tallies (decision 021): every write through the services and the case events keeps
them equal to a recount; the Python reading of each indicator's rule agrees with its SQL; the ESF
return reads whole months from the tallies and part-months from the rows, and both give the same."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from joinedup.cases import services as case_services
from joinedup.programmes import selectors, services
from joinedup.programmes.models import Participation, ProgrammeTally
from joinedup.programmes.selectors.esf import _edges
from joinedup.programmes.tally import (
    contribution,
    live_tallies,
    matches,
    stored_tallies,
    tallies_check,
    tallies_rebuild,
)

from .conftest import enrol_back, esf_input
from .test_claims import _sustain
from .test_esf_return import CASES, _make

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("code", "values", "counts"), CASES, ids=[f"{c}-{i}" for i, (c, _v, _n) in enumerate(CASES)])
def test_each_rule_reads_the_same_in_python_and_sql(partnership, programme, code, values, counts):
    participation = _make(partnership, programme, values)
    assert contribution(participation) == live_tallies(programme)
    assert stored_tallies(programme) == live_tallies(programme)


def test_matches_follows_sql_for_nulls_and_or():
    class Row:
        age_at_start = None
        gender = "male"

    assert not matches(Q(age_at_start__lt=25), Row())  # NULL < 25 is not true
    assert not matches(Q(age_at_start__gte=55), Row())
    assert matches(Q(age_at_start__isnull=True), Row())
    assert matches(Q(gender="female") | Q(gender__in=["male"]), Row())
    assert matches(Q(), Row())
    with pytest.raises(NotImplementedError):
        matches(~Q(gender="male"), Row())


def _check(programme):
    assert tallies_check(programme) == {}
    assert stored_tallies(programme)  # not empty: the check compared something


def test_the_services_and_the_case_events_keep_the_tallies(partnership, programme):
    today = timezone.localdate()
    case = enrol_back(partnership, 300)  # case.enrolled: joins the programme
    participation = Participation.objects.get(case=case)
    _check(programme)
    services.esf_record(actor=partnership.adviser_a, participation=participation, data=esf_input(gender="male"))
    _check(programme)
    job = case_services.job_start_record(  # case.job_started: the first job date
        case=case,
        actor=partnership.adviser_a,
        employer_name="Tesco",
        job_title="Shelf stacker",
        hours_per_week=Decimal("20"),
        hourly_pay=Decimal("12.21"),
        start_date=today - timedelta(days=200),
    )
    _check(programme)
    _sustain(partnership, job)  # case.milestone_recorded: sustained at 26 weeks
    _check(programme)
    services.course_record(
        actor=partnership.adviser_a,
        participation=participation,
        name="Food hygiene",
        provider="Norfolk Adult Learning",
        level="entry",
        started_on=today - timedelta(days=150),
        completed_on=today - timedelta(days=120),
        qualification_gained=True,
    )
    _check(programme)
    case_services.case_exit(  # case.left_support: leaving status
        case=case,
        actor=partnership.adviser_a,
        closed_on=today - timedelta(days=10),
        destination="paid_work",
        reason="Job",
    )
    _check(programme)
    assert (
        selectors.esf_return(
            actor=partnership.programme, programme=programme, starts=today - timedelta(days=40), ends=today
        )
        .results[3]
        .total
        == 1
    )  # CR04: in employment on leaving
    from joinedup.cases.support.services import case_reengage

    case_reengage(case=case, actor=partnership.adviser_a, reengaged_on=today, reason="Lost the job")
    _check(programme)
    participation.refresh_from_db()
    services.leaving_record(
        actor=partnership.adviser_a,
        participation=participation,
        left_on=today - timedelta(days=200),
        job_search=True,
        education=False,
        qualification=False,
        employed=False,
    )
    _check(programme)
    participation.refresh_from_db()
    services.follow_up_record(
        actor=partnership.adviser_a, participation=participation, on=today, employed=True, improved=True
    )
    _check(programme)


def test_a_failed_write_leaves_the_tallies_as_they_were(partnership, programme):
    participation = Participation.objects.get(case=enrol_back(partnership, 100))
    before = stored_tallies(programme)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.esf_record(actor=partnership.adviser_a, participation=participation, data=esf_input())
        raise RuntimeError("the request failed after the write")
    assert stored_tallies(programme) == before
    assert tallies_check(programme) == {}


def test_a_rebuild_repairs_a_tally_written_around(partnership, programme):
    participation = Participation.objects.get(case=enrol_back(partnership, 100))
    Participation.objects.filter(pk=participation.pk).update(benefit="esa")  # bypasses the services
    assert tallies_check(programme)
    tallies_rebuild(programme)
    assert tallies_check(programme) == {}
    ProgrammeTally.objects.filter(programme=programme).update(n=99)
    assert tallies_check(programme)


@pytest.mark.parametrize(
    ("starts", "ends", "months", "parts"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), (date(2026, 1, 1), date(2026, 12, 1)), []),
        (
            date(2026, 1, 15),
            date(2026, 3, 31),
            (date(2026, 2, 1), date(2026, 3, 1)),
            [(date(2026, 1, 15), date(2026, 1, 31))],
        ),
        (
            date(2026, 1, 1),
            date(2026, 3, 5),
            (date(2026, 1, 1), date(2026, 2, 1)),
            [(date(2026, 3, 1), date(2026, 3, 5))],
        ),
        (date(2026, 1, 10), date(2026, 1, 20), None, [(date(2026, 1, 10), date(2026, 1, 20))]),
        (date(2026, 1, 10), date(2026, 2, 20), None, [(date(2026, 1, 10), date(2026, 2, 20))]),
        (
            date(2025, 12, 10),
            date(2026, 2, 20),
            (date(2026, 1, 1), date(2026, 1, 1)),
            [(date(2025, 12, 10), date(2025, 12, 31)), (date(2026, 2, 1), date(2026, 2, 20))],
        ),
    ],
)
def test_a_period_splits_into_whole_months_and_edges(starts, ends, months, parts):
    assert _edges(starts, ends) == (months, parts)


def test_the_return_is_the_same_from_tallies_and_from_rows(partnership, programme):
    """Several participants: the return for whole months (tallies) equals the rows' count of the
    same period, split at any day."""
    from joinedup.programmes import indicators
    from joinedup.programmes.selectors.esf import _from_rows

    for days, values in ((400, {"gender": "male"}), (200, {"homeless": "yes"}), (90, {"disability": "no"})):
        participation = Participation.objects.get(case=enrol_back(partnership, days))
        services.esf_record(actor=partnership.adviser_a, participation=participation, data=esf_input(**values))
    wanted = (indicators.TOTAL, *indicators.ALL)
    starts, ends = programme.starts_on, timezone.localdate()
    ret = selectors.esf_return(actor=partnership.programme, programme=programme, starts=starts, ends=ends)
    rows = _from_rows(programme, wanted, [(starts, ends)])
    for figure in [ret.total, *ret.outputs, *ret.results]:
        assert figure.by_gender == {g: rows.get((figure.indicator.code, g), 0) for g in figure.by_gender}
    assert ret.total.total == 3


def test_the_command_checks_and_rebuilds(partnership, programme):
    from io import StringIO

    from django.core.management import CommandError, call_command

    participation = Participation.objects.get(case=enrol_back(partnership, 100))
    out = StringIO()
    call_command("programme_tallies", "--check", stdout=out)
    assert "agree" in out.getvalue()
    Participation.objects.filter(pk=participation.pk).update(benefit="esa")
    with pytest.raises(CommandError, match="disagree"):
        call_command("programme_tallies", "--check", stdout=StringIO())
    call_command("programme_tallies", "--rebuild", stdout=StringIO())
    call_command("programme_tallies", "--check", stdout=StringIO())
    with pytest.raises(CommandError, match="No programme"):
        call_command("programme_tallies", "--check", "--programme", "nope", stdout=StringIO())


def test_retention_takes_the_deleted_participations_out_of_the_tallies(partnership, programme):
    """The retention run deletes an ended programme's participant records (not those under a legal
    hold): their tallies go with them, so `programme_tallies --check` stays clean."""
    from io import StringIO

    from django.core.management import call_command

    from joinedup.governance import services as governance_services
    from joinedup.governance.retention_run import retention_run
    from joinedup.programmes.models import Programme

    p = partnership
    gone = Participation.objects.get(case=enrol_back(p, 200))
    services.esf_record(actor=p.adviser_a, participation=gone, data=esf_input())
    p.job_start(gone.case, days_ago=150)
    kept = Participation.objects.get(case=enrol_back(p, 100))
    services.esf_record(actor=p.adviser_a, participation=kept, data=esf_input(gender="male"))
    governance_services.legal_hold_place(actor=p.admin, reference=kept.case.referral.reference, reason="Claim 9")
    ended = timezone.localdate() - timedelta(days=11 * 365)
    Programme.objects.filter(pk=programme.pk).update(starts_on=ended - timedelta(days=3 * 365), ends_on=ended)
    assert tallies_check(programme) == {}

    report = retention_run(dry_run=False)

    assert report.records["programme_records"] == 1
    assert list(Participation.objects.values_list("pk", flat=True)) == [kept.pk]
    assert tallies_check(programme) == {}
    assert stored_tallies(programme) == contribution(Participation.objects.get(pk=kept.pk))
    out = StringIO()
    call_command("programme_tallies", "--check", stdout=out)
    assert "agree" in out.getvalue()


def test_a_tally_change_locks_its_rows_in_the_key_order(partnership, programme):
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from joinedup.programmes.tally import tally_change

    participation = Participation.objects.get(case=enrol_back(partnership, 100))
    services.esf_record(actor=partnership.adviser_a, participation=participation, data=esf_input())
    rows = contribution(Participation.objects.get(pk=participation.pk))
    assert len({key[2] for key in rows}) > 5  # several measures, in no particular order in the Counter
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        tally_change(programme.pk, Counter(), Counter(dict(reversed(list(rows.items())))))
    (upsert,) = [q["sql"] for q in queries.captured_queries if "ON CONFLICT" in q["sql"]]
    values = upsert.index("VALUES")
    positions = [upsert.index(f"'{m}'", values) for m in sorted({key[2] for key in rows})]
    assert positions == sorted(positions)
