"""`make soak`: the fault test (issue 17). Referrals are made through the API under load while
PostgreSQL restarts and a background worker is killed mid-job; then every acknowledged write is
checked to be there once, and the queue to have finished everything, the killed job run again once.

    python -m bench.soak [--seconds 60] [--clients 4] [--workers 2] [--keep]

1. **Its own PostgreSQL**: a throwaway server (`initdb` in ``$TMPDIR/joinedup-soak``, as the ``postgres`` user
   when run as root) on a free loopback port, with one database, ``joinedup_soak``. Restarting it
   disturbs nobody else's database; it is stopped and removed at the end (``--keep`` keeps it).
2. Migrates, and makes one referrer at a GP practice with an API token.
3. Serves the real application with gunicorn (``bench.settings``: DEBUG off, persistent
   connections) and runs one background worker (``manage.py jobs_worker``), kept running as
   production's systemd unit keeps it (``Restart=always``: a new worker, with a new id, a second
   after one exits; each exit is reported).
4. ``--clients`` threads each make referrals one after another through ``POST /api/v1/referrals/``,
   each with its own ``Idempotency-Key``. A client that is told 503 waits ``Retry-After`` (at most
   half a second here) and sends the same request with the same key again, as the API document
   says to; so does one whose connection fails. A referral is **acknowledged** when a 201 (or a 200
   replay of the same key) comes back.
5. Faults, a third and two thirds of the way through: PostgreSQL is restarted (``pg_ctl restart -m
   fast``, which ends every connection); then the worker is killed with SIGKILL while it is running a
   job (the script watches the job table and kills it the moment one of its jobs is running; it tries
   again if the job finished first); a new worker takes its place. The killed job's lease would run
   out after its ``lease_seconds`` (300 s for the duplicate check); to keep the run short the
   script moves the leases of the jobs left running by workers that died to now, which is what the
   passing of 300 s would do, and the next worker's recovery round puts them back on the queue
   (``--wait-lease`` waits them out instead).
6. Checks, after the clients stop and the queue has drained (waited for as long as jobs keep
   finishing; a minute with none finished is a stalled worker and the checks then fail), each a
   failure of the run if not so:
   no answer was a 5xx other than 503, and at least one 503 was seen (the outage really happened);
   every acknowledged key is exactly one referral, and there are no referrals beyond them; every
   referral has exactly one duplicate-check job, done, and one duplicate check; the killed job is
   done after exactly two attempts; no job failed. Writes ``var/bench/soak.json`` (the workers'
   errors in ``var/bench/soak-workers.log``).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PG_DIR = Path(tempfile.gettempdir()) / "joinedup-soak"  # the postgres user must be able to reach it
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = "joinedup_soak"
DUPLICATE_CHECK = "joinedup.referrals.jobs.referral_duplicate_check"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throwaway PostgreSQL server of our own, so restarting it disturbs no one else's database."""

    def __init__(self, directory: Path, port: int) -> None:
        self.directory, self.port = directory, port
        self.data = directory / "data"
        self.as_postgres = os.geteuid() == 0  # initdb and postgres refuse to run as root

    def _run(self, *args: str) -> None:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - PostgreSQL's own tools

    def create(self) -> None:
        if self.directory.exists():
            shutil.rmtree(self.directory)
        self.directory.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
        self.start()

    def _ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.directory / "postgres.log")
        self._run("pg_ctl", action, "-D", str(self.data), "-w", "-t", "60", "-l", log, "-o", options, *extra)

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"


