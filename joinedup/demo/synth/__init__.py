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
  ``JobStart`` rows and ``Sustainment`` at 13 and 26 weeks;
* one programme (issue 15), set up through the programmes services (`programmes`), with a
  ``Participation`` per case carrying its ESF characteristics, job entries, courses, expenses, the
  claims the case events made with their evidence, paid monthly batches, and its tallies.

Everything is drawn from ``random.Random`` streams seeded from ``--seed`` (one stream per table,
consumed in a fixed order) and names come from pools drawn once from Faker en_GB, so a seed and an
as-of date always give the same rows and the same UUIDs (an organisation name that clashes with one
already in the database gets a suffix, which changes what follows). No audit events are written
(none of this happened) but the few the programme's set-up writes through the services.

On PostgreSQL the big tables are loaded with ``COPY`` (psycopg 3) after dropping their foreign keys
and secondary indexes, which are put back (and checked) before the one transaction commits. On
SQLite rows go in with batched ``executemany``.

Each bulk table is declared once, in `joinedup.demo.synthetic` (its columns from the model, its
value distributions beside it); this package plans the partnership (`layout`, `plan`), writes the
staff (`staff`) and then every declared table (`writer`), and deletes it again (`wipe`).

Synthetic rows are recognisable: synthetic organisations have the ODS code ``SYNTH``, synthetic
users' usernames start ``synth.``, and the inactive user ``synth.loader`` records the seed, size and
as-of date of the load. A referral is synthetic when its referring organisation is.
"""

from .base import FORMAT_VERSION, LOADER_USERNAME, SYNTH_ODS, USER_PREFIX, SynthError, SynthInfo, SynthResult
from .load import synth_load, vacuum_analyze
from .wipe import bulk_models, non_synthetic_referral_count, synth_info, synth_reset, synthetic_referrals

__all__ = [
    "FORMAT_VERSION",
    "LOADER_USERNAME",
    "SYNTH_ODS",
    "USER_PREFIX",
    "SynthError",
    "SynthInfo",
    "SynthResult",
    "bulk_models",
    "non_synthetic_referral_count",
    "synth_info",
    "synth_load",
    "synth_reset",
    "synthetic_referrals",
    "vacuum_analyze",
]
