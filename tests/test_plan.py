"""The action plan (logic/plan.py), `buildsOn` in the loader, and `python -m logic plan`.

The rules are tested on small catalogs built here, so they do not depend on
the real catalog's size or grading; a few tests then check the real content.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logic import load_catalog
from logic.cli import main
from logic.model import BuildsOn, Catalog, Challenge, ChallengeRef, Tool
from logic.plan import (
    PHASE_NAMES,
    STAFF_CAPACITY,
    START_LIMIT,
    comes_after,
    first_steps,
    make_plan,
    opens_the_way_to,
    plan_summary,
)

BODY = """## What it is
A tool.

## How to get started
1. Map the [sites](https://example.org/sites) that matter.
2. Meet the county
   planning commission early.
3. Adopt it.

## What to watch out for
Nothing much.
"""


def tool(slug: str, cost="low", effort="medium", time="medium", builds_on=(), **kw) -> Tool:
    return Tool(
        slug=slug,
        title=kw.pop("title", slug.replace("-", " ").title()),
        cost=cost,
        staff_effort=effort,
        time_to_results=time,
        builds_on=tuple(BuildsOn(s, f"{slug} needs {s}.") for s in builds_on),
        focus_areas=kw.pop("focus_areas", ("Environment",)),
        body=kw.pop("body", BODY),
        **kw,
    )


def catalog_of(*tools: Tool) -> Catalog:
    return Catalog(
        tools={t.slug: t for t in tools},
        challenges={
            "upfront-funding": Challenge(
                "upfront-funding", "Upfront funding", mitigations=("Phase the work.", "Seek a grant.")
            )
        },
        indicators={"Water Quality": "https://www.dvrpc.org/tracking-progress/water-quality"},
    )


# --- the rules on small catalogs -------------------------------------------------


def test_quick_wins_start_now_and_come_first():
    cat = catalog_of(
        tool("slow", time="long"),
        tool("quick", time="short", effort="low"),
        tool("medium"),
    )
    plan = make_plan(cat, ["slow", "quick", "medium"], staff="medium")
    assert [i.slug for i in plan.phases[0].items] == ["quick", "medium", "slow"]
    assert plan.item("quick").quick_win
    assert plan.item("quick").why.startswith("A quick win")


def test_a_tool_waits_a_phase_for_a_slow_prerequisite_and_the_reason_names_it():
    cat = catalog_of(tool("plan", time="long"), tool("map", builds_on=["plan"]))
    plan = make_plan(cat, ["map", "plan"])
    assert plan.phase_of("plan") == "Now"
    assert plan.phase_of("map") == "Next"
    item = plan.item("map")
    assert item.waits_for == ("plan",)
    assert "Plan" in item.why and "map needs plan" in item.why
    assert [i.slug for i in plan.items] == ["plan", "map"]  # in the order they start


def test_a_quick_prerequisite_lets_the_tool_start_in_the_same_phase_after_it():
    cat = catalog_of(tool("data", time="short", effort="low"), tool("policy", time="short", builds_on=["data"]))
    plan = make_plan(cat, ["policy", "data"])
    assert plan.phase_of("data") == plan.phase_of("policy") == "Now"
    assert [i.slug for i in plan.items] == ["data", "policy"]
    assert "once Data" in plan.item("policy").why


def test_a_prerequisite_in_place_frees_the_tool_and_is_never_planned():
    cat = catalog_of(tool("plan", time="long"), tool("map", builds_on=["plan"]))
    plan = make_plan(cat, ["map", "plan"], have=["plan"])
    assert plan.in_place == ("plan",)
    assert plan.item("plan") is None
    item = plan.item("map")
    assert item.phase == "Now"
    assert item.after_in_place == ("plan",) and not item.waits_for and not item.notes


def test_a_missing_prerequisite_is_named_not_pulled_in():
    cat = catalog_of(tool("plan", time="long"), tool("map", builds_on=["plan"]))
    plan = make_plan(cat, ["map"])
    assert [i.slug for i in plan.items] == ["map"]
    item = plan.item("map")
    assert item.phase == "Now"
    assert item.missing == ("plan",)
    assert item.notes == ("Usually comes after Plan, which is not in your plan or in place: map needs plan.",)


def test_low_staff_capacity_pushes_the_second_high_effort_tool_and_says_so():
    cat = catalog_of(
        tool("heavy-a", effort="high"),
        tool("heavy-b", effort="high"),
        tool("heavy-c", effort="high"),
        tool("light"),
    )
    plan = make_plan(cat, ["heavy-a", "heavy-b", "heavy-c", "light"], staff="low")
    assert [plan.phase_of(s) for s in ("heavy-a", "heavy-b", "heavy-c", "light")] == ["Now", "Next", "Later", "Now"]
    b, c = plan.item("heavy-b"), plan.item("heavy-c")
    assert b.pushed_by_capacity and "low staff capacity" in b.why and "Heavy A already fills Now" in b.why
    assert "moves to Next" in b.why
    assert "fill Now and Next" in c.why and "moves to Later" in c.why
    assert not plan.item("heavy-a").pushed_by_capacity
    high = make_plan(cat, ["heavy-a", "heavy-b", "heavy-c", "light"], staff="high")
    assert all(i.phase == "Now" for i in high.items)


def test_the_rooms_favourite_starts_now_before_a_weaker_tool():
    """The issue's case: the room's top tool (5 of 15 dots) landed in Next while a 2-dot tool
    started Now. With the votes, the favourites take the first places."""
    cat = catalog_of(
        tool("favourite", effort="high", time="long"),
        tool("quick", time="short", effort="low"),
        tool("other-heavy", effort="high"),
        tool("second", effort="medium"),
    )
    slugs = ["quick", "other-heavy", "second", "favourite"]
    without = make_plan(cat, slugs, staff="low")
    assert without.phase_of("favourite") != "Now"
    votes = {"favourite": 5, "quick": 2, "second": 4}
    plan = make_plan(cat, slugs, staff="low", votes=votes)
    assert plan.phase_of("favourite") == "Now" and plan.item("favourite").dots == 5
    assert plan.item("favourite").why.startswith("The room gave it 5 dots, so it starts in the first places.")
    assert plan.phase_of("other-heavy") != "Now", "low staff carries one high-effort tool a phase"
    assert plan.item("favourite").as_dict()["dots"] == 5


def test_a_voted_tool_held_back_by_what_it_builds_on_says_which():
    cat = catalog_of(tool("base", time="long"), tool("voted", builds_on=["base"]))
    plan = make_plan(cat, ["voted", "base"], votes={"voted": 6})
    item = plan.item("voted")
    assert item.phase == "Next"
    assert item.why.startswith("The room gave it 6 dots, but it cannot start Now. Starts Next, after Base")


def test_a_voted_tool_held_back_by_staff_says_so_without_contradicting_itself():
    """'The room gave it 1 dot, but it cannot start Now: it could start Now, but ...' read as a
    contradiction on the projector: the held-back item names staff capacity as what holds it."""
    cat = catalog_of(tool("first", effort="high"), tool("second", effort="high"))
    plan = make_plan(cat, ["first", "second"], staff="low", votes={"first": 3, "second": 1})
    item = plan.item("second")
    assert item.phase == "Next"
    assert item.why.startswith(
        "The room gave it 1 dot, but it cannot start Now. Only staff capacity holds it back from Now: "
        "with low staff capacity you can carry one high-effort tool a phase, and First already fills Now"
    ), item.why
    assert "could start" not in item.why


def test_no_staff_given_means_medium_and_the_plan_says_so():
    cat = catalog_of(*(tool(f"h{i}", effort="high") for i in range(3)))
    plan = make_plan(cat, ["h0", "h1", "h2"])
    assert plan.staff == "medium" and plan.staff_assumed and plan.capacity == 2
    assert plan.capacity_note.startswith("No staff capacity given: planned for medium")
    assert [plan.phase_of(s) for s in ("h0", "h1", "h2")] == ["Now", "Now", "Next"]
    assert "taken as medium" in plan.item("h2").why
    assert plan.as_dict()["staffAssumed"] is True


def test_item_content_first_steps_challenges_indicators():
    t = tool(
        "stream",
        challenges=(ChallengeRef("upfront-funding", "Land costs money."),),
        indicators=("Water Quallity",),  # misspelt: indicator_link forgives it
    )
    plan = make_plan(catalog_of(t), ["stream"])
    d = plan.as_dict()
    item = d["phases"][0]["items"][0]
    assert item["firstSteps"] == [
        "Map the sites that matter.",
        "Meet the county planning commission early.",
        "Adopt it.",
    ]
    assert item["challenges"] == [
        {
            "id": "upfront-funding",
            "name": "Upfront funding",
            "note": "Land costs money.",
            "mitigations": ["Phase the work.", "Seek a grant."],
        }
    ]
    assert item["indicators"] == [
        {"name": "Water Quallity", "link": "https://www.dvrpc.org/tracking-progress/water-quality"}
    ]


def test_as_dict_has_the_issue_shape():
    cat = catalog_of(tool("a"), tool("b", builds_on=["a"]), tool("c"))
    d = make_plan(cat, ["a", "b"], have=["c"]).as_dict()
    assert [p["name"] for p in d["phases"]] == ["Now", "Next", "Later"]
    assert d["inPlace"] == ["c"]
    for phase in d["phases"]:
        for item in phase["items"]:
            assert {"slug", "title", "why", "firstSteps", "challenges", "indicators"} <= set(item)
    json.dumps(d)  # serialisable


def test_unknown_slugs_and_staff_raise():
    cat = catalog_of(tool("a"))
    with pytest.raises(ValueError, match="'nope'"):
        make_plan(cat, ["a", "nope"])
    with pytest.raises(ValueError, match="'gone'"):
        make_plan(cat, ["a"], have=["gone"])
    with pytest.raises(ValueError, match="staff"):
        make_plan(cat, ["a"], staff="huge")


def test_summary_and_tool_page_neighbours():
    cat = catalog_of(
        tool("plan", time="long"), tool("map", builds_on=["plan"]), tool("fees", builds_on=["plan"]), tool("x")
    )
    plan = make_plan(cat, ["map", "plan"], have=["x"])
    assert plan_summary(cat, plan) == (
        "Now (first 12 months): Plan. Next (1-3 years): Map. Later (3 years and more): nothing. Already in place: X."
    )
    assert comes_after(cat, "map") == [("plan", "map needs plan.")]
    assert opens_the_way_to(cat, "plan") == [("fees", "fees needs plan."), ("map", "map needs plan.")]
    assert comes_after(cat, "nope") == [] and opens_the_way_to(cat, "x") == []


def test_first_steps_empty_without_the_section():
    assert first_steps(tool("a", body="## What it is\nText.")) == ()


# --- properties over random catalogs, shortlists and `have` sets -----------------

LEVEL = st.sampled_from(["low", "medium", "high", None])
TIME = st.sampled_from(["short", "medium", "long", None])


@st.composite
def scenarios(draw):
    n = draw(st.integers(2, 9))
    slugs = [f"t{i}" for i in range(n)]
    tools = []
    for i, slug in enumerate(slugs):
        # edges only to earlier tools: the content validator guarantees no cycles
        prereqs = draw(st.lists(st.sampled_from(slugs[:i]), unique=True, max_size=2)) if i else []
        tools.append(tool(slug, cost=draw(LEVEL), effort=draw(LEVEL), time=draw(TIME), builds_on=prereqs))
    shortlist = draw(st.permutations(slugs).map(lambda p: p[: draw(st.integers(1, n))]))
    have = draw(st.lists(st.sampled_from(slugs), unique=True, max_size=n))
    staff = draw(st.sampled_from([None, "low", "medium", "high"]))
    return catalog_of(*tools), list(shortlist), have, staff


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_plan_rules_hold_for_random_shortlists(case):
    cat, shortlist, have, staff = case
    plan = make_plan(cat, shortlist, have=have, staff=staff)
    items = plan.items
    phase = {i.slug: PHASE_NAMES.index(i.phase) for i in items}
    position = {i.slug: n for n, i in enumerate(items)}
    cap = STAFF_CAPACITY[staff or "medium"]
    limit = START_LIMIT[staff or "medium"]

    # in place never planned; everything else planned once
    assert plan.in_place == tuple(have)
    assert not set(phase) & set(have)
    assert sorted(phase) == sorted(set(shortlist) - set(have))
    assert len(items) == len(phase)
    # listed in the order they start
    assert [i.phase for i in items] == sorted((i.phase for i in items), key=PHASE_NAMES.index)

    for item in items:
        t = cat.tools[item.slug]
        # never before a prerequisite in the plan; a slow one takes a phase
        earliest = 0
        for p in t.builds_on_slugs:
            if p in have:
                assert p in item.after_in_place
                continue
            if p not in phase:
                assert p in item.missing and any(cat.title(p) in n for n in item.notes)
                continue
            assert p in item.waits_for
            assert position[p] < position[item.slug]
            need = phase[p] + (0 if cat.tools[p].time_to_results == "short" else 1)
            earliest = max(earliest, min(need, 2))
        assert phase[item.slug] >= earliest
        if phase[item.slug] > earliest:
            # only staff capacity pushes a tool past its earliest phase, and the reason says so:
            # each phase it skipped was full of high-effort tools (for a high-effort tool) or of
            # tools that are not quick wins
            assert item.pushed_by_capacity and not item.quick_win
            assert "staff capacity" in item.why and f"moves to {item.phase}" in item.why
            for skipped in range(earliest, phase[item.slug]):
                high_full = sum(1 for i in items if phase[i.slug] == skipped and i.high_effort) == cap
                starts_full = sum(1 for i in items if phase[i.slug] == skipped and not i.quick_win) == limit
                assert (item.high_effort and high_full) or starts_full
        else:
            assert not item.pushed_by_capacity and "staff capacity" not in item.why

    # capacity in Now and Next
    for n in (0, 1):
        assert sum(1 for i in items if phase[i.slug] == n and i.high_effort) <= cap
        assert sum(1 for i in items if phase[i.slug] == n and not i.quick_win) <= limit
    # deterministic
    assert make_plan(cat, shortlist, have=have, staff=staff) == plan


# --- buildsOn in the loader and validator ----------------------------------------


def write_content(root: Path, pages: dict[str, str]) -> Path:
    (root / "tools").mkdir(parents=True)
    (root / "goals.yaml").write_text("- id: guide-growth\n  name: Guide growth\n", encoding="utf-8")
    (root / "challenges.yaml").write_text(
        "- id: leadership\n  name: Leadership\n  mitigations: [One, Two]\n", encoding="utf-8"
    )
    (root / "indicators.yaml").write_text("Land Consumption: https://www.dvrpc.org/tp/land\n", encoding="utf-8")
    for slug, extra in pages.items():
        (root / "tools" / f"{slug}.md").write_text(
            f'---\nslug: "{slug}"\ntitle: "{slug.title()} Tool"\ngoals: {{guide-growth: 3}}\n{extra}---\n\n{BODY}',
            encoding="utf-8",
        )
    return root


def problems_of(catalog, file: str) -> list[str]:
    return [f"{p.severity} {p.message}" for p in catalog.problems if p.file == f"tools/{file}.md"]


def test_builds_on_loads_with_reason(tmp_path):
    root = write_content(
        tmp_path,
        {"plan": "", "map": 'buildsOn:\n  - slug: plan\n    reason: "The map comes from the plan."\n'},
    )
    cat = load_catalog(root)
    assert cat.tools["map"].builds_on == (BuildsOn("plan", "The map comes from the plan."),)
    assert not [p for p in cat.problems if p.field.startswith("buildsOn")]


def test_builds_on_unknown_slug_is_an_error_with_a_hint_and_dropped(tmp_path):
    root = write_content(
        tmp_path,
        {"plan": "", "map": 'buildsOn:\n  - slug: plann\n    reason: "x"\n  - slug: plan\n    reason: "y"\n'},
    )
    cat = load_catalog(root)
    assert "map" in cat.tools  # the page still loads
    assert cat.tools["map"].builds_on_slugs == ("plan",)
    assert "error unknown tool 'plann' (did you mean 'plan'?); dropped" in problems_of(cat, "map")


def test_builds_on_a_title_suggests_the_slug(tmp_path):
    root = write_content(tmp_path, {"plan": "", "map": 'buildsOn:\n  - slug: "Plan Tool"\n    reason: "x"\n'})
    assert "error unknown tool 'plan tool' (did you mean 'plan'?); dropped" in problems_of(load_catalog(root), "map")


def test_builds_on_itself_is_an_error(tmp_path):
    root = write_content(tmp_path, {"map": 'buildsOn:\n  - slug: map\n    reason: "x"\n'})
    cat = load_catalog(root)
    assert cat.tools["map"].builds_on == ()
    assert "error 'map' cannot build on itself; dropped" in problems_of(cat, "map")


def test_a_cycle_is_named_and_broken(tmp_path):
    root = write_content(
        tmp_path,
        {
            "a": 'buildsOn:\n  - slug: b\n    reason: "x"\n',
            "b": 'buildsOn:\n  - slug: c\n    reason: "x"\n',
            "c": 'buildsOn:\n  - slug: a\n    reason: "x"\n',
        },
    )
    cat = load_catalog(root)
    cycles = [p for p in cat.problems if "cycle" in p.message]
    assert len(cycles) == 1 and cycles[0].severity == "error"
    assert "cycle a -> b -> c -> a" in cycles[0].message
    assert cycles[0].file == "tools/c.md"
    assert cat.tools["c"].builds_on == () and cat.tools["a"].builds_on_slugs == ("b",)
    make_plan(cat, ["a", "b", "c"])  # no cycle left: the plan is made


def test_a_missing_reason_is_an_error_and_the_order_is_kept(tmp_path):
    root = write_content(tmp_path, {"plan": "", "map": "buildsOn:\n  - slug: plan\n  - other\n"})
    cat = load_catalog(root)
    msgs = problems_of(cat, "map")
    assert any(m.startswith("error 'plan' has no reason") for m in msgs)
    assert cat.tools["map"].builds_on_slugs == ("plan",)  # 'other' is unknown and dropped
    assert any("unknown tool 'other'" in m for m in msgs)


def test_builds_on_not_a_list_is_an_error(tmp_path):
    root = write_content(tmp_path, {"plan": "", "map": "buildsOn: plan\n"})
    cat = load_catalog(root)
    assert cat.tools["map"].builds_on == ()
    assert any(m.startswith("error must be a list of items with a slug and a reason") for m in problems_of(cat, "map"))


def test_validate_exits_1_on_a_cycle(tmp_path, capsys):
    root = write_content(
        tmp_path,
        {"a": 'buildsOn:\n  - slug: b\n    reason: "x"\n', "b": 'buildsOn:\n  - slug: a\n    reason: "x"\n'},
    )
    assert main(["validate", str(root)]) == 1
    assert "cycle a -> b -> a" in capsys.readouterr().out


# --- the real catalog --------------------------------------------------------------


def test_real_catalog_builds_on(catalog):
    edges = {(t.slug, b.slug) for t in catalog.tools.values() for b in t.builds_on}
    assert ("officialmap", "multimunicipalcomprehensiveplans") in edges
    assert ("visionzero", "transportationsafetyprograms") in edges
    assert ("stormwaterfees", "stormwatermanagement") in edges
    assert 20 <= len(edges) <= 50  # a few dozen, not every tool
    assert all(b.reason for t in catalog.tools.values() for b in t.builds_on)
    assert not [p for p in catalog.problems if p.field.startswith("buildsOn")]


# --- python -m logic plan -------------------------------------------------------------


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def small_content(tmp_path) -> Path:
    return write_content(
        tmp_path,
        {
            "plan": "timeToResults: long\nstaffEffort: medium\ntrackingProgressLinks: [Land Consumption]\n",
            "map": 'timeToResults: medium\nbuildsOn:\n  - slug: plan\n    reason: "The map comes from the plan."\n',
            "heavy": "staffEffort: high\ntimeToResults: medium\n",
            "bulky": "staffEffort: high\ntimeToResults: medium\n",
        },
    )


def test_cli_plan_json_contents(capsys, small_content):
    code, out, _ = run_cli(
        capsys,
        "plan",
        "--tools",
        "map,heavy",
        "--tools",
        "bulky,plan",
        "--staff",
        "low",
        "--content",
        str(small_content),
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    phases = {p["name"]: [i["slug"] for i in p["items"]] for p in data["phases"]}
    assert phases == {"Now": ["plan", "heavy"], "Next": ["map", "bulky"], "Later": []}
    assert data["inPlace"] == []
    items = {i["slug"]: i for p in data["phases"] for i in p["items"]}
    assert "moves to Next" in items["bulky"]["why"] and "low staff capacity" in items["bulky"]["why"]
    assert items["plan"]["indicators"] == [{"name": "Land Consumption", "link": "https://www.dvrpc.org/tp/land"}]
    assert items["plan"]["firstSteps"][2] == "Adopt it."
    assert items["map"]["buildsOn"] == ["plan"] and items["map"]["waitsFor"] == ["plan"]


def test_cli_plan_have_frees_the_prerequisite_and_is_listed_in_place(capsys, small_content):
    code, out, _ = run_cli(
        capsys, "plan", "--tools", "map,plan", "--have", "plan", "--content", str(small_content), "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["inPlace"] == ["plan"]
    assert [[i["slug"] for i in p["items"]] for p in data["phases"]] == [["map"], [], []]
    assert data["staffAssumed"] is True and data["highEffortPerPhase"] == 2


def test_cli_plan_text(capsys, small_content):
    code, out, _ = run_cli(capsys, "plan", "--tools", "map,plan", "--content", str(small_content))
    assert code == 0
    assert out.startswith("No staff capacity given: planned for medium")
    assert out.index("NOW (first 12 months)") < out.index("1. Plan Tool") < out.index("NEXT (1-3 years)")
    assert out.index("NEXT (1-3 years)") < out.index("1. Map Tool") < out.index("LATER (3 years and more)")
    assert "Watch: Land Consumption <https://www.dvrpc.org/tp/land>" in out


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--tools", "map,nope"], "'nope'"),
        (
            ["--tools", "map", "--have", "plann"],
            "unknown tool 'plann' (did you mean 'plan'?); valid: bulky, heavy, map, plan",
        ),
        (["--tools", "map", "--staff", "lots"], "'lots'"),
        (["--goal", "no-such-goal"], "'no-such-goal'"),
        ([], "--tools"),
    ],
)
def test_cli_plan_bad_arguments_exit_2_naming_them(capsys, small_content, argv, named):
    code, out, err = run_cli(capsys, "plan", *argv, "--content", str(small_content), "--json")
    assert code == 2
    assert named in err and out == ""


def test_cli_plan_defaults_to_the_package_without_the_tools_in_place(capsys, catalog):
    from logic.package import balanced_package
    from logic.profile import Profile

    first = balanced_package(catalog, Profile(goals={"reduce-flood-risk": 3}, staff="low")).slugs[0]
    # with the first tool in place, the package is made around it (it covers its goals already)
    package = balanced_package(catalog, Profile(goals={"reduce-flood-risk": 3}, staff="low", have={first}))
    assert first not in package.slugs and package.in_place == (first,)
    assert len(package.slugs) >= 3
    code, out, _ = run_cli(capsys, "plan", "--goal", "reduce-flood-risk:3", "--staff", "low", "--have", first, "--json")
    assert code == 0
    data = json.loads(out)
    planned = [i["slug"] for p in data["phases"] for i in p["items"]]
    assert sorted(planned) == sorted(package.slugs)
    assert data["inPlace"] == [first]
    for phase in data["phases"][:2]:
        assert sum(1 for i in phase["items"] if catalog.tools[i["slug"]].staff_effort == "high") <= 1


def test_cli_catalog_json_has_builds_on(capsys):
    code, out, _ = run_cli(capsys, "catalog", "--json")
    assert code == 0
    records = {r["slug"]: r for r in json.loads(out)}
    assert records["officialmap"]["buildsOn"] == ["multimunicipalcomprehensiveplans"]
    assert records["multimunicipalcomprehensiveplans"]["buildsOn"] == []
