"""Moved to `joinedup.testkit`. This name stays only for the two test modules under joinedup/cases/
that still import it (test_caseload, test_compiled_reads), which this change could not edit while
that app is being split: change their imports to `joinedup.testkit` and delete this file."""

from joinedup.testkit import MembershipFactory, loaded_fields, page_text

__all__ = ["MembershipFactory", "loaded_fields", "page_text"]
