"""Sign-in that resists attack (issue 17, decision 018): lockout and unlock, the password policy and
the change page, two-factor sign-in with an authenticator app and recovery codes, the
administrators' reset, and the permission matrix of the administrators' page."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.policy import TWO_FACTOR_ROLES
from joinedup.api.services import api_token_issue
from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.organisations.models import Role
from joinedup.testkit import PASSWORD, SignInClient, totp_code, verified_device

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str = PASSWORD, ip: str = "192.0.2.10"):
    return client.post("/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=ip)


# Lockout -------------------------------------------------------------------------------------


def test_an_account_is_locked_after_the_configured_failures_then_unlocked(partnership, settings):
    answers = [
        sign_in(Client(), "adviser_a", "wrong password here").status_code for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the last wrong one locks
    locked = sign_in(Client(), "adviser_a", ip="192.0.2.99")  # the right password, from elsewhere
    assert locked.status_code == 429
    assert b"too many wrong passwords" in locked.content

    admin = SignInClient()
    admin.force_login(partnership.admin.user)
    page = admin.get("/account/manage/?username=adviser_a")
    assert page.status_code == 200 and b"Locked" in page.content
    assert admin.post("/account/manage/unlock/", {"username": "adviser_a"}).status_code == 302
    assert sign_in(Client(), "adviser_a", ip="192.0.2.99").status_code == 302  # signed in
    event = AuditEvent.objects.get(verb=AuditVerb.SIGN_IN_UNLOCKED)
    assert event.payload == {"username": "adviser_a"} and event.actor == partnership.admin.user


def test_a_client_is_locked_after_failures_across_usernames(partnership, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), f"guess{n}", "wrong password here", ip="198.51.100.7")
    assert sign_in(Client(), "adviser_a", ip="198.51.100.7").status_code == 429
    assert sign_in(Client(), "adviser_a", ip="198.51.100.8").status_code == 302  # another client is not

    admin = SignInClient()
    admin.force_login(partnership.admin.user)
    assert b"198.51.100.7" in admin.get("/account/manage/").content
    admin.post("/account/manage/unlock/", {"ip_address": "198.51.100.7"})
    assert sign_in(Client(), "adviser_a", ip="198.51.100.7").status_code == 302


# The password ------------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "short", "123456789012", "password1234", "adviser_aadviser_a"])
def test_a_weak_new_password_is_refused(client, partnership, weak):
    user = partnership.adviser_a.user
    client.force_login(user)
    response = client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changing_ones_password_keeps_this_session_and_ends_the_others(client, partnership):
    user = partnership.adviser_a.user
    other = SignInClient()
    other.force_login(user)
    client.force_login(user)
    new = "a walk along the trent in may"
    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200
    assert other.get("/cases/").status_code == 302  # signed out
    user.refresh_from_db()
    assert user.check_password(new)
    assert AuditEvent.objects.filter(verb=AuditVerb.PASSWORD_CHANGED, target_id=str(user.pk)).count() == 1


# Two-factor --------------------------------------------------------------------------------


def test_roles_that_see_personal_data_need_two_factor_and_the_analyst_does_not():
    assert set(TWO_FACTOR_ROLES) == {
        Role.REFERRER,
        Role.PERSONAL_ADVISER,
        Role.PARTNER_MANAGER,
        Role.PROGRAMME_MANAGER,
        Role.ADMINISTRATOR,
        Role.EMPLOYER,  # sees the people put forward to them
    }


def test_the_analyst_signs_in_with_a_password_alone(partnership):
    client = Client()
    sign_in(client, "analyst")
    assert client.get("/dashboard/").status_code == 200


def test_the_second_factor_costs_one_query_a_request_and_the_check_none(client, partnership):
    """django-otp loads the session's verified device once a request; the policy check reads the
    memberships the membership middleware already loaded, so it adds no query of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(partnership.adviser_a.user)
    client.get("/cases/")  # warm (content types, the session)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/cases/").status_code == 200
    otp = [q["sql"] for q in ctx.captured_queries if "otp_" in q["sql"]]
    memberships = [q["sql"] for q in ctx.captured_queries if 'FROM "organisations_membership"' in q["sql"]]
    assert len(otp) == 1 and "otp_totp_totpdevice" in otp[0]
    assert len(memberships) == 1


