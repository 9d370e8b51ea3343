from __future__ import annotations

from joinedup.core.forms import GovForm


class RetryForm(GovForm):
    """Run a failed job again: a button, no fields."""

    submit_label = "Run it again"
