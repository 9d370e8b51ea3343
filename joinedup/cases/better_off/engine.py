"""The warm better-off engine: the tax-benefit system and a prepared simulation kept loaded.

Building a policyengine-uk `Simulation` costs seconds: a new tax-benefit system (its parameters read
and, at each date, rebuilt), the July 2025 Universal Credit changes applied, a baseline copy. None
of that depends on the household's numbers, only on its shape. So a worker keeps:

- one `CountryTaxBenefitSystem` for the process (its parameter caches kept: the baseline's
  parameters never change), given to every simulation it builds;
- one prepared simulation per household shape (a partner or not, how many children, which hour
  options, which year), built once. For the next household of that shape its inputs are set in
  place, every calculated value dropped, and the Universal Credit changes applied again (they read
  the inputs), so the calculation is the one a new simulation would make, without building it.

Only the variables the page shows are calculated (`calculator._points`). The results are the same
to the penny as a new simulation, and as one simulation per hour option (tests/test_better_off.py).
A lock makes one calculation at a time use a prepared simulation (a worker runs one job at a time).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

_LOCK = threading.Lock()
_SYSTEM: list[Any] = []  # the process's one tax-benefit system, once loaded
_PREPARED: OrderedDict[tuple[object, ...], Any] = OrderedDict()
PREPARED_MAX = 8  # household shapes kept (each about 40 MB)
# Inputs the simulation moves at construction (behavioural-response bookkeeping): set them there.
_MOVED = {"employment_income": "employment_income_before_lsr"}
_ENTITIES = ("people", "benunits", "households")


def _system() -> Any:
    if not _SYSTEM:
        from policyengine_uk.system import CountryTaxBenefitSystem

        system = CountryTaxBenefitSystem()
        # Every simulation resets the parameter caches it is given; the baseline's parameters never
        # change, so the caches stay (they are most of the cost of a new simulation).
        system.reset_parameter_caches = lambda: None
        _SYSTEM.append(system)
    return _SYSTEM[0]


def _build(situation: dict[str, Any]) -> Any:
    """A new simulation of `situation` on the process's tax-benefit system."""
    import policyengine_uk.simulation as module

    system = _system()
    made = module.CountryTaxBenefitSystem
    module.CountryTaxBenefitSystem = lambda *args, **kwargs: system  # the constructor makes its own
    try:
        return module.Simulation(situation=situation)
    finally:
        module.CountryTaxBenefitSystem = made


def _set_inputs(sim: Any, situation: dict[str, Any], year: int) -> None:
    """Put `situation`'s values into `sim` (built from a situation of the same shape)."""
    for plural in _ENTITIES:
        entities = list(situation[plural].values())
        names = {name for entity in entities for name in entity if name != "members"}
        for name in sorted(names):
            target = _MOVED.get(name, name)
            current = sim.get_holder(target).get_array(year)
            values = _as_values(current)
            for i, entity in enumerate(entities):
                if name in entity:
                    values[i] = entity[name][year]
            sim.set_input(target, year, values)


def _as_values(current: Any) -> Any:
    import numpy as np

    if hasattr(current, "decode_to_str"):  # an enum's codes: set by name
        return np.array(current.decode_to_str(), dtype=object)
    return np.array(current).copy()


def _drop_calculated(sim: Any) -> None:
    from policyengine_uk.utils.measurement_branches import drop_calculated_values

    sim._fast_cache = {}  # emptied first: each deletion would otherwise rebuild it
    drop_calculated_values(sim)


def _refresh(sim: Any, situation: dict[str, Any], year: int) -> None:
    from policyengine_uk.scenarios import universal_credit_july_2025_reform

    _set_inputs(sim, situation, year)
    sim._fast_cache = {}
    sim.delete_arrays("uc_LCWRA_element")  # set by the Universal Credit changes from the inputs
    _drop_calculated(sim)
    universal_credit_july_2025_reform.simulation_modifier(sim)
    _drop_calculated(sim)


def prepared(situation: dict[str, Any], *, shape: Sequence[object], year: int) -> Any:
    """A simulation holding `situation`, ready to calculate: the shape's prepared one, refreshed, or
    (the first time) a new one kept for next time. Call with `lock` held."""
    key = (*shape, year)
    sim = _PREPARED.get(key)
    if sim is None:
        sim = _build(situation)
        _PREPARED[key] = sim
        while len(_PREPARED) > PREPARED_MAX:
            _PREPARED.popitem(last=False)
        return sim
    _PREPARED.move_to_end(key)
    _refresh(sim, situation, year)
    return sim


def lock() -> threading.Lock:
    return _LOCK


def forget() -> None:
    """Drop the prepared simulations (and the tax-benefit system): the next calculation is cold."""
    with _LOCK:
        _PREPARED.clear()
        _SYSTEM.clear()