@dataclass
class Tally:
    """What the clients saw: every answer's status, and the reference each key was acknowledged with."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)
    acknowledged: dict[str, str] = field(default_factory=dict)  # Idempotency-Key -> reference
    retried: int = 0
    connection_errors: int = 0
    unexpected: list[str] = field(default_factory=list)

    def record(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1


_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's unit uses


def _postcode(n: int) -> str:
    """A postcode of its own for most referrals (25 districts x 10 sectors x 400 units), as a
    county's referrals are spread. One postcode for all (as the soak had) put every earlier referral
    in each one's blocking, so each duplicate check scored up to `MAX_COMPARED` people and the
    worker fell behind by thousands of jobs: a measure of the check, not of the faults."""
    unit = n // 250 % 400
    return f"NG{1 + n % 25} {n // 25 % 10}{_LETTERS[unit // 20]}{_LETTERS[unit % 20]}"


def _body(n: int) -> bytes:
    return json.dumps(
        {
            "given_name": ["Sam", "Priya", "Tom", "Aisha", "Gareth"][n % 5],
            "family_name": f"Soak{n}",
            "date_of_birth": f"{1962 + n % 40}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "postcode": _postcode(n),
            "employment_status": "unemployed",
            "benefits": ["uc_lcw"],
            "health_condition": "mental_health",
            "help_wanted": "Soak test referral",
            "consent_referral": True,
            "consent_share_progress": True,
        }
    ).encode()


def _send(host: str, token: str, key: str, body: bytes) -> tuple[int, dict[str, Any], float]:
    """One attempt: (status, JSON body, seconds to wait before retrying). Status 0: no connection."""
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{host}/api/v1/referrals/",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 - loopback
            return r.status, json.loads(r.read() or b"{}"), 0
    except urllib.error.HTTPError as e:
        wait = min(float(e.headers.get("Retry-After") or 1), 0.5)
        try:
            payload = json.loads(e.read() or b"{}")
        except ValueError:
            payload = {}
        return e.code, payload, wait
    except OSError:
        return 0, {}, 0.2


def _client(number: int, host: str, token: str, stop: threading.Event, tally: Tally) -> None:
    n = number * 1_000_000
    while not stop.is_set():
        n += 1
        key, body = str(uuid.uuid4()), _body(n)
        for attempt in range(200):  # until acknowledged: a retry with the same key never makes a second
            status, payload, wait = _send(host, token, key, body)
            tally.record(status)
            if status in (200, 201):
                with tally.lock:
                    tally.acknowledged[key] = payload.get("reference", "")
                    tally.retried += attempt > 0
                break
            if status == 0:
                with tally.lock:
                    tally.connection_errors += 1
            elif status != 503:
                with tally.lock:
                    tally.unexpected.append(f"{status}: {json.dumps(payload)[:200]}")
            time.sleep(wait)


def _setup(url: str) -> str:
    """Migrate the soak database and make a referrer with an API token; returns the token."""
    os.environ.update(DJANGO_SETTINGS_MODULE="bench.settings", BENCH_DATABASE_URL=url)
    env = dict(os.environ)
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    import django

    django.setup()
    from joinedup.api.services import api_token_issue
    from joinedup.organisations.models import OrganisationKind, Role
    from joinedup.testkit.factories import MembershipFactory, OrganisationFactory

    practice = OrganisationFactory(name="Soak GP Practice", kind=OrganisationKind.GP_PRACTICE)
    referrer: Any = MembershipFactory(user__username="soak_referrer", organisation=practice, role=Role.REFERRER)
    _, token = api_token_issue(membership=referrer)
    return token


class Workers:
    """One background worker kept running as production's `Restart=always` keeps it (docs/how-to/
    run-workers.md): when it exits, a new one, with a new worker id, a second later."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log.open("ab")
        self.lock = threading.Lock()
        self.started = 0
        self.current: tuple[str, subprocess.Popen[bytes]] | None = None
        self.exits: list[dict[str, Any]] = []  # worker id, exit code, seconds into the run
        self.stopping = threading.Event()
        self.began = time.monotonic()
        self.thread = threading.Thread(target=self._keep, daemon=True)

    def _spawn(self) -> None:
        self.started += 1
        worker_id = f"soak-{self.started}"
        process = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "jobs_worker", "--interval", "0.2", "--worker-id", worker_id],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        self.current = (worker_id, process)

    def _keep(self) -> None:
        while not self.stopping.is_set():
            with self.lock:
                if self.current is None:
                    self._spawn()
                elif self.current[1].poll() is not None:
                    worker_id, process = self.current
                    at = round(time.monotonic() - self.began, 1)
                    self.exits.append({"worker": worker_id, "exit_code": process.returncode, "at_second": at})
                    self.current = None
            time.sleep(1 if self.current is None else 0.1)

    def start(self) -> None:
        with self.lock:
            self._spawn()
        self.thread.start()

    def dead(self) -> list[str]:
        with self.lock:
            return [e["worker"] for e in self.exits]

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        if self.current and self.current[1].poll() is None:
            self.current[1].terminate()
            try:
                self.current[1].wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.current[1].kill()


