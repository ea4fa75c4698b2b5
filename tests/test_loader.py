"""The loader and validator: the real catalog, the seed page, every kind of broken page."""

from __future__ import annotations

import os
import re
import shutil
import time

import pytest
import yaml

from logic import content_signature, load_catalog
from logic.content.links import NameResolver
from logic.content.yaml_safe import split_front_matter
from logic.profile import Profile
from logic.rules import recommend
from support import CONTENT, FIXTURE, SEED, need


def problems_for(catalog, file, severity=None):
    return [p for p in catalog.problems if p.file == file and (severity is None or p.severity == severity)]


def test_real_catalog_loads_every_toolbox_tool_without_errors_or_warnings(catalog, facts):
    """The one test that counts the real catalog: the toolbox's facts say how many."""
    assert len(catalog.tools) == len(facts["tools"])
    assert [p.line() for p in catalog.problems if p.severity != "info"] == []
    assert len(catalog.indicators) == len(facts["trackingProgressIndicators"])
    for name, loaded in (("goals.yaml", catalog.goals), ("challenges.yaml", catalog.challenges)):
        listed = yaml.safe_load((CONTENT / name).read_text(encoding="utf-8"))
        assert list(loaded) == [item["id"] for item in listed], name


def test_the_test_catalog_loads_cleanly(small_catalog):
    # no error or warning; its short bodies are noted (info), as its README says
    assert [p.line() for p in small_catalog.problems if p.severity != "info"] == []
    assert len(small_catalog.tools) == len(list((FIXTURE / "tools").glob("*.md")))


def test_every_own_page_is_graded_in_full_as_validate_requires(catalog):
    """The rules are validate's (logic/content/tool_page.py); the real content passing them
    is `test_the_real_content_loads_without_a_problem`. Here: every page is a graded one."""
    for tool in catalog.tools.values():
        assert tool.goals and tool.cost and tool.time_to_results, tool.slug


@pytest.mark.parametrize(
    "change,field,words",
    [
        (lambda t: t.replace("cost: low\n", ""), "cost", "a graded page needs cost"),
        (lambda t: t.replace("## How to get started", "## Getting going"), "body", "no ## How to get started"),
        (
            lambda t: t.replace("## What it is\n", "## What it is\n" + "More words here. " * 150),
            "body",
            "words; a page reads best",
        ),
        (
            lambda t: t.replace("goals: {", "goals: {walk-bike: 1, clean-air: 1, all-ages: 1, guide-growth: 1, "),
            "goals",
            "grade at most",
        ),
    ],
    ids=["a-rating-missing", "a-section-missing", "too-long", "too-many-goals"],
)
def test_validate_holds_the_content_rules(content_copy, change, field, words):
    page = content_copy / "tools" / "accessmanagement.md"
    page.write_text(change(page.read_text(encoding="utf-8")), encoding="utf-8")
    found = [
        p
        for p in load_catalog(content_copy).problems
        if p.file == "tools/accessmanagement.md" and p.severity == "warning"
    ]
    assert any(p.field == field and words in p.message for p in found), [p.line() for p in found]


def test_the_content_readme_states_the_rules_validate_holds():
    from logic.content.tool_page import BODY_SECTIONS, BODY_WORDS, GRADED_KEYS, MAX_GOALS
    from support import ROOT

    readme = " ".join((ROOT / "content" / "README.md").read_text(encoding="utf-8").split())
    assert f"grade at most {MAX_GOALS} goals" in readme
    assert f"{BODY_WORDS[0]} to {BODY_WORDS[1]} words" in readme
    assert all(f"## {s}" in readme for s in BODY_SECTIONS)
    assert all(f"`{k}`" in readme for k in GRADED_KEYS)


def test_every_challenge_has_two_to_four_mitigations_and_real_enablers(catalog):
    for ch in catalog.challenges.values():
        assert 2 <= len(ch.mitigations) <= 4, ch.id
        assert all(s in catalog.tools for s in ch.enablers), ch.id


def test_trid_is_pennsylvania_only(catalog):
    assert catalog.tools["transitrevitalizationinvestmentdistricttrid"].states == ("PA",)


def test_related_tools_are_shown_both_ways(catalog):
    for slug, tool in catalog.tools.items():
        for other in tool.related:
            assert slug in catalog.related(other), (slug, other)
            assert other in catalog.related(slug)
        assert slug not in catalog.related(slug)


