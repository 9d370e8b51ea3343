"""Import validates, reports every rejection, is idempotent and keeps provenance; export round-trips."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.management import CommandError, call_command

from joinedup.audit.models import AuditEvent
from joinedup.directory import standards
from joinedup.directory.models import DirectoryOrganisation, EligibilityRuleSet, ImportRun, Service, TaxonomyTerm
from joinedup.directory.services import MAX_FEED_BYTES, oruk_export, oruk_import

pytestmark = pytest.mark.django_db
SOURCE = "Example County Council"


def feed_service(**overrides):
    org_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "org"))
    service = {
        "id": str(uuid.uuid4()),
        "name": "Example job club",
        "status": "active",
        "description": "Weekly job club.",
        "organization_id": org_id,
        "organization": {"id": org_id, "name": "Example Trust", "description": "A charity."},
        "service_areas": [{"id": str(uuid.uuid4()), "name": "Derby City"}],
        "contacts": [
            {
                "id": str(uuid.uuid4()),
                "name": "Reception",
                "phones": [{"id": str(uuid.uuid4()), "number": "01332 000000"}],
            }
        ],
        "x_joinedup_eligibility": {"version": 1, "rules": {"criterion": "age", "min": 18}},
    }
    service.update(overrides)
    return service


def snapshot() -> tuple:
    return (
        sorted(Service.objects.values_list("id", "name", "updated_at")),
        DirectoryOrganisation.objects.count(),
        TaxonomyTerm.objects.count(),
        EligibilityRuleSet.objects.count(),
    )


def run(payload) -> object:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return oruk_import(data=data, source=SOURCE, publish=True)


def test_import_creates_with_provenance_and_is_idempotent() -> None:
    feed = [feed_service(), feed_service(name="Example IPS")]
    report = run(feed)
    assert report.accepted, report.lines()
    assert (report.run.created_count, report.run.updated_count) == (2, 0)
    service = Service.objects.get(id=feed[0]["id"])
    assert (service.source, service.source_id) == (SOURCE, feed[0]["id"])
    assert service.imported_at is not None
    assert service.service_areas.get().area == "derby"
    assert service.contacts.get().phones.get().number == "01332 000000"
    assert service.current_rules().rules == {"criterion": "age", "min": 18}
    before = snapshot()[1:]
    again = run(feed)
    assert (again.run.created_count, again.run.updated_count) == (0, 2)
    assert snapshot()[1:] == before  # no duplicates: not services, organisations or rule versions
    assert AuditEvent.objects.filter(target_type="directory.importrun").count() == 2


def test_changed_rules_add_a_version() -> None:
    item = feed_service()
    run([item])
    item["x_joinedup_eligibility"] = {"rules": {"criterion": "age", "min": 25}}
    run([item])
    assert list(Service.objects.get(id=item["id"]).rule_sets.values_list("version", flat=True)) == [2, 1]


BAD_FEEDS = {
    "bad JSON": b'{"services": [ {"id": ',
    "not UTF-8": b"\xff\xfe\x00",
    "wrong shape": json.dumps({"hello": "world"}).encode(),
    "missing required fields": json.dumps(
        [feed_service(), {"id": str(uuid.uuid4()), "description": "no name"}]
    ).encode(),
    "null in a string field": json.dumps([feed_service(email=None)]).encode(),
    "id not a UUID": json.dumps([feed_service(id="service-1")]).encode(),
    "unknown taxonomy": json.dumps(
        [feed_service(attributes=[{"id": str(uuid.uuid4()), "taxonomy_term_id": str(uuid.uuid4())}])]
    ).encode(),
    "term in an unknown taxonomy": json.dumps(
        [
            feed_service(
                attributes=[
                    {
                        "id": str(uuid.uuid4()),
                        "taxonomy_term": {
                            "id": str(uuid.uuid4()),
                            "name": "n",
                            "description": "d",
                            "taxonomy_id": str(uuid.uuid4()),
                        },
                    }
                ]
            )
        ]
    ).encode(),
    "duplicate ids": (lambda s: json.dumps([s, s]).encode())(feed_service()),
    "unreadable eligibility": json.dumps(
        [feed_service(x_joinedup_eligibility={"rules": {"criterion": "star_sign"}})]
    ).encode(),
    "no organisation": json.dumps(
        [{k: v for k, v in feed_service().items() if not k.startswith("organization")}]
    ).encode(),
}


@pytest.mark.parametrize("name", BAD_FEEDS)
def test_malformed_feed_is_rejected_cleanly(name: str) -> None:
    before = snapshot()
    report = run(BAD_FEEDS[name])
    assert not report.accepted
    assert report.rejections, name
    assert all(r["problem"] for r in report.rejections)
    assert snapshot() == before
    assert ImportRun.objects.get().accepted is False  # the attempt itself is recorded


def test_reports_name_the_record_and_the_problem() -> None:
    report = run(BAD_FEEDS["duplicate ids"])
    assert "appears more than once in the feed" in "\n".join(report.lines())
    report = run(BAD_FEEDS["unknown taxonomy"])
    assert "not in the feed or the directory" in "\n".join(report.lines())


def test_a_50_mb_file_is_rejected_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.write(b"[" + b" " * (50 * 1024 * 1024) + b"]")
    before = snapshot()
    with pytest.raises(CommandError, match="rejected"):
        call_command("directory_import", str(path), "--source", SOURCE)
    assert snapshot() == before
    assert "the limit is 10 MB" in ImportRun.objects.get().rejections[0]["problem"]
    assert path.stat().st_size > MAX_FEED_BYTES


def test_export_is_valid_oruk_and_round_trips(tmp_path: Path) -> None:
    exported = oruk_export()
    assert exported["version"] == "HSDS-UK-3.0"
    assert len(exported["services"]) >= 25
    for item in exported["services"]:
        assert standards.errors("compiled/service_with_definitions.json", item) == []
    path = tmp_path / "directory.json"
    call_command("directory_export", "--output", str(path))
    data = json.loads(path.read_text())
    assert {s["id"] for s in data["services"]} == {s["id"] for s in exported["services"]}
    # Another directory importing our export gets the same services and eligibility rules.
    foreign = copy.deepcopy(data)
    for service in foreign["services"]:
        service.pop("x_joinedup_how_to_refer", None)
    report = oruk_import(data=json.dumps(foreign).encode(), source="joinedup-seed", publish=True)
    assert report.accepted, report.lines()
    assert report.run.created_count == 0  # same ids: updates, never duplicates


def test_import_from_a_different_source_cannot_take_over_our_ids() -> None:
    exported = oruk_export()
    report = run(exported)
    assert not report.accepted
    assert "another source" in report.rejections[0]["problem"]


FIXTURE = Path(__file__).parent / "fixtures" / "oruk-example-service_full.json"


def test_the_official_oruk_example_imports_and_reexports_valid(capsys) -> None:
    call_command("directory_import", str(FIXTURE), "--source", "ORUK example", "--publish")
    assert "Imported 1 new and 0 updated services from ORUK example." in capsys.readouterr().out
    example = json.loads(FIXTURE.read_text())
    service = Service.objects.get(id=example["id"])
    assert (service.name, service.source, service.lifecycle) == ("Community Counselling", "ORUK example", "published")
    assert service.terms.count() == len(example["attributes"])
    exported = next(s for s in oruk_export()["services"] if s["id"] == example["id"])
    assert standards.errors("compiled/service_with_definitions.json", exported) == []
    call_command("directory_import", str(FIXTURE), "--source", "ORUK example")
    assert "0 new and 1 updated" in capsys.readouterr().out
    assert Service.objects.filter(id=example["id"]).count() == 1


def test_urls_off_this_machine_are_refused() -> None:
    with pytest.raises(CommandError, match="Only URLs on this machine"):
        call_command("directory_import", "https://example.org/feed.json", "--source", SOURCE)
    with pytest.raises(CommandError, match="There is no file"):
        call_command("directory_import", "/nonexistent/feed.json", "--source", SOURCE)


def test_a_feed_without_our_extension_gets_rules_from_its_ages() -> None:
    item = feed_service(minimum_age=16, maximum_age=24)
    del item["x_joinedup_eligibility"]
    plain = feed_service(name="No ages")
    del plain["x_joinedup_eligibility"]
    assert run([item, plain]).accepted
    service = Service.objects.get(id=item["id"])
    assert service.current_rules().rules == {"criterion": "age", "min": 16, "max": 24}
    assert (service.minimum_age, service.maximum_age) == (16, 24)
    assert Service.objects.get(id=plain["id"]).current_rules().rules == {"stated": False}


def test_our_rules_win_over_the_feeds_ages() -> None:
    """One source of truth: the ORUK ages are derived from the rules, so a feed's disagreeing ages lose."""
    item = feed_service(minimum_age=30)  # the extension says 18 or over
    assert run([item]).accepted
    service = Service.objects.get(id=item["id"])
    assert (service.minimum_age, service.maximum_age) == (18, None)


