"""Writes for data sharing: recording an agreement, and producing an extract under it (audited as an export)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.organisations.permissions import Membership, Perm

from . import limits
from .extract import FIELDS, Extract, K, extract_build
from .models import DataSharingAgreement, ExtractRun
from .services import require

FORMATS = ("csv", "parquet")


def agreement_record(
    *,
    actor: Membership,
    title: str,
    recipient: str,
    purpose: str,
    legal_basis: str,
    fields: list[str],
    starts_on: date,
    expires_on: date,
) -> DataSharingAgreement:
    """Record a data-sharing agreement: who receives what, why, on what legal basis, until when."""
    require(actor, Perm.EXTRACT_MANAGE)
    for name, value, limit in (
        ("title", title, limits.AGREEMENT_TITLE),
        ("recipient", recipient, limits.AGREEMENT_PARTIES),
        ("purpose", purpose, limits.AGREEMENT_TEXT),
        ("legal_basis", legal_basis, limits.AGREEMENT_TEXT),
    ):
        if not value.strip():
            raise DomainError(f"Enter the agreement's {name.replace('_', ' ')}", field=name)
        limit.check(value, field=name)
    unknown = [f for f in fields if f not in FIELDS]
    if unknown or not fields:
        raise DomainError("Choose at least one field the extract may hold", field="fields")
    if expires_on <= starts_on:
        raise DomainError("The agreement must end after it starts", field="expires_on")
    with transaction.atomic():
        agreement = DataSharingAgreement.objects.create(
            title=title.strip(),
            recipient=recipient.strip(),
            purpose=purpose.strip(),
            legal_basis=legal_basis.strip(),
            fields=[f for f in FIELDS if f in fields],  # in the catalogue's order
            starts_on=starts_on,
            expires_on=expires_on,
            organisation=actor.organisation,
            created_by=actor.user,
        )
        audit_record(
            actor=actor.user,
            verb=AuditVerb.AGREEMENT_RECORDED,
            target=agreement,
            organisation=actor.organisation,
            payload={"agreement": agreement.title, "fields": agreement.fields},
        )
    return agreement


def extract_produce(*, actor: Membership, agreement: DataSharingAgreement, file_format: str) -> tuple[Extract, bytes]:
    """The agreement's extract as CSV or Parquet, while the agreement is in force; recorded and audited."""
    require(actor, Perm.EXTRACT_MANAGE)
    if file_format not in FORMATS:
        raise DomainError("Choose CSV or Parquet")
    today = timezone.localdate()
    if not agreement.starts_on <= today < agreement.expires_on:
        raise DomainError("The agreement is not in force today: no extract may be made under it")
    with transaction.atomic():
        extract = extract_build(fields=list(agreement.fields), salt=agreement.salt)
        content = extract.as_csv() if file_format == "csv" else extract.as_parquet()
        run = ExtractRun.objects.create(
            agreement=agreement,
            file_format=file_format,
            fields=list(agreement.fields),
            rows=len(extract.rows),
            suppressed=extract.suppressed,
            k=K,
            created_by=actor.user,
        )
        payload: dict[str, Any] = {
            "agreement": agreement.title,
            "format": file_format,
            "rows": run.rows,
            "suppressed": run.suppressed,
        }
        audit_record(
            actor=actor.user, verb=AuditVerb.EXPORTED, target=run, organisation=actor.organisation, payload=payload
        )
    return extract, content
