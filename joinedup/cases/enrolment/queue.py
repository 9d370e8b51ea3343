"""The caseload as a day's work queue: what needs doing today, in groups, each its own page of
rows. Each group is one list read (decision 013); the page reads four, then the whole caseload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from joinedup.core.pagination import Page
from joinedup.organisations.permissions import Membership

from ..contacts.selectors import messages_waiting_page
from ..work.selectors import milestones_due_page
from .selectors import CaseloadFilters, awaiting_enrolment_page, caseload

QUEUE_PAGE_SIZE = 10  # rows a group shows at a time: the day's work at a glance, the rest a page away


@dataclass(frozen=True)
class QueueGroup:
    code: str  # also the group's page parameter (`<code>_page`) and its element id
    heading: str
    page: Page

    # What its rows are, for the page: messages from people, people waiting to be enrolled,
    # milestones, or open cases (whose last column is the review date in "reviews", else the last
    # contact).
    @property
    def of_messages(self) -> bool:
        return self.code == "messages"

    @property
    def of_referrals(self) -> bool:
        return self.code == "waiting"

    @property
    def of_milestones(self) -> bool:
        return self.code == "milestones"

    @property
    def by_review(self) -> bool:
        return self.code == "reviews"


@dataclass(frozen=True)
class WorkQueue:
    groups: list[QueueGroup]

    def __getitem__(self, code: str) -> QueueGroup:
        return next(group for group in self.groups if group.code == code)

    @property
    def shown(self) -> int:
        return sum(len(group.page.rows) for group in self.groups)


GROUPS = {  # in the order the page shows them
    "messages": "Messages from people",
    "reviews": "Plan reviews due or overdue",
    "milestones": "In-work milestones due",
    "no_contact": "No contact recently",
    "waiting": "New people waiting to be enrolled",
}


def work_queue(
    *,
    actor: Membership,
    mine_only: bool = True,
    adviser_id: int | None = None,
    pages: Mapping[str, object] | None = None,
    size: int = QUEUE_PAGE_SIZE,
) -> WorkQueue:
    """Today's work for the adviser (or, `mine_only=False`, the organisation, or one adviser of it,
    `adviser_id`; every group the same): messages from people waiting for an answer (oldest
    first, decision 022); open cases whose plan review is overdue or due within a week (soonest
    first); in-work milestones due and not recorded (oldest first); open cases with no contact for
    longer than the stale limit (longest first); referrals assigned and waiting to be enrolled
    (longest waiting first). `pages`: the page asked for of each group, by code. Five queries, one
    a group."""
    asked = pages or {}
    adviser = None if mine_only else adviser_id
    chosen = actor.user_id if mine_only else adviser_id  # whose work, or None for everyone's
    reviews = CaseloadFilters(mine_only=mine_only, adviser_id=adviser, stage="active", review="due")
    quiet = CaseloadFilters(
        mine_only=mine_only, adviser_id=adviser, stage="active", no_recent_contact=True, sort="contact"
    )
    found = {
        "messages": messages_waiting_page(actor=actor, adviser=chosen, page=asked.get("messages"), size=size),
        "reviews": caseload(actor=actor, filters=reviews, page=asked.get("reviews"), size=size),
        "milestones": milestones_due_page(actor=actor, adviser=chosen, page=asked.get("milestones"), size=size),
        "no_contact": caseload(actor=actor, filters=quiet, page=asked.get("no_contact"), size=size),
        "waiting": awaiting_enrolment_page(actor=actor, adviser=chosen, page=asked.get("waiting"), size=size),
    }
    return WorkQueue([QueueGroup(code, heading, found[code]) for code, heading in GROUPS.items()])
