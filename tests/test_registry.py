"""The constraint registry and the scenario model: a new kind of constraint is
one `register(...)` call, and every layer picks it up; any scenario survives
address -> model -> address and command line -> model unchanged."""

from __future__ import annotations

import argparse
import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logic import cli
from logic.constraints import REGISTRY
from logic.export import handout_markdown, profile_lines, results_csv
from logic.profile import Profile
from logic.rules import rank, recommend
from logic.scenario import Scenario, add_cli_options
from logic.taxonomy import FOCUS_AREAS, PRINCIPLES
from logic.what_if import what_if
from support import flood_zone_kind, population_kind


@pytest.fixture()
def flood_zone():
    kind = flood_zone_kind()
    REGISTRY.register(kind)
    yield kind
    REGISTRY.unregister("floodzone")


def test_a_kind_is_registered_only_when_its_tool_side_is_declared():
    from dataclasses import replace

    for missing in ("facts", "record", "explains"):
        with pytest.raises(ValueError, match=missing):
            REGISTRY.register(replace(flood_zone_kind(), **{missing: None}))
    assert "floodzone" not in REGISTRY


def test_a_registered_kind_reaches_the_tool_facts_compare_csv_json_and_explainer(catalog, flood_zone, capsys):
    from logic.constraints import tool_facts
    from logic.explain import ranking_explainer
    from logic.export import compare_rows
    from logic.what_if import what_if_hint

    zoning = catalog.tools["inclusionaryzoning"]
    assert ("Hard to permit in a floodplain", "yes") in tool_facts(zoning, catalog)
    rows = {r["Attribute"]: r for r in compare_rows(catalog, ["inclusionaryzoning", "stormwaterfees"])}
    assert rows["Hard to permit in a floodplain"][zoning.title] == "yes"
    recs = recommend(catalog, Profile(goals={"housing-choice": 3}))
    table = list(csv.DictReader(io.StringIO(results_csv(recs, None, catalog))))
    assert {r["slug"]: r["hard to permit in a floodplain"] for r in table}["inclusionaryzoning"] == "yes"
    assert cli.main(["catalog", "--json"]) == 0
    records = {r["slug"]: r for r in json.loads(capsys.readouterr().out)}
    assert records["inclusionaryzoning"]["floodplainPermits"] is True
    assert "each tool that builds in a floodplain you mostly sit in (7)" in ranking_explainer(catalog)
    assert "floodplain share" in what_if_hint()


def test_a_registered_kind_reaches_reasons_flags_what_if_address_cli_and_csv(catalog, flood_zone):
    profile = Profile(goals={"housing-choice": 3}, floodzone="mostly")
    assert profile.floodzone == "mostly"

    # ranking: a flag with the registry's title, penalty and the challenge's mitigations
    ranked = {r.slug: r for r in rank(catalog, profile)}
    inclusionary = ranked["inclusionaryzoning"]
    (flag,) = inclusionary.flags
    assert flag.kind == "floodzone" and flag.penalty == 7 and flag.challenge == "legal-authority"
    assert flag.mitigations == catalog.challenges["legal-authority"].mitigations
    assert "much of the town is in the floodplain" in " ".join(inclusionary.reasons)
    plain = {r.slug: r for r in rank(catalog, Profile(goals={"housing-choice": 3}))}
    assert inclusionary.score == plain["inclusionaryzoning"].score - 7

    # what-if: relaxing it is offered, with the registry's label
    (change,) = [w for w in what_if(catalog, profile) if w.kind == "floodzone"]
    assert change.label == "Less land in the floodplain (instead of mostly)"

    # the address: written, read back, and a bad value ignored with a note
    query = Scenario(profile=profile).to_query()
    assert query["floodzone"] == "mostly"
    back = Scenario.from_query({k: [v] for k, v in query.items()}, catalog)
    assert back.profile == profile and back.notes == []
    bad = Scenario.from_query({"goal": ["housing-choice"], "floodzone": ["everywhere"]}, catalog)
    assert bad.profile.floodzone is None
    assert "floodplain share 'everywhere'" in bad.notes[0] and "little, some, mostly" in bad.notes[0]

    # the command line: an option, parsed into the same model; a bad value exits 2 naming it
    parser = argparse.ArgumentParser()
    add_cli_options(parser)
    args = parser.parse_args(["--goal", "housing-choice:3", "--floodzone", "mostly"])
    assert Scenario.from_cli(args, catalog).profile == profile
    assert cli.main(["recommend", "--goal", "housing-choice", "--floodzone", "everywhere"]) == 2

    # exports: the CSV's flags and the handout's profile lines
    rows = list(csv.DictReader(io.StringIO(results_csv(recommend(catalog, profile)))))
    row = next(r for r in rows if r["slug"] == "inclusionaryzoning")
    assert "Much of the town is in the floodplain" in row["flags"]
    assert "Share of land in the floodplain: mostly" in profile_lines(profile, catalog)
    assert "floodplain" in handout_markdown(catalog, profile, recommend(catalog, profile))


