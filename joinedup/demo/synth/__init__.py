"""A synthetic partnership at any size, for benchmarks: ``python manage.py synth --people N``.

The demo loader (`joinedup.demo.demo`) goes through the services one referral at a time, which keeps
it honest but takes minutes for a few thousand people. This module writes the same shapes of record
directly, in bulk, so that half a million people load in minutes:

* organisations (a lead body, ``N // 5000 + 3`` delivery partners, referring organisations of every
  kind, an evaluator and some employers), users and memberships (Personal Advisers sized so each
  holds about 40 active cases, partner managers, programme managers, analysts, referrers);
* one ``Person`` and one ``Referral`` per person, referred over about three years, two ``Consent``
  rows each (to the referral; to sharing progress with the referrer) plus the consent to support
  for those enrolled, as `case_enrol` records it;
* every referral status with its ``ReferralStatusChange`` history (received, assigned, declined,
  withdrawn, enrolled), whatever has happened by the as-of date;
* a ``Case`` for each enrolment, about 40 ``Contact`` rows per case (fewer for recent ones),
  ``JobStart`` rows and ``Sustainment`` at 13 and 26 weeks.

Everything is drawn from ``random.Random`` streams seeded from ``--seed`` (one stream per table,
consumed in a fixed order) and names come from pools drawn once from Faker en_GB, so a seed and an
as-of date always give the same rows and the same UUIDs (an organisation name that clashes with one
already in the database gets a suffix, which changes what follows). No audit events are written:
none of this happened.

On PostgreSQL the big tables are loaded with ``COPY`` (psycopg 3) after dropping their foreign keys
and secondary indexes, which are put back (and checked) before the one transaction commits. On
SQLite rows go in with batched ``executemany``.

Synthetic rows are recognisable: synthetic organisations have the ODS code ``SYNTH``, synthetic
users' usernames start ``synth.``, and the inactive user ``synth.loader`` records the seed, size and
as-of date of the load. A referral is synthetic when its referring organisation is.
"""

from __future__ import annotations

import json
import random
import time
from array import array
from bisect import bisect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as time_of_day

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone
from faker import Faker

from joinedup.cases import instruments, stages
from joinedup.cases.models import (
    ActionOwner,
    AreaRating,
    Assessment,
    AssessmentArea,
    Case,
    Contact,
    ContactChannel,
    ContactKind,
    GoalStatus,
    JobStart,
    PlanAction,
    PlanGoal,
    Sustainment,
    Timepoint,
    WellbeingMeasure,
)
from joinedup.organisations.models import Membership, Organisation, OrganisationKind, Role
from joinedup.people.models import Consent, ConsentPurpose, Person
from joinedup.referrals import statuses
from joinedup.referrals.choices import Benefit, EmploymentStatus, HealthCondition
from joinedup.referrals.models import Referral, ReferralStatusChange

SYNTH_ODS = "SYNTH"
USER_PREFIX = "synth."
LOADER_USERNAME = "synth.loader"
FORMAT_VERSION = 2  # 2: assessments, wellbeing, plans and next steps
SPAN_DAYS = 3 * 365  # referrals spread over about three years before the as-of date
ACTIVE_CASELOAD = 40  # advisers are hired so each holds about this many active cases
_MASK = (1 << 128) - 1
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as referrals.services
_NULL = "\\N"
_UNUSABLE = UNUSABLE_PASSWORD_PREFIX + "synthetic"  # an unusable password: no one can sign in

# The tables written in bulk, in load order.
BULK_MODELS = [
    Person, Consent, Referral, ReferralStatusChange, Case, Contact, JobStart, Sustainment,
    WellbeingMeasure, Assessment, AreaRating, PlanGoal, PlanAction,
]  # fmt: skip

TOWNS = [
    "Mansfield", "Worksop", "Newark", "Retford", "Ashfield", "Hucknall", "Kirkby", "Sutton", "Ollerton",
    "Southwell", "Bingham", "Beeston", "Arnold", "Carlton", "West Bridgford", "Eastwood", "Stapleford",
    "Chesterfield", "Bolsover", "Ilkeston", "Long Eaton", "Ripley", "Heanor", "Alfreton", "Belper", "Matlock",
    "Bakewell", "Buxton", "Glossop", "Swadlincote", "Loughborough", "Coalville", "Hinckley", "Melton Mowbray",
    "Market Harborough", "Grantham", "Lincoln", "Gainsborough", "Sleaford", "Boston", "Spalding", "Stamford",
    "Rotherham", "Doncaster", "Barnsley", "Sheffield", "Derby", "Nottingham", "Leicester", "Corby", "Kettering",
    "Wellingborough", "Northampton", "Daventry", "Rugby", "Nuneaton", "Tamworth", "Burton upon Trent",
    "Lichfield", "Stafford", "Stoke-on-Trent", "Newcastle-under-Lyme", "Leek", "Uttoxeter", "Crewe", "Macclesfield",
    "Scunthorpe", "Grimsby", "Skegness", "Louth", "Horncastle", "Oakham", "Uppingham", "Wirksworth", "Shirebrook",
    "Clowne", "Staveley", "Dronfield", "Killamarsh", "Bawtry", "Tuxford", "Blidworth", "Rainworth", "Clipstone",
    "Edwinstowe", "Warsop", "Selston", "Calverton", "Ruddington", "Keyworth", "Cotgrave", "Radcliffe on Trent",
]  # fmt: skip
PRACTICE_FEATURES = [
    "Riverside", "Oak Tree", "Meadows", "Park View", "Station Road", "Church Street", "Abbey", "Castle",
    "Market Street", "Willow", "Forest", "Valley", "Hillside", "Brook", "Orchard", "Victoria", "Albion",
    "Kingsway", "Priory", "Elmwood", "Beech", "Cedar", "Greenwood", "Rosewood", "Millview", "Northgate",
]  # fmt: skip
COUNTIES = ["Nottinghamshire", "Derbyshire", "Lincolnshire", "Leicestershire", "Staffordshire", "Yorkshire"]
PARTNER_PATTERNS = [
    "{t} Employment Support", "{t} CVS", "{t} Housing Association", "{t} Works", "{t} Futures Trust",
    "{t} Mind", "{t} Pathways", "{t} Into Work", "{t} Community Trust", "{t} Enterprise Partnership",
]  # fmt: skip
EMPLOYERS = [
    "Boots", "Nottingham City Transport", "Sherwood Forest Hospitals", "Experian", "Capital One", "Greggs",
    "Tesco", "Sainsbury's", "Asda", "Morrisons", "Aldi", "Lidl", "Amazon", "Royal Mail", "DHL", "B&Q",
    "Wickes", "Costa Coffee", "Premier Inn", "Whitbread", "Mansfield District Council", "Ashfield District Council",
    "Derbyshire County Council", "NHS Property Services", "Bupa Care Homes", "Anchor Hanover", "Mitie", "Sodexo",
    "Compass Group", "Arriva", "Stagecoach", "Severn Trent", "Serco", "Screwfix", "Toolstation", "Iceland",
    "Home Bargains", "B&M", "Poundland", "Marks & Spencer", "Next", "JD Sports", "Pets at Home", "Currys",
    "a local care home", "a local cafe", "a family-run garage", "a school academy trust", "a cleaning company",
]  # fmt: skip
JOBS = [
    "Warehouse operative", "Care assistant", "Customer service adviser", "Kitchen porter", "Cleaner",
    "Retail assistant", "Administrator", "Driver", "Groundworker", "Receptionist", "Support worker",
    "Picker packer", "Barista", "Chef", "Security officer", "Teaching assistant", "Delivery driver",
    "Call centre agent", "Data entry clerk", "Forklift driver", "Gardener", "Painter and decorator",
    "Housekeeper", "Porter", "Shelf stacker", "Production operative", "Bookkeeper", "Mechanic",
]  # fmt: skip
HELP = [
    "Getting back to work after a long time off sick",
    "Confidence and finding part-time work",
    "Working out what jobs I could do with my back condition",
    "Help with CV and interviews",
    "Worried about losing benefits if I work",
    "Staying in my job while I recover",
    "Finding work that fits around my anxiety",
    "Talking to my employer about adjustments",
    "Getting into work after years caring for a relative",
    "Finding a job with hours that suit my treatment",
    "Retraining for work I can do with my condition",
    "Building up to full-time hours",
]
ELIGIBILITY = [
    "Benefit award letter seen",
    "Universal Credit journal seen",
    "Fit note seen",
    "GP letter confirming condition",
    "ESA award letter seen",
    "Confirmed with Jobcentre work coach",
]
DECLINE_REASONS = [
    "Already getting similar support from another programme",
    "Lives outside the partnership area",
    "Duplicate of an earlier referral",
    "Not eligible: no health condition affecting work",
    "Person needs clinical support first",
]
WITHDRAW_REASONS = [
    "Person no longer wants support",
    "Could not be contacted after three attempts",
    "Moved out of the area",
    "Person found work before enrolment",
]
ASSIGN_REASONS = ["", "", "", "Closest partner to the person's home", "Specialist mental health support"]
NOTES = [
    "",
    "Talked through goals for the next month",
    "Updated CV together",
    "Looked at vacancies on Find a job",
    "Practised interview questions",
    "Discussed managing symptoms at work",
    "Agreed to apply for two roles this week",
    "Checked in after a difficult week",
    "Better-off calculation done",
    "Spoke to employer about a work trial",
    "Reviewed action plan",
    "Referred to debt advice",
    "Talked about reasonable adjustments",
    "Discussed travel to work",
    "Supported with online application",
    "Discussed disclosing condition to employer",
    "In-work check-in: going well",
    "In-work check-in: talked through a problem with shifts",
    "Met employer with person to agree adjustments",
]
POSTCODE_DISTRICTS = [
    "NG18", "NG19", "NG20", "NG21", "NG17", "NG15", "NG5", "NG7", "S80", "S81", "NG22", "NG24", "DE7", "DE55",
    "S40", "S41", "S43", "S44", "DE1", "DE21", "LE11", "LE12", "NG31", "LN1", "DN21", "NG9", "NG10", "NG16",
]  # fmt: skip
_UNIT = "ABDEFGHJLNPQRSTUWXYZ"

