"""Sign-in reads the user with their memberships in one query, and keeps Django's checks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.organisations.backends import MembershipBackend
from joinedup.organisations.models import Membership, Organisation, Role
from joinedup.organisations.selectors import memberships_for_user, memberships_in_order
from joinedup.testkit import loaded_fields

pytestmark = pytest.mark.django_db


def tables_read(client, path: str) -> list[str]:
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_a_signed_in_page_reads_user_and_memberships_in_one_query(client, partnership) -> None:
    client.force_login(partnership.adviser_a.user)
    sql = tables_read(client, "/accessibility/")
    # The session, the memberships with their user and organisation, then (issue 17) the device that
    # verified the session's second factor, read by django-otp's middleware (decision 018).
    assert len(sql) == 3
    assert '"auth_user"' in sql[1] and '"organisations_membership"' in sql[1]
    assert '"otp_totp_totpdevice"' in sql[2]


def test_the_backend_reads_active_memberships_only(partnership) -> None:
    user = partnership.adviser_a.user
    second = Membership.objects.create(user=user, organisation=partnership.partner_b, role=Role.PARTNER_MANAGER)
    found = MembershipBackend().get_user(user.pk)
    assert found == user and {m.pk for m in found._memberships} == {partnership.adviser_a.pk, second.pk}
    assert all(m.user is found for m in found._memberships)
    second.archived_at = timezone.now()
    second.save()
    assert [m.pk for m in MembershipBackend().get_user(user.pk)._memberships] == [partnership.adviser_a.pk]


def test_a_user_without_an_active_membership_is_still_the_user(client, partnership) -> None:
    user = partnership.adviser_a.user
    Membership.objects.filter(user=user).update(archived_at=timezone.now())
    found = MembershipBackend().get_user(user.pk)
    assert found == user and not hasattr(found, "_memberships")
    client.force_login(user)
    page = client.get("/cases/")
    assert page.status_code == 403  # signed in, but acting for no organisation: not permitted


def test_a_deactivated_user_is_signed_out(client, partnership) -> None:
    user = partnership.adviser_a.user
    client.force_login(user)
    assert client.get("/cases/").status_code == 200
    user.is_active = False
    user.save()
    assert MembershipBackend().get_user(user.pk) is None
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_changing_the_password_ends_other_sessions(client, partnership) -> None:
    user = partnership.adviser_a.user
    client.force_login(user)
    assert client.get("/cases/").status_code == 200
    user.set_password("a new long passphrase 2026")
    user.save()
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("nonsense", ["", "abc", "1; DROP TABLE auth_user", None, "9.5", "99999"])
def test_a_bad_user_id_in_the_session_is_nobody(partnership, nonsense) -> None:
    assert MembershipBackend().get_user(nonsense) is None


def test_the_compiled_read_is_the_orm_query(partnership) -> None:
    """`memberships_in_order` runs SQL built once (`CompiledQuery`, decision 011): the same rows, in
    the same order, with every field of the membership, its user and its organisation as the ORM
    reads them."""
    user = partnership.adviser_a.user
    Membership.objects.create(user=user, organisation=partnership.partner_b, role=Role.PARTNER_MANAGER)
    Membership.objects.create(user=user, organisation=partnership.partner_b, role=Role.PERSONAL_ADVISER)
    Membership.objects.create(
        user=user, organisation=partnership.gp, role=Role.REFERRER, archived_at=timezone.now()
    )  # archived: not read
    Organisation.objects.filter(pk=partnership.partner_b.pk).update(name="Ærø Works — Łódź")
    expected = list(memberships_for_user(user=user).order_by("organisation__name", "role"))
    assert len(expected) == 3
    for read in (
        memberships_in_order(user=user),
        memberships_in_order(user=user.pk),
        memberships_in_order(user=str(user.pk)),
    ):
        assert [m.pk for m in read] == [m.pk for m in expected]
        for got, want in zip(read, expected, strict=True):
            assert loaded_fields(got) == loaded_fields(want)
            assert loaded_fields(got.user) == loaded_fields(want.user)
            assert loaded_fields(got.organisation) == loaded_fields(want.organisation)
    user.is_active = False
    user.save()
    assert memberships_in_order(user=user) == [] == list(memberships_for_user(user=user))
    assert memberships_in_order(user=987654321) == []
    with pytest.raises(ValueError):
        memberships_in_order(user="abc")  # not a key: the backend reads nobody
