"""What a model instance holds, for tests that compare instances made by different reads."""

from __future__ import annotations


def loaded_fields(obj) -> dict:
    """Every loaded field of a model instance, which are deferred, and its database state: for
    tests that a read makes exactly the instances the ORM would (`core.compiled.CompiledQuery`)."""
    deferred = obj.get_deferred_fields()
    loaded = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname not in deferred}
    return {"loaded": loaded, "deferred": deferred, "db": obj._state.db, "adding": obj._state.adding}