@pytest.mark.parametrize(
    ("ages", "problem"),
    [
        ({"minimum_age": 30, "maximum_age": 18}, "has minimum_age 30 above maximum_age 18."),
        ({"minimum_age": -1}, "has minimum_age -1: it must be a whole number, 0 to 150."),
        ({"maximum_age": 17.5}, "has maximum_age 17.5: it must be a whole number, 0 to 150."),
    ],
)
def test_impossible_ages_are_rejected(ages: dict, problem: str) -> None:
    before = snapshot()
    report = run([feed_service(**ages)])
    assert not report.accepted
    assert problem in report.rejections[0]["problem"]
    assert snapshot() == before


def test_checking_a_feed_takes_the_same_queries_whatever_its_size(django_assert_num_queries) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from joinedup.directory.feed_check import feed_problems

    term = TaxonomyTerm.objects.first()

    def feed(n: int) -> list:
        return [
            feed_service(
                attributes=[
                    {"id": str(uuid.uuid4()), "taxonomy_term_id": str(term.id)},
                    {"id": str(uuid.uuid4()), "taxonomy_term_id": str(uuid.uuid4())},
                ]
            )
            for _ in range(n)
        ]

    counts = []
    for n in (1, 40):
        with CaptureQueriesContext(connection) as queries:
            problems = feed_problems(feed(n), [], SOURCE)
        counts.append(len(queries))
        assert len(problems) == n  # each one's unknown term, named
    assert counts[0] == counts[1] <= 3


