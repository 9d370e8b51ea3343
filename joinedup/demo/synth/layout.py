"""The synthetic partnership's organisations and the staff other than Personal Advisers.

Organisations: a lead body, ``N // 5000 + 3`` delivery partners, referring organisations of every
kind (in proportion to their share of referrals), an evaluator and some employers. Names come from
the pools here and from Faker en_GB, drawn once for a seed."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from faker import Faker

from joinedup.organisations.models import Organisation, OrganisationKind, Role

from .base import SPAN_DAYS, USER_PREFIX, check_copy_text

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
check_copy_text(TOWNS, PRACTICE_FEATURES, EMPLOYERS)


@dataclass
class Org:
    id: str
    name: str
    kind: str
    weight: float = 1.0
    users: list[int] = field(default_factory=list)  # auth user ids, filled once users exist
    user_specs: list[tuple[str, str, str, str]] = field(default_factory=list)  # username, first, last, role


class Layout:
    """The organisations and their non-adviser staff; `Plan` adds what happens to each referral."""

    n: int
    seed: int
    ids: dict
    _rng: Callable[[str], random.Random]

    def name_pools(self) -> None:
        fake = Faker("en_GB")
        fake.seed_instance(self.seed)
        self.male = list(dict.fromkeys(fake.first_name_male() for _ in range(3000)))
        self.female = list(dict.fromkeys(fake.first_name_female() for _ in range(3000)))
        self.surnames = list(dict.fromkeys(fake.last_name() for _ in range(8000)))
        companies = list(dict.fromkeys(fake.company() for _ in range(300)))
        self.employers = EMPLOYERS + [c for c in companies if "\\" not in c]

    def layout(self) -> None:
        rng = self._rng("layout")
        unique = _unique_names(set(Organisation.objects.values_list("name", flat=True)))
        made = iter(range(1 << 30))

        def org(name: str, kind: str, weight: float = 1.0) -> Org:
            return Org(self.ids["org"](next(made)), name, kind, weight)

        self.orgs: list[Org] = []
        county = rng.choice(COUNTIES)
        self.lead = org(unique(lambda: f"{county} County Council"), OrganisationKind.LEAD_BODY)
        self.orgs.append(self.lead)
        self.evaluator = org(unique(lambda: "Institute for Employment Evaluation"), OrganisationKind.EVALUATOR)
        self.orgs.append(self.evaluator)
        self.partners: list[Org] = []
        for _ in range(self.n // 5000 + 3):
            name = unique(lambda: rng.choice(PARTNER_PATTERNS).format(t=rng.choice(TOWNS)))
            p = org(name, OrganisationKind.DELIVERY_PARTNER, rng.lognormvariate(0, 0.5))
            self.partners.append(p)
            self.orgs.append(p)
        self.referrers: list[Org] = []
        for kind, share, per_100k, minimum in REFERRER_MIX:
            count = max(minimum, round(self.n * per_100k / 100_000))
            group = []
            for _ in range(count):
                name = unique(lambda kind=kind: _referrer_name(kind, rng))
                group.append(org(name, kind, rng.lognormvariate(0, 0.7)))
            total = sum(o.weight for o in group)
            for o in group:
                o.weight = share * o.weight / total
            self.referrers += group
            self.orgs += group
        for _ in range(max(3, self.n // 50_000)):
            self.orgs.append(org(unique(lambda: rng.choice(self.employers)), OrganisationKind.EMPLOYER))
        self._staff()

    def _staff(self) -> None:
        """Staff other than Personal Advisers (`Plan` sizes those from the caseloads)."""
        users = self._rng("users")
        self._user_names = users

        def staff(o: Org, role: str, tag: str, count: int) -> None:
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


def _unique_names(existing: set[str]) -> Callable[[Callable[[], str]], str]:
    """A namer that draws until a name is new (to this load and to the database), else numbers it."""
    names: set[str] = set()

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

    return unique


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
