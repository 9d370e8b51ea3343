"""Every main page of every role at 390 px wide (a phone), in headless Chromium, on the demo
partnership: the page never scrolls sideways, and every link, button and form control is a target
of at least 24 by 24 CSS pixels, or far enough from the next one (WCAG 2.2 success criterion 2.5.8,
Target Size (Minimum), with its exceptions: an undersized target passes when a 24-pixel circle on its
centre touches no other target or circle, and a link inside a sentence is exempt). Issue 18.

Each role's pages are the ones its menu offers, and from each list the first record it opens
(a referral, a case, an employer, a programme...), so a page added to a menu is checked here too."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from joinedup.testkit import PASSWORD

from .helpers import visitor

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844

# Pages no menu leads to.
PUBLIC = ["/", "/directory/", "/directory/?q=work&age=30&months_on_benefits=6", "/refer-yourself/", "/jobs/"]
EXTRA = {
    "gp.referrer": ["/referrals/new/gp/", "/referrals/new/social_prescribing/"],
    "programme.manager": ["/referrals/timeliness/", "/linkage/merges/", "/linkage/dedupe/"],
    "manager.framework": ["/cases/team/"],
    "pa.framework": ["/employers/vacancies/", "/employers/reminders/", "/programmes/follow-ups/"],
    "admin": ["/governance/holds/", "/governance/retention/", "/governance/unusual-access/"],
    "employer.nhs": [],
    "analyst": [],
}
# From a list page, the first link whose address matches opens one record.
RECORDS = [
    r"^/referrals/[0-9a-f-]{36}/$",
    r"^/referrals/triage/[0-9a-f-]{36}/$",
    r"^/referrals/offered/[0-9a-f-]{36}/$",
    r"^/cases/[0-9a-f-]{36}/$",
    r"^/employers/[0-9a-f-]{36}/$",
    r"^/employers/vacancies/[0-9a-f-]{36}/$",
    r"^/programmes/[0-9a-f-]{36}/$",
    r"^/governance/requests/[0-9a-f-]{36}/$",
    r"^/governance/agreements/[0-9a-f-]{36}/$",
    r"^/directory/manage/[0-9a-f-]{36}/$",
    r"^/directory/services/[0-9a-f-]{36}/$",
    r"^/background-jobs/[0-9a-f-]{36}/$",
]
# From a record, the pages that hang off it.
UNDER_RECORDS = [
    r"^/cases/[0-9a-f-]{36}/plan/$",
    r"^/people/consent/[0-9a-f-]{36}/$",
    r"^/employers/people/[0-9a-f-]{36}/$",
    r"^/programmes/case/[0-9a-f-]{36}/$",
    r"^/programmes/[0-9a-f-]{36}/(performance|esf|costs|fairness|claims)/$",
]

MEASURE = r"""() => {
  const width = window.innerWidth;
  const scroll = document.scrollingElement.scrollWidth;
  const wide = [];
  if (scroll > width) {
    for (const el of document.querySelectorAll("main *")) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && r.width > 0 && getComputedStyle(el).position !== "absolute") {
        wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} right=${Math.round(r.right)}`);
      }
    }
  }
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  const visible = el => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // checkVisibility: not inside a closed <details> (its content keeps a box, but cannot be tapped).
    return r.width > 1 && r.height > 1 && style.visibility !== "hidden" && !el.closest("[aria-hidden=true]") &&
      el.checkVisibility({visibilityProperty: true});
  };
  const targets = [...document.querySelectorAll(selector)].filter(visible);
  // A link inside a sentence: its block holds words that are not themselves targets.
  const inSentence = el => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
    if (!block) return false;
    let words = block.textContent;
    for (const t of block.querySelectorAll(selector)) words = words.replace(t.textContent, " ");
    return /[A-Za-z]{2,}/.test(words);
  };
  // A link that wraps has a box on each line: it is those boxes, not the rectangle around them,
  // that can be tapped. Its size and centre are its largest box's.
  const boxes = targets.map(el => {
    const rects = [...el.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    const larger = (a, b) => (b.width * b.height > a.width * a.height ? b : a);
    const r = rects.reduce(larger, rects[0] || el.getBoundingClientRect());
    return {el, r, rects: rects.length ? rects : [r], cx: r.left + r.width / 2, cy: r.top + r.height / 2,
            small: (r.width < 23.5 || r.height < 23.5) && !inSentence(el)};
  });
  const distanceToBox = (x, y, r) => {
    const dx = Math.max(r.left - x, 0, x - r.right);
    const dy = Math.max(r.top - y, 0, y - r.bottom);
    return Math.hypot(dx, dy);
  };
  const small = [];
  for (const a of boxes) {
    if (!a.small) continue;
    const crowd = boxes.find(b => b !== a && !a.el.contains(b.el) && !b.el.contains(a.el) && (
      b.rects.some(r => distanceToBox(a.cx, a.cy, r) < 12) ||
      (b.small && Math.hypot(a.cx - b.cx, a.cy - b.cy) < 24)));
    if (crowd) {
      const name = el => (el.innerText || el.value || el.name || el.id || "").trim().replace(/\s+/g, " ").slice(0, 40);
      small.push(`${a.el.tagName.toLowerCase()} "${name(a.el)}" ${Math.round(a.r.width)}x${Math.round(a.r.height)}` +
                 ` near ${crowd.el.tagName.toLowerCase()} "${name(crowd.el)}"`);
    }
  }
  return {width, scroll, wide: wide.slice(0, 5), small};
}"""


def _links(page) -> list[str]:
    return page.eval_on_selector_all(
        "main a[href], nav a[href]", "els => els.map(a => new URL(a.href).pathname + new URL(a.href).search)"
    )


def _check(visitor, path: str, problems: list[str], seen: set[str]) -> list[str]:
    if path in seen:
        return []
    seen.add(path)
    visitor.goto(path)
    found = visitor.page.evaluate(MEASURE)
    if found["scroll"] > found["width"]:
        problems.append(f"{path}: {found['scroll']} px wide at {found['width']} ({'; '.join(found['wide'])})")
    for target in found["small"]:
        problems.append(f"{path}: target smaller than 24 px and crowded: {target}")
    return _links(visitor.page)


def _first(links: list[str], patterns: list[str], seen: set[str]) -> list[str]:
    out = []
    for pattern in patterns:
        match = next((link for link in links if re.match(pattern, link) and link not in seen), None)
        if match and match not in out:
            out.append(match)
    return out


def _walk(visitor, start: list[str], problems: list[str]) -> set[str]:
    seen: set[str] = set()
    for path in start:
        links = _check(visitor, path, problems, seen)
        for record in _first(links, RECORDS, seen):
            under = _check(visitor, record, problems, seen)
            for page in _first(under, UNDER_RECORDS, seen):
                _check(visitor, page, problems, seen)
    return seen


@pytest.fixture
def demo(transactional_db):
    from joinedup.demo.demo import load_demo

    load_demo(people=30)
    # The README says so (issue 18): no demo user is staff, so none opens /django-admin/, which shows
    # every organisation's records outside the roles and the audit trail (least privilege).
    assert not get_user_model().objects.filter(is_staff=True).exists()
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    for user in get_user_model().objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def test_every_main_page_fits_a_phone(browser, live_server, screenshots, demo):
    problems: list[str] = []
    visited: dict[str, set[str]] = {}
    with visitor(browser, live_server, screenshots) as anyone:
        anyone.page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
        visited["public"] = _walk(anyone, PUBLIC, problems)
    for username, extra in EXTRA.items():
        with visitor(browser, live_server, screenshots) as person:
            person.page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
            person.sign_in(username)
            menu = person.page.get_by_role("navigation", name="Menu").get_by_role("link").all()
            paths = [re.sub(r"^https?://[^/]+", "", link.get_attribute("href") or "") for link in menu]
            visited[username] = _walk(person, ["/", *paths, *extra], problems)
            assert not person.problems, person.problems
    # The walk reached the pages the issue names for each role.
    everywhere = set().union(*visited.values())
    for wanted in (
        r"^/referrals/new/$",
        r"^/referrals/$",
        r"^/referrals/triage/$",
        r"^/referrals/triage/[0-9a-f-]{36}/$",
        r"^/cases/$",
        r"^/cases/[0-9a-f-]{36}/$",
        r"^/dashboard/$",
        r"^/employers/$",
        r"^/employers/[0-9a-f-]{36}/$",
        r"^/programmes/$",
        r"^/programmes/[0-9a-f-]{36}/$",
        r"^/governance/requests/$",
        r"^/background-jobs/$",
        r"^/directory/gaps/$",
        r"^/audit/$",
    ):
        assert any(re.match(wanted, p) for p in everywhere), f"no page matching {wanted} was checked"
    assert not problems, "\n".join(problems)
