"""The need app's writes: loading the open data and Fingertips exports (one transaction each call,
nothing half-loaded), and saving a business case's narrative section as a new dated version."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.permissions import Membership, Perm, has_perm

from . import loading
from .fingertips import load_fingertips
from .models import Dataset, ImportRun, NarrativeVersion
from .narrative import NARRATIVE_LIMIT, SECTIONS

__all__ = [
    "OpenDataFiles",
    "fingertips_import",
    "fingertips_loaded",
    "fingertips_upload",
    "narrative_save",
    "open_data_load",
    "upload_limit",
]


@dataclass(frozen=True)
class OpenDataFiles:
    """The files to load; by default those shipped in `data/`."""

    geography: loading.Source | None = None
    register: loading.Source | None = None
    imd: loading.Source | None = None
    benefits: loading.Source | None = None

    @classmethod
    def shipped(cls) -> OpenDataFiles:
        read = loading.Source.read
        return cls(
            read(loading.GEOGRAPHY_FILE), read(loading.REGISTER_FILE), read(loading.IMD_FILE),
            read(loading.BENEFITS_FILE),
        )  # fmt: skip


def _unchanged(dataset: str, source: loading.Source) -> bool:
    last = ImportRun.objects.filter(dataset=dataset).first()
    return last is not None and last.sha256 == source.sha256


def _run(dataset: str, source: loading.Source, rows: int, summary: str) -> str:
    ImportRun.objects.create(dataset=dataset, file_name=source.name, sha256=source.sha256, rows=rows, summary=summary)
    return f"{Dataset(dataset).label}: {summary}"


@transaction.atomic
def open_data_load(*, files: OpenDataFiles, force: bool = False) -> list[str]:
    """Load or refresh the geography, the IMD and the caseloads (a file already loaded is skipped
    unless `force`). All or nothing: loading.FileRefused (with every problem) leaves no change."""
    done: list[str] = []
    if files.geography and files.register and (force or not _unchanged(Dataset.GEOGRAPHY, files.geography)):
        n = loading.load_geography(files.geography, files.register)
        done.append(_run(Dataset.GEOGRAPHY, files.geography, n, f"{n} areas"))
        if files.imd is None and loading.Lsoa.objects.exists():
            loading.profiles_rebuild()
    if files.imd and (force or not _unchanged(Dataset.IMD, files.imd)):
        n = loading.load_imd(files.imd)
        done.append(_run(Dataset.IMD, files.imd, n, f"{n} LSOAs"))
    if files.benefits and (force or not _unchanged(Dataset.BENEFITS, files.benefits)):
        n = loading.load_benefits(files.benefits)
        done.append(_run(Dataset.BENEFITS, files.benefits, n, f"{n} caseload figures"))
    return done


def fingertips_loaded(*, sha256: str) -> bool:
    """Whether this very file has been imported before."""
    return ImportRun.objects.filter(dataset=Dataset.FINGERTIPS, sha256=sha256).exists()


@transaction.atomic
def fingertips_import(*, sources: list[loading.Source]) -> list[str]:
    """Import Fingertips exports, all or nothing (loading.FileRefused names each problem's line)."""
    out = []
    for source in sources:
        rows, summary = load_fingertips(source)
        out.append(_run(Dataset.FINGERTIPS, source, rows, summary))
    return out


def upload_limit() -> int:
    """The largest Fingertips file taken through the page, in bytes (`NEED_UPLOAD_MAX_BYTES`)."""
    return int(getattr(settings, "NEED_UPLOAD_MAX_BYTES", 5_000_000))


def _uploaded_text(name: str, data: bytes) -> str:
    """The file's text, or DomainError saying in plain English why it is not a CSV we can read."""
    limit = upload_limit()
    if not name.lower().endswith(".csv"):
        raise DomainError("The file must be a CSV file (its name ending .csv), as Fingertips exports it.", field="file")
    if not data.strip():
        raise DomainError("The file is empty. Choose the CSV file Fingertips exported.", field="file")
    if len(data) > limit:
        raise DomainError(f"The file must be smaller than {limit // 1_000_000:,} MB.", field="file")
    if b"\x00" in data:
        raise DomainError("The file is not a CSV text file (it contains NUL bytes).", field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(
            "The file is not UTF-8 text. Upload the CSV as Fingertips exported it, not re-saved in another format.",
            field="file",
        ) from exc


def fingertips_upload(*, actor: Membership, name: str, data: bytes) -> ImportRun:
    """An analyst's Fingertips export, through the same import as `manage.py need_load
    --fingertips` (one transaction, nothing half-loaded), audited. DomainError for a file that is
    not a readable CSV; loading.FileRefused (every problem with its line) for one whose rows are
    wrong."""
    if not has_perm(actor, Perm.NEED_WRITE):
        raise NotPermitted("You do not have permission to load Fingertips files.")
    shown = "".join(ch for ch in name if ch.isprintable()).strip()[:255] or "fingertips.csv"  # no control characters
    source = loading.Source(shown, _uploaded_text(shown, data))
    with transaction.atomic():
        fingertips_import(sources=[source])
        run = ImportRun.objects.filter(dataset=Dataset.FINGERTIPS, sha256=source.sha256).order_by("-pk")[0]
        audit_record(
            actor=actor.user,
            verb=AuditVerb.IMPORTED,
            target=run,
            organisation=actor.organisation,
            payload={"file": run.file_name, "rows": run.rows, "sha256": run.sha256},
        )
    return run


def narrative_save(*, actor: Membership, scope: str, section: str, text: str) -> NarrativeVersion:
    """A new version of a business case's narrative section (the older ones are kept, dated)."""
    if not has_perm(actor, Perm.NEED_WRITE):
        raise NotPermitted("You do not have permission to edit the business case.")
    if section not in SECTIONS:
        raise DomainError("Choose a section of the business case.", field="section")
    cleaned = (text or "").strip()
    if not cleaned:
        raise DomainError(f"Enter the text of “{SECTIONS[section]}”.", field="text")
    if len(cleaned) > NARRATIVE_LIMIT:
        raise DomainError(f"The text must be {NARRATIVE_LIMIT:,} characters or fewer.", field="text")
    with transaction.atomic():
        latest = NarrativeVersion.objects.filter(scope=scope, section=section).first()
        if latest is not None and latest.text == cleaned:
            return latest  # a retried submission makes no second version
        version = NarrativeVersion.objects.create(scope=scope, section=section, text=cleaned, created_by=actor.user)
        audit_record(
            actor=actor.user,
            verb=AuditVerb.UPDATED,
            target=version,
            organisation=actor.organisation,
            payload={"scope": scope, "section": section},
        )
    return version
