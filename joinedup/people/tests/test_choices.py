"""The shared vocabularies live in people; referrals re-exports them until the restructure merges."""

from __future__ import annotations

from joinedup.people import choices


def test_the_temporary_re_export_is_the_same_vocabulary() -> None:
    from joinedup.referrals import choices as old  # what joinedup/core still imports

    assert (old.Benefit, old.EmploymentStatus, old.HealthCondition) == (
        choices.Benefit,
        choices.EmploymentStatus,
        choices.HealthCondition,
    )