def test_one_way_related_links_are_reported_as_info(catalog):
    infos = [p for p in catalog.problems if p.severity == "info" and p.field == "seeOther"]
    assert infos, "the toolbox has one-way related links; each should be reported"
    for p in infos:
        assert "does not list" in p.message


def test_the_seed_page_loads_as_it_is_with_warnings_only(catalog, content_copy):
    shutil.copy(need(SEED), content_copy / "tools" / "iotandsmartcommunities.md")
    cat = load_catalog(content_copy)
    assert cat.errors == []
    iot = cat.tools["iotandsmartcommunities"]
    assert iot.title == "IoT and Smart Communities"
    assert iot.goals == () and iot.challenges == () and iot.cost is None
    assert iot.related == (
        "broadbanduniversalaccess",
        "wirelesscommunicationsfacilitiesordinances5g",
        "connectedandautomatedvehiclepreparations",
    )
    warnings = problems_for(cat, "tools/iotandsmartcommunities.md", "warning")
    assert len([w for w in warnings if w.field == "seeOther"]) == 3
    assert len(iot.resources) == 2 and len(iot.who_has_used) == 2
    assert len(cat.tools) == len(catalog.tools)  # it replaced our own page of the same name


def test_seed_page_passes_the_validate_command(content_copy, logic_cli):
    shutil.copy(need(SEED), content_copy / "tools" / "iotandsmartcommunities.md")
    out = logic_cli("validate", content_copy)
    assert out.returncode == 0, out.stdout
    assert "Broadband Univeral Access" in out.stdout and "warning" in out.stdout


GOOD = """---
slug: "{slug}"
title: "{title}"
focusAreas: [Environment]
principles: [Equity]
seeOther: []
resources:
  - label: "A link"
    link: "https://example.org/"
goals: [protect-water]
challenges: [upfront-funding]
cost: low
staffEffort: low
timeToResults: short
toolType: program
---

## What it is
A page used by the tests.
"""


def write(root, name, text):
    (root / "tools" / name).write_text(text, encoding="utf-8")


BROKEN = [
    ("bad-yaml.md", "---\ntitle: [unclosed\n---\nbody\n", "front matter", "YAML error"),
    ("no-front.md", "Just a body, no front matter.\n", "front matter", "no front matter"),
    ("no-title.md", "---\nslug: no-title\n---\nbody\n", "title", "missing"),
    ("not-a-map.md", "---\n- a\n- b\n---\nbody\n", "front matter", "mapping"),
]


@pytest.mark.parametrize("name,text,field,words", BROKEN)
def test_a_page_that_cannot_be_used_is_named_and_skipped_while_the_rest_load(
    catalog, content_copy, name, text, field, words
):
    write(content_copy, name, text)
    cat = load_catalog(content_copy)
    found = problems_for(cat, f"tools/{name}", "error")
    assert any(p.field == field and words in p.message for p in found), [p.line() for p in found]
    assert len(cat.tools) == len(catalog.tools)


REPAIRED = [
    (
        "focusAreas: [Environment]",
        "focusAreas: [Enviroment]",
        "focusAreas",
        "unknown focus area 'Enviroment'",
        "focus_areas",
        (),
    ),
    ("principles: [Equity]", "principles: [Fairness]", "principles", "unknown principle", "principles", ()),
    ("goals: [protect-water]", "goals: [clean-water]", "goals", "unknown goal 'clean-water'", "goals", ()),
    (
        "challenges: [upfront-funding]",
        "challenges: [money]",
        "challenges[0]",
        "unknown challenge 'money'",
        "challenges",
        (),
    ),
    ("cost: low", "cost: cheap", "cost", "is not one of low, medium, high", "cost", None),
    ("focusAreas: [Environment]", "focusAreas: Environment", "focusAreas", "must be a list", "focus_areas", ()),
    (
        'link: "https://example.org/"',
        'link: "javascript:alert(1)"',
        "resources[0].link",
        "not an http(s) or mailto",
        "resources",
        (),
    ),
    (
        'link: "https://example.org/"',
        'link: "ftp://example.org/x"',
        "resources[0].link",
        "not an http(s) or mailto",
        "resources",
        (),
    ),
]