EMPLOYMENT_WEIGHTS = dict(zip(EmploymentStatus.values, [45, 35, 12, 8], strict=True))
HEALTH_WEIGHTS = dict(zip(HealthCondition.values, [45, 20, 12, 5, 5, 4, 4, 2, 3], strict=True))
BENEFIT_SETS = [
    ([Benefit.UC], 18),
    ([Benefit.UC_LCW], 12),
    ([Benefit.UC_LCWRA], 16),
    ([Benefit.ESA], 8),
    ([Benefit.ESA, Benefit.PIP], 6),
    ([Benefit.UC_LCWRA, Benefit.PIP], 10),
    ([Benefit.UC, Benefit.PIP], 4),
    ([Benefit.JSA], 3),
    ([Benefit.NONE], 23),
]
# Where referrals come from: (kind, share of referrals, organisations per 100,000 people, minimum).
REFERRER_MIX = [
    (OrganisationKind.GP_PRACTICE, 0.30, 66, 4),
    (OrganisationKind.JOBCENTRE, 0.25, 4, 2),
    (OrganisationKind.TALKING_THERAPIES, 0.15, 2, 1),
    (OrganisationKind.COMMUNITY_MENTAL_HEALTH, 0.08, 2, 1),
    (OrganisationKind.SOCIAL_CARE, 0.06, 1, 1),
    (OrganisationKind.HOUSING, 0.08, 3, 2),
    (OrganisationKind.OTHER_REFERRER, 0.08, 4, 2),
]

# Referral outcomes (codes stored in the plan arrays).
_NONE, _ASSIGNED, _DECLINED, _WITHDRAWN, _ENROLLED = 0, 1, 2, 3, 4
_STATUS_CODE = {
    _ASSIGNED: statuses.ASSIGNED,
    _DECLINED: statuses.DECLINED,
    _WITHDRAWN: statuses.WITHDRAWN,
    _ENROLLED: statuses.ENROLLED,
}
_STAGES = [stages.ENROLLED, stages.IN_WORK, stages.SUSTAINED_13, stages.SUSTAINED_26, stages.CLOSED]


GOALS = [
    "Find a part-time job I can manage alongside my health",
    "Feel confident enough to go to interviews",
    "Get back into work in retail or care",
    "Sort out my debts so I can think about work",
    "Learn to use a computer for job applications",
    "Get a qualification in food hygiene",
    "Manage my anxiety on the bus so I can travel to work",
    "Try volunteering to build up my routine",
    "Understand whether I will be better off working",
    "Start my own small business",
    "Keep my job and stay well at work",
    "Find stable housing before starting work",
]
ACTIONS = [
    ("Update my CV with the adviser", ActionOwner.PERSON),
    ("Book a better-off-in-work calculation", ActionOwner.ADVISER),
    ("Apply for three jobs a week", ActionOwner.PERSON),
    ("Contact the employer about adjustments", ActionOwner.ADVISER),
    ("Go to the job club on Tuesday", ActionOwner.PERSON),
    ("Refer to debt advice", ActionOwner.ADVISER),
    ("Ask the GP about a fit note review", ActionOwner.PERSON),
    ("Find out about Access to Work", ActionOwner.ADVISER),
    ("Practise interview questions", ActionOwner.PERSON),
    ("Look into bus passes", ActionOwner.OTHER),
]
NEXT_ACTIONS = [
    "Phone to check on job applications",
    "Review the plan together",
    "Meet at the library to update the CV",
    "Follow up with the employer",
    "Check in after the interview",
    "In-work support call",
    "Discuss the better-off calculation",
]
ASSESSMENT_SUMMARIES = ["", "", "Main barriers are health and confidence.", "Keen to work; transport is hard."]

for _pool in (TOWNS, PRACTICE_FEATURES, EMPLOYERS, JOBS, HELP, ELIGIBILITY, NOTES, DECLINE_REASONS, GOALS,
              [a for a, _o in ACTIONS], NEXT_ACTIONS, ASSESSMENT_SUMMARIES):  # fmt: skip
    assert not any(c in text for text in _pool for c in "\t\n\r\\"), "COPY text must not need escaping"


class SynthError(Exception):
    """The database is not in a state the loader may write to."""


@dataclass(frozen=True)
class SynthInfo:
    """What `synth.loader` says was loaded."""

    seed: int
    people: int
    as_of: date
    version: int


@dataclass
class SynthResult:
    people: int
    seed: int
    as_of: date
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def people_per_second(self) -> float:
        return self.people / self.seconds if self.seconds else 0.0


# --- What is there already ---------------------------------------------------------------------


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


# --- Wiping ------------------------------------------------------------------------------------


def _dependents(models: list[type]) -> list[type]:
    """Models outside `models` that have a foreign key into them, directly or through each other."""
    found: list[type] = []
    frontier = list(models)
    while frontier:
        for rel in frontier.pop()._meta.related_objects:
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
    from joinedup.api.models import ApiToken
    from joinedup.audit.models import AuditEvent

    counts: dict[str, int] = {}
    qn = connection.ops.quote_name
    User = get_user_model()
    dependents = _dependents(BULK_MODELS)
    with transaction.atomic():
        only_synthetic = not non_synthetic_referral_count() and Person.objects.count() == synthetic_referrals().count()
        # With nothing but synthetic people, every row of the bulk tables and of any table whose
        # (non-null) foreign key points into them is synthetic: TRUNCATE is instant.
        every_row = all(
            not f.null
            for m in dependents
            for f in m._meta.concrete_fields
            if f.is_relation and f.related_model in (*BULK_MODELS, *dependents)
        )
        if connection.vendor == "postgresql" and only_synthetic and every_row:
            for model in [*BULK_MODELS, *dependents]:
                counts[model._meta.label] = model.objects.count()
            tables = ", ".join(qn(m._meta.db_table) for m in [*BULK_MODELS, *dependents])
            with connection.cursor() as cur:
                cur.execute(f"TRUNCATE {tables}")
        else:
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
        synth_users = User.objects.filter(username__startswith=USER_PREFIX)
        synth_orgs = Organisation.objects.filter(ods_code=SYNTH_ODS)
        events = AuditEvent.objects.filter(actor__in=synth_users) | AuditEvent.objects.filter(
            organisation__in=synth_orgs
        )
        counts["audit.AuditEvent"] = events._raw_delete(AuditEvent.objects.db)
        ApiToken.objects.filter(membership__user__in=synth_users).delete()
        counts[Membership._meta.label] = Membership.objects.filter(user__in=synth_users)._raw_delete(
            Membership.objects.db
        )
        counts[User._meta.label] = synth_users._raw_delete(User.objects.db)
        counts[Organisation._meta.label] = synth_orgs._raw_delete(Organisation.objects.db)
        from joinedup.outcomes.services import tallies_rebuild

        tallies_rebuild()  # the dashboard's monthly tallies, without what was removed
    return counts


