"""The pseudonymised extract: an agreement first, only its fields, keyed pseudonyms, coarsened values,
the small-cell check, CSV and Parquet, audited as an export."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pyarrow.parquet as pq
import pytest
from django.test import override_settings
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.governance.agreements import agreement_record, extract_produce
from joinedup.governance.extract import FIELDS, K, small_cells
from joinedup.governance.models import ExtractRun
from joinedup.organisations.models import Role
from joinedup.people.models import Person

ALL = list(FIELDS)


def agreement(p, fields=ALL, **overrides):
    today = timezone.localdate()
    values = {
        "title": "UEA evaluation of impact and savings",
        "recipient": "University of East Anglia",
        "purpose": "Evaluate the service's impact on work and health, and its savings",
        "legal_basis": "UK GDPR 6(1)(e); 9(2)(j) with DPA 2018 Sch 1 para 4",
        "fields": fields,
        "starts_on": today,
        "expires_on": today + timedelta(days=365),
        **overrides,
    }
    return agreement_record(actor=p.admin, **values)


@pytest.fixture
def population(partnership):
    """Six alike (same band, district, condition) in NG18, and two who stand out."""
    p = partnership
    for n in range(6):
        p.refer(given_name=f"Alike{n}", family_name="Smith", date_of_birth=date(1990, 1 + n, 2), nhs_number="")
    p.refer(given_name="Rare", family_name="Jones", postcode="DE7 5QT", nhs_number="")
    p.refer(given_name="Old", family_name="Brown", date_of_birth=date(1950, 1, 1), nhs_number="")
    return p


def rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_the_extract_passes_the_small_cell_check(population):
    a = agreement(population)
    extract, content = extract_produce(actor=population.admin, agreement=a, file_format="csv")
    got = rows(content)
    assert len(got) == 6 and extract.suppressed == 2
    cells: dict[tuple, int] = {}
    for row in got:
        key = (row["age_band"], row["postcode_district"], row["health_condition"])
        cells[key] = cells.get(key, 0) + 1
    assert min(cells.values()) >= K
    run = ExtractRun.objects.get()
    assert (run.rows, run.suppressed, run.k, run.file_format) == (6, 2, 5, "csv")


def test_only_the_agreed_fields_coarsened_and_no_names(population):
    a = agreement(population, fields=["person", "referred_month", "postcode_district", "employment_status"])
    extract, content = extract_produce(actor=population.admin, agreement=a, file_format="csv")
    got = rows(content)
    assert list(got[0]) == ["person", "referred_month", "postcode_district", "employment_status"]
    # The district is the only quasi-identifier chosen: the one person in DE7 is held back.
    assert {r["postcode_district"] for r in got} == {"NG18"} and extract.suppressed == 1
    month = f"{timezone.now():%Y-%m}"
    assert all(r["referred_month"] == month for r in got)
    text = content.decode()
    for person in Person.objects.all():
        assert person.family_name not in text and str(person.pk) not in text
    assert "1AB" not in text and "Finding part-time work" not in text


def test_pseudonyms_link_within_an_agreement_but_not_across_or_without_the_secret(population):
    first = agreement(population, fields=["person", "employment_status"])
    second = agreement(population, fields=["person", "employment_status"], title="Another evaluation")
    one = {r["person"] for r in rows(extract_produce(actor=population.admin, agreement=first, file_format="csv")[1])}
    again = {r["person"] for r in rows(extract_produce(actor=population.admin, agreement=first, file_format="csv")[1])}
    other = {r["person"] for r in rows(extract_produce(actor=population.admin, agreement=second, file_format="csv")[1])}
    assert one == again  # the evaluator can link their own extracts
    assert one.isdisjoint(other)  # not across agreements
    ids = {str(pk) for pk in Person.objects.values_list("pk", flat=True)}
    assert one.isdisjoint(ids)
    import hashlib

    plain = {hashlib.sha256(i.encode()).hexdigest()[:32] for i in ids}
    assert one.isdisjoint(plain)  # not an unkeyed hash of the id either
    with override_settings(SECRET_KEY="another-deployment-secret-key-for-the-test-0123456789"):
        stranger = {
            r["person"] for r in rows(extract_produce(actor=population.admin, agreement=first, file_format="csv")[1])
        }
    assert one.isdisjoint(stranger)  # the salt alone does not give the pseudonyms: the secret is needed


def test_parquet_has_the_same_rows(population):
    a = agreement(population)
    extract, content = extract_produce(actor=population.admin, agreement=a, file_format="parquet")
    table = pq.read_table(io.BytesIO(content))
    assert table.column_names == ALL and table.num_rows == len(extract.rows) == 6


def test_the_extract_is_audited_as_an_export(population):
    a = agreement(population)
    extract_produce(actor=population.admin, agreement=a, file_format="csv")
    event = AuditEvent.objects.filter(verb=AuditVerb.EXPORTED).get()
    assert event.payload == {"agreement": a.title, "format": "csv", "rows": 6, "suppressed": 2}
    assert event.person_id is None
    assert AuditEvent.objects.filter(verb=AuditVerb.AGREEMENT_RECORDED).count() == 1


def test_an_agreement_is_checked_and_must_be_in_force(population):
    with pytest.raises(DomainError, match="at least one field"):
        agreement(population, fields=["help_wanted"])
    with pytest.raises(DomainError, match="end after it starts"):
        agreement(population, expires_on=timezone.localdate())
    with pytest.raises(DomainError, match="legal basis"):
        agreement(population, legal_basis=" ")
    lapsed = agreement(population, starts_on=timezone.localdate() - timedelta(days=30), expires_on=timezone.localdate())
    with pytest.raises(DomainError, match="not in force"):
        extract_produce(actor=population.admin, agreement=lapsed, file_format="csv")
    assert not ExtractRun.objects.exists()


def test_no_free_text_can_be_chosen():
    assert not {"help_wanted", "details", "notes", "eligibility_evidence", "next_action"} & set(FIELDS)


def test_small_cells_with_no_quasi_identifiers_keeps_everything():
    assert small_cells([[1], [2]], []) == ([[1], [2]], 0)
    assert small_cells([["a"]] * 4 + [["b"]] * 5, [0]) == ([["b"]] * 5, 4)


def test_the_agreement_page_records_and_downloads(client, population):
    client.force_login(population.admin.user)
    today = timezone.localdate()
    later = today + timedelta(days=90)
    response = client.post(
        "/governance/agreements/",
        {
            "title": "UEA",
            "recipient": "University of East Anglia",
            "purpose": "Evaluation",
            "legal_basis": "6(1)(e), 9(2)(j)",
            "allowed_fields": ["person", "age_band"],
            "starts_on_0": today.day, "starts_on_1": today.month, "starts_on_2": today.year,
            "expires_on_0": later.day, "expires_on_1": later.month, "expires_on_2": later.year,
        },
    )  # fmt: skip
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "Age band when referred" in detail.content.decode()
    download = client.post(response["Location"] + "extract.csv")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    missing = client.post("/governance/agreements/", {"title": "x"})
    assert missing.status_code == 400 and "Enter who receives the extract" in missing.content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrators_record_agreements_and_extract(population, role):
    a = agreement(population)
    actor = population.by_role()[role]
    with pytest.raises(NotPermitted):
        extract_produce(actor=actor, agreement=a, file_format="csv")
    with pytest.raises(NotPermitted):
        agreement(population, title="x") if False else agreement_record(
            actor=actor, title="x", recipient="y", purpose="z", legal_basis="b", fields=["person"],
            starts_on=timezone.localdate(), expires_on=timezone.localdate() + timedelta(days=1),
        )  # fmt: skip