def test_setting_up_two_factor_with_an_app(partnership, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code slows the next one down: not what this tests
    client = Client()
    sign_in(client, "adviser_a")
    first = client.get("/cases/")
    assert first.status_code == 302 and first["Location"].startswith("/account/two-factor/?next=")
    assert client.get(first["Location"])["Location"].startswith("/account/two-factor/set-up/")
    page = client.get("/account/two-factor/set-up/?next=/cases/")
    assert page.status_code == 200 and b"<svg" in page.content and b"QR code" in page.content
    device = TOTPDevice.objects.get(user=partnership.adviser_a.user, confirmed=False)
    assert client.post("/account/two-factor/set-up/?next=/cases/", {"code": "000000"}).status_code == 400
    done = client.post("/account/two-factor/set-up/?next=/cases/", {"code": totp_code(device)})
    assert done.status_code == 302 and done["Location"].startswith("/account/two-factor/recovery-codes/")
    codes_page = client.get(done["Location"])
    assert codes_page.content.count(b"<li><code>") == 10
    assert client.get("/account/two-factor/recovery-codes/").content.count(b"<li><code>") == 0  # shown once
    assert client.get("/cases/").status_code == 200
    assert AuditEvent.objects.filter(verb=AuditVerb.TWO_FACTOR_SET_UP).count() == 1


def test_signing_in_with_a_code_or_a_recovery_code_that_works_once(partnership, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    user = partnership.referrer.user
    device = verified_device(user)
    client = SignInClient()
    client.force_login(user)
    client.post("/account/two-factor/recovery-codes/", {})
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10

    browser = Client()
    sign_in(browser, "referrer")
    assert browser.post("/account/two-factor/", {"code": "123456"}).status_code == 400
    assert browser.get("/referrals/").status_code == 302
    assert browser.post("/account/two-factor/?next=/referrals/", {"code": codes[0]})["Location"] == "/referrals/"
    assert browser.get("/referrals/").status_code == 200

    again = Client()
    sign_in(again, "referrer")
    assert again.post("/account/two-factor/", {"code": codes[0]}).status_code == 400  # used
    assert again.post("/account/two-factor/", {"code": totp_code(device)}).status_code == 302


def test_no_menu_or_account_links_before_the_second_step(partnership, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = verified_device(partnership.adviser_a.user)
    browser = Client()
    sign_in(browser, "adviser_a")
    step = browser.get("/account/two-factor/")
    assert step.status_code == 200
    for link in (b"govuk-service-navigation", b"/cases/", b'href="/account/"', b"/account/manage/"):
        assert link not in step.content, link
    assert b"Sign out" in step.content
    browser.post("/account/two-factor/", {"code": totp_code(device)})
    after = browser.get("/cases/")
    assert b"govuk-service-navigation" in after.content and b'href="/account/"' in after.content
    analyst = Client()  # no second step for the analyst: the menu straight away
    sign_in(analyst, "analyst")
    assert b"govuk-service-navigation" in analyst.get("/dashboard/").content


def test_a_password_alone_cannot_replace_an_app_already_set_up(partnership):
    verified_device(partnership.adviser_a.user)
    client = Client()
    sign_in(client, "adviser_a")
    response = client.get("/account/two-factor/set-up/")
    assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/")
    assert TOTPDevice.objects.filter(user=partnership.adviser_a.user).count() == 1


def test_the_api_and_fhir_use_tokens_not_the_second_factor(partnership):
    _, key = api_token_issue(membership=partnership.referrer)
    response = Client().get("/fhir/Task/00000000-0000-0000-0000-000000000001", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 404


def test_an_administrator_resets_a_lost_phone(partnership):
    user = partnership.adviser_a.user
    verified_device(user)
    signed_in = SignInClient()
    signed_in.force_login(user)
    admin = SignInClient()
    admin.force_login(partnership.admin.user)
    assert admin.post("/account/manage/reset-two-factor/", {"username": "adviser_a"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    # The session verified by the old app is verified no longer: set up a new one.
    assert signed_in.get("/cases/")["Location"].startswith("/account/two-factor/")
    assert AuditEvent.objects.filter(verb=AuditVerb.TWO_FACTOR_RESET, target_id=str(user.pk)).count() == 1


def test_wrong_codes_are_slowed_down(partnership):
    device = verified_device(partnership.referrer.user)
    client = Client()
    sign_in(client, "referrer")
    assert client.post("/account/two-factor/", {"code": "000000"}).status_code == 400
    # Straight after a wrong code even the right one is refused for a while (django-otp's throttle).
    assert client.post("/account/two-factor/", {"code": totp_code(device)}).status_code == 400


def test_an_administrator_cannot_reset_their_own_two_factor(partnership):
    admin = SignInClient()
    admin.force_login(partnership.admin.user)
    admin.post("/account/manage/reset-two-factor/", {"username": "administrator"})
    assert TOTPDevice.objects.filter(user=partnership.admin.user).exists()


# The administrators' page: the permission matrix -----------------------------------------------

ROLES = [Role.REFERRER, Role.PERSONAL_ADVISER, Role.PARTNER_MANAGER, Role.PROGRAMME_MANAGER, Role.ANALYST]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/account/manage/"),
        ("post", "/account/manage/unlock/"),
        ("post", "/account/manage/reset-two-factor/"),
    ],
)
def test_only_administrators_manage_sign_ins(client, partnership, role, method, path):
    verified_device(partnership.adviser_b.user)
    client.force_login(partnership.by_role()[role].user)
    response = getattr(client, method)(path, {"username": "adviser_b"} if method == "post" else {})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=partnership.adviser_b.user).exists()
    assert not AuditEvent.objects.filter(verb__in=[AuditVerb.TWO_FACTOR_RESET, AuditVerb.SIGN_IN_UNLOCKED]).exists()


def test_anonymous_visitors_are_sent_to_sign_in(partnership):
    for path in ("/account/", "/account/manage/", "/account/password/", "/account/two-factor/"):
        assert Client().get(path)["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("path", ["/account/", "/account/password/", "/account/two-factor/recovery-codes/"])
def test_every_signed_in_role_has_its_own_account_pages(client, partnership, path):
    for membership in partnership.by_role().values():
        client.force_login(membership.user)
        assert client.get(path).status_code == 200, (membership.role, path)


# Headers ------------------------------------------------------------------------------------


def test_personal_pages_and_api_answers_are_not_stored(client, partnership):
    client.force_login(partnership.adviser_a.user)
    assert "no-store" in client.get("/cases/")["Cache-Control"]
    _, key = api_token_issue(membership=partnership.referrer)
    api = Client().get("/api/v1/referrals/JU-AAAAAAA/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert "no-store" in api["Cache-Control"]
    assert "no-store" not in Client().get("/directory/").get("Cache-Control", "")


def test_every_page_has_a_content_security_policy_without_inline_scripts(client, partnership):
    client.force_login(partnership.adviser_a.user)
    response = client.get("/cases/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy + ";"
    assert b"<script>" not in response.content