@pytest.mark.parametrize("old,new,field,message,attr,expected", REPAIRED)
def test_a_bad_value_is_reported_by_file_and_field_and_dropped(
    catalog, content_copy, old, new, field, message, attr, expected
):
    write(content_copy, "zz-test.md", GOOD.format(slug="zz-test", title="ZZ Test").replace(old, new))
    cat = load_catalog(content_copy)
    errors = problems_for(cat, "tools/zz-test.md", "error")
    assert any(p.field == field and message in p.message for p in errors), [p.line() for p in errors]
    assert getattr(cat.tools["zz-test"], attr) == expected
    assert len(cat.tools) == len(catalog.tools) + 1


def test_duplicate_slug_keeps_the_first_and_names_the_second(content_copy):
    write(content_copy, "zz-dupe.md", GOOD.format(slug="floodplainordinances", title="Another floodplain"))
    cat = load_catalog(content_copy)
    errors = problems_for(cat, "tools/zz-dupe.md", "error")
    assert any(p.field == "slug" and "duplicate slug" in p.message for p in errors)
    assert cat.tools["floodplainordinances"].title == "Floodplain Ordinances"


def test_an_unresolvable_related_tool_is_an_error_that_names_it(content_copy):
    write(
        content_copy,
        "zz-test.md",
        GOOD.format(slug="zz-test", title="ZZ").replace("seeOther: []", "seeOther: [Moon Base Zoning]"),
    )
    cat = load_catalog(content_copy)
    assert any("Moon Base Zoning" in p.message for p in problems_for(cat, "tools/zz-test.md", "error"))
    assert cat.tools["zz-test"].related == ()


def test_a_tool_listing_itself_is_warned_and_ignored(content_copy):
    write(
        content_copy,
        "zz-test.md",
        GOOD.format(slug="zz-test", title="ZZ Self").replace("seeOther: []", "seeOther: [ZZ Self, Vision Zero]"),
    )
    cat = load_catalog(content_copy)
    assert cat.tools["zz-test"].related == ("visionzero",)
    assert any("lists itself" in p.message for p in problems_for(cat, "tools/zz-test.md", "warning"))


def test_html_in_the_body_is_flagged_and_kept_as_text(content_copy):
    write(content_copy, "zz-test.md", GOOD.format(slug="zz-test", title="ZZ") + "\n<script>alert(1)</script>\n")
    cat = load_catalog(content_copy)
    assert any(p.field == "body" for p in problems_for(cat, "tools/zz-test.md", "warning"))
    assert "<script>" in cat.tools["zz-test"].body


def test_unknown_keys_and_misspelled_indicators_are_warnings(content_copy):
    text = GOOD.format(slug="zz-test", title="ZZ").replace(
        "cost: low", "cost: low\nfocusArea: [Economy]\ntrackingProgressLinks: [Tranportation Safety]"
    )
    write(content_copy, "zz-test.md", text)
    cat = load_catalog(content_copy)
    warnings = problems_for(cat, "tools/zz-test.md", "warning")
    assert any(p.field == "focusArea" and "focusAreas" in p.message for p in warnings)
    assert any(p.field == "trackingProgressLinks" and "Transportation Safety" in p.message for p in warnings)


def test_missing_or_broken_yaml_files_are_reported_and_tools_still_load(catalog, content_copy):
    (content_copy / "challenges.yaml").write_text("- id: [broken\n", encoding="utf-8")
    (content_copy / "goals.yaml").unlink()
    cat = load_catalog(content_copy)
    assert any(p.file == "challenges.yaml" and p.severity == "error" for p in cat.problems)
    assert any(p.file == "goals.yaml" and "missing" in p.message for p in cat.problems)
    assert len(cat.tools) == len(catalog.tools)


def test_a_missing_content_folder_is_one_clear_error(tmp_path):
    cat = load_catalog(tmp_path / "nowhere")
    assert cat.tools == {} and len(cat.errors) == 1 and "not found" in cat.errors[0].message


def test_signature_changes_when_a_file_changes(content_copy):
    before = content_signature(content_copy)
    path = content_copy / "tools" / "visionzero.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))
    assert content_signature(content_copy) != before


def test_name_resolution_order(catalog):
    r = NameResolver(catalog.tools.values())
    assert r.resolve("Vision Zero") == ("visionzero", "exact")
    assert r.resolve("visionzero") == ("visionzero", "slug")
    assert r.resolve("vision  ZERO!") == ("visionzero", "normalised")
    assert r.resolve("Connected & Automated Vehicle Preparations")[1] == "normalised"
    assert r.resolve("Broadband Univeral Access") == ("broadbanduniversalaccess", "close")
    assert r.resolve("Completely Unrelated Words") == (None, "none")


