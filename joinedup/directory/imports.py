"""Importing an ORUK 3.0 feed: read it, check it (feed_check), and write it (feed_writer) or record why not.

Every import, accepted or rejected, runs in one transaction and writes one audit event
(joinedup.audit.services.audit_record).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.audit.models import AuditVerb
from joinedup.audit.services import audit_record
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.jobs.registry import Progress, job
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm

from .feed_check import feed_problems
from .feed_writer import Touched, save_service, save_taxonomy
from .models import ImportFeed, ImportRun

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
        touched = Touched()
        for tax in feed_taxonomies:
            save_taxonomy(tax, run.source, now, touched)
        for item in services:
            if save_service(item, run.source, now, publish, touched):
                run.created_count += 1
            else:
                run.updated_count += 1
        touched.reindex()  # once: these services, and any other whose term or organisation was renamed
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


def oruk_import_queue(*, data: bytes, source: str, filename: str = "", publish: bool = False) -> uuid.UUID:
    """Hand a feed to the background worker (the command's `--queue`): the bytes are kept in an
    `ImportFeed` row, the job carries its id, and the job's page shows the report when it is done.
    Returns the job's id."""
    if len(data) > MAX_FEED_BYTES:
        raise DomainError(f"The file is over {MAX_FEED_BYTES // (1024 * 1024)} MB: the limit is that.", field="file")
    source = (source or "").strip()[:200]
    if not source:
        raise DomainError("Name the feed's source, for example the council whose directory it is.", field="source")
    with transaction.atomic():
        feed = ImportFeed.objects.create(source=source, filename=filename[:300], publish=publish, data=data)
        return directory_import_run.enqueue(key=f"directory-import:{feed.pk}", feed=feed.pk).pk


@job(label="Import an Open Referral UK feed into the directory", max_attempts=2, backoff_seconds=30, lease_seconds=900)
def directory_import_run(*, feed: str, progress: Progress) -> dict[str, object]:
    """The background job: import the kept feed (all or nothing, as from the command) and report."""
    kept = ImportFeed.objects.get(pk=feed)
    progress.report(5, f"Checking the feed from {kept.source}")
    report = oruk_import(data=bytes(kept.data), source=kept.source, filename=kept.filename, publish=kept.publish)
    ImportFeed.objects.filter(pk=kept.pk).update(run=report.run, data=b"")  # the bytes are not kept once read
    return {
        "import_run": str(report.run.pk),
        "accepted": report.accepted,
        "created": report.run.created_count,
        "updated": report.run.updated_count,
        "report": report.lines()[:50],
    }