def _kill_mid_job(url: str, workers: Workers) -> tuple[str, list[str]]:
    """SIGKILL the worker the moment one of its jobs is running; returns its id and the jobs it left."""
    import psycopg

    running = "SELECT id::text FROM jobs_job WHERE status = 'running' AND worker_id = %s"
    deadline = time.monotonic() + 120
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            with workers.lock:
                current = workers.current
                if current and current[1].poll() is None and conn.execute(running, [current[0]]).fetchone():
                    current[1].send_signal(signal.SIGKILL)
                    current[1].wait()
                    left = [r[0] for r in conn.execute(running, [current[0]]).fetchall()]
                    if left:  # else it finished first: the next worker is tried
                        return current[0], left
            time.sleep(0.002)
    raise SystemExit("No job was seen running to kill its worker")


def _expire_leases(url: str, worker_ids: list[str]) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE jobs_job SET lease_until = now() WHERE status = 'running' AND worker_id = ANY(%s)", [worker_ids]
        )


def _drain(url: str, stalled_after: float) -> dict[str, Any]:
    """Wait for the queue to empty for as long as it keeps moving: gives up only when no job has
    finished for `stalled_after` seconds (a stalled worker), however long a loaded queue takes."""
    import psycopg

    began = time.monotonic()
    last_change = began
    last: tuple[int, int] | None = None
    waiting = -1
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() - last_change < stalled_after:
            row = conn.execute(
                "SELECT count(*) FILTER (WHERE status IN ('queued', 'running')), "
                "count(*) FILTER (WHERE status IN ('done', 'failed')) FROM jobs_job"
            ).fetchone()
            waiting, finished = row if row else (0, 0)
            if waiting == 0:
                break
            if (waiting, finished) != last:
                last, last_change = (waiting, finished), time.monotonic()
            time.sleep(0.5)
    return {"drain_seconds": round(time.monotonic() - began, 1), "left_waiting": waiting}


def _verdict(url: str, tally: Tally, killed: list[str]) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:

        def one(sql: str, *params: Any) -> Any:
            row = conn.execute(sql, list(params)).fetchone()
            return row[0] if row else None

        keys = list(tally.acknowledged)
        stored: dict[str, int] = dict(
            conn.execute(
                "SELECT submission_key::text, count(*) FROM referrals_referral "
                "WHERE submission_key::text = ANY(%s) GROUP BY 1",
                [keys],
            ).fetchall()
        )
        references = conn.execute(
            "SELECT submission_key::text, reference FROM referrals_referral WHERE submission_key::text = ANY(%s)",
            [keys],
        ).fetchall()
        total = one("SELECT count(*) FROM referrals_referral")
        jobs: dict[str, int] = dict(
            conn.execute("SELECT status, count(*) FROM jobs_job WHERE kind = %s GROUP BY 1", [DUPLICATE_CHECK])
        )
        per_referral = one(
            "SELECT count(*) FROM (SELECT key FROM jobs_job WHERE kind = %s GROUP BY key HAVING count(*) > 1) x",
            DUPLICATE_CHECK,
        )
        checks = one("SELECT count(DISTINCT referral_id) FROM linkage_duplicatecheck")
        checks_twice = one(
            "SELECT count(*) FROM (SELECT referral_id FROM linkage_duplicatecheck GROUP BY 1 HAVING count(*) > 1) x"
        )
        killed_rows = conn.execute(
            "SELECT id::text, status, attempts FROM jobs_job WHERE id = ANY(%s::uuid[])", [killed]
        ).fetchall()
        failed = one("SELECT count(*) FROM jobs_job WHERE status = 'failed'")
    server_errors = {s: n for s, n in tally.statuses.items() if s >= 500 and s != 503}
    checks_made = {
        "no 5xx but 503": not server_errors,
        "the outage was seen (503s)": tally.statuses[503] > 0,
        "no other refusal": not tally.unexpected,
        "every acknowledged key stored once": all(stored.get(k) == 1 for k in keys),
        "acknowledged with the stored reference": all(tally.acknowledged[k] == ref for k, ref in references),
        "no referral beyond those acknowledged": total == len(keys),
        "one duplicate-check job a referral, all done": jobs == {"done": total} and per_referral == 0,
        "one duplicate check a referral": checks == total and checks_twice == 0,
        "the killed job re-run once, done": bool(killed_rows)
        and all(status == "done" and attempts == 2 for _, status, attempts in killed_rows),
        "no job failed": failed == 0,
    }
    return {
        "passed": all(checks_made.values()),
        "checks": checks_made,
        "acknowledged": len(keys),
        "referrals": total,
        "answers": {str(s): n for s, n in sorted(tally.statuses.items())},
        "retried_to_success": tally.retried,
        "connection_errors": tally.connection_errors,
        "unexpected": tally.unexpected[:10],
        "killed_jobs": [{"id": i, "status": s, "attempts": a} for i, s, a in killed_rows],
        "duplicate_check_jobs": jobs,
    }


