"""Matching, both ways, read from the database: the people who may fit a vacancy, the vacancies that
may fit a person. SQL narrows first (stage, hours, where they can travel); `matching` explains.

An adviser sees by name only people whose case is at their own organisation; of the other
partners' people they see how many may fit, never who."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from joinedup.audit.verbs import AuditVerb
from joinedup.cases import selectors as case_selectors
from joinedup.core.errors import NotPermitted
from joinedup.directory.areas import postcode_district
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.organisations.selectors import organisation_names

from .access import audit
from .choices import PAID_KINDS, VacancyStatus
from .matching import BetterOff, Fit, Match, Post, Seeker, match, may_fit, ranked
from .models import TravelArea, Vacancy, WorkPreferences
from .wages import hourly_equivalent

if TYPE_CHECKING:
    from joinedup.organisations.permissions import Membership

MOST_EVALUATED = 2000  # candidates explained for one page (the narrowed set is rarely near this)
SHOWN = 50


def post_for(vacancy: Vacancy) -> Post:
    return _post(
        pk=vacancy.pk,
        title=vacancy.title,
        employer__name=vacancy.employer.name,
        site__district=vacancy.site.district,
        hours_min=vacancy.hours_min,
        hours_max=vacancy.hours_max,
        kind=vacancy.kind,
        wage=vacancy.wage,
        wage_period=vacancy.wage_period,
        adjustments_offered=vacancy.adjustments_offered,
        closing_on=vacancy.closing_on,
    )


_POST_FIELDS = ("pk", "title", "employer__name", "site__district", "hours_min", "hours_max", "kind", "wage",
                "wage_period", "adjustments_offered", "closing_on")  # fmt: skip


def _post(**r: Any) -> Post:
    """A `Post` from a vacancy's values (`_POST_FIELDS`): matching many reads rows, not models."""
    hourly = None
    if r["kind"] in PAID_KINDS:
        hourly = hourly_equivalent(r["wage"], r["wage_period"], r["hours_min"])
    return Post(
        vacancy_id=r["pk"],
        title=r["title"],
        employer_name=r["employer__name"],
        district=r["site__district"],
        hours_min=r["hours_min"],
        hours_max=r["hours_max"],
        kind=r["kind"],
        hourly_wage=hourly,
        adjustments_offered=frozenset(r["adjustments_offered"] or ()),
        closing_on=r["closing_on"],
    )


_SEEKER_FIELDS = (
    "pk",
    "delivery_partner_id",
    "person__given_name",
    "person__family_name",
    "person__postcode_district",
    "work_preferences__hours_min",
    "work_preferences__hours_max",
    "work_preferences__travel_districts",
    "work_preferences__kinds",
    "work_preferences__adjustments_needed",
)


def _frozen(value: Any) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


def seekers(cases: QuerySet[Any], *, goals_of: Any = None) -> list[Seeker]:
    """What matching needs of each case, in three queries (cases with preferences, goals, better off).
    With `goals_of` (an organisation id), plan goals are read only for that partner's cases: goals
    are a soft check, so the others' (only counted, by `may_fit`) do not need them."""
    rows = list(cases.values(*_SEEKER_FIELDS)[:MOST_EVALUATED])
    ids = [r["pk"] for r in rows]
    goal_ids = ids if goals_of is None else [r["pk"] for r in rows if r["delivery_partner_id"] == goals_of]
    goals = case_selectors.open_goal_texts(case_ids=goal_ids)
    calcs = case_selectors.latest_better_off(case_ids=ids)
    out = []
    for r in rows:
        calc = calcs.get(r["pk"])
        better = None
        if calc is not None:
            better = BetterOff.from_results(calc.hourly_wage, timezone.localtime(calc.created_at).date(), calc.results)
        out.append(
            Seeker(
                case_id=r["pk"],
                partner_id=r["delivery_partner_id"],
                name=f"{r['person__given_name']} {r['person__family_name']}",
                home_district=r["person__postcode_district"] or None,
                hours_min=r["work_preferences__hours_min"],
                hours_max=r["work_preferences__hours_max"],
                travel_districts=_frozen(r["work_preferences__travel_districts"]),
                kinds=_frozen(r["work_preferences__kinds"]),
                adjustments_needed=_frozen(r["work_preferences__adjustments_needed"]),
                goals=tuple(goals.get(r["pk"], ())),
                better_off=better,
            )
        )
    return out


