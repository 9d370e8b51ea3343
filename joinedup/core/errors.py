"""Domain errors raised by services; views and the API turn them into plain-English messages."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the service was broken. `message` is plain English, fit to show a user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(DomainError):
    """The actor may not do this to this record."""
