"""Eligibility reasons as said to the person themselves (the public directory), from the words
the evaluator uses to staff (eligibility.py)."""

from __future__ import annotations

# The reasons speak of "this person" (to staff, about someone); the public directory speaks to the
# resident. Each third-person phrase the reasons use, and what it says to "you" (`to_you`).
_TO_YOU = (
    ("whether this person is eligible", "whether you are eligible"),
    ("this person has been", "you have been"),
    ("this person has told us", "you have told us"),
    ("this person has", "you have"),
    ("this person is", "you are"),
    ("this person lives", "you live"),
    ("this person gets", "you get"),
    ("where the person lives", "where you live"),
    ("the person gets", "you get"),
    ("the person last worked", "you last worked"),
    ("The person's health conditions (their own account", "Your health conditions (your own account"),
    (
        "The person's own account, or a referrer who knows their circumstances",
        "Your own account, or a referrer who knows your circumstances",
    ),
)


def to_you(reason: str) -> str:
    """A reason as said to the person themselves ("you are 46", not "this person is 46")."""
    for theirs, yours in _TO_YOU:
        reason = reason.replace(theirs, yours)
    return reason
