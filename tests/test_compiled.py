"""CompiledQuery (decision 011): a queryset's SQL built once, read exactly as the ORM reads it."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count

from joinedup.cases.enrolment.selectors import _RECORD_COLUMNS, _case_query
from joinedup.cases.models import Case
from joinedup.core.compiled import CompiledQuery
from joinedup.organisations.models import Membership, Organisation
from joinedup.testkit import loaded_fields

pytestmark = pytest.mark.django_db


def orm_case(pk: object, partner: object, only: tuple[str, ...]) -> Case:
    cases = Case.objects.select_related("person", "adviser", "referral", "delivery_partner")
    return (cases.only(*only) if only else cases).get(pk=pk, delivery_partner=partner)


@pytest.fixture
def two_cases(partnership):
    p = partnership
    one = p.enrol(p.assign(p.refer(given_name="Siân", family_name="O'Brien <b>"), adviser=p.adviser_a))
    two = p.enrol(p.assign(p.refer(given_name="Łukasz", family_name="'; DROP TABLE cases_case; --")))
    return one, two


@pytest.mark.parametrize("only", [(), _RECORD_COLUMNS])
def test_the_case_read_is_the_orm_read(partnership, two_cases, only) -> None:
    for case in two_cases:
        want = orm_case(case.pk, case.delivery_partner_id, only)
        for key in (case.pk, str(case.pk)):
            (got,) = _case_query(only)(pk=key, partner=case.delivery_partner_id)
            assert loaded_fields(got) == loaded_fields(want)
            for relation in ("person", "adviser", "referral", "delivery_partner"):
                assert loaded_fields(getattr(got, relation)) == loaded_fields(getattr(want, relation))
            assert got.person.full_name == want.person.full_name


def test_another_partner_a_missing_and_a_malformed_key_read_nothing(partnership, two_cases) -> None:
    case = two_cases[0]
    query = _case_query(())
    assert query(pk=case.pk, partner=partnership.partner_b.pk) == []
    assert query(pk=uuid.uuid4(), partner=case.delivery_partner_id) == []
    for bad in ("not-a-uuid", "1; DROP TABLE cases_case", "' OR '1'='1"):
        with pytest.raises(ValidationError):
            query(pk=bad, partner=case.delivery_partner_id)


def test_annotations_are_read_too(partnership) -> None:
    counted = CompiledQuery(
        lambda org: Organisation.objects.filter(pk=org).annotate(staff=Count("memberships")),
        org=Organisation._meta.pk,
    )
    (org,) = counted(org=partnership.partner_a.pk)
    assert org.staff == Membership.objects.filter(organisation=partnership.partner_a).count() > 0


def test_compiling_refuses_what_it_cannot_read_exactly(partnership) -> None:
    unused = CompiledQuery(lambda org: Organisation.objects.all(), org=Organisation._meta.pk)
    with pytest.raises(ValueError, match="0 parameters"):
        unused(org=partnership.partner_a.pk)
    prefetching = CompiledQuery(
        lambda org: Organisation.objects.filter(pk=org).prefetch_related("memberships"), org=Organisation._meta.pk
    )
    with pytest.raises(TypeError, match="prefetch_related"):
        prefetching(org=partnership.partner_a.pk)
    with pytest.raises(TypeError, match="integer or UUID key"):
        CompiledQuery(lambda name: Organisation.objects.filter(name=name), name=Organisation._meta.get_field("name"))
    as_dicts = CompiledQuery(lambda org: Organisation.objects.filter(pk=org).values("name"), org=Organisation._meta.pk)
    with pytest.raises(TypeError, match="values"):
        as_dicts(org=partnership.partner_a.pk)
    annotated = CompiledQuery(
        lambda org: Organisation.objects.filter(pk=org).annotate(n=Count("memberships")).values_list("name", "n"),
        org=Organisation._meta.pk,
    )
    with pytest.raises(TypeError, match="annotations"):
        annotated(org=partnership.partner_a.pk)
    with pytest.raises(TypeError, match="expected"):
        CompiledQuery(lambda org: Organisation.objects.filter(pk=org), org=Organisation._meta.pk)(other=1)


def test_a_value_used_twice_dates_and_values_lists(partnership, two_cases) -> None:
    """A value may be several parameters (a list and its count); dates are values too; a
    values_list() gives tuples, or values, converted as the ORM converts them (SQLite's dates and
    UUIDs)."""
    from datetime import timedelta

    from django.utils import timezone

    from joinedup.core.pagination import with_total

    one, two = two_cases
    partner = one.delivery_partner_id
    enrolled = Case._meta.get_field("enrolled_on")

    def build(partner: object, since: object) -> object:
        return with_total(Case.objects.filter(delivery_partner=partner, enrolled_on__gte=since).order_by("pk"))

    listed = CompiledQuery(build, partner=Case._meta.get_field("delivery_partner"), since=enrolled)
    today = timezone.localdate()
    for since in (today - timedelta(days=1), today + timedelta(days=1)):
        want = list(build(partner, since))
        got = listed(partner=partner, since=since)
        assert [loaded_fields(c) for c in got] == [loaded_fields(c) for c in want]
        assert [c.page_total for c in got] == [c.page_total for c in want] == [len(want)] * len(want)
    assert len(listed(partner=partner, since=today)) == 2
    pairs = CompiledQuery(
        lambda partner: Case.objects.filter(delivery_partner=partner).order_by("pk").values_list("pk", "enrolled_on"),
        partner=Case._meta.get_field("delivery_partner"),
    )
    want = list(Case.objects.filter(delivery_partner=partner).order_by("pk").values_list("pk", "enrolled_on"))
    assert pairs(partner=partner) == want and isinstance(want[0][0], uuid.UUID)
    flat = CompiledQuery(
        lambda partner: (
            Case.objects.filter(delivery_partner=partner).order_by("pk").values_list("enrolled_on", flat=True)
        ),
        partner=Case._meta.get_field("delivery_partner"),
    )
    assert flat(partner=partner) == [today, today]
    with pytest.raises(ValidationError):
        listed(partner=partner, since="not a date")


def test_the_record_contacts_read_is_the_orm_read(partnership, two_cases) -> None:
    from django.utils import timezone

    from joinedup.cases.contacts.selectors import _CONTACT_COLUMNS, CONTACTS_SHOWN, _contacts_shown
    from joinedup.cases.contacts.services import contact_record

    case = two_cases[0]
    for n in range(CONTACTS_SHOWN + 3):
        contact_record(
            case=case,
            actor=partnership.adviser_a,
            happened_on=timezone.localdate(),
            channel="phone",
            kind="support",
            duration_minutes=n + 1,
            notes=f"Rhif {n}: Siân's <em>call</em>\nline two",
        )
    want = list(case.contacts.only(*_CONTACT_COLUMNS)[:CONTACTS_SHOWN])
    got = _contacts_shown(case=case.pk)
    assert len(got) == CONTACTS_SHOWN and [loaded_fields(c) for c in got] == [loaded_fields(c) for c in want]
    assert _contacts_shown(case=two_cases[1].pk) == list(two_cases[1].contacts.only(*_CONTACT_COLUMNS))
