from __future__ import annotations

import pytest

from joinedup.testkit import Partnership

from .world import World, build_world


@pytest.fixture
def world(partnership: Partnership) -> World:
    return build_world(partnership)
