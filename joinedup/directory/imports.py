"""Importing an ORUK 3.0 feed: read it, check it (feed_check), and write it (feed_writer) or record why not.

Every import, accepted or rejected, runs in one transaction and writes one audit event
(joinedup.audit.services.audit_record).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.audit.models import AuditVerb
from joinedup.audit.services import audit_record
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm

from .feed_check import feed_problems
from .feed_writer import save_service, save_taxonomy
from .models import ImportRun

MAX_FEED_BYTES = 10 * 1024 * 1024  # 10 MB: far above a county's directory, far below a memory problem


@dataclass
class ImportReport:
    run: ImportRun
    rejections: list[dict[str, str]] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.run.accepted

    def lines(self) -> list[str]:
        if self.accepted:
            return [
                f"Imported {self.run.created_count} new and {self.run.updated_count} updated services "
                f"from {self.run.source}."
            ]
        head = f"Nothing was imported from {self.run.source}: {len(self.rejections)} problem(s) found."
        return [head] + [f"- {r['record']}: {r['problem']}" for r in self.rejections]


def _records(payload: Any) -> tuple[list[Any], list[Any]]:
    """(services, taxonomies) from a list, an ORUK page, or our whole-directory export."""
    if isinstance(payload, list):
        return payload, []
    if isinstance(payload, dict):
        if isinstance(payload.get("services"), list):
            return payload["services"], payload.get("taxonomies") or []
        if isinstance(payload.get("contents"), list):
            return payload["contents"], []
        if "id" in payload and "name" in payload:
            return [payload], []
    raise DomainError("The feed is not a list of services, an ORUK page or a Joined Up export.")


def _read(data: bytes) -> tuple[list[Any], list[Any], list[dict[str, str]]]:
    """(services, taxonomies, problems with the file as a whole) from the feed's bytes."""
    if len(data) > MAX_FEED_BYTES:
        problem = (
            f"The file is over {MAX_FEED_BYTES // (1024 * 1024)} MB: the limit is {MAX_FEED_BYTES // (1024 * 1024)} MB."
        )
        return [], [], [{"record": "(file)", "problem": problem}]
    try:
        services, feed_taxonomies = _records(json.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problem = f"The file is not valid JSON ({exc.__class__.__name__}: {exc})."
        return [], [], [{"record": "(file)", "problem": problem}]
    except DomainError as exc:
        return [], [], [{"record": "(file)", "problem": exc.message}]
    return services, feed_taxonomies, []


def _audit(run: ImportRun, actor: Membership | None, payload: dict[str, Any]) -> None:
    audit_record(
        actor=actor.user if actor else None,
        verb=AuditVerb.CREATED,
        target=run,
        organisation=actor.organisation if actor else None,
        channel="web" if actor else "command",
        payload=payload,
    )


def _reject(run: ImportRun, actor: Membership | None, rejections: list[dict[str, str]]) -> ImportReport:
    with transaction.atomic():  # the failed attempt and its audit event, together or not at all
        run.rejections = rejections
        run.save()
        _audit(run, actor, {"import": "rejected", "problems": len(rejections)})
    return ImportReport(run, rejections)


def _accept(
    run: ImportRun, actor: Membership | None, services: list[Any], feed_taxonomies: list[Any], publish: bool
) -> ImportReport:
    with transaction.atomic():
        now = timezone.now()
        for tax in feed_taxonomies:
            save_taxonomy(tax, run.source, now)
        for item in services:
            if save_service(item, run.source, now, publish):
                run.created_count += 1
            else:
                run.updated_count += 1
        run.accepted = True
        run.save()
        _audit(run, actor, {"import": "accepted", "created": run.created_count, "updated": run.updated_count})
    return ImportReport(run, [])


def oruk_import(
    *, data: bytes, source: str, actor: Membership | None = None, filename: str = "", publish: bool = False
) -> ImportReport:
    """Import an ORUK 3.0 feed. All or nothing: any rejected record means nothing changes.

    Idempotent: records keep their ORUK ids, so importing the same feed again updates them. Each
    record keeps its provenance (source, source id, time imported). Command-line imports have no
    actor; a signed-in import needs directory.manage.
    """
    if actor is not None and not has_perm(actor, Perm.DIRECTORY_MANAGE):
        raise NotPermitted("You do not have permission to import into the directory.")
    source = (source or "").strip()[:200]
    if not source:
        raise DomainError("Name the feed's source, for example the council whose directory it is.", field="source")
    run = ImportRun(source=source, filename=filename[:300], sha256=hashlib.sha256(data).hexdigest())
    services, feed_taxonomies, rejections = _read(data)
    if not rejections:
        rejections = feed_problems(services, feed_taxonomies, source)
    if rejections:
        return _reject(run, actor, rejections)
    return _accept(run, actor, services, feed_taxonomies, publish)
