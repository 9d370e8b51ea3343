"""Every length limit of the programmes app, declared once with its message (the form, the service
and the model's max_length read it from here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms


@dataclass(frozen=True)
class Limit:
    max_length: int
    noun: str

    @property
    def message(self) -> str:
        return f"{self.noun[0].upper()}{self.noun[1:]} must be {self.max_length} characters or fewer"

    def field(self, label: str, *, required: bool = True, **kwargs: Any) -> forms.CharField:
        messages = {"max_length": self.message, "required": f"Enter {self.noun}"}
        return forms.CharField(
            label=label, max_length=self.max_length, required=required, error_messages=messages, **kwargs
        )


NAME = Limit(200, "the name")
CODE = Limit(30, "the code")
FUNDER = Limit(200, "the funder's name")
DEFINITION = Limit(1000, "the definition")
REASON = Limit(1000, "the reason")
SOURCE = Limit(300, "the source")
LABEL = Limit(200, "the label")
COURSE = Limit(200, "the course name")
PROVIDER = Limit(200, "the provider's name")
NOTE = Limit(1000, "the note")