def _wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The application did not start at {url}")


def _faults(args: argparse.Namespace, pg: Postgres, workers: Workers) -> dict:
    """Restart PostgreSQL at a third of the run, kill the worker mid-job at two thirds."""
    timings: dict[str, Any] = {}
    time.sleep(args.seconds / 3)
    began = time.monotonic()
    pg.restart()
    timings["postgres_restart_seconds"] = round(time.monotonic() - began, 2)
    time.sleep(args.seconds / 3)
    timings["killed_worker"], timings["killed"] = _kill_mid_job(pg.url, workers)
    if args.wait_lease:
        timings["lease"] = "waited out"
    else:
        time.sleep(1.5)  # the worker that died with the outage, if one did, is seen dead by now
        _expire_leases(pg.url, workers.dead())
        timings["lease"] = "moved to now for the jobs of workers that died"
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="how long the clients make referrals")
    parser.add_argument("--clients", type=int, default=4, help="client threads, each one referral at a time")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--wait-lease", action="store_true", help="let the killed job's lease run out by itself")
    parser.add_argument("--keep", action="store_true", help="keep the soak's PostgreSQL server and its data")
    args = parser.parse_args()
    os.environ["BENCH_SECRET_KEY"] = secrets.token_urlsafe(50)  # one key for every process: tokens, sessions
    pg = Postgres(PG_DIR, _free_port())
    pg.create()
    processes: list[subprocess.Popen[bytes]] = []
    workers: Workers | None = None
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        import psycopg

        with psycopg.connect(pg.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
        token = _setup(pg.url)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_DATABASE_URL": pg.url}
        port = _free_port()
        host = f"http://127.0.0.1:{port}"
        processes.append(
            subprocess.Popen(  # noqa: S603 - this project's gunicorn on loopback
                [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
                + ["--workers", str(args.workers), "--log-level", "warning"],
                cwd=ROOT,
                env=env,
            )
        )
        workers = Workers(env, OUT / "soak-workers.log")
        workers.start()
        _wait_until_up(f"{host}/accessibility/")
        tally, stop = Tally(), threading.Event()
        clients = [
            threading.Thread(target=_client, args=(i, host, token, stop, tally), daemon=True)
            for i in range(args.clients)
        ]
        started = time.monotonic()
        for c in clients:
            c.start()
        timings = _faults(args, pg, workers)
        time.sleep(max(0.0, args.seconds - (time.monotonic() - started)))
        stop.set()
        for c in clients:
            c.join(timeout=60)
        drained = _drain(pg.url, 360 if args.wait_lease else 60)  # a lease runs out after 300 s
        workers.stop()
        result = {**_verdict(pg.url, tally, timings["killed"]), **timings, **drained, "seconds": args.seconds}
        result["worker_exits"] = workers.exits
        result.update(clients=args.clients, gunicorn_workers=args.workers, cores=os.cpu_count())
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
        result["duration_seconds"] = round(time.monotonic() - started, 1)
        result["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)  # noqa: S607
        result["commit"] = commit.stdout.strip()
    finally:
        if workers is not None:
            workers.stop()
        for p in processes:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()
        pg.stop()
        if not args.keep:
            shutil.rmtree(PG_DIR, ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "soak.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    if not result["passed"]:
        raise SystemExit("The soak failed: " + ", ".join(k for k, ok in result["checks"].items() if not ok))


if __name__ == "__main__":
    main()
