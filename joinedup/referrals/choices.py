"""The vocabularies referrals used to keep here now live in `joinedup.people.choices`."""

# temporary re-export, removed after the restructure merge: joinedup/core (demo.py, synth.py) still
# imports these from here while it is being rewritten elsewhere. Import from joinedup.people.choices.
from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition

__all__ = ["Benefit", "EmploymentStatus", "HealthCondition"]
