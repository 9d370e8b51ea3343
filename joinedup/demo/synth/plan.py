"""The plan: what happens to each synthetic referral, drawn up front into compact arrays.

Referral ``i`` is referred on a day (volume grows over three years, dips in August, at Christmas and
at weekends), triaged (assigned, declined or withdrawn), and if assigned perhaps enrolled; an
enrolled case may start a job, sustain it at 13 and 26 weeks, and close. The row declarations in
`joinedup.demo.synthetic` read these arrays; each table draws its own values from its own stream."""

from __future__ import annotations

import random
from array import array
from bisect import bisect
from collections.abc import Callable, Iterator
from datetime import date

from joinedup.cases.models import Timepoint
from joinedup.organisations.models import Role

from .base import (
    ACTIVE_CASELOAD,
    ASSIGNED,
    DECLINED,
    ENROLLED,
    NONE,
    SPAN_DAYS,
    USER_PREFIX,
    WITHDRAWN,
    Ids,
    accumulate,
)
from .layout import Layout

_ID_STREAMS = [
    ("org", "person", "referral", "case", "job"),
    ("consent", "contact", "sust", "key", "membership"),
    ("wellbeing", "assess", "rating", "goal", "action"),
    ("participation", "job_entry", "course", "expense", "claim"),
    ("claim_evidence", "claim_batch"),
]


