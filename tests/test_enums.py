"""The taxonomy's enums are the fields' types: the loader, the ranking and the address
make enum values, and what is written out (JSON, CSV, text) is the plain words."""

from __future__ import annotations

import csv
import io
import json

from logic import load_catalog
from logic.profile import Profile
from logic.rules import rank
from logic.scenario import Scenario
from logic.taxonomy import Fit, Horizon, Importance, Level, Severity


def test_the_loader_makes_levels_horizons_and_severities(catalog, content_copy):
    rated = [t for t in catalog.tools.values() if t.cost and t.staff_effort and t.time_to_results]
    assert rated, "the catalog rates its tools"
    for tool in rated:
        assert type(tool.cost) is Level and type(tool.staff_effort) is Level, tool.slug
        assert type(tool.time_to_results) is Horizon, tool.slug
    page = next((content_copy / "tools").glob("*.md"))
    text = page.read_text(encoding="utf-8")
    assert "\ncost: " in text
    page.write_text(text.replace("\ncost: ", "\ncost: lavish # ", 1), encoding="utf-8")

    broken = load_catalog(content_copy)
    bad = [p for p in broken.problems if p.field == "cost"]
    assert bad and all(type(p.severity) is Severity for p in broken.problems)
    assert bad[0].severity is Severity.ERROR and bad[0].line().startswith("error   ")


def test_fits_and_importances_are_enums_and_write_out_as_plain_words(catalog):
    scenario = Scenario.from_query({"goal": ["reduce-flood-risk:3,conserve-land"], "state": ["PA"]}, catalog)
    assert scenario.profile.goals == {"reduce-flood-risk": Importance.ESSENTIAL, "conserve-land": Importance.IMPORTANT}
    assert all(type(v) is Importance for v in scenario.profile.goals.values())
    assert Profile(goals={"reduce-flood-risk": 7}).goals["reduce-flood-risk"] is Importance.ESSENTIAL
    ranked = rank(catalog, scenario.profile)
    assert {type(r.fit) for r in ranked} == {Fit}
    assert {r.fit for r in ranked if r.recommended} <= {Fit.STRONG, Fit.POSSIBLE, Fit.WEAK}
    top = ranked[0]
    assert json.dumps(top.as_dict()["fit"]) == f'"{top.fit.value}"'
    out = io.StringIO()
    csv.writer(out).writerow([top.fit, scenario.profile.goals["reduce-flood-risk"], Level.LOW])
    assert out.getvalue() == f"{top.fit.value},3,low\r\n"
    assert scenario.to_query()["goal"] == "reduce-flood-risk:3,conserve-land"
