"""The closed loop's messages: who is told what, within consent, once, after commit, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.notifications.models import Notification, NotificationAddress, Status
from joinedup.notifications.services import notifications_send, referral_event
from joinedup.people.models import Consent, ConsentPurpose
from joinedup.people.services import consent_record, consent_withdraw
from joinedup.referrals.models import Referral
from joinedup.referrals.services import referral_decline

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(partnership):
    partnership.referrer.user.email = "dr.gp@example.nhs.uk"
    partnership.referrer.user.save()
    return partnership


def sent_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def test_received_tells_the_referrer_after_commit_and_is_audited(p, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        referral = p.refer()
    # Nothing is sent inside the referral's transaction: only the record of what is to be sent.
    assert mail.outbox == []
    note = Notification.objects.get(referral=referral)
    assert (note.event, note.recipient, note.status) == ("received", "referrer", Status.PENDING)
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["dr.gp@example.nhs.uk"]
    assert referral.reference in message.subject
    assert f"/referrals/{referral.pk}/" in message.body
    # No personal details in an email: the reference only.
    assert "Siobhán" not in message.body and "O'Connor" not in message.body and "9434765919" not in message.body
    note.refresh_from_db()
    assert note.status == Status.SENT and note.sent_at is not None and note.attempts == 1
    event = AuditEvent.objects.get(verb=AuditVerb.NOTIFIED)
    assert event.target_id == str(note.pk) and event.person_id == referral.person_id
    assert event.payload == {"referral": referral.reference, "event": "received", "recipient": "referrer"}


def test_a_rolled_back_write_sends_nothing(p, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        p.refer()
        raise RuntimeError("the write failed after the hook")
    assert mail.outbox == [] and Notification.objects.count() == 0 and Referral.objects.count() == 0


def test_each_event_is_sent_once_however_often_it_is_retried(p, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        referral = p.refer()
        referral_event(referral=referral, event="received")  # a retried hook
    assert len(mail.outbox) == 1
    assert notifications_send() == {"sent": 0, "failed": 0}  # a retried send
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(verb=AuditVerb.NOTIFIED).count() == 1


def test_the_whole_loop_with_consent_tells_the_referrer_every_step(p, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        referral = p.refer()
        referral = p.assign(referral)
        case = p.enrol(referral)
        p.job_start(case)
        p.job_start(case)  # a second job start is not a second "started work"
    subjects = [m.subject for m in sent_to("dr.gp@example.nhs.uk")]
    ref = referral.reference
    assert subjects == [
        f"Referral {ref} received",
        f"Referral {ref} accepted",
        f"Referral {ref}: support has started",
        f"Referral {ref}: started work",
    ]
    assert "Partner A has accepted" in sent_to("dr.gp@example.nhs.uk")[1].body


def test_no_consent_to_share_progress_means_no_progress_email(p, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        referral = p.refer(consent_share_progress=False)
        referral = p.assign(referral)
        case = p.enrol(referral)
        p.job_start(case)
    events = list(Notification.objects.filter(referral=referral).values_list("event", flat=True))
    assert events == ["received", "accepted"]


def test_expired_consent_stops_progress_emails(p, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        referral = p.refer()
        referral = p.assign(referral)
        Consent.objects.filter(purpose=ConsentPurpose.SHARE_PROGRESS).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        p.enrol(referral)
    assert not Notification.objects.filter(referral=referral, event="enrolled").exists()


def test_withdrawn_consent_stops_progress_emails(p, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        referral = p.refer()
        referral = p.assign(referral)
        case = p.enrol(referral)
        consent = Consent.objects.get(purpose=ConsentPurpose.SHARE_PROGRESS)
        consent_withdraw(consent=consent, actor=p.adviser_a)
        p.job_start(case)
    events = list(Notification.objects.filter(referral=referral).values_list("event", flat=True))
    assert events == ["received", "accepted", "enrolled"]


def test_declined_with_the_reason_as_plain_text(p, django_capture_on_commit_callbacks) -> None:
    reason = "<script>alert(1)</script> Robert'); DROP TABLE x;-- — not eligible: lives outside the área"
    with django_capture_on_commit_callbacks(execute=True):
        referral = p.refer()
        referral_decline(referral=referral, actor=p.programme, reason=reason)
    [declined] = [m for m in mail.outbox if "declined" in m.subject]
    assert reason in declined.body
    assert declined.content_subtype == "plain"


def test_declined_with_a_declared_reason_and_no_note_says_the_reason(p, django_capture_on_commit_callbacks) -> None:
    from joinedup.referrals.statuses import DECLINE_REASONS

    code, declared = next((c, r) for c, r in DECLINE_REASONS.items() if not r.needs_note)
    with django_capture_on_commit_callbacks(execute=True):
        referral = p.refer()
        referral_decline(referral=referral, actor=p.programme, reason="", reason_code=code)
    [declined] = [m for m in mail.outbox if "declined" in m.subject]
    assert declared.label in declined.body


def test_the_person_is_told_only_if_they_asked_and_have_an_email(p, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        referral = p.refer(email="siobhan@example.com")
        referral = p.assign(referral)
    assert sent_to("siobhan@example.com") == []
    consent_record(
        person=referral.person,
        purpose=ConsentPurpose.NOTIFY_PERSON,
        given=True,
        recorded_by=p.referrer.user,
        recorded_by_organisation=p.gp,
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = p.enrol(referral)
        p.job_start(case)
    subjects = [m.subject for m in sent_to("siobhan@example.com")]
    assert subjects == ["Your support has started", "Congratulations on starting work"]


def test_a_person_without_an_email_is_not_told(p, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        referral = p.refer(email="")
        consent_record(
            person=referral.person,
            purpose=ConsentPurpose.NOTIFY_PERSON,
            given=True,
            recorded_by=p.referrer.user,
            recorded_by_organisation=p.gp,
        )
        referral = p.assign(referral)
    assert not Notification.objects.filter(recipient="person").exists()


def test_the_gp_hears_progress_only_with_consent_to_share_with_the_gp(p, django_capture_on_commit_callbacks) -> None:
    other_gp = p.gp.__class__.objects.create(name="Riverside Surgery", kind="gp_practice")
    NotificationAddress.objects.create(organisation=other_gp, email="riverside.surgery@nhs.net")
    with django_capture_on_commit_callbacks(execute=True):
        referral = p.refer(by=p.other_referrer)  # the Jobcentre refers
        referral = p.assign(referral)
        case = p.enrol(referral)
    assert sent_to("riverside.surgery@nhs.net") == []  # no consent to share with the GP yet
    consent_record(
        person=referral.person,
        purpose=ConsentPurpose.SHARE_GP,
        given=True,
        recorded_by=p.adviser_a.user,
        recorded_by_organisation=p.partner_a,
        about_organisation=other_gp,
    )
    with django_capture_on_commit_callbacks(execute=True):
        p.job_start(case)
    [message] = sent_to("riverside.surgery@nhs.net")
    assert "started work" in message.subject and referral.reference in message.subject
    # Routing is never told to the GP; only progress.
    assert set(Notification.objects.filter(recipient="gp").values_list("event", flat=True)) == {"started_work"}


def test_a_system_account_referral_goes_to_the_organisation_inbox(p, django_capture_on_commit_callbacks) -> None:
    NotificationAddress.objects.create(organisation=p.jobcentre, email="team@jobcentre.example")
    with django_capture_on_commit_callbacks(execute=True):
        p.refer(by=p.other_referrer)  # jc_referrer has no email of their own
    assert [m.to for m in mail.outbox] == [["team@jobcentre.example"]]


def test_nobody_to_tell_records_nothing(p, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        p.refer(by=p.other_referrer)  # no email, no inbox
    assert Notification.objects.count() == 0 and mail.outbox == []


@override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=9)
def test_a_failed_send_is_recorded_and_the_referral_still_saved(p, django_capture_on_commit_callbacks) -> None:
    # Port 9 on the loopback has nothing listening: the real SMTP backend's connection is refused.
    with django_capture_on_commit_callbacks(execute=True):
        referral = p.refer()
    assert Referral.objects.filter(pk=referral.pk).exists()
    note = Notification.objects.get(referral=referral)
    assert note.status == Status.FAILED and note.attempts == 1
    assert "Connection" in note.last_error or "refused" in note.last_error.lower()
    assert not AuditEvent.objects.filter(verb=AuditVerb.NOTIFIED).exists()
    # Later, with email working again, the retry sends it once.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert notifications_send() == {"sent": 1, "failed": 0}
        assert notifications_send() == {"sent": 0, "failed": 0}
    note.refresh_from_db()
    assert note.status == Status.SENT and note.attempts == 2 and note.last_error == ""
    assert len(mail.outbox) == 1


@override_settings(NOTIFICATION_MAX_ATTEMPTS=2)
def test_retries_stop_after_the_limit(p) -> None:
    referral = p.refer()
    Notification.objects.filter(referral=referral).update(status=Status.FAILED, attempts=2)
    assert notifications_send() == {"sent": 0, "failed": 0}


def test_a_fault_in_the_hook_does_not_break_the_write(p, django_capture_on_commit_callbacks, caplog) -> None:
    referral = p.refer()
    referral.referring_organisation_id = None  # a broken referral object: planning fails
    with transaction.atomic():
        assert referral_event(referral=referral, event="accepted") == []
        assert Referral.objects.filter(pk=referral.pk).exists()  # the transaction is still usable
    assert "Could not record the accepted notifications" in caplog.text


def test_the_retry_command_sends_what_is_waiting_and_reports_stuck_ones(p) -> None:
    from io import StringIO

    from django.core.management import call_command

    first = p.refer()  # inside the test's transaction: nothing sent yet
    second = p.refer()
    Notification.objects.filter(referral=second).update(status=Status.SENDING)
    out = StringIO()
    call_command("notifications_send", stdout=out)
    assert "Sent 1, failed 0." in out.getvalue()
    assert "1 notification(s) were being sent" in out.getvalue()
    assert [m.to for m in mail.outbox] == [["dr.gp@example.nhs.uk"]]
    assert Notification.objects.get(referral=first).status == Status.SENT
    assert Notification.objects.get(referral=second).status == Status.SENDING  # never resent blindly
