"""The synthetic partnership: realistic shape, deterministic for a seed, safe around real data."""

from datetime import date

import pytest

from joinedup.cases.models import Case, Contact
from joinedup.core.synth import SynthError, synth_info, synth_load, synth_reset
from joinedup.referrals.models import Referral

AS_OF = date(2026, 11, 22)


def _fingerprint() -> list[tuple[str, str]]:
    return sorted(Referral.objects.values_list("reference", "status"))


def test_load_makes_every_stage_and_is_deterministic(db):  # noqa: ANN001
    result = synth_load(people=400, seed=7, as_of=AS_OF)
    assert result is not None and result.people == 400
    assert Referral.objects.count() == 400
    assert {"received", "assigned", "enrolled"} <= set(Referral.objects.values_list("status", flat=True))
    assert Case.objects.exists() and Contact.objects.count() > Case.objects.count()
    info = synth_info()
    assert (info.seed, info.people, info.as_of) == (7, 400, AS_OF)
    first = _fingerprint()
    assert synth_load(people=400, seed=7, as_of=AS_OF) is None  # already loaded: nothing to do
    synth_load(people=400, seed=7, as_of=AS_OF, reset=True)
    assert _fingerprint() == first
    synth_reset()
    assert Referral.objects.count() == 0 and synth_info() is None


def test_refuses_a_database_with_real_referrals(partnership):  # noqa: ANN001
    partnership.refer()
    with pytest.raises(SynthError, match="not synthetic"):
        synth_load(people=10, seed=1, as_of=AS_OF)
    assert Referral.objects.count() == 1
