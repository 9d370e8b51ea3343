"""The need pages: the permission matrix for every route and role, the CSV export, the business
case (HTML, PDF text, narrative versions), hostile input, and no small count on any page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from joinedup.audit.models import AuditEvent
from joinedup.need import services
from joinedup.need.models import NarrativeVersion
from joinedup.organisations.models import Role
from joinedup.testkit import page_text

from .conftest import MANSFIELD

pytestmark = pytest.mark.django_db

ALLOWED = {Role.PROGRAMME_MANAGER, Role.ANALYST}
ROLES = list(Role)
ROUTES = [
    "/need/",
    f"/need/{MANSFIELD}/",
    f"/need/{MANSFIELD}/?export=csv&table=comparators",
    "/need/partnership/",
    f"/need/{MANSFIELD}/business-case/",
    f"/need/{MANSFIELD}/business-case.pdf",
    f"/need/{MANSFIELD}/business-case/versions/",
    f"/need/{MANSFIELD}/business-case/summary/",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ROUTES)
def test_permission_matrix(client, partnership, indicators, role, path):
    client.force_login(partnership.by_role()[role].user)
    response = client.get(path)
    assert response.status_code == (200 if role in ALLOWED else 403), response.content[:300]


def test_a_refused_role_cannot_save_a_section(client, partnership, indicators):
    client.force_login(partnership.manager_a.user)
    assert client.post(f"/need/{MANSFIELD}/business-case/summary/", {"text": "x"}).status_code == 403
    assert not NarrativeVersion.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, indicators):
    assert client.get(f"/need/{MANSFIELD}/").status_code == 302


def test_the_need_page_and_its_csv(client, partnership, indicators):
    client.force_login(partnership.analyst.user)
    text = page_text(client.get(f"/need/{MANSFIELD}/"))
    for part in (
        "Compared with England, the region and its peers",
        "Benefit caseloads over time",
        "B08a",
        "Deprivation",
    ):
        assert part in text
    response = client.get(f"/need/{MANSFIELD}/?export=csv&table=benefits")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Year,ESA per 1,000") is False and lines[0].startswith("Year,")
    assert any(line.startswith("2025,49.1,173.9,145.1,3411,12080,10080") for line in lines)


def test_hostile_input_is_a_4xx(client, partnership, indicators):
    client.force_login(partnership.analyst.user)
    assert client.get("/need/E99999999/").status_code == 404
    assert client.get("/need/E92000001/").status_code == 404  # England is a comparator, not a page
    assert client.get(f"/need/{MANSFIELD}/?export=csv&table=nope").status_code == 404
    assert client.get(f"/need/{MANSFIELD}/business-case/?people=lots").status_code == 400
    assert client.get(f"/need/{MANSFIELD}/business-case/?people=0").status_code == 400
    assert client.get(f"/need/{MANSFIELD}/business-case/nope/").status_code == 404
    assert client.get(f"/need/{MANSFIELD}/?peer=<script>").status_code == 200
    response = client.post(f"/need/{MANSFIELD}/business-case/summary/", {"text": "x" * 6000})
    assert response.status_code == 400 and "5,000 characters or fewer" in response.content.decode()
    assert client.post(f"/need/{MANSFIELD}/business-case/summary/", {"text": "  "}).status_code == 400
    assert not NarrativeVersion.objects.exists()


def test_editing_a_section_saves_a_dated_version_once_and_the_pdf_has_it(client, partnership, indicators):
    client.force_login(partnership.analyst.user)
    path = f"/need/{MANSFIELD}/business-case/need/"
    assert client.post(path, {"text": "Mansfield has the highest claimant rate in the county."}).status_code == 302
    assert client.post(path, {"text": "Mansfield has the highest claimant rate in the county."}).status_code == 302
    assert client.post(path, {"text": "Second version of the need."}).status_code == 302
    assert NarrativeVersion.objects.filter(scope=MANSFIELD, section="need").count() == 2  # the retry made none
    assert AuditEvent.objects.filter(target_type="need.narrativeversion").count() == 2
    assert "Second version of the need." in page_text(client.get(f"/need/{MANSFIELD}/business-case/"))
    versions = page_text(client.get(f"/need/{MANSFIELD}/business-case/versions/"))
    assert "Mansfield has the highest claimant rate" in versions and "Second version" in versions
    response = client.get(f"/need/{MANSFIELD}/business-case.pdf?people=250")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Second version of the need." in text
    assert "Mansfield" in text and "Supporting 250 people" in text


def test_no_small_count_appears_on_the_partnership_page(client, partnership, indicators):
    for _ in range(3):
        partnership.refer()  # three referrals in Mansfield (NG18)
    for _ in range(12):
        partnership.refer(postcode="NG17 7AA")  # twelve in Ashfield
    client.force_login(partnership.analyst.user)
    csv = client.get("/need/partnership/?export=csv&table=outcomes").content.decode().splitlines()
    rows = {line.split(",")[0]: line.split(",") for line in csv[1:]}
    assert rows["Mansfield"][4] == "[c]"
    assert rows["Ashfield"][4] == "[c]"  # else the total less the others would give Mansfield's 3 away
    assert rows["The partnership"][4] == "15"
    mansfield = client.get(f"/need/{MANSFIELD}/?export=csv&table=outcomes").content.decode()
    assert "[c]" in mansfield and ",3," not in mansfield


def test_the_narrative_service_refuses_without_permission(partnership, indicators):
    from joinedup.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.narrative_save(actor=partnership.manager_a, scope=MANSFIELD, section="need", text="x")


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(path).status_code == 200  # warm: the figures are built once per load
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


BIGGER = ["E10000024", "E06000018", "E06000015", "E10000007", "E06000001", "E06000027", "E06000047", "E08000015"]


@pytest.mark.parametrize("path", [f"/need/{MANSFIELD}/", "/need/partnership/", f"/need/{MANSFIELD}/business-case/"])
def test_a_page_makes_as_many_queries_however_many_authorities_and_peers(
    client, partnership, indicators, settings, path
):
    """The partnership's outcomes are counted once per page (one query each for referrals,
    participations and services), not once per authority or peer."""
    client.force_login(partnership.analyst.user)
    settings.NEED_PARTNERSHIP_AREAS, settings.NEED_PEER_COUNT = BIGGER[:2], 2
    few = _queries(client, path)
    settings.NEED_PARTNERSHIP_AREAS, settings.NEED_PEER_COUNT = BIGGER, 10
    assert _queries(client, path) == few
    assert few <= 12


def test_the_claimant_rate_is_called_a_proxy_on_the_page_and_in_the_business_case(client, partnership, indicators):
    client.force_login(partnership.analyst.user)
    for path in (f"/need/{MANSFIELD}/", f"/need/{MANSFIELD}/business-case/"):
        text = page_text(client.get(path))
        assert "The claimant rate is a proxy, not a count of people with a health condition" in text
        assert "ESA claimants plus Universal Credit households" in text


def test_the_counts_are_cached_for_a_few_minutes_and_recounted_after(client, partnership, indicators, settings):
    from django.core.cache import cache

    from joinedup.need.outcomes import CACHE_KEY

    client.force_login(partnership.analyst.user)
    settings.NEED_COUNTS_SECONDS = 300
    for _ in range(12):
        partnership.refer()  # Mansfield (NG18)
    first = client.get("/need/partnership/?export=csv&table=outcomes").content.decode()
    assert "Mansfield" in first and ",12," in first
    partnership.refer()
    assert client.get("/need/partnership/?export=csv&table=outcomes").content.decode() == first  # cached
    assert "counted at" in page_text(client.get("/need/partnership/"))
    cache.delete(CACHE_KEY)  # as when the few minutes are up
    assert ",13," in client.get("/need/partnership/?export=csv&table=outcomes").content.decode()
    settings.NEED_COUNTS_SECONDS = 0
    partnership.refer()
    assert ",14," in client.get("/need/partnership/?export=csv&table=outcomes").content.decode()


def test_an_area_outside_the_partnership_counts_nothing_of_the_partnership(client, partnership, indicators):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(partnership.analyst.user)
    client.get("/need/E06000001/")  # Hartlepool
    with CaptureQueriesContext(connection) as captured:
        text = page_text(client.get("/need/E06000001/"))
    assert "is not an area the partnership serves" in text
    assert not [q for q in captured.captured_queries if "referrals_referral" in q["sql"]]
