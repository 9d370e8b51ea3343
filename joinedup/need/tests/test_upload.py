"""The Fingertips upload page (need.write): who may load a file, a real export loaded through the
same import as `manage.py need_load` and audited, and every bad file a 4xx with a plain-English
message in the error summary, line by line, with nothing half-loaded."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.audit.models import AuditEvent
from joinedup.need.models import ImportRun, IndicatorValue
from joinedup.organisations.models import Role
from joinedup.testkit import page_text

from .conftest import FIXTURES, MANSFIELD, fingertips_text

pytestmark = pytest.mark.django_db

PATH = "/need/fingertips/"
WRITERS = {Role.PROGRAMME_MANAGER, Role.ANALYST}
SAMPLE = (FIXTURES / "fingertips_phof_sample.csv").read_bytes()


def _post(client, data: bytes, name: str = "fingertips.csv"):
    return client.post(PATH, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


@pytest.mark.parametrize("role", list(Role))
def test_who_may_see_the_upload_page(client, partnership, open_data, role):
    client.force_login(partnership.by_role()[role].user)
    assert client.get(PATH).status_code == (200 if role in WRITERS else 403)


@pytest.mark.parametrize("role", sorted(set(Role) - WRITERS))
def test_a_role_without_need_write_cannot_load_a_file(client, partnership, open_data, role):
    client.force_login(partnership.by_role()[role].user)
    assert _post(client, SAMPLE).status_code == 403
    assert not IndicatorValue.objects.exists() and not ImportRun.objects.filter(dataset="fingertips").exists()


def test_anonymous_is_sent_to_sign_in(client, open_data):
    assert client.get(PATH).status_code == 302
    assert client.post(PATH, {}).status_code in (302, 403)
    assert not IndicatorValue.objects.exists()


def test_the_service_refuses_without_permission(partnership, open_data):
    from joinedup.core.errors import NotPermitted
    from joinedup.need import services

    with pytest.raises(NotPermitted):
        services.fingertips_upload(actor=partnership.manager_a, name="f.csv", data=SAMPLE)


@pytest.mark.parametrize("role", sorted(WRITERS))
def test_a_downloaded_export_loads_is_audited_and_shows_on_the_need_page(client, partnership, open_data, role):
    member = partnership.by_role()[role]
    client.force_login(member.user)
    response = _post(client, b"\xef\xbb\xbf" + SAMPLE.removeprefix(b"\xef\xbb\xbf"), "fingertips_download.csv")
    assert response.status_code == 302
    run = ImportRun.objects.get(dataset="fingertips")
    assert run.file_name == "fingertips_download.csv" and IndicatorValue.objects.count() == run.rows > 0
    event = AuditEvent.objects.get(target_type="need.importrun")
    assert event.verb == "imported" and event.target_id == str(run.pk) and event.payload["rows"] == run.rows
    shown = page_text(client.get(PATH))
    assert "fingertips_download.csv loaded" in shown and "suppressed (blank, kept with their note)" in shown
    assert "B08a" in page_text(client.get(f"/need/{MANSFIELD}/"))


def test_any_other_indicator_a_user_brings_loads(client, partnership, open_data):
    client.force_login(partnership.analyst.user)
    row = {"Indicator ID": "93088", "Indicator Name": "Adults in contact with secondary mental health services",
           "Area Code": MANSFIELD, "Area Name": "Mansfield", "Time period": "2022/23", "Value": "1.5",
           "Lower CI 95.0 limit": "1.2", "Upper CI 95.0 limit": "1.8"}  # fmt: skip
    assert _post(client, fingertips_text(row).encode()).status_code == 302
    assert IndicatorValue.objects.get().indicator.name.startswith("Adults in contact")
    assert "Adults in contact" in page_text(client.get(f"/need/{MANSFIELD}/"))


GOOD = {"Area Code": MANSFIELD, "Time period": "2020/21", "Value": "9.7"}
BAD_FILES = {
    "wrong header": (b"Area,Value\nE07000174,9.7\n", "fingertips.csv", "Line 1: the header has no column Indicator ID"),
    "non-numeric value": (fingertips_text(GOOD, {**GOOD, "Sex": "Male", "Value": "n/a"}).encode(), "f.csv",
                          "Line 3: Value 'n/a' is not a number"),
    "unknown area code": (fingertips_text(GOOD, {**GOOD, "Area Code": "E99999999", "Area Name": "Nowhere"}).encode(),
                          "f.csv", "Line 3: area code E99999999 (Nowhere) is not an area we know"),
    "a value too large to store": (fingertips_text({**GOOD, "Value": "1e30"}).encode(), "f.csv",
                                   "Line 2: Value '1e30' is too large"),
    "not a finite number": (fingertips_text({**GOOD, "Value": "Infinity"}).encode(), "f.csv",
                            "Line 2: Value 'Infinity' is not a number"),
    "an indicator id in other digits": (fingertips_text({**GOOD, "Indicator ID": "９０２８２"}).encode(), "f.csv",
                                        "is not a whole number of up to 9 digits"),
    "a sex label too long": (fingertips_text({**GOOD, "Sex": "x" * 50}).encode(), "f.csv",
                             "is longer than 20 characters"),
    "not a CSV": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "chart.png", "The file must be a CSV file"),
    "binary named .csv": (b"\xff\xfe\x00\x00" + bytes(range(1, 256)), "f.csv", "NUL bytes"),
    "not UTF-8": ("Indicator ID,Área\n1,é\n".encode("latin-1"), "f.csv", "The file is not UTF-8 text"),
    "empty": (b"", "f.csv", "The file is empty"),
    "blank lines only": (b"\n\n  \n", "f.csv", "The file is empty"),
    "NUL bytes": (fingertips_text(GOOD).encode().replace(b"9.7", b"9\x007"), "f.csv", "NUL bytes"),
    "huge": (b"x" * 200_001, "f.csv", "The file must be smaller than"),
    "a field over the csv limit": (fingertips_text({**GOOD, "Value note": "x" * 140_000}).encode(), "f.csv",
                                   "the file is not a readable CSV"),
    "headline rows missing": (fingertips_text({**GOOD, "Category Type": "Deprivation decile"}).encode(), "f.csv",
                              "the file has no headline rows"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_a_4xx_with_a_plain_message_and_nothing_loaded(client, partnership, indicators, settings, case):
    settings.NEED_UPLOAD_MAX_BYTES = 200_000
    data, name, message = BAD_FILES[case]
    before = sorted(IndicatorValue.objects.values_list("pk", "value"))
    client.force_login(partnership.analyst.user)
    response = _post(client, data, name)
    assert response.status_code == 400, response.status_code
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Error: Load a Fingertips file" in html
    assert message in page_text(response)
    assert sorted(IndicatorValue.objects.values_list("pk", "value")) == before  # nothing half-loaded
    assert ImportRun.objects.filter(dataset="fingertips").count() == 1
    assert not AuditEvent.objects.filter(target_type="need.importrun").exists()


def test_a_refused_file_lists_every_problem_by_line_and_changes_nothing(client, partnership, indicators):
    rows = [GOOD, {**GOOD, "Sex": "Male", "Value": "lots"}, {**GOOD, "Sex": "Female", "Area Code": "E0"},
            {**GOOD, "Sex": "Female", "Time period": "last year"}]  # fmt: skip
    client.force_login(partnership.analyst.user)
    response = _post(client, fingertips_text(*rows).encode(), "three_problems.csv")
    assert response.status_code == 400
    text = page_text(response)
    assert "three_problems.csv was not loaded, and nothing was changed" in text
    for line in ("Line 3: Value 'lots' is not a number", "Line 4: area code E0", "Line 5: time period 'last year'"):
        assert line in text
    assert "Line 2" not in text


def test_no_file_chosen_is_a_4xx(client, partnership, open_data):
    client.force_login(partnership.analyst.user)
    response = client.post(PATH, {})
    assert response.status_code == 400 and "Choose the Fingertips CSV file to load" in page_text(response)


def test_a_file_name_with_control_characters_is_stored_without_them(client, partnership, open_data):
    client.force_login(partnership.analyst.user)
    assert _post(client, SAMPLE, "phof\x00\x1b[31m export.csv").status_code == 302
    assert ImportRun.objects.get(dataset="fingertips").file_name == "phof[31m export.csv"
