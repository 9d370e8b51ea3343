"""Moved to `joinedup.organisations.decorators` (it depends on the organisations' permissions).

This re-export stays only for the views this change could not edit: joinedup/cases/views.py (the
app is being split), joinedup/people/views.py and joinedup/linkage/views.py. Change their imports to
`joinedup.organisations.decorators` and delete this file."""

from joinedup.organisations.decorators import require_perm

__all__ = ["require_perm"]
