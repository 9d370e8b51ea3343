"""The synthetic partnership's organisations, users and memberships, written through the ORM (a
few thousand rows at most), with the inactive `synth.loader` user recording what was loaded."""

from __future__ import annotations

from datetime import date, datetime
from datetime import time as time_of_day

from django.contrib.auth import get_user_model
from django.utils import timezone

from joinedup.organisations.models import Membership, Organisation

from .base import FORMAT_VERSION, LOADER_USERNAME, SYNTH_ODS, UNUSABLE, USER_PREFIX


def create_staff(plan) -> None:
    User = get_user_model()
    start = timezone.make_aware(datetime.combine(date.fromordinal(plan.first_day), time_of_day(0, 0)))
    meta = f"seed={plan.seed};people={plan.n};as_of={plan.as_of.isoformat()};v={FORMAT_VERSION}"
    loader = User.objects.create(
        username=LOADER_USERNAME,
        first_name="Synthetic data",
        last_name=meta,
        is_active=False,
        password=UNUSABLE,  # nobody signs in as a synthetic user
        date_joined=start,
    )
    Organisation.objects.bulk_create(
        [Organisation(id=o.id, name=o.name, kind=o.kind, ods_code=SYNTH_ODS, created_by=loader) for o in plan.orgs]
    )
    specs = [(o, spec) for o in plan.orgs for spec in o.user_specs]
    users = User.objects.bulk_create(
        [
            User(username=u, first_name=first, last_name=last, password=UNUSABLE, date_joined=start)
            for _o, (u, first, last, _r) in specs
        ],
        batch_size=2000,
    )
    if users and users[0].pk is None:  # a backend that cannot return keys from a bulk insert
        by_name = dict(User.objects.filter(username__startswith=USER_PREFIX).values_list("username", "pk"))
        for user in users:
            user.pk = by_name[user.username]
    Membership.objects.bulk_create(
        [
            Membership(
                id=plan.ids["membership"](n), user_id=user.pk, organisation_id=o.id, role=role, created_by=loader
            )
            for n, ((o, (_u, _f, _l, role)), user) in enumerate(zip(specs, users, strict=True))
        ],
        batch_size=2000,
    )
    for (o, _spec), user in zip(specs, users, strict=True):
        o.users.append(user.pk)
    Organisation.objects.filter(ods_code=SYNTH_ODS).update(created_at=start, updated_at=start)
    Membership.objects.filter(user__username__startswith=USER_PREFIX).update(created_at=start, updated_at=start)
    plan.rows["auth.User"] = len(users) + 1
    plan.rows["organisations.Organisation"] = len(plan.orgs)
    plan.rows["organisations.Membership"] = len(users)
    plan.pm_users = plan.lead.users[: 2 + plan.n // 200_000]
