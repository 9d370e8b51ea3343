"""The public JSON-LD (schema.org JobPosting) and the JSON API, scoped like the pages."""

import json
import re
from datetime import datetime

import pytest

from joinedup.api.services import api_token_issue

pytestmark = pytest.mark.django_db

REQUIRED = ("title", "description", "datePosted", "validThrough", "hiringOrganization", "jobLocation")
RECOMMENDED = ("employmentType", "baseSalary", "identifier")
EMPLOYMENT_TYPES = {"FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"}


def check_job_posting(data):
    """schema.org JobPosting with Google's required and recommended properties, each of its type."""
    assert data["@context"].startswith("https://schema.org") and data["@type"] == "JobPosting"
    for key in REQUIRED + RECOMMENDED:
        assert key in data, key
    assert isinstance(data["title"], str) and data["title"]
    assert isinstance(data["description"], str) and data["description"]
    datetime.fromisoformat(data["datePosted"])
    assert datetime.fromisoformat(data["validThrough"]).tzinfo is not None
    assert data["hiringOrganization"]["@type"] == "Organization" and data["hiringOrganization"]["name"]
    place = data["jobLocation"]
    assert place["@type"] == "Place" and place["address"]["@type"] == "PostalAddress"
    assert re.match(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$", place["address"]["postalCode"])
    assert place["address"]["addressCountry"] == "GB"
    assert set(data["employmentType"]) <= EMPLOYMENT_TYPES and data["employmentType"]
    salary = data["baseSalary"]
    assert salary["@type"] == "MonetaryAmount" and salary["currency"] == "GBP"
    assert salary["value"]["@type"] == "QuantitativeValue"
    assert isinstance(salary["value"]["value"], float) and salary["value"]["unitText"] in {"HOUR", "YEAR"}


def _ld(page: str) -> str:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found is not None
    return found.group(1)


def test_job_page_carries_valid_json_ld(client, world):
    page = client.get(f"/jobs/{world.vacancy.pk}/").content.decode()
    block = _ld(page)
    data = json.loads(block)
    check_job_posting(data)
    assert data["title"] == "Care assistant" and data["hiringOrganization"]["name"] == "Sherwood Care Ltd"
    assert data["employmentType"] == ["PART_TIME"]
    assert data["baseSalary"]["value"] == {"@type": "QuantitativeValue", "value": 12.8, "unitText": "HOUR"}


def test_feed_lists_only_published_open_vacancies(client, world):
    response = client.get("/jobs/feed.json")
    assert response["Content-Type"] == "application/ld+json"
    data = response.json()
    assert data["@type"] == "ItemList"
    items = [i["item"] for i in data["itemListElement"]]
    assert [i["title"] for i in items] == ["Care assistant"]  # the other employer did not agree to publish
    for item in items:
        check_job_posting(item)


def test_markup_in_a_vacancy_cannot_break_out_of_the_script(client, world):
    from joinedup.employers.models import Vacancy

    Vacancy.objects.filter(pk=world.vacancy.pk).update(description="</script><script>alert(1)</script> & more")
    page = client.get(f"/jobs/{world.vacancy.pk}/").content.decode()
    assert "<script>alert(1)" not in page
    block = _ld(page)
    assert json.loads(block)["description"].startswith("</script>")


def _bearer(membership):
    _t, key = api_token_issue(membership=membership)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_scoped_like_the_pages(client, world):
    p = world.p
    staff = client.get("/api/v1/employers/", **_bearer(p.adviser_b)).json()
    assert {e["name"] for e in staff} == {"Sherwood Care Ltd", "Other Employer Ltd"}
    own = client.get("/api/v1/employers/", **_bearer(world.member)).json()
    assert [e["name"] for e in own] == ["Sherwood Care Ltd"]
    vacancies = client.get("/api/v1/employers/vacancies/", **_bearer(world.other_member)).json()
    assert [v["title"] for v in vacancies] == ["Warehouse operative"]
    b = _bearer(world.other_member)
    assert client.get(f"/api/v1/employers/vacancies/{world.vacancy.pk}/", **b).status_code == 404
    assert client.get(f"/api/v1/employers/{world.employer.pk}/", **b).status_code == 404
    assert client.get("/api/v1/employers/", **_bearer(p.referrer)).status_code == 403
    assert client.get("/api/v1/employers/").status_code in (401, 403)


def _vacancy_body(world, **kw):
    body = {
        "site_id": str(world.employer.sites.get().pk),
        "title": "Porter",
        "description": "Moving patients",
        "hours_min": "16",
        "hours_max": "30",
        "pattern": "shifts",
        "contract_type": "permanent",
        "wage": "13.00",
        "wage_period": "hour",
        "kind": "job",
        "openings": 1,
        "closing_on": "2099-01-01",
        "how_to_apply": "Online",
        "status": "open",
    }
    body.update(kw)
    return body


def test_api_create_vacancy_and_bad_input(client, world):
    from joinedup.employers.models import Vacancy

    url = f"/api/v1/employers/{world.employer.pk}/vacancies/"
    auth = _bearer(world.member)
    ok = client.post(url, _vacancy_body(world), content_type="application/json", **auth)
    assert ok.status_code == 201 and ok.json()["title"] == "Porter"
    count = Vacancy.objects.count()
    for body, words in (
        (_vacancy_body(world, wage="1.00"), "below the minimum"),
        (_vacancy_body(world, closing_on="2020-01-01"), "closing date cannot be in the past"),
        (_vacancy_body(world, hours_min="30", hours_max="16"), "fewer than the fewest"),
        (_vacancy_body(world, title="x" * 500), "200"),
    ):
        response = client.post(url, body, content_type="application/json", **auth)
        assert response.status_code == 400, body
        assert words in json.dumps(response.json()), response.json()
    deep = "[" * 5000 + "]" * 5000
    assert client.post(url, deep, content_type="application/json", **auth).status_code == 400
    assert client.post(url, {"title": "a\x00b"}, content_type="application/json", **auth).status_code == 400
    # Another employer's token, and an adviser at a partner that does not hold the employer.
    assert (
        client.post(
            url, _vacancy_body(world), content_type="application/json", **_bearer(world.other_member)
        ).status_code
        == 404
    )
    assert (
        client.post(
            url, _vacancy_body(world), content_type="application/json", **_bearer(world.p.adviser_b)
        ).status_code
        == 403
    )
    assert Vacancy.objects.count() == count


def test_openapi_document_lists_the_employer_endpoints(client):
    schema = client.get("/api/v1/schema/?format=json").content.decode()
    for path in ("/api/v1/employers/", "/api/v1/employers/vacancies/", "/api/v1/employers/{id}/vacancies/"):
        assert path in schema, path
