"""The vocabularies referrals used to keep here now live in `joinedup.people.choices`.

Temporary re-export, removed after the restructure merge: `joinedup/core` (demo, synth) still
imports them from here while it is being rewritten elsewhere.
"""

from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition

__all__ = ["Benefit", "EmploymentStatus", "HealthCondition"]