def test_front_matter_split_handles_crlf_and_dashes_in_values():
    assert split_front_matter("---\r\na: 1\r\n---\r\nbody") == ("a: 1", "body")
    fm, body = split_front_matter('---\nlink: "https://x.org/a---b"\n---\nbody --- text')
    assert "a---b" in fm and body == "body --- text"
    assert split_front_matter("no front matter") is None


# --- hardening: symlinks, YAML alias bombs, duplicate slugs and keys, size limits ---


def test_looping_and_dangling_symlinks_are_named_and_skipped_and_the_signature_survives(catalog, content_copy):
    tools = content_copy / "tools"
    (tools / "loop.md").symlink_to("loop.md")
    (tools / "ping.md").symlink_to("pong.md")
    (tools / "pong.md").symlink_to("ping.md")
    (tools / "dangling.md").symlink_to("gone.md")
    (tools / "folder.md").mkdir()
    before = content_signature(content_copy)  # the app calls this on every rerun
    assert ("tools/loop.md", "unreadable", 40) in before
    cat = load_catalog(content_copy)
    assert len(cat.tools) == len(catalog.tools)
    errors = {p.file: p.message for p in cat.errors}
    for name in ("loop.md", "ping.md", "pong.md"):
        assert errors[f"tools/{name}"] == "is a symbolic link that loops; skipped"
    assert errors["tools/dangling.md"] == "is a symbolic link that points to a missing file; skipped"
    assert errors["tools/folder.md"] == "is not a regular file; skipped"
    (tools / "dangling.md").unlink()
    assert content_signature(content_copy) != before


def test_a_dangling_yaml_file_is_named_not_called_missing(catalog, content_copy):
    (content_copy / "goals.yaml").unlink()
    (content_copy / "goals.yaml").symlink_to("nowhere.yaml")
    cat = load_catalog(content_copy)
    assert [p.message for p in cat.errors if p.file == "goals.yaml"] == [
        "is a symbolic link that points to a missing file; skipped"
    ]
    assert len(cat.tools) == len(catalog.tools)


def bomb(size: int, levels: int, key: str = "seeOther") -> str:
    """A 'billion laughs' front matter of exactly `size` bytes: 9**levels strings."""
    lines = ["---", "title: Bomb", "slug: bomb", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]")
    lines.append(f"{key}: *a{levels - 1}")
    text = "\n".join(lines) + "\n---\nbody\n"
    pad = size - len(text.encode()) - 2
    assert pad >= 0, len(text)
    return text.replace("---\nbody", "#" + " " * pad + "\n---\nbody", 1)


@pytest.mark.parametrize("size,levels,key", [(448, 6, "seeOther"), (524, 7, "focusAreas")])
def test_a_yaml_alias_bomb_is_refused_quickly_with_a_short_message(catalog, content_copy, size, levels, key):
    import resource
    import subprocess
    import sys

    from support import ROOT

    text = bomb(size, levels, key)
    assert len(text.encode()) == size
    write(content_copy, "bomb.md", text)

    def limit_memory():  # the old loader took 1.5 GB on the 524-byte bomb
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "logic", "validate", str(content_copy)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit_memory,
    )
    elapsed = time.monotonic() - started
    assert elapsed < 10, elapsed
    assert len(out.stdout) < 5_000, len(out.stdout)
    lines = [line for line in out.stdout.splitlines() if "tools/bomb.md" in line]
    assert len(lines) == 1 and "anchors and aliases" in lines[0] and "line 4" in lines[0], lines
    assert f"{len(catalog.tools)} tools loaded" in out.stdout


@pytest.mark.parametrize(
    "file,addition",
    [
        ("goals.yaml", "- id: bomb\n  name: Bomb\n  description: &a [x, x]\n  group: *a\n"),
        ("challenges.yaml", "- id: bomb\n  name: Bomb\n  mitigations: [&m x, *m]\n"),
        ("indicators.yaml", "bomb: &b https://example.org/\nother: *b\n"),
    ],
)
def test_anchors_and_aliases_are_refused_in_the_yaml_files_too(catalog, content_copy, file, addition):
    path = content_copy / file
    path.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")
    cat = load_catalog(content_copy)
    errors = [p for p in cat.errors if p.file == file]
    assert len(errors) == 1 and "anchors and aliases" in errors[0].message, errors
    assert len(cat.tools) == len(catalog.tools)


