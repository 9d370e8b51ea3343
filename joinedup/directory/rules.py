"""The one way a service's eligibility rule set changes.

`add_rule_version` adds a version when the rules (or the provider's words) changed, makes the newest
version the service's `current_rule_set`, and copies the age range the rules imply onto the service
(`minimum_age` / `maximum_age`, derived by `eligibility.age_range`). Editing, import, the seed and the
benchmark all go through it, so the rules are the single source of truth for ages.

Reading is `service.current_rules()` (the `current_rule_set` pointer; free with
`select_related("current_rule_set")`). It works with the migration's historical models too: pass the
historical `EligibilityRuleSet` as `rules_model`.
"""

from __future__ import annotations

import uuid
from typing import Any

from .eligibility import age_range


def add_rule_version(
    service: Any,
    *,
    rules: dict[str, Any],
    stated_as: str = "",
    source: str = "",
    created_by: Any = None,
    rules_model: Any = None,
    version_id: uuid.UUID | None = None,
) -> bool:
    """Make `rules` the service's current rule set; returns True when a new version was added.

    The service must be saved. Unchanged rules add nothing, but the pointer and ages are still put right.
    """
    if rules_model is None:
        from .models import EligibilityRuleSet

        rules_model = EligibilityRuleSet
    latest = rules_model.objects.filter(service_id=service.pk).order_by("-version").first()
    added = latest is None or latest.rules != rules or latest.stated_as != stated_as
    if added:
        latest = rules_model.objects.create(
            **({"id": version_id} if version_id else {}),
            service_id=service.pk,
            version=(latest.version if latest else 0) + 1,
            rules=rules,
            stated_as=stated_as,
            source=source[:300],
            created_by=created_by,
        )
    low, high = age_range(latest.rules)
    changed = {"current_rule_set_id": latest.pk, "minimum_age": low, "maximum_age": high}
    if any(getattr(service, name) != value for name, value in changed.items()):
        for name, value in changed.items():
            setattr(service, name, value)
        type(service).objects.filter(pk=service.pk).update(**changed)
    return added