def _narrow_cases(post: Post) -> QuerySet[Any]:
    """Cases seeking work whose known hours overlap the job's and who can travel to it, or who
    live in its postcode district (people with no preferences recorded are considered only then)."""
    # The two ways in, each from its own index (an OR across the joined tables would walk every case).
    lives_there = case_selectors.cases_seeking_work().filter(person__postcode_district=post.district)
    can_travel = TravelArea.objects.filter(district=post.district).values("preferences__case_id")
    hours_ok = (
        Q(work_preferences__hours_min__isnull=True)
        | Q(work_preferences__hours_max__isnull=True)
        | Q(work_preferences__hours_min__lte=post.hours_max, work_preferences__hours_max__gte=post.hours_min)
    )
    within = lives_there.order_by().values("pk").union(can_travel.order_by())
    return case_selectors.cases_seeking_work().filter(hours_ok).filter(pk__in=within).order_by("pk")


@dataclass
class PeopleMatches:
    vacancy: Vacancy
    fits: list[Match] = field(default_factory=list)
    ruled_out: list[Match] = field(default_factory=list)
    elsewhere: dict[str, int] = field(default_factory=dict)  # partner name -> how many may fit

    @property
    def elsewhere_total(self) -> int:
        return sum(self.elsewhere.values())


def people_for_vacancy(*, actor: Membership, vacancy: Vacancy) -> PeopleMatches:
    """The people on caseloads who may fit `vacancy`, ranked with reasons: named for the actor's own
    organisation, counted for the others. Audited (a list of people read for a purpose)."""
    if not has_perm(actor, Perm.CASE_VIEW_ORG):
        raise NotPermitted("Only advisers see who may fit a vacancy.")
    post = post_for(vacancy)
    results = PeopleMatches(vacancy)
    others: Counter[Any] = Counter()
    for seeker in seekers(_narrow_cases(post), goals_of=actor.organisation_id):
        if seeker.partner_id != actor.organisation_id:
            if may_fit(seeker, post):
                others[seeker.partner_id] += 1
            continue
        m = match(seeker, post)
        (results.ruled_out if m.fit == Fit.RULED_OUT else results.fits).append(m)
    results.fits = ranked(results.fits)[:SHOWN]
    results.ruled_out = ranked(results.ruled_out)[:20]
    names = organisation_names(ids=list(others))
    results.elsewhere = {names.get(k, "another partner"): n for k, n in others.most_common()}
    audit(actor, AuditVerb.MATCHED, vacancy, shown=len(results.fits), elsewhere=results.elsewhere_total)
    return results


def seeker_for_case(case: Any) -> Seeker:
    found = seekers(case_selectors.cases_seeking_work().filter(pk=case.pk))
    if found:
        return found[0]
    # A case no longer at the enrolled stage can still be matched: read it directly.
    prefs = WorkPreferences.objects.filter(case_id=case.pk).first()
    goals = case_selectors.open_goal_texts(case_ids=[case.pk]).get(case.pk, [])
    return Seeker(
        case_id=case.pk,
        partner_id=case.delivery_partner_id,
        name=case.person.full_name,
        home_district=postcode_district(case.person.postcode),
        hours_min=prefs.hours_min if prefs else None,
        hours_max=prefs.hours_max if prefs else None,
        travel_districts=_frozen(prefs.travel_districts) if prefs else None,
        kinds=_frozen(prefs.kinds) if prefs else None,
        adjustments_needed=_frozen(prefs.adjustments_needed) if prefs else None,
        goals=tuple(goals),
    )


@dataclass
class VacancyMatches:
    seeker: Seeker
    fits: list[Match] = field(default_factory=list)
    ruled_out: list[Match] = field(default_factory=list)
    home_only: bool = False  # where they can travel is not known: only their home district searched


def _narrow_vacancies(seeker: Seeker) -> QuerySet[Any]:
    qs = Vacancy.objects.filter(status=VacancyStatus.OPEN, closing_on__gte=timezone.localdate())
    districts = set(seeker.travel_districts or ())
    if seeker.home_district:
        districts.add(seeker.home_district)
    qs = qs.filter(site__district__in=sorted(districts))
    if seeker.hours_min is not None and seeker.hours_max is not None:
        qs = qs.filter(hours_min__lte=seeker.hours_max, hours_max__gte=seeker.hours_min)
    return qs.order_by("closing_on", "pk").values(*_POST_FIELDS)


def vacancies_for_case(*, actor: Membership, case: Any) -> VacancyMatches:
    """The open vacancies that may fit the person on `case` (already read, and audited, by the
    caller through `cases.selectors.case_get`), ranked with reasons."""
    if not has_perm(actor, Perm.CASE_VIEW_ORG) or case.delivery_partner_id != actor.organisation_id:
        raise NotPermitted("You can only match people your organisation supports.")
    seeker = seeker_for_case(case)
    out = VacancyMatches(seeker, home_only=seeker.travel_districts is None)
    for row in _narrow_vacancies(seeker)[:MOST_EVALUATED]:
        m = match(seeker, _post(**row))
        (out.ruled_out if m.fit == Fit.RULED_OUT else out.fits).append(m)
    out.fits = ranked(out.fits)[:SHOWN]
    out.ruled_out = ranked(out.ruled_out)[:20]
    return out