def test_every_problem_message_is_capped_and_a_file_gives_at_most_fifty(content_copy):
    huge = "x" * 50_000
    items = "\n".join(f"  - {{label: a, link: 'javascript:{i}'}}" for i in range(200))
    text = GOOD.format(slug="zz-test", title="ZZ").replace(
        "cost: low", f"cost: {huge}\n{huge[:600]}: 1\nresources:\n{items}"
    )
    text = text.replace('resources:\n  - label: "A link"\n    link: "https://example.org/"\n', "", 1)
    write(content_copy, "zz-test.md", text)
    cat = load_catalog(content_copy)
    mine = problems_for(cat, "tools/zz-test.md")
    assert max(len(p.message) for p in mine) <= 400 and max(len(p.field) for p in mine) <= 100
    assert any(p.field == "cost" and "more characters" in p.message for p in mine)
    assert len(mine) == 51 and mine[-1].severity == "info"
    assert mine[-1].message.endswith("more problems not shown") and int(mine[-1].message.split()[0]) >= 151


def test_a_new_file_cannot_take_over_a_slug_and_the_newcomer_is_named(content_copy):
    write(content_copy, "aaa-takeover.md", GOOD.format(slug="floodplainordinances", title="Takeover"))
    cat = load_catalog(content_copy)
    assert cat.tools["floodplainordinances"].title == "Floodplain Ordinances"
    errors = [p for p in cat.errors if "duplicate slug" in p.message]
    assert [(p.file, p.field) for p in errors] == [("tools/aaa-takeover.md", "slug")]
    assert "tools/floodplainordinances.md keeps it (its file name is the slug)" in errors[0].message


def test_without_a_file_named_after_the_slug_the_file_that_sorts_first_keeps_it(content_copy):
    write(content_copy, "zz-b.md", GOOD.format(slug="zz-shared", title="ZZ B"))
    write(content_copy, "zz-a.md", GOOD.format(slug="zz-shared", title="ZZ A"))
    cat = load_catalog(content_copy)
    assert cat.tools["zz-shared"].title == "ZZ A"
    (error,) = [p for p in cat.errors if "duplicate slug" in p.message]
    assert error.file == "tools/zz-b.md" and "tools/zz-a.md keeps it (its file name sorts first)" in error.message


def test_duplicate_yaml_keys_are_warnings_that_name_the_key_and_line(content_copy):
    text = GOOD.format(slug="zz-test", title="ZZ").replace("cost: low", "cost: low\ncost: high")
    write(content_copy, "zz-test.md", text)
    path = content_copy / "challenges.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- id: zz\n  name: A\n  name: B\n", encoding="utf-8")
    cat = load_catalog(content_copy)
    (warning,) = [p for p in problems_for(cat, "tools/zz-test.md", "warning") if "twice" in p.message]
    line = text.splitlines().index("cost: high") + 1
    assert warning.field == "cost" and f"again at line {line}" in warning.message and "last value" in warning.message
    assert cat.tools["zz-test"].cost == "high"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert any(
        p.field == "name" and f"again at line {len(lines)}" in p.message for p in problems_for(cat, "challenges.yaml")
    )


def test_challenges_and_goals_problems_name_the_item(content_copy):
    path = content_copy / "challenges.yaml"
    text = path.read_text(encoding="utf-8")
    text += (
        "- id: leadership\n  name: Again\n- name: No id here\n- id: zz-new\n  name: New\n  mitigations: [{a: 1}, b]\n"
        "  money: yes please\n"
    )
    path.write_text(text, encoding="utf-8")
    goals = content_copy / "goals.yaml"
    goals.write_text(goals.read_text(encoding="utf-8") + "- id: clean-air\n  name: Twice\n", encoding="utf-8")
    cat = load_catalog(content_copy)
    found = {(p.file, p.field): p.message for p in cat.problems}
    assert "duplicate id 'leadership' (items 1 and 15)" in found[("challenges.yaml", "leadership.id")]
    assert found[("challenges.yaml", "item 16")].startswith("has no id (name 'No id here')")
    assert found[("challenges.yaml", "zz-new.mitigations[0]")] == "must be text, got dict"
    assert found[("challenges.yaml", "zz-new.mitigations")] == "has 1; give 2 to 4"
    assert found[("challenges.yaml", "zz-new.money")] == "must be true or false, not 'yes please'; read as false"
    assert cat.challenges["zz-new"].money is False and cat.challenges["upfront-funding"].money is True
    assert "duplicate id 'clean-air'" in found[("goals.yaml", "clean-air.id")]


