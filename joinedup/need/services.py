"""The need app's writes: loading the open data and Fingertips exports (one transaction each call,
nothing half-loaded), and saving a business case's narrative section as a new dated version."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.permissions import Membership, Perm, has_perm

from . import loading
from .fingertips import load_fingertips
from .models import Dataset, ImportRun, NarrativeVersion
from .narrative import NARRATIVE_LIMIT, SECTIONS

__all__ = ["OpenDataFiles", "fingertips_import", "fingertips_loaded", "narrative_save", "open_data_load"]


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
