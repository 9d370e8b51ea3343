from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import QuerySet

from .models import Membership, Organisation, OrganisationKind, Role


def memberships_for_user(*, user) -> QuerySet[Membership]:  # noqa: ANN001
    return Membership.objects.filter(user=user, archived_at__isnull=True, user__is_active=True).select_related(
        "organisation", "user"
    )


def memberships_in_order(*, user) -> list[Membership]:  # noqa: ANN001
    """The user's active memberships, by organisation name and role (the order the switcher shows),
    with their user and organisation: `memberships_for_user` in that order.

    Every signed-in request makes this read, and building the ORM query cost three times as much as
    running it, so the ORM builds its SQL once per database and each call runs that SQL with the
    user's key, then makes the instances as the ORM would, converters included (decision 011).
    `user` is a user or their primary key; a key that is not one raises TypeError or ValueError."""
    pk = get_user_model()._meta.pk.get_prep_value(getattr(user, "pk", user))
    connection = connections[router.db_for_read(Membership)]
    sql, params, parts, expressions = _memberships_compiled(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk if p is _SAMPLE_USER else p for p in params])
        rows = cursor.fetchall()
    converters = [
        (i, functions, expression)
        for i, expression in enumerate(expressions)
        if (functions := connection.ops.get_db_converters(expression) + expression.get_db_converters(connection))
    ]
    result = []
    for values in rows:
        row = list(values)
        for i, functions, expression in converters:
            for convert in functions:
                row[i] = convert(row[i], expression, connection)
        (model, names, at, _), *related = parts
        membership = model.from_db(connection.alias, names, [row[j] for j in at])
        for model, names, at, relation in related:
            setattr(membership, relation, model.from_db(connection.alias, names, [row[j] for j in at]))
        result.append(membership)
    return result


_SAMPLE_USER = -424242  # the user key `memberships_in_order`'s SQL is built with, then replaced


@functools.cache
def _memberships_compiled(alias: str) -> tuple[str, list, list[tuple], list]:
    """The ORM's SQL for `memberships_in_order` on one database and its parameters (the sample user
    key among them); for the membership and each related model, the model, its field names and their
    positions in a row; and the selected columns."""
    query = memberships_for_user(user=_SAMPLE_USER).order_by("organisation__name", "role").query
    compiler = query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    params = [_SAMPLE_USER if p == _SAMPLE_USER and type(p) is int else p for p in params]
    if sum(p is _SAMPLE_USER for p in params) != 1:  # the user key must be a parameter, once
        raise RuntimeError(f"memberships_in_order: unexpected parameters {params!r}")
    expressions = [expression for expression, _sql, _alias in compiler.select]
    info = compiler.klass_info

    def part(info: dict, relation: str | None) -> tuple:
        at = list(info["select_fields"])
        return (info["model"], [expressions[j].target.attname for j in at], at, relation)

    parts = [part(info, None)] + [part(r, r["field"].name) for r in info["related_klass_infos"]]
    return sql, params, parts, expressions


def memberships_for_session(*, user, membership_id: str | None) -> tuple[Membership | None, list[Membership]]:  # noqa: ANN001
    """The membership the user chose to act in (or their first one; never another user's), and all
    of theirs, by organisation name and role. No query when sign-in read them with the user
    (`backends.MembershipBackend`), else one."""
    memberships = getattr(user, "_memberships", None)
    if memberships is None:
        memberships = memberships_in_order(user=user)
    chosen = next((m for m in memberships if membership_id and str(m.pk) == str(membership_id)), None)
    return (chosen or (memberships[0] if memberships else None)), memberships


def delivery_partners() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.DELIVERY_PARTNER, archived_at__isnull=True)


def advisers_for(*, organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(
        organisation=organisation,
        role=Role.PERSONAL_ADVISER,
        archived_at__isnull=True,
        user__is_active=True,
    ).select_related("user")