def test_a_page_over_the_size_limit_is_refused_with_the_file_and_the_limit(content_copy):
    text = GOOD.format(slug="zz-big", title="ZZ Big") + ("A long line of body text. " * 40 + "\n") * 260
    write(content_copy, "zz-big.md", text)
    started = time.monotonic()
    cat = load_catalog(content_copy)
    assert time.monotonic() - started < 5
    assert "zz-big" not in cat.tools
    (error,) = problems_for(cat, "tools/zz-big.md", "error")
    assert error.message == f"is {len(text.encode()) // 1024} KB, over the limit of 256 KB for a content file; skipped"
    write(content_copy, "zz-big.md", GOOD.format(slug="zz-big", title="ZZ Big") + "x" * (200 * 1024))
    assert "zz-big" in load_catalog(content_copy).tools


# --- goal groups have ids (widget keys come from them, not from the display text) ---


def test_a_goal_group_id_is_a_slug_of_its_name_and_spellings_of_one_group_merge(content_copy):
    from logic.content.lists import group_id

    assert group_id("Environment and climate") == "environment-and-climate"
    assert group_id("Places & growth") == group_id("places and growth!") == "places-and-growth"
    assert group_id("Économie") == "economie" and group_id("???") == "group"
    path = content_copy / "goals.yaml"
    before, _, after = path.read_text(encoding="utf-8").rpartition("group: Getting around")
    path.write_text(before + "group: Getting Around!" + after, encoding="utf-8")  # the group's last goal
    cat = load_catalog(content_copy)
    first = next(g for g in cat.goals.values() if g.group_id == "getting-around")
    assert {g.group for g in cat.goals.values() if g.group_id == "getting-around"} == {first.group}
    (warning,) = [p for p in cat.problems if p.file == "goals.yaml" and p.field.endswith(".group")]
    assert warning.severity == "warning" and "read as one group" in warning.message


def test_recent_signature_looks_again_after_its_interval(content_copy):
    from logic.content.files import recent_signature

    first = recent_signature(content_copy, max_age=60)
    page = content_copy / "tools" / "visionzero.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert recent_signature(content_copy, max_age=60) == first  # within the interval: not looked at again
    assert recent_signature(content_copy, max_age=0) != first  # looked at again: the edit shows


@pytest.mark.parametrize("workers", [2, 3])
def test_a_catalog_parsed_in_several_processes_is_the_one_parsed_in_one(monkeypatch, tmp_path, workers):
    """The command line parses a large catalog in several processes (this one parsing a
    share itself): the same tools in the same order, and the same problems, good pages and
    broken ones alike."""
    from logic.content import load as loader

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "tools" / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    (content / "tools" / "zz-no-goals.md").write_text(
        (CONTENT / "tools" / "visionzero.md").read_text(encoding="utf-8").replace("slug: visionzero", "slug: zz"),
        encoding="utf-8",
    )
    one = load_catalog(content)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 10)  # the real threshold is 2,000 pages
    several = load_catalog(content, workers=workers)
    assert list(several.tools) == list(one.tools) and len(one.tools) >= 75
    assert [several.tools[s] for s in several.tools] == [one.tools[s] for s in one.tools]
    assert [p.line() for p in several.problems] == [p.line() for p in one.problems]
    assert any(p.file == "tools/broken.md" and p.severity == "error" for p in several.problems)


def test_the_content_readme_documents_every_key_a_tool_page_may_have():
    """content/README.md is where an editor learns the keys: each one the loader accepts,
    including a registered kind's own key (ConstraintKind.tool_key), is written there."""
    from logic.content.tool_page import known_keys
    from support import ROOT

    readme = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    missing = [k for k in known_keys() if f"{k}:" not in readme and f"`{k}`" not in readme]
    assert missing == [], f"content/README.md does not document {missing}"


@pytest.mark.parametrize(
    "exemplar,severity,words",
    [("", "warning", "missing"), ("visionzeroo", "error", "not a tool"), ("sharedservices", "warning", "not graded 3")],
    ids=["missing", "unknown", "not-made-for"],
)
def test_validate_checks_each_goals_exemplar(content_copy, exemplar, severity, words):
    path = content_copy / "goals.yaml"
    line = f"  exemplar: {exemplar}" if exemplar else "  exemplar:"
    path.write_text(path.read_text(encoding="utf-8").replace("  exemplar: visionzero", line), encoding="utf-8")
    found = [p for p in load_catalog(content_copy).problems if p.field == "safer-streets.exemplar"]
    assert [p.severity for p in found] == [severity] and words in found[0].message, [p.line() for p in found]


