"""GOV.UK pagination over a queryset: pages, bad page numbers, and the triage queue paged."""

import pytest

from joinedup.core.pagination import paginate
from joinedup.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_pages_and_bad_page_numbers(partnership):
    for n in range(5):
        partnership.refer(given_name=f"P{n}")
    qs = Referral.objects.order_by("created_at", "pk")
    first = paginate(qs, None, size=2)
    assert (first.number, first.pages, first.total, len(first.rows)) == (1, 3, 5, 2)
    assert (first.previous, first.next, first.first_row, first.last_row) == (None, 2, 1, 2)
    last = paginate(qs, "3", size=2)
    assert (len(last.rows), last.next, last.first_row, last.last_row) == (1, None, 5, 5)
    for nonsense in ("0", "-1", "99", "abc", "1' OR '1'='1", "", "９"):
        page = paginate(qs, nonsense, size=2)
        assert page.number in (1, 3) and page.rows  # the nearest real page, never an error
    empty = paginate(Referral.objects.none(), "2")
    assert (empty.total, empty.rows, empty.first_row) == (0, [], 0)
    for huge in ("1" + "0" * 30, str(2**63), "1e400"):
        page = paginate(qs, huge, size=2)  # past the end of any database's offset: the last page
        assert (page.number, len(page.rows)) in ((3, 1), (1, 2))


def test_a_page_and_its_count_are_one_query(partnership, django_assert_num_queries):
    for n in range(5):
        partnership.refer(given_name=f"P{n}")
    qs = Referral.objects.select_related("person").order_by("created_at", "pk")
    with django_assert_num_queries(1):
        second = paginate(qs, "2", size=2)
    assert (second.number, second.pages, second.total, len(second.rows)) == (2, 3, 5, 2)
    assert [r.pk for r in second.rows] == [r.pk for r in qs[2:4]]
    filtered = qs.filter(person__given_name__in=["P1", "P3", "P4"])
    with django_assert_num_queries(1):
        page = paginate(filtered, None, size=2)
    assert (page.total, page.pages, [r.person.given_name for r in page.rows]) == (3, 2, ["P1", "P3"])
    with django_assert_num_queries(1):
        none = paginate(qs.filter(person__given_name="Nobody"), None, size=2)
    assert (none.total, none.pages, none.rows) == (0, 1, [])
    with django_assert_num_queries(3):  # past the end: the page, a count, then the last page
        past = paginate(qs, "9", size=2)
    assert (past.number, past.total, len(past.rows)) == (3, 5, 1)


def test_a_distinct_list_is_counted_as_distinct(partnership):
    for _ in range(3):
        partnership.refer(given_name="Same")
    people = Referral.objects.values_list("person__given_name", flat=True).order_by("person__given_name").distinct()
    page = paginate(people, None, size=2)
    assert (page.total, page.rows) == (1, ["Same"])
    names = Referral.objects.values_list("person__given_name", flat=True).order_by("pk")
    assert paginate(names, None, size=2).total == 3


def test_the_triage_queue_is_paged_oldest_first(client, partnership):
    made = [partnership.refer(given_name=f"Person{n}").reference for n in range(52)]
    client.force_login(partnership.programme.user)
    page1 = client.get("/referrals/triage/").content.decode()
    assert made[0] in page1 and made[49] in page1 and made[50] not in page1
    assert "Showing 1 to 50 of 52" in page1 and 'rel="next"' in page1
    page2 = client.get("/referrals/triage/?page=2").content.decode()
    assert made[50] in page2 and made[51] in page2 and made[0] not in page2
    assert client.get("/referrals/triage/?page=<script>").status_code == 200


def test_the_referrers_list_is_paged_newest_first(client, partnership):
    made = [partnership.refer(given_name=f"Person{n}").reference for n in range(52)]
    client.force_login(partnership.referrer.user)
    page1 = client.get("/referrals/").content.decode()
    assert made[51] in page1 and made[2] in page1 and made[1] not in page1
    assert "Showing 1 to 50 of 52" in page1 and 'rel="next"' in page1
    page2 = client.get("/referrals/?page=2").content.decode()
    assert made[1] in page2 and made[0] in page2 and made[51] not in page2


@pytest.mark.parametrize(("offset", "size"), [(0, 50), (0, 2), (2, 2), (4, 2)])
def test_the_triage_and_referrers_pages_built_once_are_the_orm_reads(partnership, offset, size):
    from joinedup.core.pagination import with_total
    from joinedup.referrals import selectors
    from joinedup.testkit import loaded_fields

    for n in range(5):
        partnership.refer(given_name=["Siân", "Łukasz", "O'Brien <b>", "'; DROP TABLE x; --", "Zoë"][n])
    org = partnership.referrer.organisation_id
    for got, want in (
        (selectors._triage_page(offset, size)(), with_total(selectors._triage_listed())[offset : offset + size]),
        (
            selectors._made_page(offset, size)(organisation=org),
            with_total(selectors._made_listed(org))[offset : offset + size],
        ),
    ):
        want = list(want)
        assert [loaded_fields(r) for r in got] == [loaded_fields(r) for r in want] and want
        assert [loaded_fields(r.person) for r in got] == [loaded_fields(r.person) for r in want]
        assert [r.page_total for r in got] == [r.page_total for r in want] == [5] * len(want)
    for got, want in zip(
        selectors._triage_page(offset, size)(), selectors._triage_listed()[offset : offset + size], strict=True
    ):
        assert loaded_fields(got.referring_organisation) == loaded_fields(want.referring_organisation)
    assert selectors._made_page(offset, size)(organisation=partnership.partner_b.pk) == []


@pytest.mark.parametrize("who", ["referrer", "adviser_a", "manager_a", "programme", "analyst"])
def test_the_paged_lists_refuse_whoever_may_not_see_them(partnership, who):
    """The selectors check the permission themselves, not only the views in front of them."""
    from joinedup.cases.enrolment.selectors import CaseloadFilters, caseload
    from joinedup.core.errors import NotPermitted
    from joinedup.organisations.permissions import Perm, has_perm
    from joinedup.referrals import selectors

    actor = getattr(partnership, who)
    lists = [
        (
            lambda: selectors.triage_queue_page(actor=actor, page=None),
            Perm.REFERRAL_TRIAGE_ALL,
            Perm.REFERRAL_TRIAGE_ORG,
        ),
        (lambda: selectors.referrals_made_page(actor=actor, page=None), Perm.REFERRAL_VIEW_ORG),
        (lambda: caseload(actor=actor, filters=CaseloadFilters()), Perm.CASE_VIEW_ORG),
    ]
    refused = 0
    for read, *perms in lists:
        if any(has_perm(actor, perm) for perm in perms):
            read()
        else:
            with pytest.raises(NotPermitted):
                read()
            refused += 1
    assert refused >= 1  # every role here is refused at least one of the three
