"""Synthetic data, declared once per model.

Each model the synthetic loader writes has one declaration, in the module named after its app
(`people`, `referrals`, `cases`, `cases_workspace`, `employers`, `programmes`), beside the value
distributions it draws from::

    @synthetic(Contact, demo="case_services.contact_record for each planned contact")
    def contacts(plan, row):
        ...
        yield row(id=..., created_at=..., case=..., happened_on=..., ...)

The columns come from the model's ``_meta``: `row` takes every concrete field by name (keyword
arguments only, so the order of the fields in the model does not matter) and gives the line of COPY
text for it. A field the declaration leaves out gets its default (Django's: "" for text, NULL if it
may be null); a field with none must be given, else the load fails naming it, and a name that is
not a field fails too. `demo` says how the demo partnership (`joinedup.demo.demo`, through the real
services) makes rows of the model; `joinedup/demo/tests/test_synthetic.py` checks that it does.

A concrete model of a domain app either has a declaration here or is on `NOT_SYNTHESISED`, with
the reason; the same test fails otherwise.
"""

from __future__ import annotations

import importlib
import keyword
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import NOT_PROVIDED, Field, Model

from joinedup.demo.synth.base import SynthError, copy_text

# The declaration modules, in load order (a model's declaration after those it refers to).
MODULES = ("people", "referrals", "cases", "cases_workspace", "employers", "programmes")

Rows = Callable[..., Iterable[str]]


@dataclass(frozen=True)
class Declaration:
    model: type[Model]
    rows: Rows  # (plan, row) -> lines of COPY text
    demo: str  # how the demo partnership makes rows of this model
    order: tuple[int, int]  # (module in MODULES, place in the module): the load order

    @property
    def label(self) -> str:
        return self.model._meta.label


_REGISTRY: dict[type[Model], Declaration] = {}

