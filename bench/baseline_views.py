"""Baselines: bare views running hand-written, indexed SQL for what each page shows.

Each returns a minimal HttpResponse: no sign-in, no permission checks, no ORM, no templates. The
benchmark reports each page's p95 latency as a ratio of its baseline's, measured in the same run
and interleaved request by request, so load on the machine affects both alike. A ratio near 1 means
the page costs little more than fetching its data; a large ratio points at the ORM, the template,
or queries the page does not need.

The views take the ids a page would take from the signed-in membership as query parameters. They
are mounted only by `bench.urls` (the benchmark's settings), never by `config.urls`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from datetime import date, timedelta

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _rows(sql: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params or [])
        return cur.fetchall()


def _text(*parts: object) -> HttpResponse:
    return HttpResponse("\n".join(str(p) for p in parts), content_type="text/plain; charset=utf-8")


def caseload(request: HttpRequest) -> HttpResponse:
    """Adviser's caseload, as the page shows it: the first page of 50 cases (newest enrolment first,
    with the last contact) and how many there are; the 50 referrals waiting longest to be enrolled
    and how many; and the job starts of the last 400 days at open cases, with the milestones
    recorded, from which the reminders are worked out. `?all=1`: everyone's cases at the partner."""
    partner, adviser = request.GET["partner"], request.GET["adviser"]
    everyone = request.GET.get("all") == "1"
    mine = "" if everyone else " AND c.adviser_id = %s"
    params = [partner] if everyone else [partner, adviser]
    total = _rows(f"SELECT count(*) FROM cases_case c WHERE c.delivery_partner_id = %s{mine}", params)[0][0]  # noqa: S608
    cases = _rows(  # `mine` is one of two constant strings; values are parameters
        f"""
        SELECT c.id, p.given_name, p.family_name, c.stage, c.enrolled_on, c.next_action, c.next_review_on,
               u.first_name, u.last_name, u.username,
               (SELECT max(k.happened_on) FROM cases_contact k WHERE k.case_id = c.id)
        FROM cases_case c
        JOIN people_person p ON p.id = c.person_id
        JOIN auth_user u ON u.id = c.adviser_id
        WHERE c.delivery_partner_id = %s{mine}
        ORDER BY c.enrolled_on DESC, c.id
        LIMIT 50
        """,  # noqa: S608
        params,
    )
    waiting = "r.delivery_partner_id = %s AND r.status = 'assigned'" + ("" if everyone else " AND r.adviser_id = %s")
    awaiting_total = _rows(f"SELECT count(*) FROM referrals_referral r WHERE {waiting}", params)[0][0]  # noqa: S608
    awaiting = _rows(
        f"""
        SELECT r.id, p.given_name, p.family_name, r.reference, o.name, r.status_changed_at
        FROM referrals_referral r
        JOIN people_person p ON p.id = r.person_id
        JOIN organisations_organisation o ON o.id = r.referring_organisation_id
        WHERE {waiting}
        ORDER BY r.status_changed_at
        LIMIT 50
        """,  # noqa: S608
        params,
    )
    today = timezone.localdate()
    jobs = _rows(
        f"""
        SELECT j.id, j.start_date, j.job_title, j.employer_name, c.id, p.given_name, p.family_name, s.weeks, s.months
        FROM cases_jobstart j
        JOIN cases_case c ON c.id = j.case_id
        JOIN people_person p ON p.id = c.person_id
        LEFT JOIN cases_sustainment s ON s.job_start_id = j.id
        WHERE c.delivery_partner_id = %s{mine} AND c.stage <> 'closed'
          AND j.start_date >= %s AND j.start_date <= %s
        """,  # noqa: S608
        [*params, today - timedelta(days=400), today - timedelta(weeks=4)],
    )
    queue = _work_queue(mine, params, today)
    return _text(
        total,
        awaiting_total,
        *(f"{r[1]} {r[2]} {r[3]} {r[4]}" for r in awaiting),
        *(f"{c[1]} {c[2]} {c[3]} {c[10]}" for c in cases),
        *(f"{j[2]} {j[5]} {j[6]} {j[7]}" for j in jobs),
        *queue,
    )


