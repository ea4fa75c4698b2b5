"""Profile's typed accessors: one value for a single-valued kind, a set for a multi kind,
and a clear error when code asks a kind for the wrong shape (the plan's staff once got a set)."""

from __future__ import annotations

import pytest

from logic.plan import make_plan
from logic.profile import Profile


def test_a_single_kind_gives_its_value_and_a_multi_kind_its_set():
    p = Profile(goals={"reduce-flood-risk": 3}, staff="low", have=["stormwatermanagement"])
    assert p.value("staff") == "low" and p.value("budget") is None
    assert p.values("have") == frozenset({"stormwatermanagement"}) and p.values("face") == frozenset()
    with pytest.raises(TypeError, match="several values"):
        p.value("have")
    with pytest.raises(TypeError, match="one value"):
        p.values("staff")


def test_the_plan_for_low_staff_carries_fewer_high_effort_tools_a_phase(catalog):
    high = [s for s, t in catalog.tools.items() if t.staff_effort == "high"][:4]
    assert len(high) == 4
    low = make_plan(catalog, high, staff=Profile(staff="low").value("staff"))
    roomy = make_plan(catalog, high, staff=Profile(staff="high").value("staff"))
    assert max(len(p.items) for p in low.phases) < max(len(p.items) for p in roomy.phases)
