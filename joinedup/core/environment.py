"""What kind of environment this is. Production settings set IS_PRODUCTION; tools that make
made-up people (demo, synth) refuse to run there."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError


def is_production() -> bool:
    return bool(getattr(settings, "IS_PRODUCTION", False))


def refuse_in_production(what: str) -> None:
    """Raise CommandError when running under production settings: `what` makes made-up records."""
    if is_production():
        raise CommandError(
            f"{what} makes made-up people and accounts, so it does not run under production settings. "
            "Use DJANGO_SETTINGS_MODULE=config.settings.local (as make run does)."
        )