class Plan(Layout):
    # The synthetic programme, noted by `programmes.programme_setup` for the declarations to refer to.
    pm_users: list[int]  # the lead body's programme managers (made by `staff`)
    programme_id: str
    programme_manager_uid: int
    budget_ids: dict[str, str]  # partner id -> the partner's expenses budget
    claim_batches: dict[tuple[int, date], list[int]]  # (partner index, month) -> [batch number, total in pence]

    def __init__(self, *, people: int, seed: int, as_of: date, log: Callable[[str], None]) -> None:
        self.n = people
        self.seed = seed
        self.as_of = as_of
        self.log = log
        self.ids = {name: Ids(self._rng(f"ids:{name}")) for names in _ID_STREAMS for name in names}
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

    def rng(self, stream: str) -> random.Random:
        """The random stream of one table (or other part of the load), the same for a seed."""
        return self._rng(stream)

    def day(self, ordinal: int) -> str:
        return self._days[ordinal - self._day_base]

    def ts(self, t: int) -> str:
        """A timestamp (minutes since day 1, UTC) as COPY text."""
        return self._days[t // 1440 - self._day_base] + self._times[t % 1440]

    def adviser_uid(self, i: int) -> int:
        p = self.partners[self.partner[i]]
        return p.users[self.partner_advisers[self.partner[i]][self.adviser[i]]]

    def referrer_uid(self, i: int) -> int:
        return self.referrers[self.ref_org[i]].users[self.referrer[i]]

    def enrolled(self) -> Iterator[int]:
        """The indexes of the referrals that became cases, in order."""
        status = self.status
        return (i for i in range(self.n) if status[i] == ENROLLED)

    # -- the plan -------------------------------------------------------------------------------

    def plan(self) -> None:
        n = self.n
        rng = self._rng("plan")
        self._random, self._randrange = rng.random, rng.randrange
        self._expo, self._logn = rng.expovariate, rng.lognormvariate
        self._cum = list(accumulate(self._day_weights()))
        self._ref_cum = list(accumulate([o.weight for o in self.referrers]))
        self._part_cum = list(accumulate([p.weight for p in self.partners]))
        self._ref_users = [len(o.user_specs) for o in self.referrers]

        def a(code: str) -> array:
            return array(code, bytes(8 * n if code == "q" else 4 * n if code == "i" else n))

        self.t_ref, self.ref_org, self.referrer = a("q"), a("i"), a("i")
        self.t1, self.k1, self.t2, self.k2 = a("q"), a("b"), a("q"), a("b")
        self.by_partner_manager, self.partner, self.adviser = a("b"), a("i"), a("i")
        self.status, self.t_status = a("b"), a("q")
        self.job, self.s13, self.s26, self.closed, self.stage = a("i"), a("i"), a("i"), a("i"), a("b")
        counts = dict.fromkeys((NONE, ASSIGNED, DECLINED, WITHDRAWN, ENROLLED), 0)
        for i in range(n):
            status = self._plan_referral(i)
            counts[status] += 1
            job = s13 = s26 = closed = -1
            stage = 0
            if status == ENROLLED:
                job, s13, s26, closed, stage = self._plan_case(self.t2[i] // 1440)
            self.job[i], self.s13[i], self.s26[i], self.closed[i], self.stage[i] = job, s13, s26, closed, stage
        self.status_counts = counts
        self.cases = counts[ENROLLED]

    def _day_weights(self) -> list[float]:
        """Referral days: volume grows over the three years after a three-month ramp-up, dips in
        August and over Christmas, and is low at weekends."""
        weights = []
        for k in range(SPAN_DAYS):
            d = date.fromordinal(self.first_day + k)
            w = (0.5 + k / SPAN_DAYS) * min(1.0, (k + 10) / 90)
            w *= 0.12 if d.weekday() >= 5 else 1.0
            w *= 0.8 if d.month == 8 else (0.5 if d.month == 12 and d.day >= 20 else 1.0)
            weights.append(w)
        return weights

    def _plan_referral(self, i: int) -> int:
        """When referral `i` is made, by whom, and what triage and the partner do with it."""
        random_, randrange, expo = self._random, self._randrange, self._expo
        cum, ref_cum = self._cum, self._ref_cum
        day = self.first_day + bisect(cum, random_() * cum[-1])
        t_ref = day * 1440 + 480 + randrange(600)  # 08:00-17:59 UTC
        org = bisect(ref_cum, random_() * ref_cum[-1])
        self.t_ref[i], self.ref_org[i] = t_ref, org
        self.referrer[i] = randrange(self._ref_users[org])
        # Triage: usually within a few working days; a few wait weeks for missing details.
        gap = min(60, int(expo(0.25))) if random_() < 0.97 else 10 + randrange(50)
        t1 = t_ref + 30 + randrange(240) if gap == 0 else (day + gap) * 1440 + 540 + randrange(480)
        roll = random_()
        k1 = DECLINED if roll < 0.12 else WITHDRAWN if roll < 0.15 else ASSIGNED
        k2, t2, partner = NONE, 0, -1
        if k1 == ASSIGNED:
            partner = bisect(self._part_cum, random_() * self._part_cum[-1])
            roll = random_()
            if roll < 0.20:
                k2, t2 = WITHDRAWN, t1 + (7 + randrange(54)) * 1440
            elif roll < 0.25:
                k2, t2 = DECLINED, t1 + (3 + randrange(20)) * 1440
            else:
                k2, t2 = ENROLLED, t1 + (2 + min(90, int(expo(0.1)))) * 1440 + randrange(300)
        self.by_partner_manager[i] = 1 if random_() < 0.2 else 0
        status, t_status = NONE, t_ref  # received
        cutoff = self.cutoff_day * 1440
        if t1 < cutoff:
            status, t_status = k1, t1
            if k2 != NONE and t2 < cutoff:
                status, t_status = k2, t2
        else:
            partner = -1  # not triaged yet
        self.t1[i], self.k1[i], self.t2[i], self.k2[i] = t1, k1, t2, k2
        self.partner[i], self.status[i], self.t_status[i] = partner, status, t_status
        return status

    def _plan_case(self, e: int) -> tuple[int, int, int, int, int]:
        """For a case enrolled on day `e`: the days of its job start, 13- and 26-week sustainments and
        closure (-1 if not by the as-of date), and its stage (index into the stages)."""
        random_, randrange = self._random, self._randrange
        job = s13 = s26 = closed = -1
        has_job = random_() < 0.42
        job_day = e + 7 + int(self._logn(4.3, 0.6))
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
        return job, s13, s26, closed, stage

    def advisers(self) -> None:
        """Hire advisers so each partner's active cases come to about 40 each, then share them out."""
        active = [0] * len(self.partners)
        for i in range(self.n):
            if self.status[i] == ENROLLED and self.closed[i] < 0:
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

    # -- the Personal Adviser's workspace ------------------------------------------------------

    def reviews(self, i: int) -> list[tuple[int, str]]:
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

    def assessments(self) -> Iterator[tuple[int, int, int, int]]:
        """(case index, assessment number, day, which of the case's assessments) in one fixed order."""
        n = 0
        for i in self.enrolled():
            for k, (day, timepoint) in enumerate(self.reviews(i)):
                if timepoint != Timepoint.EXIT:
                    yield i, n, day, k
                    n += 1