# --- Loading -----------------------------------------------------------------------------------


class _Ids:
    """Distinct, deterministic, random-looking UUIDs (as 32 hex digits) for row n of one table."""

    def __init__(self, rng: random.Random) -> None:
        self.base = rng.getrandbits(128)
        self.step = rng.getrandbits(128) | 1  # odd, so n -> base + n * step is one-to-one mod 2**128

    def __call__(self, n: int) -> str:
        return "%032x" % ((self.base + n * self.step) & _MASK)


def _weighted_table(weights: dict, size: int) -> list:
    """A list of `size` items in proportion to `weights`, to pick from with a few random bits."""
    total = sum(weights.values())
    table: list = []
    for item, w in weights.items():
        table += [item] * round(size * w / total)
    while len(table) < size:
        table.append(next(iter(weights)))
    return table[:size]


def _nhs_number(rng: random.Random) -> str:
    """A valid NHS number in the 999 range set aside for testing."""
    while True:
        digits = [9, 9, 9] + [rng.randrange(10) for _ in range(6)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


@dataclass
class _Org:
    id: str
    name: str
    kind: str
    weight: float = 1.0
    users: list[int] = field(default_factory=list)  # auth user ids, filled once users exist
    user_specs: list[tuple[str, str, str, str]] = field(default_factory=list)  # username, first, last, role


class _Loader:
    def __init__(self, *, people: int, seed: int, as_of: date, log: Callable[[str], None]) -> None:
        self.n = people
        self.seed = seed
        self.as_of = as_of
        self.log = log
        self.ids = {name: _Ids(self._rng(f"ids:{name}")) for name in ("org", "person", "referral", "case", "job")}
        self.ids.update(
            {name: _Ids(self._rng(f"ids:{name}")) for name in ("consent", "contact", "sust", "key", "membership")}
        )
        self.ids.update(
            {name: _Ids(self._rng(f"ids:{name}")) for name in ("wellbeing", "assess", "rating", "goal", "action")}
        )
        self.cutoff_day = as_of.toordinal()  # nothing happens on or after the as-of date
        self.first_day = self.cutoff_day - SPAN_DAYS
        base = self.first_day - 80 * 366
        self._day_base = base
        self._days = [date.fromordinal(o).isoformat() for o in range(base, self.cutoff_day + 1)]
        self._times = [f" {m // 60:02d}:{m % 60:02d}:00" for m in range(1440)]
        self.rows: dict[str, int] = {}
        self.phases: dict[str, float] = {}

    def _rng(self, stream: str) -> random.Random:
        return random.Random(f"joinedup-synth:{self.seed}:{stream}")

    def day(self, ordinal: int) -> str:
        return self._days[ordinal - self._day_base]

    def ts(self, t: int) -> str:
        """A timestamp (minutes since day 1, UTC) as COPY text."""
        return self._days[t // 1440 - self._day_base] + self._times[t % 1440]

    # -- names --------------------------------------------------------------------------------

    def _name_pools(self) -> None:
        fake = Faker("en_GB")
        fake.seed_instance(self.seed)
        self.male = list(dict.fromkeys(fake.first_name_male() for _ in range(3000)))
        self.female = list(dict.fromkeys(fake.first_name_female() for _ in range(3000)))
        self.surnames = list(dict.fromkeys(fake.last_name() for _ in range(8000)))
        companies = list(dict.fromkeys(fake.company() for _ in range(300)))
        self.employers = EMPLOYERS + [c for c in companies if "\\" not in c]

    # -- organisations and staff -------------------------------------------------------------

    def _layout(self) -> None:
        rng = self._rng("layout")
        names: set[str] = set()
        existing = set(Organisation.objects.values_list("name", flat=True))

        def unique(make: Callable[[], str]) -> str:
            for _ in range(50):
                name = make()
                if name not in names and name not in existing:
                    names.add(name)
                    return name
            n = 2
            while f"{name} ({n})" in names or f"{name} ({n})" in existing:
                n += 1
            names.add(f"{name} ({n})")
            return f"{name} ({n})"

        made = iter(range(1 << 30))

        def org(name: str, kind: str, weight: float = 1.0) -> _Org:
            return _Org(self.ids["org"](next(made)), name, kind, weight)

        self.orgs: list[_Org] = []
        county = rng.choice(COUNTIES)
        self.lead = org(unique(lambda: f"{county} County Council"), OrganisationKind.LEAD_BODY)
        self.orgs.append(self.lead)
        self.evaluator = org(unique(lambda: "Institute for Employment Evaluation"), OrganisationKind.EVALUATOR)
        self.orgs.append(self.evaluator)
        self.partners: list[_Org] = []
        for _ in range(self.n // 5000 + 3):
            name = unique(lambda: rng.choice(PARTNER_PATTERNS).format(t=rng.choice(TOWNS)))
            p = org(name, OrganisationKind.DELIVERY_PARTNER, rng.lognormvariate(0, 0.5))
            self.partners.append(p)
            self.orgs.append(p)
        self.referrers: list[_Org] = []
        for kind, share, per_100k, minimum in REFERRER_MIX:
            count = max(minimum, round(self.n * per_100k / 100_000))
            group = []
            for _ in range(count):
                name = unique(lambda kind=kind: self._referrer_name(kind, rng))
                group.append(org(name, kind, rng.lognormvariate(0, 0.7)))
            total = sum(o.weight for o in group)
            for o in group:
                o.weight = share * o.weight / total
            self.referrers += group
            self.orgs += group
        for _ in range(max(3, self.n // 50_000)):
            self.orgs.append(org(unique(lambda: rng.choice(self.employers)), OrganisationKind.EMPLOYER))
        # Staff other than Personal Advisers (sized later, from the caseloads).
        users = self._rng("users")
        self._user_names = users

        def staff(o: _Org, role: str, tag: str, count: int) -> None:
            for k in range(count):
                first = users.choice(self.female if users.random() < 0.6 else self.male)
                o.user_specs.append(
                    (f"{USER_PREFIX}{tag}.{self.orgs.index(o):04d}.{k:03d}", first, users.choice(self.surnames), role)
                )

        staff(self.lead, Role.PROGRAMME_MANAGER, "pm", 2 + self.n // 200_000)
        staff(self.lead, Role.ANALYST, "analyst", 2)
        staff(self.lead, Role.ADMINISTRATOR, "admin", 1)
        staff(self.evaluator, Role.ANALYST, "analyst", 1)
        for o in self.referrers:
            busy = o.weight * self.n / SPAN_DAYS * 7  # referrals a week
            staff(o, Role.REFERRER, "ref", max(1, min(12, round(1 + busy / 3 + users.random()))))

    @staticmethod
    def _referrer_name(kind: str, rng: random.Random) -> str:
        town = rng.choice(TOWNS)
        if kind == OrganisationKind.GP_PRACTICE:
            return rng.choice(
                [
                    f"{town} Medical Practice",
                    f"{town} Health Centre",
                    f"{rng.choice(PRACTICE_FEATURES)} Surgery, {town}",
                    f"{rng.choice(PRACTICE_FEATURES)} Medical Centre, {town}",
                    f"{rng.choice(PRACTICE_FEATURES)} Family Practice, {town}",
                ]
            )
        return {
            OrganisationKind.JOBCENTRE: f"{town} Jobcentre Plus",
            OrganisationKind.TALKING_THERAPIES: f"{town} Talking Therapies (NHS)",
            OrganisationKind.COMMUNITY_MENTAL_HEALTH: f"{town} community mental health team",
            OrganisationKind.SOCIAL_CARE: f"{town} adult social care",
            OrganisationKind.HOUSING: f"{rng.choice([town, rng.choice(PRACTICE_FEATURES)])} Housing",
            OrganisationKind.OTHER_REFERRER: rng.choice(
                [f"{town} social prescribing", f"{town} Citizens Advice", f"{town} Recovery College"]
            ),
        }[kind]

    # -- the plan: what happens to each referral ------------------------------------------------

    def _plan(self) -> None:
        n = self.n
        rng = self._rng("plan")
        # Referral days: volume grows over the three years after a three-month ramp-up, dips in
        # August and over Christmas, and is low at weekends.
        weights = []
        for k in range(SPAN_DAYS):
            d = date.fromordinal(self.first_day + k)
            w = (0.5 + k / SPAN_DAYS) * min(1.0, (k + 10) / 90)
            w *= 0.12 if d.weekday() >= 5 else 1.0
            w *= 0.8 if d.month == 8 else (0.5 if d.month == 12 and d.day >= 20 else 1.0)
            weights.append(w)
        cum = list(_accumulate(weights))
        total = cum[-1]
        ref_cum = list(_accumulate([o.weight for o in self.referrers]))
        part_cum = list(_accumulate([p.weight for p in self.partners]))
        cutoff = self.cutoff_day * 1440
        first = self.first_day
        A = lambda code: array(code, bytes(8 * n if code == "q" else 4 * n if code == "i" else n))  # noqa: E731
        self.t_ref, self.ref_org, self.referrer = A("q"), A("i"), A("i")
        self.t1, self.k1, self.t2, self.k2 = A("q"), A("b"), A("q"), A("b")
        self.by_partner_manager, self.partner, self.adviser = A("b"), A("i"), A("i")
        self.status, self.t_status = A("b"), A("q")
        self.job, self.s13, self.s26, self.closed, self.stage = A("i"), A("i"), A("i"), A("i"), A("b")
        random_, randrange, expo, logn = rng.random, rng.randrange, rng.expovariate, rng.lognormvariate
        ref_users = [len(o.user_specs) for o in self.referrers]
        counts = dict.fromkeys((_NONE, _ASSIGNED, _DECLINED, _WITHDRAWN, _ENROLLED), 0)
        cases = 0
        for i in range(n):
            day = first + bisect(cum, random_() * total)
            t_ref = day * 1440 + 480 + randrange(600)  # 08:00-17:59 UTC
            org = bisect(ref_cum, random_() * ref_cum[-1])
            self.t_ref[i], self.ref_org[i] = t_ref, org
            self.referrer[i] = randrange(ref_users[org])
            # Triage: usually within a few working days; a few wait weeks for missing details.
            gap = min(60, int(expo(0.25))) if random_() < 0.97 else 10 + randrange(50)
            t1 = t_ref + 30 + randrange(240) if gap == 0 else (day + gap) * 1440 + 540 + randrange(480)
            roll = random_()
            k1 = _DECLINED if roll < 0.12 else _WITHDRAWN if roll < 0.15 else _ASSIGNED
            k2, t2, partner = _NONE, 0, -1
            if k1 == _ASSIGNED:
                partner = bisect(part_cum, random_() * part_cum[-1])
                roll = random_()
                if roll < 0.20:
                    k2, t2 = _WITHDRAWN, t1 + (7 + randrange(54)) * 1440
                elif roll < 0.25:
                    k2, t2 = _DECLINED, t1 + (3 + randrange(20)) * 1440
                else:
                    k2, t2 = _ENROLLED, t1 + (2 + min(90, int(expo(0.1)))) * 1440 + randrange(300)
            self.by_partner_manager[i] = 1 if random_() < 0.2 else 0
            status, t_status = _NONE, t_ref  # received
            if t1 < cutoff:
                status, t_status = k1, t1
                if k2 != _NONE and t2 < cutoff:
                    status, t_status = k2, t2
            else:
                partner = -1  # not triaged yet
            self.t1[i], self.k1[i], self.t2[i], self.k2[i] = t1, k1, t2, k2
            self.partner[i], self.status[i], self.t_status[i] = partner, status, t_status
            counts[status] += 1
            job = s13 = s26 = closed = -1
            stage = 0
            if status == _ENROLLED:
                cases += 1
                e = t2 // 1440
                has_job = random_() < 0.42
                job_day = e + 7 + int(logn(4.3, 0.6))
                keep13 = random_() < 0.72
                keep26 = keep13 and random_() < 0.78
                s13_day = job_day + 91 + randrange(22)
                s26_day = job_day + 182 + randrange(22)
                if not has_job:
                    close = e + 150 + randrange(270)
                elif keep26:
                    close = s26_day + randrange(46)
                elif keep13:
                    close = job_day + 100 + randrange(80)
                else:
                    close = job_day + 20 + randrange(70)
                last = self.cutoff_day - 1
                if has_job and job_day <= last:
                    job = job_day
                    if keep13 and s13_day <= last:
                        s13 = s13_day
                        if keep26 and s26_day <= last:
                            s26 = s26_day
                if close <= last:
                    closed = close
                stage = 4 if closed >= 0 else 3 if s26 >= 0 else 2 if s13 >= 0 else 1 if job >= 0 else 0
            self.job[i], self.s13[i], self.s26[i], self.closed[i], self.stage[i] = job, s13, s26, closed, stage
        self.status_counts = counts
        self.cases = cases

    def _advisers(self) -> None:
        """Hire advisers so each partner's active cases come to about 40 each, then share them out."""
        active = [0] * len(self.partners)
        for i in range(self.n):
            if self.status[i] == _ENROLLED and self.closed[i] < 0:
                active[self.partner[i]] += 1
        users = self._user_names
        self.partner_advisers: list[list[int]] = []
        self.partner_managers: list[list[int]] = []
        for p, count in zip(self.partners, active, strict=True):
            advisers = max(2, round(count / ACTIVE_CASELOAD))
            managers = 1 + advisers // 15
            first = len(p.user_specs)
            for k in range(advisers):
                given = users.choice(self.female if users.random() < 0.7 else self.male)
                tag = f"{USER_PREFIX}pa.{self.orgs.index(p):04d}.{k:03d}"
                p.user_specs.append((tag, given, users.choice(self.surnames), Role.PERSONAL_ADVISER))
            for k in range(managers):
                given = users.choice(self.female if users.random() < 0.6 else self.male)
                tag = f"{USER_PREFIX}manager.{self.orgs.index(p):04d}.{k:03d}"
                p.user_specs.append((tag, given, users.choice(self.surnames), Role.PARTNER_MANAGER))
            self.partner_advisers.append(list(range(first, first + advisers)))  # indexes into users
            self.partner_managers.append(list(range(first + advisers, first + advisers + managers)))
        pick = self._rng("advisers")
        for i in range(self.n):
            p = self.partner[i]
            if p >= 0:
                self.adviser[i] = pick.randrange(len(self.partner_advisers[p]))

    def _create_staff(self) -> None:
        User = get_user_model()
        start = timezone.make_aware(datetime.combine(date.fromordinal(self.first_day), time_of_day(0, 0)))
        meta = f"seed={self.seed};people={self.n};as_of={self.as_of.isoformat()};v={FORMAT_VERSION}"
        loader = User.objects.create(
            username=LOADER_USERNAME,
            first_name="Synthetic data",
            last_name=meta,
            is_active=False,
            password=_UNUSABLE,  # nobody signs in as a synthetic user
            date_joined=start,
        )
        Organisation.objects.bulk_create(
            [Organisation(id=o.id, name=o.name, kind=o.kind, ods_code=SYNTH_ODS, created_by=loader) for o in self.orgs]
        )
        specs = [(o, spec) for o in self.orgs for spec in o.user_specs]
        users = User.objects.bulk_create(
            [
                User(username=u, first_name=first, last_name=last, password=_UNUSABLE, date_joined=start)
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
                    id=self.ids["membership"](n), user_id=user.pk, organisation_id=o.id, role=role, created_by=loader
                )
                for n, ((o, (_u, _f, _l, role)), user) in enumerate(zip(specs, users, strict=True))
            ],
            batch_size=2000,
        )
        for (o, _spec), user in zip(specs, users, strict=True):
            o.users.append(user.pk)
        Organisation.objects.filter(ods_code=SYNTH_ODS).update(created_at=start, updated_at=start)
        Membership.objects.filter(user__username__startswith=USER_PREFIX).update(created_at=start, updated_at=start)
        self.rows["auth.User"] = len(users) + 1
        self.rows["organisations.Organisation"] = len(self.orgs)
        self.rows["organisations.Membership"] = len(users)
        self.pm_users = self.lead.users[: 2 + self.n // 200_000]

    # -- rows, as COPY text lines ---------------------------------------------------------------

    def _adviser_uid(self, i: int) -> int:
        p = self.partners[self.partner[i]]
        return p.users[self.partner_advisers[self.partner[i]][self.adviser[i]]]

    def _referrer_uid(self, i: int) -> int:
        return self.referrers[self.ref_org[i]].users[self.referrer[i]]

    def people_rows(self) -> Iterator[str]:
        rng = self._rng("people")
        ids, day = self.ids["person"], self.day
        male, female, surnames = self.male, self.female, self.surnames
        for i in range(self.n):
            ts = self.ts(self.t_ref[i])
            given = rng.choice(male if rng.random() < 0.5 else female)
            family = rng.choice(surnames)
            age_days = int(365.25 * (18 + max(0.0, min(46.9, rng.gauss(20, 11)))))
            dob = day(self.t_ref[i] // 1440 - age_days)
            email = (
                f"{given}.{family}{rng.randrange(100)}@example.{rng.choice(('com', 'org', 'net'))}".lower().replace(
                    " ", ""
                )
                if rng.random() < 0.7
                else ""
            )
            phone = f"07700 900{rng.randrange(1000):03d}" if rng.random() < 0.8 else ""
            postcode = f"{rng.choice(POSTCODE_DISTRICTS)} {rng.randrange(1, 10)}{rng.choice(_UNIT)}{rng.choice(_UNIT)}"
            nhs = _nhs_number(rng) if rng.random() < 0.55 else ""
            yield (
                f"{ids(i)}\t{ts}\t{ts}\t{self._referrer_uid(i)}\t{_NULL}\t{given}\t{family}\t{dob}\t{email}\t{phone}"
                f"\t{postcode}\t{nhs}\n"
            )

    people_columns = [
        "id", "created_at", "updated_at", "created_by", "archived_at", "given_name", "family_name", "date_of_birth",
        "email", "phone", "postcode", "nhs_number",
    ]  # fmt: skip

    def consent_rows(self) -> Iterator[str]:
        rng = self._rng("consents")
        ids, person = self.ids["consent"], self.ids["person"]
        n = 0
        for i in range(self.n):
            ts = self.ts(self.t_ref[i])
            pid, uid, org = person(i), self._referrer_uid(i), self.referrers[self.ref_org[i]].id
            yield (
                f"{ids(n)}\t{ts}\t{ts}\t{uid}\t{_NULL}\t{pid}\t{ConsentPurpose.REFERRAL}\tt\t{org}"
                f"\t{_NULL}\t{_NULL}\t{_NULL}\n"
            )
            shared = rng.random() < 0.85
            withdrawn = _NULL
            if shared and rng.random() < 0.03:
                when = self.t_ref[i] + (10 + rng.randrange(300)) * 1440
                if when < self.cutoff_day * 1440:
                    withdrawn = self.ts(when)
            yield (
                f"{ids(n + 1)}\t{ts}\t{ts}\t{uid}\t{_NULL}\t{pid}\t{ConsentPurpose.SHARE_PROGRESS}"
                f"\t{'t' if shared else 'f'}\t{org}\t{org}\t{_NULL}\t{withdrawn}\n"
            )
            n += 2
            if self.status[i] == _ENROLLED:
                ets = self.ts(self.t2[i])
                partner = self.partners[self.partner[i]].id
                yield (
                    f"{ids(n)}\t{ets}\t{ets}\t{self._adviser_uid(i)}\t{_NULL}\t{pid}\t{ConsentPurpose.SUPPORT}\tt"
                    f"\t{partner}\t{_NULL}\t{_NULL}\t{_NULL}\n"
                )
                n += 1

    consent_columns = [
        "id", "created_at", "updated_at", "created_by", "archived_at", "person", "purpose", "given",
        "recorded_by_organisation", "about_organisation", "expires_at", "withdrawn_at",
    ]  # fmt: skip

    def referral_rows(self) -> Iterator[str]:
        rng = self._rng("referrals")
        ids, person, keys = self.ids["referral"], self.ids["person"], self.ids["key"]
        employment = _weighted_table(EMPLOYMENT_WEIGHTS, 100)
        health = _weighted_table(HEALTH_WEIGHTS, 100)
        benefits = _weighted_table({json.dumps(sorted(set(b))): w for b, w in BENEFIT_SETS}, 100)
        seen: set[str] = set()
        alphabet = _REFERENCE_ALPHABET
        nkeys = 0
        for i in range(self.n):
            while True:
                reference = "JU-" + "".join(rng.choices(alphabet, k=7))
                if reference not in seen:
                    seen.add(reference)
                    break
            status = statuses.RECEIVED if self.status[i] == _NONE else _STATUS_CODE[self.status[i]]
            partner = adviser = _NULL
            if self.partner[i] >= 0:
                partner = self.partners[self.partner[i]].id
                adviser = self._adviser_uid(i)
            key = _NULL
            if rng.random() < 0.35:  # sent by a clinical or case-management system through the API
                key = keys(nkeys)
                nkeys += 1
            created, changed = self.ts(self.t_ref[i]), self.ts(self.t_status[i])
            yield (
                f"{ids(i)}\t{created}\t{changed}\t{self._referrer_uid(i)}\t{_NULL}\t{reference}\t{person(i)}"
                f"\t{self.referrers[self.ref_org[i]].id}\t{employment[rng.randrange(100)]}\t{benefits[rng.randrange(100)]}"
                f"\t{health[rng.randrange(100)]}\t{rng.choice(HELP)}\t{status}\t{changed}\t{partner}\t{adviser}\t{key}\n"
            )

    referral_columns = [
        "id", "created_at", "updated_at", "created_by", "archived_at", "reference", "person",
        "referring_organisation", "employment_status", "benefits", "health_condition", "help_wanted", "status",
        "status_changed_at", "delivery_partner", "adviser", "submission_key",
    ]  # fmt: skip

    def status_change_rows(self) -> Iterator[str]:
        rng = self._rng("status_changes")
        ids = self.ids["referral"]
        lead = self.lead.id
        cutoff = self.cutoff_day * 1440
        for i in range(self.n):
            rid = ids(i)
            ref_org = self.referrers[self.ref_org[i]].id
            yield f"{rid}\t\t{statuses.RECEIVED}\t{self.ts(self.t_ref[i])}\t{self._referrer_uid(i)}\t{ref_org}\t\n"
            t1, k1 = self.t1[i], self.k1[i]
            if t1 >= cutoff:
                continue
            p = self.partner[i]
            if p >= 0 and self.by_partner_manager[i]:
                managers = self.partner_managers[p]
                by = self.partners[p].users[managers[rng.randrange(len(managers))]]
                by_org = self.partners[p].id
            else:
                by, by_org = self.pm_users[rng.randrange(len(self.pm_users))], lead
            reason = (
                rng.choice(ASSIGN_REASONS)
                if k1 == _ASSIGNED
                else rng.choice(DECLINE_REASONS if k1 == _DECLINED else WITHDRAW_REASONS)
            )
            yield f"{rid}\t{statuses.RECEIVED}\t{_STATUS_CODE[k1]}\t{self.ts(t1)}\t{by}\t{by_org}\t{reason}\n"
            t2, k2 = self.t2[i], self.k2[i]
            if k2 == _NONE or t2 >= cutoff:
                continue
            if k2 == _ENROLLED:
                by, by_org, reason = self._adviser_uid(i), self.partners[p].id, "Enrolled on the programme"
            else:
                managers = self.partner_managers[p]
                by = self.partners[p].users[managers[rng.randrange(len(managers))]]
                by_org = self.partners[p].id
                reason = rng.choice(DECLINE_REASONS[3:] if k2 == _DECLINED else WITHDRAW_REASONS)
            yield f"{rid}\t{statuses.ASSIGNED}\t{_STATUS_CODE[k2]}\t{self.ts(t2)}\t{by}\t{by_org}\t{reason}\n"

    status_change_columns = ["referral", "from_status", "to_status", "at", "by", "by_organisation", "reason"]

    def case_rows(self) -> Iterator[str]:
        rng = self._rng("cases")
        ids, referral, person = self.ids["case"], self.ids["referral"], self.ids["person"]
        for i in range(self.n):
            if self.status[i] != _ENROLLED:
                continue
            ts = self.ts(self.t2[i])
            changed = ts
            last = max(self.job[i], self.s13[i], self.s26[i], self.closed[i])
            if last >= 0:
                changed = self.day(last) + " 16:00:00"
            closed = self.day(self.closed[i]) if self.closed[i] >= 0 else _NULL
            eligibility = rng.choice(ELIGIBILITY)
            if self.closed[i] >= 0:
                next_action, review = "", _NULL
            else:  # open cases: most reviews in the coming weeks, some overdue
                next_action = rng.choice(NEXT_ACTIONS)
                review = date.fromordinal(max(self.t2[i] // 1440, self.cutoff_day - 14 + rng.randrange(56))).isoformat()
            yield (
                f"{ids(i)}\t{ts}\t{changed}\t{self._adviser_uid(i)}\t{_NULL}\t{referral(i)}\t{person(i)}"
                f"\t{self.partners[self.partner[i]].id}\t{self._adviser_uid(i)}\t{_STAGES[self.stage[i]]}"
                f"\t{self.day(self.t2[i] // 1440)}\t{eligibility}\t{closed}\t{next_action}\t{review}\n"
            )

    case_columns = [
        "id", "created_at", "updated_at", "created_by", "archived_at", "referral", "person", "delivery_partner",
        "adviser", "stage", "enrolled_on", "eligibility_evidence", "closed_on", "next_action", "next_review_on",
    ]  # fmt: skip

    def contact_rows(self) -> Iterator[str]:
        rng = self._rng("contacts")
        ids, case_ids = self.ids["contact"], self.ids["case"]
        getrandbits, gauss = rng.getrandbits, rng.gauss
        channels = _weighted_table(
            {
                ContactChannel.PHONE: 40,
                ContactChannel.FACE_TO_FACE: 35,
                ContactChannel.VIDEO: 10,
                ContactChannel.MESSAGE: 15,
            },
            32,
        )
        before = _weighted_table({ContactKind.SUPPORT: 45, ContactKind.JOB_SEARCH: 40, ContactKind.EMPLOYER: 15}, 32)
        after = _weighted_table({ContactKind.IN_WORK: 80, ContactKind.SUPPORT: 20}, 32)
        minutes = _weighted_table({15: 15, 20: 10, 30: 35, 45: 20, 60: 15, 90: 5}, 16)
        notes = _weighted_table({note: (35 if not note else 65 / (len(NOTES) - 1)) for note in NOTES}, 64)
        days, times, base = self._days, self._times, self._day_base
        last_day = self.cutoff_day - 1
        n = 0
        for i in range(self.n):
            if self.status[i] != _ENROLLED:
                continue
            cid = case_ids(i)
            uid = self._adviser_uid(i)
            start = self.t2[i] // 1440
            end = self.closed[i] if self.closed[i] >= 0 else last_day
            job = self.job[i] if self.job[i] >= 0 else 1 << 40
            span = max(0, end - start)
            target = max(12, min(70, int(gauss(40, 10))))
            count = min(target, 1 + span // 5)
            gap = max(1, span // count)
            prefix = f"\t{_NULL}\t{cid}\t"
            for k in range(count):
                r = getrandbits(48)
                d = min(end, start + k * gap + (r >> 24) % gap)
                kind = ContactKind.SUPPORT if k < 2 else (after if d >= job else before)[(r >> 5) & 31]
                ts = days[d - base] + times[540 + (r >> 30) % 480]
                yield (
                    f"{ids(n)}\t{ts}\t{ts}\t{uid}{prefix}{days[d - base]}\t{channels[r & 31]}\t{kind}"
                    f"\t{minutes[(r >> 10) & 15]}\t{notes[(r >> 14) & 63]}\n"
                )
                n += 1

    contact_columns = [
        "id", "created_at", "updated_at", "created_by", "archived_at", "case", "happened_on", "channel", "kind",
        "duration_minutes", "notes",
    ]  # fmt: skip

    def job_rows(self) -> Iterator[str]:
        rng = self._rng("jobs")
        ids, case_ids = self.ids["job"], self.ids["case"]
        for i in range(self.n):
            if self.status[i] != _ENROLLED or self.job[i] < 0:
                continue
            ts = self.day(self.job[i]) + " 15:00:00"
            hours = rng.choice(["16.0", "20.0", "22.5", "25.0", "30.0", "37.5", "16.0", "24.0"])
            pay = f"{12.21 + rng.choice([0, 0, 0, 0.19, 0.39, 0.79, 1.29, 2.29, 3.79]):.2f}"
            evidence = rng.choice(["Contract seen", "Offer letter seen", "First payslip seen", "Confirmed by employer"])
            yield (
                f"{ids(i)}\t{ts}\t{ts}\t{self._adviser_uid(i)}\t{_NULL}\t{case_ids(i)}\t{rng.choice(self.employers)}"
                f"\t{rng.choice(JOBS)}\t{hours}\t{pay}\t{self.day(self.job[i])}\t{evidence}\n"
            )

    job_columns = [
        "id", "created_at", "updated_at", "created_by", "archived_at", "case", "employer_name", "job_title",
        "hours_per_week", "hourly_pay", "start_date", "evidence",
    ]  # fmt: skip

    def sustainment_rows(self) -> Iterator[str]:
        rng = self._rng("sustainments")
        ids, job_ids = self.ids["sust"], self.ids["job"]
        n = 0
        for i in range(self.n):
            if self.status[i] != _ENROLLED:
                continue
            for weeks, achieved in ((13, self.s13[i]), (26, self.s26[i])):
                if achieved < 0:
                    continue
                ts = self.day(achieved) + " 11:00:00"
                evidence = rng.choice(["Payslip seen", "Confirmed by employer", "Payslips seen", "RTI record checked"])
                yield (
                    f"{ids(n)}\t{ts}\t{ts}\t{self._adviser_uid(i)}\t{_NULL}\t{job_ids(i)}\t{weeks}"
                    f"\t{self.day(achieved)}\t{evidence}\n"
                )
                n += 1

    sustainment_columns = [
        "id", "created_at", "updated_at", "created_by", "archived_at", "job_start", "weeks", "achieved_on", "evidence",
    ]  # fmt: skip

    # -- the Personal Adviser's workspace ------------------------------------------------------

    def _reviews(self, i: int) -> list[tuple[int, str]]:
        """The days a case's person is assessed and fills in SWEMWBS: at the start, at reviews about
        every three months while the case is open (up to three), and at exit."""
        start = self.t2[i] // 1440
        end = self.closed[i] if self.closed[i] >= 0 else self.cutoff_day - 1
        days = [(start, Timepoint.START)]
        for k in (1, 2, 3):
            day = start + 84 * k + i % 14
            if day < end:
                days.append((day, Timepoint.REVIEW))
        if self.closed[i] >= 0 and end - start >= 30:
            days.append((end, Timepoint.EXIT))
        return days

    def wellbeing_rows(self) -> Iterator[str]:
        rng = self._rng("wellbeing")
        ids, case_ids = self.ids["wellbeing"], self.ids["case"]
        swemwbs = instruments.instrument(instruments.SWEMWBS)
        scored = {
            t: instruments.score(instruments.SWEMWBS, [t // 7 + (k < t % 7) for k in range(7)]) for t in range(7, 36)
        }
        n = 0
        for i in range(self.n):
            if self.status[i] != _ENROLLED:
                continue
            level = rng.gauss(2.6, 0.6)  # the person's average answer at the start
            gain = rng.gauss(0.25, 0.3)  # change per review: most improve a little, some get worse
            for k, (day, timepoint) in enumerate(self._reviews(i)):
                mean = level + gain * k
                answers = [min(swemwbs.maximum, max(swemwbs.minimum, round(rng.gauss(mean, 0.7)))) for _ in range(7)]
                s = scored[sum(answers)]
                ts = self.day(day) + " 10:30:00"
                yield (
                    f"{ids(n)}\t{ts}\t{ts}\t{self._adviser_uid(i)}\t{_NULL}\t{case_ids(i)}\t{instruments.SWEMWBS}"
                    f"\t{json.dumps(answers)}\t{s.total}\t{s.converted}\t{s.band}\t{self.day(day)}\t{timepoint}\n"
                )
                n += 1

    wellbeing_columns = [
        "id", "created_at", "updated_at", "created_by", "archived_at", "case", "instrument", "answers", "total",
        "converted", "band", "recorded_on", "timepoint",
    ]  # fmt: skip

    def _assessments(self) -> Iterator[tuple[int, int, int, int]]:
        """(case index, assessment number, day, which of the case's assessments) in one fixed order."""
        n = 0
        for i in range(self.n):
            if self.status[i] != _ENROLLED:
                continue
            for k, (day, timepoint) in enumerate(self._reviews(i)):
                if timepoint != Timepoint.EXIT:
                    yield i, n, day, k
                    n += 1

    def assessment_rows(self) -> Iterator[str]:
        rng = self._rng("assessments")
        ids, case_ids = self.ids["assess"], self.ids["case"]
        for i, n, day, _k in self._assessments():
            ts = self.day(day) + " 11:00:00"
            yield (
                f"{ids(n)}\t{ts}\t{ts}\t{self._adviser_uid(i)}\t{_NULL}\t{case_ids(i)}\t{self.day(day)}"
                f"\t{rng.choice(ASSESSMENT_SUMMARIES)}\n"
            )

    assessment_columns = [
        "id",
        "created_at",
        "updated_at",
        "created_by",
        "archived_at",
        "case",
        "assessed_on",
        "summary",
    ]

    def rating_rows(self) -> Iterator[str]:
        rng = self._rng("ratings")
        ids, assessment_ids = self.ids["rating"], self.ids["assess"]
        areas = list(AssessmentArea.values)
        randrange = rng.randrange
        n = 0
        for i, k, day, which in self._assessments():
            ts = self.day(day) + " 11:00:00"
            prefix = f"\t{ts}\t{ts}\t{self._adviser_uid(i)}\t{_NULL}\t{assessment_ids(k)}\t"
            better = which > 0  # later assessments a little better
            for area in areas:
                rating = min(5, 1 + randrange(5) + (randrange(2) if better else 0))
                yield f"{ids(n)}{prefix}{area}\t{rating}\n"
                n += 1

    rating_columns = ["id", "created_at", "updated_at", "created_by", "archived_at", "assessment", "area", "rating"]

    def goal_rows(self) -> Iterator[str]:
        rng = self._rng("goals")
        ids, case_ids = self.ids["goal"], self.ids["case"]
        for i in range(self.n):
            if self.status[i] != _ENROLLED:
                continue
            start = self.t2[i] // 1440
            for k in range(2):
                ts = self.day(start) + " 11:30:00"
                done = self.job[i] if (k == 0 and self.job[i] >= 0) else -1
                status = GoalStatus.ACHIEVED if done >= 0 else GoalStatus.OPEN
                yield (
                    f"{ids(2 * i + k)}\t{ts}\t{ts}\t{self._adviser_uid(i)}\t{_NULL}\t{case_ids(i)}"
                    f"\t{rng.choice(GOALS)}\t{status}\t{self.day(done) if done >= 0 else _NULL}\n"
                )

    goal_columns = [
        "id", "created_at", "updated_at", "created_by", "archived_at", "case", "text", "status", "status_changed_on",
    ]  # fmt: skip

    def action_rows(self) -> Iterator[str]:
        rng = self._rng("actions")
        ids, case_ids, goal_ids = self.ids["action"], self.ids["case"], self.ids["goal"]
        last = self.cutoff_day - 1
        for i in range(self.n):
            if self.status[i] != _ENROLLED:
                continue
            start = self.t2[i] // 1440
            for k in range(3):
                text, owner = rng.choice(ACTIONS)
                due = start + 7 + 14 * k + rng.randrange(14)
                done = due - rng.randrange(5) if due <= last and rng.random() < 0.75 else -1
                ts = self.day(start) + " 11:45:00"
                who = "Bus company" if owner == ActionOwner.OTHER else ""
                yield (
                    f"{ids(3 * i + k)}\t{ts}\t{ts}\t{self._adviser_uid(i)}\t{_NULL}\t{case_ids(i)}"
                    f"\t{goal_ids(2 * i + k % 2)}\t{text}\t{owner}\t{who}\t{date.fromordinal(due).isoformat()}"
                    f"\t{self.day(max(start, min(done, last))) if done >= 0 else _NULL}\n"
                )

    action_columns = [
        "id", "created_at", "updated_at", "created_by", "archived_at", "case", "goal", "description", "owner",
        "owner_name", "due_on", "done_on",
    ]  # fmt: skip

    # -- writing ------------------------------------------------------------------------------

    def tables(self) -> list[tuple[type, list[str], Callable[[], Iterable[str]]]]:
        return [
            (Person, self.people_columns, self.people_rows),
            (Consent, self.consent_columns, self.consent_rows),
            (Referral, self.referral_columns, self.referral_rows),
            (ReferralStatusChange, self.status_change_columns, self.status_change_rows),
            (Case, self.case_columns, self.case_rows),
            (Contact, self.contact_columns, self.contact_rows),
            (JobStart, self.job_columns, self.job_rows),
            (Sustainment, self.sustainment_columns, self.sustainment_rows),
            (WellbeingMeasure, self.wellbeing_columns, self.wellbeing_rows),
            (Assessment, self.assessment_columns, self.assessment_rows),
            (AreaRating, self.rating_columns, self.rating_rows),
            (PlanGoal, self.goal_columns, self.goal_rows),
            (PlanAction, self.action_columns, self.action_rows),
        ]

    def run(self) -> None:
        started = time.perf_counter()

        def phase(name: str) -> None:
            nonlocal started
            now = time.perf_counter()
            self.phases[name] = round(now - started, 2)
            started = now

        self._name_pools()
        self._layout()
        phase("layout")
        self._plan()
        self._advisers()
        phase("plan")
        self.log(
            f"Planned {self.n:,} referrals ({self.cases:,} enrolled) across {len(self.partners)} delivery partners"
        )
        with transaction.atomic():
            self._create_staff()
            phase("staff")
            if connection.vendor == "postgresql":
                self._write_postgresql(phase)
            else:
                self._write_rows(phase)

    def _tables_with_defaults(self) -> list[tuple[type, list[str], Callable[[], Iterable[str]], list[str]]]:
        """Each table's columns and rows, with columns added since this loader was written filled
        with their defaults (as COPY text), so a new optional field does not break the load."""
        result = []
        for model, names, rows in self.tables():
            fields = [model._meta.get_field(name) for name in names]
            covered = {f.column for f in fields}
            suffix = ""
            for f in model._meta.concrete_fields:
                if f.column in covered or (f.primary_key and f.get_internal_type().endswith("AutoField")):
                    continue
                if getattr(f, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
                    continue  # the database fills it in
                value = f.get_default()
                if value is None and not f.null:
                    raise SynthError(
                        f"{model._meta.label}.{f.name} has no default: teach joinedup/demo/synth to fill it."
                    )
                fields.append(f)
                suffix += "\t" + _copy_text(value)
            if suffix:
                rows = _with_suffix(rows, suffix)
            result.append((model, [f.column for f in fields], rows, [f.get_internal_type() for f in fields]))
        return result

    def _write_rows(self, phase: Callable[[str], None]) -> None:
        qn = connection.ops.quote_name
        with connection.cursor() as cur:
            for model, columns, rows, types in self._tables_with_defaults():
                bools = [k for k, kind in enumerate(types) if kind == "BooleanField"]
                sql = (
                    f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
                    f"VALUES ({', '.join(['%s'] * len(columns))})"
                )
                batch: list[list] = []
                count = 0
                for line in rows():
                    values = [None if v == _NULL else v for v in line[:-1].split("\t")]
                    for k in bools:
                        values[k] = values[k] == "t"
                    batch.append(values)
                    if len(batch) >= 5000:
                        cur.executemany(sql, batch)
                        count += len(batch)
                        batch.clear()
                if batch:
                    cur.executemany(sql, batch)
                    count += len(batch)
                self.rows[model._meta.label] = count
                phase(model._meta.label)
                self.log(f"  {model._meta.label}: {count:,} rows")

    def _write_postgresql(self, phase: Callable[[str], None]) -> None:
        from psycopg.copy import QueuedLibpqWriter

        qn = connection.ops.quote_name
        tables = [model._meta.db_table for model, _c, _r in self.tables()]
        with connection.cursor() as cur:
            cur.execute("SET LOCAL TIME ZONE 'UTC'")
            cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cur.execute("SET LOCAL synchronous_commit = off")
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the staff rows now: no pending triggers
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
            restore = _drop_secondary(cur, tables)
            phase("drop indexes")
            raw = cur.cursor  # the psycopg 3 cursor under Django's wrapper
            for model, columns, rows, _types in self._tables_with_defaults():
                count = 0
                sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
                # The queued writer sends from a thread, so PostgreSQL ingests while Python generates.
                with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
                    chunk: list[str] = []
                    for line in rows():
                        chunk.append(line)
                        if len(chunk) >= 5000:
                            copy.write("".join(chunk))
                            count += len(chunk)
                            chunk.clear()
                    if chunk:
                        copy.write("".join(chunk))
                        count += len(chunk)
                self.rows[model._meta.label] = count
                phase(model._meta.label)
                self.log(f"  {model._meta.label}: {count:,} rows")
            for sql in restore:
                cur.execute(sql)
            phase("indexes and foreign keys")
            for table in tables:
                cur.execute(f"ANALYZE {qn(table)}")
            phase("analyze")


def _copy_text(value: object) -> str:
    """A default value as COPY text (the SQLite path splits the same text)."""
    if value is None:
        return _NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value)
    elif isinstance(value, date):
        value = value.isoformat()
    text = str(value)
    if any(c in text for c in "\t\n\r\\"):
        raise SynthError(f"Cannot write the default {text!r} as COPY text.")
    return text


def _with_suffix(rows: Callable[[], Iterable[str]], suffix: str) -> Callable[[], Iterator[str]]:
    def extended() -> Iterator[str]:
        for line in rows():
            yield line[:-1] + suffix + "\n"

    return extended


def _accumulate(values: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for v in values:
        total += v
        yield total


def _drop_secondary(cur, tables: list[str]) -> list[str]:
    """Drop the constraints and indexes of `tables`; return the SQL that puts them back.

    Loading into a table without indexes and building each once afterwards is much faster than
    maintaining them row by row (PostgreSQL documentation, "Populating a Database"). Foreign keys
    go first; primary keys and unique constraints go too unless a table outside `tables` refers to
    them. Putting them back checks every row, so a duplicate or a dangling key still fails the load.
    """
    cur.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2
        """,
        [tables],
    )
    fks = cur.fetchall()
    cur.execute(
        """
        SELECT k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid)
        FROM pg_constraint k
        WHERE k.contype IN ('p', 'u') AND k.conrelid = ANY(%s::regclass[])
          AND NOT EXISTS (
            SELECT 1 FROM pg_constraint f
            WHERE f.contype = 'f' AND f.confrelid = k.conrelid AND NOT f.conrelid = ANY(%s::regclass[])
          )
        ORDER BY 1, 2
        """,
        [tables, tables],
    )
    keys = cur.fetchall()
    cur.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        [tables],
    )
    indexes = cur.fetchall()
    for table, name, _definition in fks + keys:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cur.execute(f"DROP INDEX {name}")
    return (
        [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in keys]
        + [definition for _name, definition in indexes]
        + [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in fks]
    )


def synth_load(
    *,
    people: int,
    seed: int = 2026,
    as_of: date | None = None,
    reset: bool = False,
    force: bool = False,
    log: Callable[[str], None] = lambda _msg: None,
) -> SynthResult | None:
    """Load a synthetic partnership of `people` people. Returns None when it is already loaded."""
    if people < 1:
        raise SynthError("Make at least one person.")
    as_of = as_of or timezone.localdate()
    started = time.perf_counter()
    others = non_synthetic_referral_count()
    if others and not force:
        raise SynthError(
            f"This database holds {others:,} referrals that are not synthetic. "
            "Use a database of its own for synthetic data, or pass --force to add to it anyway."
        )
    with transaction.atomic():  # replacing is all or nothing: a failed load keeps the old data
        return _load(people=people, seed=seed, as_of=as_of, reset=reset, log=log, started=started)


def _load(
    *, people: int, seed: int, as_of: date, reset: bool, log: Callable[[str], None], started: float
) -> SynthResult | None:
    existing = synth_info()
    if existing is not None or get_user_model().objects.filter(username__startswith=USER_PREFIX).exists():
        if not reset:
            if existing and (existing.seed, existing.people, existing.version) == (seed, people, FORMAT_VERSION):
                return None
            described = f"seed {existing.seed}, {existing.people:,} people" if existing else "an unfinished load"
            raise SynthError(f"Synthetic data is already loaded ({described}). Pass --reset to replace it.")
        removed = synth_reset()
        log("Removed the previous synthetic data: " + ", ".join(f"{k} {v:,}" for k, v in removed.items() if v))
    loader = _Loader(people=people, seed=seed, as_of=as_of, log=log)
    loader.run()
    from joinedup.outcomes.services import tallies_rebuild

    tally_started = time.perf_counter()
    tallies_rebuild()  # the dashboard's monthly tallies, counted from what was loaded
    loader.phases["tallies"] = round(time.perf_counter() - tally_started, 2)
    seconds = time.perf_counter() - started
    return SynthResult(people=people, seed=seed, as_of=as_of, seconds=seconds, rows=loader.rows, phases=loader.phases)


def vacuum_analyze() -> None:
    """VACUUM ANALYZE the bulk tables (PostgreSQL), as autovacuum would soon after a real load."""
    if connection.vendor != "postgresql":
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        for model in BULK_MODELS:
            cur.execute(f"VACUUM (ANALYZE) {qn(model._meta.db_table)}")


__all__ = [
    "SynthError",
    "SynthInfo",
    "SynthResult",
    "synth_info",
    "synth_load",
    "synth_reset",
    "vacuum_analyze",
]