def _work_queue(mine: str, params: list, today: date) -> list[str]:
    """The caseload's work-queue groups that the lists above do not already give (issue 18): open
    cases with a plan review due within a week or overdue, soonest first, and open cases with no
    contact for over 14 days, longest first; the first 10 of each with the count. (The waiting
    list and the reminders are the lists above; the page shows 10 of each at a time.)"""
    last = "(SELECT max(k.happened_on) FROM cases_contact k WHERE k.case_id = c.id)"
    shown = f"""
        SELECT c.id, p.given_name, p.family_name, c.next_action, c.next_review_on, c.enrolled_on, {last},
               count(*) OVER ()
        FROM cases_case c JOIN people_person p ON p.id = c.person_id
        WHERE c.delivery_partner_id = %s{mine} AND c.stage <> 'closed' AND {{where}}
        ORDER BY {{order}} LIMIT 10
    """  # noqa: S608  (`mine` is one of two constant strings; values are parameters)
    due = _rows(
        shown.format(where="c.next_review_on <= %s", order="c.next_review_on, c.enrolled_on DESC, c.id"),
        [*params, today + timedelta(days=7)],
    )
    cutoff = today - timedelta(days=14)
    quiet = _rows(
        shown.format(where=f"coalesce({last}, c.enrolled_on) < %s", order=f"coalesce({last}, c.enrolled_on), c.id"),
        [*params, cutoff],
    )
    return [f"{r[1]} {r[2]} {r[3]} {r[4]} {r[6]} {r[7]}" for r in [*due, *quiet]]