# Concrete models of the domain apps that the synthetic loader does not write in bulk, and why.
_PROGRAMME_SETUP = "a few rows per programme: synth sets its programme up through the services (synth/programmes.py)"
_NEED = "reference data, not people: loaded from open data files by need_load (the demo loads the shipped files)"
NOT_SYNTHESISED: dict[str, str] = {
    "directory.SearchWord": "the search vocabulary is derived from the services by directory.search.index_services",
    "employers.MatchRow": "derived: synth rebuilds the matching table from what was loaded (match_rows_rebuild)",
    "programmes.ProgrammeTally": "derived: synth rebuilds them from the loaded participations (tally.tallies_rebuild)",
    "need.Area": _NEED,
    "need.Lsoa": _NEED,
    "need.BenefitCaseload": _NEED,
    "need.Indicator": _NEED,
    "need.IndicatorValue": _NEED,
    "need.ImportRun": "a record of each open-data file loaded by need_load",
    "need.NarrativeVersion": "a few per business case, written by hand on the page",
    "organisations.Organisation": "a few hundred rows at most: made by the staff step (ORM bulk_create)",
    "organisations.Membership": "one per synthetic user: made by the staff step with the users",
    "audit.AuditEvent": "none of the synthetic history happened, so nothing is audited",
    "referrals.PublicSubmissionCount": "a short-lived counter of public self-referrals per client (issue 17)",
    "outcomes.MonthlyTally": "derived: tallies_rebuild counts it from the loaded rows",
    "api.ApiToken": "secrets: tokens are issued by hand (api_token), never generated",
    # Information governance (issue 17): a handful of rows made by hand, never at volume.
    "governance.RightsRequest": "a few a month, recorded by hand from a person's request",
    "governance.LegalHold": "rare, placed by hand for a claim or an investigation",
    "governance.Erasure": "made only by erasing a person (on request or by the retention command)",
    "governance.DataSharingAgreement": "a few, recorded by hand before any extract",
    "governance.ExtractRun": "made only by producing an extract under an agreement",
    "governance.RetentionRun": "made only by the retention command, once a day",
    "directory.DirectoryOrganisation": "the directory has its own seed and generator (bench.directory)",
    "directory.Service": "the directory has its own seed and generator (bench.directory)",
    "directory.Location": "the directory has its own seed and generator (bench.directory)",
    "directory.ServiceAtLocation": "the directory has its own seed and generator (bench.directory)",
    "directory.Contact": "the directory has its own seed and generator (bench.directory)",
    "directory.Phone": "the directory has its own seed and generator (bench.directory)",
    "directory.Schedule": "the directory has its own seed and generator (bench.directory)",
    "directory.ServiceArea": "the directory has its own seed and generator (bench.directory)",
    "directory.Taxonomy": "the directory has its own seed and generator (bench.directory)",
    "directory.TaxonomyTerm": "the directory has its own seed and generator (bench.directory)",
    "directory.Language": "the directory has its own seed and generator (bench.directory)",
    "directory.CostOption": "the directory has its own seed and generator (bench.directory)",
    "directory.Funding": "the directory has its own seed and generator (bench.directory)",
    "directory.EligibilityRuleSet": "the directory has its own seed and generator (bench.directory)",
    "directory.ImportRun": "a record of a file imported into the directory: nothing is imported",
    "notifications.NotificationAddress": "no synthetic organisation is sent notifications",
    "notifications.Notification": "outbound messages: none are sent about synthetic referrals",
    "linkage.DuplicateCheck": "linkage has its own synthetic people and benchmark (joinedup.linkage.synthetic)",
    "linkage.DuplicateCandidate": "linkage has its own synthetic people and benchmark (joinedup.linkage.synthetic)",
    "linkage.PersonMerge": "linkage has its own synthetic people and benchmark (joinedup.linkage.synthetic)",
    "linkage.DedupeRun": "made by manage.py linkage_dedupe from the people there are (bench.linkage times it)",
    "linkage.DedupePair": "made by manage.py linkage_dedupe from the people there are (bench.linkage times it)",
    "cases.CaseExit": "not synthesised yet: closed cases have no exit record (the loader predates it)",
    "cases.EarlyHelp": "not synthesised yet: in-work early help is rare and not in the benchmarks",
    "cases.JobApplication": "not synthesised yet: not in the benchmarked pages",
    "cases.BetterOffCalculation": "not synthesised yet: results come from the calculator, not a distribution",
    "cases.WorkActivity": "not synthesised yet: not in the benchmarked pages",
    "cases.OnwardReferral": "not synthesised yet: needs directory services to refer to",
    "directory.ImportFeed": "a feed waiting for the background worker: nothing is imported",
    "jobs.Job": "background work: synthetic data is loaded in bulk, not through the queue",
    "employers.EmployerContact": "not synthesised yet: no benchmarked page reads employers' contacts",
    "employers.Engagement": "not synthesised yet: the engagement log is per employer, not in the benchmarks",
    "employers.FollowUp": "not synthesised yet: follow-up tasks are per employer, not in the benchmarks",
    "employers.ShareConsent": "not synthesised yet: putting forward is a handful per vacancy, not in the benchmarks",
    "employers.Nomination": "not synthesised yet: putting forward is a handful per vacancy, not in the benchmarks",
    "employers.JobStartLink": "not synthesised yet: synthetic job starts predate the vacancies",
    "employers.NameLink": "made by the employer_link_names command from the records, not generated",
    "employers.Adjustment": "not synthesised yet: per job, not in the benchmarks",
    "employers.AccessToWork": "not synthesised yet: per job, not in the benchmarks",
    "employers.CharterAssessment": "not synthesised yet: per employer, not in the benchmarks",
    "employers.CharterAnswer": "not synthesised yet: per employer, not in the benchmarks",
    "employers.AdviceRequest": "needs directory services to send to (the directory has its own generator)",
    "employers.SicknessAbsence": "not synthesised yet: per employer, not in the benchmarks",
    "programmes.Programme": _PROGRAMME_SETUP,
    "programmes.Funder": _PROGRAMME_SETUP,
    "programmes.Target": _PROGRAMME_SETUP,
    "programmes.Contract": _PROGRAMME_SETUP,
    "programmes.Tariff": _PROGRAMME_SETUP,
    "programmes.TariffRule": _PROGRAMME_SETUP,
    "programmes.UnitCost": _PROGRAMME_SETUP,
    "programmes.SavingShare": _PROGRAMME_SETUP,
    "programmes.Budget": _PROGRAMME_SETUP,
    # The person's own pages (issue 20): made only by the person signing in and using them.
    "portal.SignIn": "made only when a person asks for a sign-in link: secrets are never generated",
    "portal.PersonSession": "made only when a person signs in: secrets are never generated",
    "portal.Message": "not synthesised yet: made by the person and their adviser, not in the benchmarks",
    "portal.PlanShare": "made only when a person shares their plan: secrets are never generated",
}


