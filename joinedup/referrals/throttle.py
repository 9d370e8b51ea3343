"""How many self-referrals one client may send: `SELF_REFERRAL_LIMIT` in each window of
`SELF_REFERRAL_WINDOW_MINUTES` (issue 17, decision 018). Counted in the database
(`PublicSubmissionCount`), so it needs no outside service and holds across worker processes. The
client is kept as a keyed hash of its address; windows older than a day are deleted as it goes.

A retried submission (its key already made a referral) is not counted again: the service returns
the first referral, and the person must see their reference.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from joinedup.core.client import client_address
from joinedup.core.errors import DomainError

from .models import PublicSubmissionCount, Referral

LIMIT_MESSAGE = (
    "We have received several referrals from this device in the last hour, so we cannot take another "
    "one just now. Try again later, or phone us if it is urgent."
)


class TooManySubmissions(DomainError):
    status = 429

    def __init__(self) -> None:
        super().__init__(LIMIT_MESSAGE)


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address (`core.client`; the address itself is not stored)."""
    address = client_address(request)
    return hmac.new(str(settings.SECRET_KEY).encode(), address.encode(), hashlib.sha256).hexdigest()


def _window_start(now: datetime, minutes: int) -> datetime:
    epoch = int(now.timestamp()) // (minutes * 60) * (minutes * 60)
    return datetime.fromtimestamp(epoch, tz=now.tzinfo)


def self_referral_admit(*, client: str, submission_key: uuid.UUID | None) -> None:
    """Count this self-referral for `client`, or raise TooManySubmissions when the window is full."""
    if submission_key is not None and Referral.objects.filter(submission_key=submission_key).exists():
        return  # a retry of one already made
    limit = settings.SELF_REFERRAL_LIMIT
    minutes = settings.SELF_REFERRAL_WINDOW_MINUTES
    now = timezone.now()
    start = _window_start(now, minutes)
    with transaction.atomic():
        PublicSubmissionCount.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
        counted = PublicSubmissionCount.objects.filter(client=client, window_start=start, count__lt=limit).update(
            count=F("count") + 1
        )
        if counted:
            return
        if PublicSubmissionCount.objects.filter(client=client, window_start=start).exists():
            raise TooManySubmissions()
        try:
            with transaction.atomic():
                PublicSubmissionCount.objects.create(client=client, window_start=start, count=1)
        except IntegrityError:  # another request made the window's row first: count on it
            if not PublicSubmissionCount.objects.filter(client=client, window_start=start, count__lt=limit).update(
                count=F("count") + 1
            ):
                raise TooManySubmissions() from None
