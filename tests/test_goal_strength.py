"""Graded goals in content: the rubric's values, the validator's messages, the old list form."""

from __future__ import annotations

import json

import pytest

from logic import load_catalog
from support import ROOT

PAGE = """---
slug: "zz-graded"
title: "ZZ Graded"
focusAreas: [Environment]
principles: []
goals: {goals}
challenges: [upfront-funding]
cost: low
staffEffort: low
timeToResults: short
toolType: program
---

## What it is
A page used by the tests. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow.

## When it fits
Wherever a test needs it.

## How to get started
1. Write the page.

## What to watch out for
Nothing here.
"""


def load_with(content_copy, goals: str):
    (content_copy / "tools" / "zz-graded.md").write_text(PAGE.format(goals=goals), encoding="utf-8")
    return load_catalog(content_copy)


def mine(cat, severity):
    return [p for p in cat.problems if p.file == "tools/zz-graded.md" and p.severity == severity]


def test_every_goal_has_at_least_one_made_for_tool(catalog):
    for gid, goal in catalog.goals.items():
        made_for = [t.title for t in catalog.tools.values() if t.strength(gid) == 3]
        assert made_for, f"no tool is made for {goal.name}"


def test_grading_is_discriminating(catalog):
    """Most goals have 2 to 6 tools at 3; no tool is made for more than two goals."""
    counts = [sum(1 for t in catalog.tools.values() if t.strength(g) == 3) for g in catalog.goals]
    assert max(counts) <= 6
    assert sum(1 for c in counts if 2 <= c <= 6) > len(counts) / 2
    for t in catalog.tools.values():
        assert sum(1 for v in t.goal_strength.values() if v == 3) <= 2, t.slug
        assert t.goal_strength and all(v in (1, 2, 3) for v in t.goal_strength.values()), t.slug


def test_a_graded_mapping_loads_strongest_first(content_copy):
    cat = load_with(content_copy, "{protect-water: 1, reduce-flood-risk: 3, conserve-land: 2}")
    tool = cat.tools["zz-graded"]
    assert tool.goals == ("reduce-flood-risk", "conserve-land", "protect-water")
    assert tool.strength("reduce-flood-risk") == 3 and tool.strength("local-food") == 0
    assert mine(cat, "error") == []


@pytest.mark.parametrize("bad", ["4", "0", "'high'", "2.5", "true"])
def test_a_strength_outside_one_to_three_is_an_error_naming_file_and_goal(content_copy, bad):
    cat = load_with(content_copy, f"{{protect-water: {bad}, reduce-flood-risk: 3}}")
    errors = mine(cat, "error")
    assert any(p.field == "goals.protect-water" and "not 1, 2 or 3" in p.message for p in errors), errors
    # the bad goal is dropped, the good one kept, the page still loads
    assert dict(cat.tools["zz-graded"].goal_strength) == {"reduce-flood-risk": 3}


def test_an_unknown_goal_in_the_mapping_is_named(content_copy):
    cat = load_with(content_copy, "{clean-watr: 3}")
    errors = mine(cat, "error")
    assert any(p.field == "goals.clean-watr" and "did you mean 'clean-air'" in p.message for p in errors), errors


def test_the_old_list_form_still_loads_at_strength_two_with_an_info(content_copy):
    cat = load_with(content_copy, "[protect-water, reduce-flood-risk]")
    tool = cat.tools["zz-graded"]
    assert dict(tool.goal_strength) == {"protect-water": 2, "reduce-flood-risk": 2}
    infos = mine(cat, "info")
    assert any(p.field == "goals" and "strength 2" in p.message for p in infos)
    assert mine(cat, "error") == [] and mine(cat, "warning") == []


def test_a_goal_with_no_made_for_tool_is_a_warning(content_copy):
    for path in (content_copy / "tools").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("cool-communities: 3", "cool-communities: 2"), encoding="utf-8")
    cat = load_catalog(content_copy)
    warnings = [p for p in cat.problems if p.severity == "warning"]
    # and its exemplar, no longer graded 3 for it, is flagged too
    assert [(p.file, p.field) for p in warnings] == [
        ("goals.yaml", "cool-communities"),
        ("goals.yaml", "cool-communities.exemplar"),
    ]
    assert "no tool is graded 3" in warnings[0].message


def test_catalog_json_lists_goals_strongest_first_with_their_strength(logic_cli):
    out = logic_cli("catalog", "--json", "--content", ROOT / "content")
    assert out.returncode == 0, out.stderr
    records = {r["slug"]: r for r in json.loads(out.stdout)}
    cs = records["completestreets"]
    assert cs["goalStrength"] == {"safer-streets": 3, "walk-bike": 3, "all-ages": 2, "transit-access": 1}
    assert cs["goals"][-1] == "transit-access" and set(cs["goals"][:2]) == {"safer-streets", "walk-bike"}
    for r in records.values():
        strengths = [r["goalStrength"][g] for g in r["goals"]]
        assert strengths == sorted(strengths, reverse=True)


def test_recommend_json_carries_strength_and_vs_above(logic_cli):
    out = logic_cli("recommend", "--goal", "walk-bike", "--top", "4", "--json")
    assert out.returncode == 0, out.stderr
    recs = json.loads(out.stdout)
    assert recs[0]["vsAbove"] is None
    assert all(r["vsAbove"].startswith(f"Ranked below {a['title']}") for a, r in zip(recs, recs[1:], strict=False))
    assert recs[0]["goalStrength"] == {"walk-bike": 3} and recs[0]["reasons"][0].startswith("Made for:")
