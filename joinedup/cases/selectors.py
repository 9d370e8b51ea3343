"""The cases app's reads that other apps use (its public API). Each is defined in the sub-package of
what it reads; inside cases, import from the sub-package."""

from .enrolment.selectors import case_get, case_list, case_read_audit

__all__ = ["case_get", "case_list", "case_read_audit"]
