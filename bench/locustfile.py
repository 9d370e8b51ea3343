"""The traffic mix for `python -m bench.loadtest`: Personal Advisers, referrers and programme managers.

Each simulated person holds a real session of a synthetic user (prepared by `bench.loadtest`, read
from the JSON file named by LOADTEST_PLAN) and acts at random moments, `pace` times a second on
average, each independently of the others and of how fast the server answers (`poisson_pacing`), so
the offered load is users × pace whatever the response times. Weights follow a working day: advisers
open person records most, then their caseload, and record contacts, and now and then look at
employers, vacancies and matching (issue 14); referrers check on their referrals and send new ones
through the API; programme managers work the triage queue and glance at the dashboard, a
programme's performance and ESF return (issue 15) and an authority's need page (issue 16); people
look at their own overview (`/you/`, issue 20), signed in by the emailed link.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import time
import uuid
from collections.abc import Callable
from datetime import date

from locust import FastHttpUser, task

with open(os.environ["LOADTEST_PLAN"], encoding="utf-8") as handle:
    PLAN = json.load(handle)
PACE = float(os.environ.get("LOADTEST_PACE", "1"))  # requests per second per simulated user


def poisson_pacing(rate: float) -> Callable[[object], float]:
    """Arrivals as from people working independently: each user's next task is due an exponentially
    distributed time after the last one was due (mean 1/rate), however long the last took; a user
    who has fallen behind starts at once and is due again from then.

    locust's `constant_throughput` gave every user the same pace and, because locust starts users
    in batches on the second, the same phase: all of them asked at once, once a second, and the
    server met a burst of 100 requests each second instead of a stream (docs/benchmarks.md, fifth
    session).
    """

    def wait_time(user: object) -> float:
        now = time.monotonic()
        due = max(getattr(user, "_due", now) + random.expovariate(rate), now)
        user._due = due
        return due - now

    return wait_time


class _Signed(FastHttpUser):
    abstract = True
    wait_time = poisson_pacing(PACE)
    role = ""

    def on_start(self) -> None:
        people = PLAN[self.role]
        self.me = people[random.randrange(len(people))]
        self.csrf = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and field
        self.cookie = f"sessionid={self.me['session']}; csrftoken={self.csrf}"

    def get(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, headers={"Cookie": self.cookie}, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    def post_form(self, path: str, data: dict[str, str], name: str) -> None:
        body = {**data, "csrfmiddlewaretoken": self.csrf}
        with self.client.post(
            path,
            data=body,
            name=name,
            headers={"Cookie": self.cookie, "Referer": self.host + path},
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"{r.status_code}")


class Adviser(_Signed):
    weight = 6
    role = "advisers"

    def case(self) -> str:
        return random.choice(self.me["cases"])

    @task(10)
    def person_record(self) -> None:
        self.get(f"/cases/{self.case()}/", "person record")

    @task(4)
    def caseload(self) -> None:
        self.get("/cases/", "caseload")

    @task(1)
    def employer_list(self) -> None:
        self.get("/employers/", "employer list")

    @task(1)
    def vacancy_list(self) -> None:
        self.get("/employers/vacancies/", "vacancy list")

    @task(1)
    def vacancy_matching(self) -> None:
        if self.me["vacancies"]:
            self.get(f"/employers/vacancies/{random.choice(self.me['vacancies'])}/", "vacancy matching")

    @task(1)
    def person_matches(self) -> None:
        self.get(f"/employers/people/{self.case()}/", "person's vacancies")

    @task(2)
    def record_contact(self) -> None:
        case = self.case()
        today = date.today()
        self.get(f"/cases/{case}/contacts/new/", "contact form")
        self.post_form(
            f"/cases/{case}/contacts/new/",
            {
                "happened_on_0": str(today.day),
                "happened_on_1": str(today.month),
                "happened_on_2": str(today.year),
                "channel": "phone",
                "kind": "support",
                "duration_minutes": "15",
                "notes": "Load test: checked in by phone.",
            },
            "record contact",
        )


class Referrer(_Signed):
    weight = 3
    role = "referrers"

    @task(3)
    def my_referrals(self) -> None:
        self.get("/referrals/", "referrer's list")

    @task(3)
    def referral(self) -> None:
        self.get(f"/referrals/{random.choice(self.me['referrals'])}/", "referral status")

    @task(1)
    def refer_through_api(self) -> None:
        body = {
            "given_name": random.choice(["Sam", "Priya", "Tom", "Aisha", "Gareth", "Zoë"]),
            "family_name": random.choice(["Smith", "Patel", "Okafor", "Nowak", "Evans"]),
            "date_of_birth": f"{random.randint(1962, 2006)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}",
            "postcode": "NG18 1AB",
            "employment_status": "unemployed",
            "benefits": ["uc_lcw"],
            "health_condition": "mental_health",
            "help_wanted": "Load test referral",
            "consent_referral": True,
            "consent_share_progress": True,
        }
        headers = {
            "Authorization": f"Bearer {self.me['token']}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        with self.client.post(
            "/api/v1/referrals/", data=json.dumps(body), headers=headers, name="API referral", catch_response=True
        ) as r:
            if r.status_code != 201:
                r.failure(f"{r.status_code}")


class ProgrammeManager(_Signed):
    weight = 1
    role = "managers"

    @task(10)
    def triage(self) -> None:
        self.get("/referrals/triage/", "triage queue")

    @task(1)
    def dashboard(self) -> None:
        self.get("/dashboard/", "dashboard")

    @task(1)
    def performance(self) -> None:
        self.get(f"/programmes/{self.me['programme']}/performance/", "programme performance")

    @task(1)
    def esf_return(self) -> None:
        self.get(f"/programmes/{self.me['programme']}/esf/", "ESF return")

    @task(1)
    def need(self) -> None:
        self.get(f"/need/{random.choice(self.me['areas'])}/", "need page")


class Person(FastHttpUser):
    """A person on their own pages, with the portal's own session cookie (not a staff session)."""

    weight = 1
    wait_time = poisson_pacing(PACE)

    def on_start(self) -> None:
        me = PLAN["people"][random.randrange(len(PLAN["people"]))]
        self.cookie = f"joinedup_you={me['token']}"

    @task
    def overview(self) -> None:
        headers = {"Cookie": self.cookie}
        with self.client.get("/you/", name="person's overview", headers=headers, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
