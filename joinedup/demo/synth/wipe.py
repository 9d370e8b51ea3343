"""What synthetic data is loaded, and deleting it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from joinedup.cases.models import Case
from joinedup.organisations.models import Membership, Organisation
from joinedup.people.models import Person
from joinedup.referrals.models import Referral

from .base import LOADER_USERNAME, SYNTH_ODS, USER_PREFIX, SynthInfo


def bulk_models() -> list[type]:
    """The tables written in bulk (one declaration each), in load order."""
    from joinedup.demo.synthetic import declarations

    return [d.model for d in declarations()]


def synth_info() -> SynthInfo | None:
    """The seed, size and as-of date of the synthetic data in the database, or None."""
    loader = get_user_model().objects.filter(username=LOADER_USERNAME).first()
    if loader is None:
        return None
    try:
        meta = dict(part.split("=", 1) for part in loader.last_name.split(";"))
        return SynthInfo(int(meta["seed"]), int(meta["people"]), date.fromisoformat(meta["as_of"]), int(meta["v"]))
    except (KeyError, ValueError):
        return None


def synthetic_referrals():
    return Referral.objects.filter(referring_organisation__ods_code=SYNTH_ODS)


def non_synthetic_referral_count() -> int:
    return Referral.objects.exclude(referring_organisation__ods_code=SYNTH_ODS).count()


def _dependents(models: list[type]) -> list[type]:
    """Models outside `models` that have a foreign key into them, directly or through each other."""
    found: list[type] = []
    frontier = list(models)
    while frontier:
        model = frontier.pop()
        for rel in (f for f in model._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete):
            other = rel.related_model
            if other not in models and other not in found and other._meta.managed and not other._meta.proxy:
                found.append(other)
                frontier.append(other)
    return found


def synth_reset() -> dict[str, int]:
    """Delete the synthetic partnership: its people, referrals, cases, users and organisations.

    Rows of other tables that hang off synthetic cases or people (added by later features) go
    with them. Audit events whose actor is a synthetic user or whose organisation is synthetic are
    deleted too (they were written when someone, usually the benchmark, used the synthetic
    records); otherwise the synthetic users and organisations could not go. Nothing else is touched.
    """
    from joinedup.outcomes.services import tallies_rebuild

    counts: dict[str, int] = {}
    with transaction.atomic():
        touched = _other_programmes()
        _delete_bulk(counts)
        _delete_synthetic_programmes(counts, touched)
        _delete_staff(counts)
        tallies_rebuild()  # the dashboard's monthly tallies, without what was removed
    return counts


def _delete_bulk(counts: dict[str, int]) -> None:
    qn = connection.ops.quote_name
    bulk = bulk_models()
    dependents = _dependents(bulk)
    only_synthetic = (
        not non_synthetic_referral_count()
        and Person.objects.count() == synthetic_referrals().count()
        and not _non_synthetic_employers()
    )
    # With nothing but synthetic people and employers, every row of the bulk tables is synthetic,
    # and so is every row of a table with a non-null foreign key into them (or into such a table):
    # TRUNCATE is instant. A table reached only through nullable keys might hold other rows.
    every_row = _reached_by_required_keys(bulk, dependents)
    if connection.vendor == "postgresql" and only_synthetic and every_row:
        for model in [*bulk, *dependents]:
            counts[model._meta.label] = model.objects.count()
        tables = ", ".join(qn(m._meta.db_table) for m in [*bulk, *dependents])
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses tables with checks pending
            cur.execute(f"TRUNCATE {tables}")
        return
    referrals = synthetic_referrals()
    people = list(referrals.values_list("person_id", flat=True))
    # Cases first (their contacts, job starts and anything else that cascades), then
    # referrals (with their status history), then people (with their consents).
    for label, n in Case.objects.filter(referral__in=referrals).delete()[1].items():
        counts[label] = counts.get(label, 0) + n
    for label, n in referrals.delete()[1].items():
        counts[label] = counts.get(label, 0) + n
    for start in range(0, len(people), 5000):
        for label, n in Person.objects.filter(pk__in=people[start : start + 5000]).delete()[1].items():
            counts[label] = counts.get(label, 0) + n
    _delete_synthetic_employers(counts)


def _non_synthetic_employers() -> bool:
    from django.apps import apps

    return apps.get_model("employers", "Employer").objects.exclude(owner__ods_code=SYNTH_ODS).exists()


def _reached_by_required_keys(bulk: list[Any], dependents: list[Any]) -> bool:
    """Whether every dependent table has a non-null foreign key into the bulk tables or into a
    dependent that has (so each of its rows hangs off a synthetic row)."""
    reached = set(bulk)
    changed = True
    while changed:
        changed = False
        for model in dependents:
            if model not in reached and any(
                f.is_relation and not f.null and f.related_model in reached for f in model._meta.concrete_fields
            ):
                reached.add(model)
                changed = True
    return all(m in reached for m in dependents)


def _delete_synthetic_employers(counts: dict[str, int]) -> None:
    """Employers held by synthetic partners, their vacancies first (a vacancy protects its employer)."""
    from django.apps import apps

    Employer, Vacancy = apps.get_model("employers", "Employer"), apps.get_model("employers", "Vacancy")
    for qs in (
        Vacancy.objects.filter(employer__owner__ods_code=SYNTH_ODS),
        Employer.objects.filter(owner__ods_code=SYNTH_ODS),
    ):
        for label, n in qs.delete()[1].items():
            counts[label] = counts.get(label, 0) + n


def _other_programmes() -> list:
    """Programmes not led by the synthetic lead body that have synthetic cases on them."""
    from joinedup.programmes.models import Programme

    return list(
        Programme.objects.exclude(lead_organisation__ods_code=SYNTH_ODS)
        .filter(participations__partner__ods_code=SYNTH_ODS)
        .distinct()
    )


def _delete_synthetic_programmes(counts: dict[str, int], touched: list) -> None:
    """The programmes led by the synthetic lead body, with their set-up, batches and tallies (their
    participants went with the cases); the tallies of any other programme that had synthetic cases
    recounted without them."""
    from joinedup.programmes.models import Budget, ClaimBatch, Programme, ProgrammeTally
    from joinedup.programmes.tally import tallies_rebuild as programme_tallies_rebuild

    synthetic = Programme.objects.filter(lead_organisation__ods_code=SYNTH_ODS)
    for qs in (
        ProgrammeTally.objects.filter(programme__in=synthetic),
        ClaimBatch.objects.filter(programme__in=synthetic),
        Budget.objects.filter(programme__in=synthetic),
        synthetic,
    ):
        for label, n in qs.delete()[1].items():
            counts[label] = counts.get(label, 0) + n
    for programme in touched:
        programme_tallies_rebuild(programme)


def _delete_staff(counts: dict[str, int]) -> None:
    from joinedup.api.models import ApiToken
    from joinedup.audit.models import AuditEvent

    User = get_user_model()
    synth_users = User.objects.filter(username__startswith=USER_PREFIX)
    synth_orgs = Organisation.objects.filter(ods_code=SYNTH_ODS)
    events = AuditEvent.objects.filter(actor__in=synth_users) | AuditEvent.objects.filter(organisation__in=synth_orgs)
    counts["audit.AuditEvent"] = events._raw_delete(AuditEvent.objects.db)
    ApiToken.objects.filter(membership__user__in=synth_users).delete()
    counts[Membership._meta.label] = Membership.objects.filter(user__in=synth_users)._raw_delete(Membership.objects.db)
    counts[User._meta.label] = synth_users._raw_delete(User.objects.db)
    counts[Organisation._meta.label] = synth_orgs._raw_delete(Organisation.objects.db)