@pytest.mark.parametrize(
    "safer,flood,words",
    [
        ("[safety, kids]", None, "'kids' also names all-ages, so it names no goal"),
        ("[safety, ' - ']", None, "'-' has no words"),
        ("[safety]", "[safety]", "'safety' also names reduce-flood-risk"),
        ("safety", None, "must be a list"),
    ],
    ids=["another-goals-phrase", "no-words", "two-goals-say-it", "not-a-list"],
)
def test_validate_names_an_also_called_phrase_that_names_no_goal_alone(content_copy, safer, flood, words):
    """A goal's alsoCalled phrase must name it alone: one another goal also lists, or with no
    words, is named by file and field; the goal still loads, and a search for it offers nothing."""
    path = content_copy / "goals.yaml"
    text = re.sub(
        r"(- id: safer-streets\n(?:  .*\n)*?)  alsoCalled: .*\n", rf"\1  alsoCalled: {safer}\n", path.read_text()
    )
    if flood:
        text = re.sub(r"(- id: reduce-flood-risk\n(?:  .*\n)*?)  alsoCalled: .*\n", rf"\1  alsoCalled: {flood}\n", text)
    path.write_text(text, encoding="utf-8")
    cat = load_catalog(content_copy)
    found = [p.line() for p in cat.problems if p.field == "safer-streets.alsoCalled"]
    assert len(found) == 1 and words in found[0] and "goals.yaml" in found[0], found
    assert "safer-streets" in cat.goals


def test_a_go_to_entry_is_read_as_a_slug_however_it_is_written(content_copy):
    """goTo entries go through the same slug rule as everywhere else: case and slashes do not
    matter, so an editor who writes "/TransportationSafetyPrograms/" loses nothing."""
    path = content_copy / "goals.yaml"
    text = re.sub(
        r"(- id: safer-streets\n(?:  .*\n)*?)  goTo: .*\n",
        r"\1  goTo: [/TransportationSafetyPrograms/, AccessManagement]\n",
        path.read_text(),
    )
    path.write_text(text, encoding="utf-8")
    cat = load_catalog(content_copy)
    assert cat.goals["safer-streets"].go_to == ("transportationsafetyprograms", "accessmanagement")
    assert not [p for p in cat.problems if p.field == "safer-streets.goTo"]


@pytest.mark.parametrize(
    "go_to,kept,words",
    [
        ("[visionzeroo, accessmanagement]", ("accessmanagement",), "'visionzeroo' is not a tool (did you mean"),
        ("[cleanenergysupply, visionzero]", ("visionzero",), "'cleanenergysupply' is graded 0 for safer-streets"),
        (
            "[visionzero, completestreets, accessmanagement, sidewalkstandardsandmanagement]",
            ("visionzero", "completestreets", "accessmanagement"),
            "'sidewalkstandardsandmanagement' is past the first 3; not used",
        ),
        ("visionzero", (), "must be a list"),
    ],
    ids=["unknown", "not-serving-it-well", "more-than-three", "not-a-list"],
)
def test_validate_names_a_go_to_tool_that_does_not_count(content_copy, go_to, kept, words):
    """A goal's goTo lists the few tools planners reach for first, each graded 2 or 3 for it:
    an entry that is not a tool, serves the goal less or comes past the third is named
    by file and field and not used; the goal and the others still load, and the ranking gives a
    head start to the ones kept only."""
    path = content_copy / "goals.yaml"
    text = re.sub(r"(- id: safer-streets\n(?:  .*\n)*?)  goTo: .*\n", rf"\1  goTo: {go_to}\n", path.read_text())
    path.write_text(text, encoding="utf-8")
    cat = load_catalog(content_copy)
    found = [p.line() for p in cat.problems if p.field == "safer-streets.goTo"]
    assert len(found) == 1 and words in found[0] and "goals.yaml" in found[0], found
    assert cat.goals["safer-streets"].go_to == kept
    assert len(cat.tools) == 75
    led = [r for r in recommend(cat, Profile(goals={"safer-streets": 3})) if r.recommended]
    assert {r.slug for r in led if r.go_to_for} == set(kept)
