"""The read replica: marked reads (dashboards, reports) go to it; writes and the adviser's reads do not.

On PostgreSQL the test settings add a second database, `test_<name>_replica`, standing in for the
replica. It does not replicate: each test writes to it directly what only the replica holds, so
whichever database a page's figures come from shows in the figures themselves. On SQLite there is
no replica and everything stays on the one database.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from joinedup.cases.selectors import case_get
from joinedup.core.replica import ReplicaRouter, read_database, replica_read, replica_reads
from joinedup.insights.selectors import dashboard
from joinedup.outcomes.models import Measure, MonthlyTally

HAS_REPLICA = "replica" in settings.DATABASES
DATABASES = ["default", "replica"] if HAS_REPLICA else ["default"]
on_replica = pytest.mark.skipif(not HAS_REPLICA, reason="the stand-in replica is a PostgreSQL database")
replica_on = override_settings(READ_REPLICA="replica")


def _tally_on_replica(n: int) -> None:
    """A figure that only the stand-in replica holds: `n` referrals not yet assigned, this month."""
    MonthlyTally.objects.using("replica").create(
        measure=Measure.REFERRALS, partner_key="", month=date.today().replace(day=1), n=n
    )


def test_without_a_replica_every_read_is_on_the_primary():
    with replica_reads():
        assert read_database() == DEFAULT_DB_ALIAS
    assert ReplicaRouter().db_for_read(MonthlyTally) is None
    assert ReplicaRouter().db_for_write(MonthlyTally) == DEFAULT_DB_ALIAS


def test_the_reports_are_marked():
    from joinedup.directory.selectors import gaps
    from joinedup.referrals.timeliness import responsiveness_for

    for report in (dashboard, gaps, responsiveness_for):
        assert getattr(report, "replica_read", False), report


@on_replica
@replica_on
@pytest.mark.django_db(databases=DATABASES)
def test_a_dashboard_read_goes_to_the_replica(partnership):
    partnership.refer()  # the primary's tally: 1 referral this month
    _tally_on_replica(7)
    replica, primary = connections["replica"], connections[DEFAULT_DB_ALIAS]
    with CaptureQueriesContext(replica) as on_replica_db, CaptureQueriesContext(primary) as on_primary_db:
        board = dashboard(actor=partnership.analyst)
    assert board.total.referrals == 7
    assert any("outcomes_monthlytally" in q["sql"] for q in on_replica_db.captured_queries)
    assert not any("outcomes_monthlytally" in q["sql"] for q in on_primary_db.captured_queries)


@on_replica
@replica_on
@pytest.mark.django_db(databases=DATABASES)
def test_the_dashboard_page_shows_the_replicas_figures(client, partnership):
    _tally_on_replica(4321)
    client.force_login(partnership.analyst.user)
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert "4,321" in page.content.decode() or "4321" in page.content.decode()


@on_replica
@replica_on
@pytest.mark.django_db(databases=DATABASES)
def test_the_advisers_reads_and_every_write_stay_on_the_primary(partnership):
    case = partnership.enrol(partnership.assign(partnership.refer()))
    replica = connections["replica"]
    with CaptureQueriesContext(replica) as on_replica_db:
        found = case_get(actor=partnership.adviser_a, pk=case.pk)  # a read, and its audit event (a write)
        with replica_reads():  # even inside a marked read, a write goes to the primary
            MonthlyTally.objects.create(measure=Measure.STARTS, partner_key="", month=date(2020, 1, 1), n=1)
    assert found.pk == case.pk
    assert on_replica_db.captured_queries == []
    assert MonthlyTally.objects.using(DEFAULT_DB_ALIAS).filter(month=date(2020, 1, 1)).exists()
    assert not MonthlyTally.objects.using("replica").exists()


@on_replica
@replica_on
@pytest.mark.django_db(databases=DATABASES)
def test_a_marked_read_inside_a_transaction_reads_the_primary(partnership):
    """A service that writes then reads must see its write: inside its transaction nothing goes to the replica."""
    _tally_on_replica(7)

    @replica_read
    def referrals_this_month() -> int:
        return sum(MonthlyTally.objects.filter(measure=Measure.REFERRALS).values_list("n", flat=True))

    assert referrals_this_month() == 7
    with transaction.atomic():
        partnership.refer()
        assert read_database() == DEFAULT_DB_ALIAS
        assert referrals_this_month() == 1


@on_replica
@replica_on
@pytest.mark.django_db(databases=DATABASES)
def test_the_replica_is_never_migrated():
    assert ReplicaRouter().allow_migrate("replica", "outcomes") is False
    assert ReplicaRouter().allow_migrate(DEFAULT_DB_ALIAS, "outcomes") is None