def test_renaming_a_term_or_organisation_reindexes_the_other_services_once(monkeypatch) -> None:
    """Issue 18: an import that renames a taxonomy term or an organisation re-indexes every service
    using it, not only the services in the feed, in one index_services call."""
    from joinedup.directory import feed_writer
    from joinedup.directory.selectors import published_services

    taxonomy_id, term_id = str(uuid.uuid4()), str(uuid.uuid4())

    def taxonomies(term_name: str) -> list:
        term = {"id": term_id, "name": term_name, "description": "Activities", "taxonomy_id": taxonomy_id}
        return [{"id": taxonomy_id, "name": "Example activities", "description": "d", "taxonomy_terms": [term]}]

    tagged = [{"id": str(uuid.uuid4()), "taxonomy_term_id": term_id}]
    first, second = feed_service(name="Riverside club", attributes=tagged), feed_service(name="Other club")
    assert cast(Any, run({"services": [first, second], "taxonomies": taxonomies("Gardening")})).run.accepted
    assert [s.name for s in published_services(text="gardening")] == ["Riverside club"]

    calls: list[list] = []
    real = feed_writer.index_services

    def recorded(ids: Any) -> Any:
        calls.append(list(ids))
        return real(ids)

    monkeypatch.setattr(feed_writer, "index_services", recorded)
    renamed_org = {"id": second["organization_id"], "name": "Allotment Trust", "description": "A charity."}
    changed = feed_service(name="Other club", id=second["id"], organization=renamed_org)  # the first is not in it
    assert cast(Any, run({"services": [changed], "taxonomies": taxonomies("Horticulture")})).run.accepted
    assert len(calls) == 1 and {str(i) for i in calls[0]} == {first["id"], second["id"]}
    assert [s.name for s in published_services(text="horticulture")] == ["Riverside club"]
    assert published_services(text="gardening").count() == 0
    assert {s.name for s in published_services(text="allotment")} == {"Riverside club", "Other club"}
