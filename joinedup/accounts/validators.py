"""Password rules beyond Django's own (length, common passwords, similarity, all numbers): no
password of a few characters repeated (`aaaaaaaaaaaa`), and none that holds the username
(`analystanalyst`), which Django's similarity check lets through once it is long enough."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

MIN_DISTINCT = 5


class PasswordVarietyValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if len(set(password.lower())) < MIN_DISTINCT:
            raise ValidationError(
                f"Your password must use at least {MIN_DISTINCT} different characters", code="password_too_repetitive"
            )
        username = (user.get_username() if user is not None else "").lower()
        if len(username) >= 4 and username in password.lower():
            raise ValidationError("Your password must not contain your username", code="password_has_username")

    def get_help_text(self) -> str:
        return f"Your password must use at least {MIN_DISTINCT} different characters and not contain your username."
