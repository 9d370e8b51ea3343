"""Directory manager pages and the commissioners' gaps table."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from joinedup.directory.models import DirectoryOrganisation, Lifecycle, Service
from joinedup.directory.seed import seed_id
from joinedup.organisations.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_who_may_see_which_page(client: Client, partnership, role) -> None:
    client.force_login(partnership.by_role()[role].user)
    manage = client.get("/directory/manage/").status_code
    gaps = client.get("/directory/gaps/").status_code
    assert manage == (200 if role in (Role.PROGRAMME_MANAGER, Role.ADMINISTRATOR) else 403)
    assert gaps == (200 if role in (Role.PROGRAMME_MANAGER, Role.ANALYST) else 403)


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    assert client.get("/directory/manage/").status_code == 302


def test_add_then_publish_a_service(client: Client, partnership) -> None:
    client.force_login(partnership.programme.user)
    org = DirectoryOrganisation.objects.get(name="Framework Housing Association")
    response = client.post(
        "/directory/manage/new/",
        {
            "organisation": str(org.id),
            "name": "Mansfield job club",
            "areas": ["mansfield"],
            "rules": json.dumps({"criterion": "age", "min": 18}),
            "how_to_refer": "Drop in on Tuesdays",
        },
    )
    assert response.status_code == 302
    service = Service.objects.get(name="Mansfield job club")
    assert service.lifecycle == Lifecycle.DRAFT
    client.post(f"/directory/manage/{service.pk}/publish/")
    assert Service.objects.get(pk=service.pk).lifecycle == Lifecycle.PUBLISHED
    assert "Mansfield job club" in client.get("/directory/", {"q": "Mansfield job"}).content.decode()


def test_bad_json_rules_show_an_error(client: Client, partnership) -> None:
    client.force_login(partnership.programme.user)
    org = DirectoryOrganisation.objects.first()
    html = client.post(
        "/directory/manage/new/", {"organisation": str(org.id), "name": "X", "rules": "{nope"}
    ).content.decode()
    assert "The rule data is not written correctly" in html
    html = client.post(
        "/directory/manage/new/", {"organisation": str(org.id), "name": "X", "rules": '{"criterion": "moon"}'}
    ).content.decode()
    assert "unknown criterion" in html
    assert not Service.objects.filter(name="X").exists()


def test_edit_page_shows_rules_and_withdraw_works(client: Client, partnership) -> None:
    client.force_login(partnership.admin.user)
    sid = seed_id("service", "talent-match")
    html = client.get(f"/directory/manage/{sid}/").content.decode()
    assert "months_out_of_work" in html
    client.post(f"/directory/manage/{sid}/withdraw/")
    assert Service.objects.get(id=sid).lifecycle == Lifecycle.WITHDRAWN
    assert client.post(f"/directory/manage/{sid}/withdraw/").status_code == 400  # already withdrawn


def test_gaps_table_shows_cold_spots(client: Client, partnership) -> None:
    client.force_login(partnership.analyst.user)
    html = client.get("/directory/gaps/").content.decode()
    assert "People in work and off sick" in html
    assert "Cold spot" in html  # e.g. multiple and complex needs in Norfolk
    assert "Norfolk" in html


def test_review_due_is_worked_out_by_the_model_and_selector(client: Client, partnership) -> None:
    from datetime import date, timedelta

    from django.utils import timezone

    from joinedup.directory.selectors import services_review_due

    today = timezone.localdate()
    stale = Service.objects.get(id=seed_id("service", "talent-match"))
    Service.objects.filter(pk=stale.pk).update(last_reviewed_on=today - timedelta(days=200))
    Service.objects.exclude(pk=stale.pk).update(last_reviewed_on=today)
    Service.objects.filter(id=seed_id("service", "work-choice")).update(last_reviewed_on=date(2020, 1, 1))
    due = list(services_review_due(actor=partnership.programme))
    assert [s.name for s in due] == ["Talent Match"]  # the withdrawn, stale Work Choice is not flagged
    assert due[0].review_due and not Service.objects.get(id=seed_id("service", "work-choice")).review_due
    client.force_login(partnership.programme.user)
    html = client.get("/directory/manage/").content.decode()
    assert "1 published service not reviewed for 6 months." in html
    assert html.count("Review due") == 1
    assert "Review due" in client.get(f"/directory/manage/{stale.pk}/").content.decode()
    assert services_review_due(actor=partnership.analyst).count() == 0  # no directory.manage


@pytest.mark.parametrize(
    ("lifecycle", "moves", "buttons"),
    [
        (Lifecycle.DRAFT, [Lifecycle.PUBLISHED], ["Publish"]),
        (Lifecycle.PUBLISHED, [Lifecycle.WITHDRAWN], ["Withdraw"]),
        (Lifecycle.WITHDRAWN, [Lifecycle.PUBLISHED], ["Publish"]),
    ],
)
def test_the_moves_offered_are_the_models(client: Client, partnership, lifecycle, moves, buttons) -> None:
    service = Service.objects.get(id=seed_id("service", "talent-match"))
    Service.objects.filter(pk=service.pk).update(lifecycle=lifecycle)
    service.refresh_from_db()
    assert service.allowed_moves() == moves
    client.force_login(partnership.programme.user)
    html = client.get(f"/directory/manage/{service.pk}/").content.decode()
    for label in ("Publish", "Withdraw"):
        assert (f">{label}</button>" in html) is (label in buttons)


def test_gaps_chart_draws_every_bar_to_one_scale(client: Client, partnership) -> None:
    """Issue 18: the same number of services is the same length wherever it is drawn."""
    from joinedup.core.chart_reading import attr, chart_in, parts

    client.force_login(partnership.analyst.user)
    html = client.get("/directory/gaps/").content.decode()
    lengths: dict[str, set[float]] = {}
    for rect in parts(chart_in(html, "gaps"), "rect"):
        if rect.get("data-value"):
            lengths.setdefault(attr(rect, "data-value"), set()).add(round(float(attr(rect, "width")), 1))
    assert lengths and all(len(widths) == 1 for widths in lengths.values()), lengths
    per_service = [next(iter(w)) / float(v) for v, w in lengths.items()]
    assert max(per_service) - min(per_service) < 0.2  # and in proportion: one scale
    assert 'class="govuk-table app-table--stack"' in html and 'data-label="Norfolk"' in html
