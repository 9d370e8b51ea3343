"""The health-and-employment business case for a Health and Wellbeing Board (decision 023): the
need, current provision and its gaps, outcomes so far, costs and savings and who gains them
(the programmes app's `costs`), and the case for investment at a chosen scale, with the narrative
sections as last saved. One selector builds it for the HTML page and the PDF alike."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from joinedup.core.errors import DomainError
from joinedup.directory.selectors import gaps
from joinedup.organisations.permissions import Membership
from joinedup.programmes.choices import Beneficiary
from joinedup.programmes.selectors import programmes_for
from joinedup.programmes.selectors.costs import CostLine, costs

from .models import NarrativeVersion
from .narrative import DEFAULTS, SECTIONS
from .selectors import NeedPage, narrative, need_page
from .suppression import Cell, suppress, threshold

MAX_PEOPLE = 100_000
PENNY = Decimal("0.01")


@dataclass
class ProgrammeCosts:
    name: str
    line: CostLine
    participants: Cell
    job_entries: Cell
    sustained: Cell

    @property
    def savings_hidden(self) -> bool:
        """A saving is a unit amount (shown on the costs page) times the job entries or sustained
        jobs: shown only where those counts are."""
        return self.job_entries.hidden or self.sustained.hidden


@dataclass
class Investment:
    people: int
    job_entry_rate: Decimal | None  # observed job entries per participant, every programme together
    cost_per_participant: Decimal | None
    saving_per_job_entry: dict[str, Decimal]  # by who gains

    @property
    def job_entries(self) -> int | None:
        return None if self.job_entry_rate is None else int((self.people * self.job_entry_rate).to_integral_value())

    @property
    def cost(self) -> Decimal | None:
        return None if self.cost_per_participant is None else (self.people * self.cost_per_participant).quantize(PENNY)

    def savings(self) -> dict[str, Decimal]:
        n = self.job_entries or 0
        return {who: (n * each).quantize(PENNY) for who, each in self.saving_per_job_entry.items()}

    @property
    def total_savings(self) -> Decimal | None:
        return None if self.job_entry_rate is None else sum(self.savings().values(), Decimal(0))


@dataclass
class BusinessCase:
    scope: str
    need: NeedPage
    sections: dict[str, tuple[str, str, NarrativeVersion | None]]  # key: (heading, text, the version)
    programmes: list[ProgrammeCosts]
    investment: Investment
    gap_areas: list[str]
    gap_rows: list
    generated_at: object
    beneficiaries: dict[str, str]


def people_asked(text: str | None, default: int) -> int:
    """The scale asked for: a whole number of people from 1 to MAX_PEOPLE."""
    if text in (None, ""):
        return default
    value = str(text).replace(",", "").strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_PEOPLE:
        raise DomainError(f"Enter the number of people to support, from 1 to {MAX_PEOPLE:,}.", field="people")
    return int(value)


MEASURES = ("participants", "job_entries", "sustained")


def _programmes(actor: Membership) -> list[ProgrammeCosts]:
    """Each programme's costs and counts, the counts suppressed as one group per measure: the
    partnership's total is shown elsewhere (the outcomes table, the case for investment), so a hidden
    programme's count must not be its difference from the others'."""
    lines = [
        (programme.name, costs(actor=actor, programme=programme).total)
        for programme in programmes_for(actor=actor).order_by("name")
    ]
    counts: dict[Hashable, int] = {(i, m): getattr(line, m) for i, (_, line) in enumerate(lines) for m in MEASURES}
    cells = suppress(counts, {("all", m): [(i, m) for i in range(len(lines))] for m in MEASURES})
    return [ProgrammeCosts(name, line, *(cells[(i, m)] for m in MEASURES)) for i, (name, line) in enumerate(lines)]


def _investment(people: int, found: list[ProgrammeCosts]) -> Investment:
    participants = sum(p.line.participants for p in found)
    job_entries = sum(p.line.job_entries for p in found)
    spend = sum((p.line.spend for p in found), Decimal(0))
    gains = dict.fromkeys(Beneficiary.values, Decimal(0))
    for p in found:
        for who, amount in p.line.by_beneficiary().items():
            gains[who] += amount
    if participants < threshold() or job_entries < threshold():
        # Too few to say: the scaled figures would give the counts away (people × spend ÷ cost).
        return Investment(people, None, None, {})
    rate = (Decimal(job_entries) / participants).quantize(Decimal("0.0001"))
    per_participant = (spend / participants).quantize(PENNY) if spend else None
    per_job = {who: (amount / job_entries).quantize(PENNY) for who, amount in gains.items()}
    return Investment(people, rate, per_participant, per_job)


def business_case(*, actor: Membership, scope: str, people: int | None = None) -> BusinessCase:
    need = need_page(actor=actor, code=scope)
    saved = narrative(actor=actor, scope=scope)
    sections = {
        key: (heading, saved[key].text if key in saved else DEFAULTS[key], saved.get(key))
        for key, heading in SECTIONS.items()
    }
    found = _programmes(actor)
    default = max(10, (need.area.claimants(need.year) or 0) // 100)  # 1% of the claimants
    gap_areas, gap_rows = gaps(actor=actor)
    return BusinessCase(
        scope, need, sections, found, _investment(people or default, found), gap_areas, gap_rows,
        timezone.localtime(), dict(Beneficiary.choices),
    )  # fmt: skip
