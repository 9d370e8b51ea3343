"""A pseudonymised extract for an evaluator, under a recorded data-sharing agreement.

One row per referral, built only from the fields the agreement allows (`FIELDS`: there is no free
text among them, so none can be chosen). Identifiers become an HMAC under the agreement's own key
(`pseudonymise.agreement_key`: derived from SECRET_KEY and the agreement's salt, stored nowhere), so
the evaluator can link their own extracts but no one can join them back to names without the
secret, nor join two agreements' extracts. Dates are to the month and postcodes to the district.
Rows whose combination of quasi-identifiers is shared by fewer than K others are held back and
counted (k-anonymity, K = 5).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Min

from joinedup.people.records import REGISTRY

from .models import Erasure
from .pseudonymise import agreement_key, postcode_district, pseudonym, to_month
from .trail import csv_cell

K = 5


@dataclass(frozen=True)
class ExtractField:
    label: str
    value: Callable[[Any, bytes], Any]  # (referral row, agreement key) -> the value in the extract
    quasi: bool = False  # a quasi-identifier: checked for small cells


def _age_band(referral: Any, _key: bytes) -> str:
    born: date = referral.person.date_of_birth
    on = referral.created_at.date()
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for upper, band in ((24, "16-24"), (34, "25-34"), (49, "35-49"), (64, "50-64")):
        if age <= upper:
            return band
    return "65+"


def _case(referral: Any) -> Any:
    return getattr(referral, "case", None) if hasattr(referral, "case") else None


FIELDS: dict[str, ExtractField] = {
    "person": ExtractField("Person (pseudonym)", lambda r, k: pseudonym(k, r.person_id)),
    "referral": ExtractField("Referral (pseudonym)", lambda r, k: pseudonym(k, r.pk)),
    "referred_month": ExtractField("Month referred", lambda r, k: to_month(r.created_at)),
    "age_band": ExtractField("Age band when referred", _age_band, quasi=True),
    "postcode_district": ExtractField(
        "Postcode district", lambda r, k: postcode_district(r.person.postcode), quasi=True
    ),
    "health_condition": ExtractField("Main health condition", lambda r, k: r.health_condition, quasi=True),
    "employment_status": ExtractField("Employment status", lambda r, k: r.employment_status),
    "benefits": ExtractField("Benefits", lambda r, k: ";".join(sorted(r.benefits or []))),
    "route": ExtractField("Referral route", lambda r, k: r.route),
    "referrer_kind": ExtractField("Kind of referrer", lambda r, k: r.referring_organisation.kind),
    "status": ExtractField("Referral status", lambda r, k: r.status),
    "delivery_partner": ExtractField(
        "Delivery partner", lambda r, k: r.delivery_partner.name if r.delivery_partner_id else ""
    ),
    "enrolled_month": ExtractField("Month enrolled", lambda r, k: to_month(getattr(_case(r), "enrolled_on", None))),
    "closed_month": ExtractField("Month support ended", lambda r, k: to_month(getattr(_case(r), "closed_on", None))),
    "job_starts": ExtractField("Job starts", lambda r, k: r.job_start_count),
    "first_job_month": ExtractField("Month of first job start", lambda r, k: to_month(r.first_job_on)),
}


@dataclass
class Extract:
    columns: list[str]
    rows: list[list[Any]]
    suppressed: int

    def as_csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        writer.writerows([csv_cell(v) if isinstance(v, str) else v for v in row] for row in self.rows)
        return out.getvalue().encode()

    def as_parquet(self) -> bytes:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({name: [row[i] for row in self.rows] for i, name in enumerate(self.columns)})
        out = io.BytesIO()
        pq.write_table(table, out)
        return out.getvalue()


def _referrals() -> Any:
    model = REGISTRY["referrals"].model
    return (
        model._default_manager.select_related("person", "case", "referring_organisation", "delivery_partner")
        .exclude(person_id__in=Erasure.objects.values("person_id"))  # erased: not even pseudonymised
        .annotate(job_start_count=Count("case__job_starts"), first_job_on=Min("case__job_starts__start_date"))
        .order_by("created_at", "pk")
    )


def small_cells(rows: list[list[Any]], quasi: list[int], k: int = K) -> tuple[list[list[Any]], int]:
    """The rows whose quasi-identifier values are shared by at least `k` rows, and how many were not."""
    if not quasi:
        return rows, 0
    cells = Counter(tuple(row[i] for i in quasi) for row in rows)
    kept = [row for row in rows if cells[tuple(row[i] for i in quasi)] >= k]
    return kept, len(rows) - len(kept)


def extract_build(*, fields: list[str], salt: str, k: int = K) -> Extract:
    """The extract for these fields (codes of FIELDS, in that order) under the key from `salt`."""
    key = agreement_key(salt)
    chosen = [FIELDS[code] for code in fields]
    rows = [[f.value(r, key) for f in chosen] for r in _referrals()]
    kept, suppressed = small_cells(rows, [i for i, f in enumerate(chosen) if f.quasi], k)
    return Extract(list(fields), kept, suppressed)