def test_cli_recommend_takes_the_registered_option(catalog, flood_zone, capsys):
    assert cli.main(["recommend", "--goal", "housing-choice", "--floodzone", "mostly", "--json", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert '"kind": "floodzone"' in out


def test_an_unknown_constraint_name_is_a_clear_error():
    with pytest.raises(TypeError, match="unknown constraint 'colour'"):
        Profile(colour="red")


# ---- the scenario model ----


def _scenarios(catalog):
    constraint_values = {}
    for kind in REGISTRY:
        valid = kind.valid(catalog)
        if kind.multi:
            constraint_values[kind.name] = st.frozensets(st.sampled_from(valid), max_size=4)
        else:
            constraint_values[kind.name] = st.one_of(st.none(), st.sampled_from(valid))
    profile = st.builds(
        Profile,
        goals=st.dictionaries(st.sampled_from(list(catalog.goals)), st.integers(1, 3), max_size=5),
        focus=st.frozensets(st.sampled_from(FOCUS_AREAS)),
        principles=st.frozensets(st.sampled_from(PRINCIPLES)),
        **constraint_values,
    )
    return st.builds(
        Scenario,
        profile=profile,
        shortlist=st.lists(st.sampled_from(list(catalog.tools)), unique=True, max_size=4),
        room=st.one_of(st.none(), st.sampled_from(["ABCD12", "ZZZZ"])),
        step=st.sampled_from(["goals", "constraints", "results", "package"]),
    )


def test_any_scenario_survives_address_model_address_and_cli_model(catalog):
    @settings(max_examples=80, deadline=None)
    @given(_scenarios(catalog))
    def check(scenario):
        query = scenario.to_query()
        back = Scenario.from_query(query, catalog)
        assert back.notes == []
        assert back.profile == scenario.profile
        assert (back.shortlist, back.room, back.step) == (scenario.shortlist, scenario.room, scenario.step)
        assert back.to_query() == query
        # the same profile as command-line options
        argv = [f"--goal={g}:{i}" for g, i in scenario.profile.goals.items()]
        argv += [f"--focus={f}" for f in sorted(scenario.profile.focus)]
        argv += [f"--principle={p}" for p in sorted(scenario.profile.principles)]
        for kind, value in scenario.profile.constraints():
            argv.append(f"--{kind}={value}")
        parser = argparse.ArgumentParser()
        add_cli_options(parser)
        assert Scenario.from_cli(parser.parse_args(argv), catalog).profile == scenario.profile

    check()


def test_a_kind_with_its_own_tool_page_key_needs_only_the_registry_and_the_content(content_copy, capsys):
    """A new kind of constraint that tools are tagged for ("population: [small]" on a page) is one
    register() call and the pages: the loader reads and checks the key, validate names a bad value
    by file and field, the ranking, the tool facts and catalog --json use it."""
    from logic import load_catalog

    page = content_copy / "tools" / "agriculturalzoning.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("---\n", "---\npopulation: [small]\n", 1), encoding="utf-8"
    )
    bad = content_copy / "tools" / "visionzero.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("---\n", "---\npopulation: [huge]\n", 1), encoding="utf-8")

    cli.main(["validate", str(content_copy)])
    before = capsys.readouterr().out
    assert any(
        "agriculturalzoning.md" in line and "population" in line and "unknown key" in line
        for line in before.splitlines()
    )

    REGISTRY.register(population_kind())
    try:
        assert cli.main(["validate", str(content_copy)]) == 1  # a value outside tool_values is an error
        out = capsys.readouterr().out
        problems = [line for line in out.splitlines() if "tools/" in line]
        assert any(
            "tools/visionzero.md" in p and "population" in p and "huge" in p and "small" in p for p in problems
        ), problems
        assert not any("agriculturalzoning.md" in p and "population" in p for p in problems), problems

        catalog = load_catalog(content_copy)
        tool = catalog.tools["agriculturalzoning"]
        assert tool.traits["population"] == ("small",)
        ranked = {r.slug: r for r in rank(catalog, Profile(goals={"conserve-land": 3}, population="large"))}
        assert [f.message for f in ranked["agriculturalzoning"].flags] == ["Made for small towns; yours is large."]
        assert not any(f.kind == "population" for f in ranked["landacquisitionandconservationeasements"].flags)
        from logic.constraints import tool_facts

        assert ("Town sizes", "small") in tool_facts(tool, catalog)
        assert cli.main(["catalog", "--json", "--content", str(content_copy)]) == 0
        records = {r["slug"]: r for r in json.loads(capsys.readouterr().out)}
        assert records["agriculturalzoning"]["population"] == ["small"]
    finally:
        REGISTRY.unregister("population")
