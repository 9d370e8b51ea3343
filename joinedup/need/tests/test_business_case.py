"""The business case gives no hidden count away: a small programme's counts are hidden, and so is
everything they could be worked back from (its savings, the case for investment's scaled figures)."""

from __future__ import annotations

import pytest

from joinedup.need.business_case import business_case
from joinedup.programmes.tests.conftest import make_programme
from joinedup.programmes.tests.test_costs_and_reports import _small_programme

from .conftest import MANSFIELD

pytestmark = pytest.mark.django_db


def test_a_small_programme_cannot_be_worked_back_from_the_business_case(open_data, partnership, client):
    programme = make_programme(partnership)
    _small_programme(partnership, programme)  # 3 participants, 2 job entries: both below 10
    case = business_case(actor=partnership.analyst, scope=MANSFIELD, people=100_000)
    (shown,) = case.programmes
    assert shown.participants.hidden and shown.job_entries.hidden and shown.savings_hidden
    # people × spend ÷ cost, or rate × people, would give the 3 and the 2 back: not shown at all.
    inv = case.investment
    assert inv.job_entry_rate is None and inv.cost is None and inv.job_entries is None
    assert inv.total_savings is None and inv.savings() == {}
    client.force_login(partnership.analyst.user)
    page = client.get(f"/need/{MANSFIELD}/business-case/?people=100000").content.decode()
    assert "18,182" not in page and "26,200" not in page  # the programme's savings (2 job entries)
    assert "2,870" not in page  # its cost per job entry