def case_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """One person's record: case, person, adviser, referral, latest 50 contacts, jobs and milestones,
    the workspace's sections that have rows (wellbeing, assessments with their ratings, permitted
    work and volunteering, better-off calculations, job applications, early help, exits), and the
    audit event that reading it requires."""
    partner, actor = request.GET["partner"], request.GET["actor"]
    rows = _rows(
        """
        SELECT c.id, c.stage, c.enrolled_on, c.eligibility_evidence, p.id, p.given_name, p.family_name,
               p.date_of_birth, p.email, p.phone, p.postcode, u.first_name, u.last_name, r.reference
        FROM cases_case c
        JOIN people_person p ON p.id = c.person_id
        JOIN auth_user u ON u.id = c.adviser_id
        JOIN referrals_referral r ON r.id = c.referral_id
        WHERE c.id = %s AND c.delivery_partner_id = %s
        """,
        [pk, partner],
    )
    if not rows:
        return HttpResponse(status=404)
    case = rows[0]
    contacts = _rows(
        """
        SELECT happened_on, kind, channel, duration_minutes, notes FROM cases_contact
        WHERE case_id = %s ORDER BY happened_on DESC, created_at DESC LIMIT 50
        """,
        [pk],
    )
    jobs = _rows(
        """
        SELECT j.id, j.job_title, j.employer_name, j.start_date, j.hours_per_week, j.hourly_pay, s.weeks, s.achieved_on
        FROM cases_jobstart j LEFT JOIN cases_sustainment s ON s.job_start_id = j.id
        WHERE j.case_id = %s ORDER BY j.start_date DESC, s.weeks
        """,
        [pk],
    )
    # As the page does: one query of EXISTS probes, then only the sections that have rows.
    tables = ("cases_wellbeingmeasure", "cases_assessment", "cases_workactivity", "cases_betteroffcalculation")
    tables += ("cases_jobapplication", "cases_earlyhelp", "cases_caseexit")
    probes = ", ".join(f"EXISTS(SELECT 1 FROM {t} WHERE case_id = %s)" for t in tables)  # noqa: S608 - constants
    present = _rows(f"SELECT {probes}", [pk] * len(tables))[0]
    sections = [
        _rows(sql, [pk])
        for sql, has in zip(
            (
                "SELECT instrument, recorded_on, total, converted, band, timepoint FROM cases_wellbeingmeasure "
                "WHERE case_id = %s ORDER BY instrument, recorded_on",
                "SELECT a.id, a.assessed_on, a.summary, r.area, r.rating FROM cases_assessment a "
                "JOIN cases_arearating r ON r.assessment_id = a.id WHERE a.case_id = %s ORDER BY a.assessed_on",
                "SELECT kind, organisation_name, role, hours_per_week, started_on FROM cases_workactivity "
                "WHERE case_id = %s ORDER BY started_on DESC",
                "SELECT created_at, hourly_wage, tax_year FROM cases_betteroffcalculation "
                "WHERE case_id = %s ORDER BY created_at DESC LIMIT 5",
                "SELECT employer_name, job_title, applied_on, status, interview_on FROM cases_jobapplication "
                "WHERE case_id = %s ORDER BY applied_on DESC",
                "SELECT situation, started_on, outcome FROM cases_earlyhelp "
                "WHERE case_id = %s ORDER BY started_on DESC",
                "SELECT closed_on, destination, reason FROM cases_caseexit WHERE case_id = %s ORDER BY closed_on DESC",
            ),
            present,
            strict=True,
        )
        if has
    ]
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO audit_auditevent (at, actor_id, organisation_id, verb, target_type, target_id, person_id,
                                          channel, payload)
            VALUES (now(), %s, %s, 'viewed', 'cases.case', %s, %s, 'web', '{}')
            """,
            [actor, partner, str(pk), case[4]],
        )
    return _text(case[5], case[6], *(c[0] for c in contacts), *(j[1] for j in jobs), *(len(rows) for rows in sections))


def triage(request: HttpRequest) -> HttpResponse:
    """The triage queue: the oldest 200 received referrals, and how many there are."""
    queue = _rows(
        """
        SELECT r.id, r.reference, p.given_name, p.family_name, o.name, r.created_at
        FROM referrals_referral r
        JOIN people_person p ON p.id = r.person_id
        JOIN organisations_organisation o ON o.id = r.referring_organisation_id
        WHERE r.status = 'received'
        ORDER BY r.created_at
        LIMIT 200
        """
    )
    total = _rows("SELECT count(*) FROM referrals_referral WHERE status = 'received'")[0][0]
    return _text(total, *(f"{r[1]} {r[2]} {r[3]} {r[4]}" for r in queue))


def dashboard(request: HttpRequest) -> HttpResponse:
    """Referrals, starts, starts by referral month, job starts and 26-week sustainments, by partner
    and month over the last 12 months (the dashboard's default period): the monthly tallies the
    services keep (`joinedup.outcomes`), with partner names. `?recount=1`: count every month from
    the records instead, as the dashboard did before the tallies."""
    if request.GET.get("recount") == "1":
        return _dashboard_recount()
    this_month = timezone.localdate().replace(day=1)
    since = date(this_month.year - (1 if this_month.month < 12 else 0), this_month.month % 12 + 1, 1)
    rows = _rows(
        "SELECT t.measure, o.name, t.month, t.n FROM outcomes_monthlytally t "
        "LEFT JOIN organisations_organisation o ON o.id = NULLIF(t.partner_key, '')::uuid "
        "WHERE t.n > 0 AND t.month >= %s",
        [since],
    )
    cells: dict[tuple, dict[str, int]] = {}
    for measure, name, month, n in rows:
        cells.setdefault((name or "Not yet assigned", month), {})[measure] = n
    return _text(*(f"{p} {m:%Y-%m} {v}" for (p, m), v in sorted(cells.items())))


def _dashboard_recount() -> HttpResponse:
    tz = "Europe/London"
    referrals = _rows(
        "SELECT date_trunc('month', created_at AT TIME ZONE %s)::date, delivery_partner_id, count(*) "
        "FROM referrals_referral GROUP BY 1, 2",
        [tz],
    )
    starts = _rows(
        "SELECT date_trunc('month', enrolled_on)::date, delivery_partner_id, count(*) FROM cases_case GROUP BY 1, 2"
    )
    converted = _rows(  # starts by the month of their referral (the cohort conversion)
        "SELECT date_trunc('month', r.created_at AT TIME ZONE %s)::date, c.delivery_partner_id, count(*) "
        "FROM cases_case c JOIN referrals_referral r ON r.id = c.referral_id GROUP BY 1, 2",
        [tz],
    )
    jobs = _rows(
        "SELECT date_trunc('month', j.start_date)::date, c.delivery_partner_id, count(*) "
        "FROM cases_jobstart j JOIN cases_case c ON c.id = j.case_id GROUP BY 1, 2"
    )
    sustained = _rows(
        "SELECT date_trunc('month', s.achieved_on)::date, c.delivery_partner_id, count(*) "
        "FROM cases_sustainment s JOIN cases_jobstart j ON j.id = s.job_start_id "
        "JOIN cases_case c ON c.id = j.case_id WHERE s.weeks = 26 GROUP BY 1, 2"
    )
    names = dict(_rows("SELECT id, name FROM organisations_organisation WHERE kind = 'delivery_partner'"))
    cells: dict[tuple, list[int]] = {}
    for k, rows in enumerate((referrals, starts, converted, jobs, sustained)):
        for month, partner, n in rows:
            cells.setdefault((names.get(partner, "Not yet assigned"), month), [0, 0, 0, 0, 0])[k] += n
    return _text(*(f"{p} {m:%Y-%m} {v}" for (p, m), v in sorted(cells.items())))


@csrf_exempt
def referral_create(request: HttpRequest) -> HttpResponse:
    """A referral from a system: token lookup, then person, two consents, referral, first status
    change and audit event in one transaction. No validation beyond what the database does."""
    key = request.headers.get("Authorization", "").removeprefix("Bearer ")
    token = _rows(
        """
        SELECT m.user_id, m.organisation_id FROM api_apitoken t
        JOIN organisations_membership m ON m.id = t.membership_id
        WHERE t.key_hash = %s AND t.revoked_at IS NULL
        """,
        [hashlib.sha256(key.encode()).hexdigest()],
    )
    if not token:
        return HttpResponse(status=401)
    user, org = token[0]
    data = json.loads(request.body)
    now = timezone.now()
    person, referral = uuid.uuid4(), uuid.uuid4()
    reference = "JU-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(7))
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO people_person (id, created_at, updated_at, created_by_id, given_name, family_name,
                                       date_of_birth, email, phone, postcode, nhs_number, national_insurance_number)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '')
            """,
            [person, now, now, user, data["given_name"], data["family_name"], data["date_of_birth"],
             data.get("email", ""), data.get("phone", ""), data["postcode"], data.get("nhs_number", "")],
        )  # fmt: skip
        cur.execute(
            """
            INSERT INTO people_consent (id, created_at, updated_at, created_by_id, person_id, purpose, given,
                                        recorded_by_organisation_id, about_organisation_id)
            VALUES (%s, %s, %s, %s, %s, 'referral', true, %s, NULL),
                   (%s, %s, %s, %s, %s, 'share_progress', %s, %s, %s)
            """,
            [uuid.uuid4(), now, now, user, person, org,
             uuid.uuid4(), now, now, user, person, bool(data["consent_share_progress"]), org, org],
        )  # fmt: skip
        cur.execute(
            """
            INSERT INTO referrals_referral (id, created_at, updated_at, created_by_id, reference, person_id,
                referring_organisation_id, employment_status, benefits, health_condition, help_wanted, status,
                status_changed_at, submission_key, route, details)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'received', %s, %s, '', '{}')
            """,
            [referral, now, now, user, reference, person, org, data["employment_status"],
             json.dumps(sorted(set(data["benefits"]))), data["health_condition"], data["help_wanted"], now,
             request.headers.get("Idempotency-Key")],
        )  # fmt: skip
        cur.execute(
            """
            INSERT INTO referrals_referralstatuschange (referral_id, from_status, to_status, at, by_id,
                                                        by_organisation_id, reason, reason_code)
            VALUES (%s, '', 'received', %s, %s, %s, '', '')
            """,
            [referral, now, user, org],
        )
        cur.execute(  # this month's referral tally, as the service keeps it
            """
            INSERT INTO outcomes_monthlytally (measure, partner_key, month, n)
            VALUES ('referrals', '', date_trunc('month', %s AT TIME ZONE 'Europe/London')::date, 1)
            ON CONFLICT (measure, partner_key, month) DO UPDATE SET n = outcomes_monthlytally.n + 1
            """,
            [now],
        )
        cur.execute(
            """
            INSERT INTO audit_auditevent (at, actor_id, organisation_id, verb, target_type, target_id, person_id,
                                          channel, payload)
            VALUES (%s, %s, %s, 'created', 'referrals.referral', %s, %s, 'api', %s)
            """,
            [now, user, org, str(referral), person, json.dumps({"reference": reference})],
        )
    return JsonResponse({"id": str(referral), "reference": reference}, status=201)