def synthetic(model: type[Model], *, demo: str) -> Callable[[Rows], Rows]:
    """Declare how rows of `model` are made (the decorated generator) and how the demo makes them."""

    def register(rows: Rows) -> Rows:
        if model in _REGISTRY:
            raise SynthError(f"{model._meta.label} is declared twice.")
        module = rows.__module__.rpartition(".")[2]
        if module not in MODULES:
            raise SynthError(f"{model._meta.label} is declared in {rows.__module__}, which is not in MODULES.")
        order = (MODULES.index(module), len(_REGISTRY))
        _REGISTRY[model] = Declaration(model=model, rows=rows, demo=demo, order=order)
        return rows

    return register


def declarations() -> list[Declaration]:
    """Every declaration, in load order."""
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
    return sorted(_REGISTRY.values(), key=lambda d: d.order)


def columns(model: type[Model]) -> list[Field]:
    """The fields a load writes: every concrete field but an auto-incremented key and those the
    database fills in itself (db_default, generated columns)."""
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type().endswith("AutoField"))
        and getattr(f, "db_default", NOT_PROVIDED) is NOT_PROVIDED
        and not getattr(f, "generated", False)
    ]


def row_maker(model: type[Model]) -> Callable[..., str]:
    """A function taking each of `columns(model)` by name and giving one line of COPY text.

    Compiled once per load (one f-string in column order) so that millions of rows cost little more
    than writing the f-string by hand. Values are given as COPY text or as anything whose str() is
    (numbers, ids); booleans as ``t``/``f``; NULL as ``base.NULL``."""
    params, parts, defaults = [], [], {}
    for f in columns(model):
        if keyword.iskeyword(f.name) or f.name == "row":
            raise SynthError(f"{model._meta.label}.{f.name} cannot be a keyword argument.")
        parts.append("{" + f.name + "}")
        default = _default(f)
        if default is None:
            params.append(f.name)
        else:
            defaults[f"_d_{f.name}"] = default
            params.append(f"{f.name}=_d_{f.name}")
    body = "\\t".join(parts) + "\\n"
    source = f'def row(*, {", ".join(params)}):\n    return f"{body}"\n'
    namespace: dict = dict(defaults)
    exec(compile(source, f"<synthetic row of {model._meta.label}>", "exec"), namespace)  # noqa: S102
    return namespace["row"]


def _default(f: Field) -> str | None:
    """The COPY text a field takes when a declaration leaves it out (Django's default for it, so ""
    for text, NULL where it may be null), or None when it must be given."""
    if f.primary_key:
        return None  # a default such as uuid4 would give every row the same key
    value = f.get_default()
    if value is None and not f.null:
        return None
    return copy_text(value)


__all__ = ["NOT_SYNTHESISED", "Declaration", "columns", "declarations", "row_maker", "synthetic"]
