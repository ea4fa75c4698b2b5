"""Every sentence /find, the brief and the CLI generate, read aloud for a few towns: the
card headline, why-below, flags, what-if, the package, the plan and the coverage line say
what a planner would say. Goal names are quoted as written, never lower-cased mid-sentence
("for reduce flooding"); no "(made for)" tails; no "Ignoring state law (Pennsylvania)"."""

from __future__ import annotations

import io
import re
import tokenize

import pytest

from logic import load_catalog
from logic.coverage import coverage, coverage_sentence
from logic.export import handout_markdown
from logic.package import balanced_package
from logic.plan import make_plan, plan_summary
from logic.profile import Profile
from logic.rules import rank
from logic.scoring import goal_weights
from logic.taxonomy import STRENGTH_VALUE
from logic.what_if import what_if
from support import CONTENT

CAT = load_catalog(CONTENT)
FLOOD, FARM = "reduce-flood-risk", "conserve-land"
TOWNS = {
    "rural PA workshop": Profile(
        goals={FLOOD: 3, FARM: 2}, state="PA", setting="rural", staff="low", budget="low", horizon="short"
    ),
    "NJ borough": Profile(
        goals={"housing-choice": 3, "revitalize-centers": 3},
        state="NJ",
        setting="suburban",
        face=frozenset({"public-opposition", "upfront-funding"}),
        have=frozenset({"completestreets"}),
    ),
    "one goal": Profile(goals={"walk-bike": 3}, budget="medium", staff="medium", horizon="short"),
    "three goals": Profile(goals={"walk-bike": 3, "safer-streets": 3, "local-food": 1}, setting="urban"),
}
# a Camden heat town short of money and staff, facing four challenges (tests below read its cards)
HEAT_TOWN = Profile(
    goals={"cool-communities": 3, "engage-residents": 2},
    state="NJ",
    setting="urban",
    budget="low",
    staff="low",
    horizon="short",
    face=frozenset({"ongoing-costs", "upfront-funding", "staff-skills", "cross-boundary"}),
)
AWKWARD = [
    "(made for",  # "the strongest available tool for ... (made for)"
    "(made for it)",
    "Ignoring",  # "Ignoring state law (Pennsylvania)": not an option a town has
    "instead of",  # "A bigger budget (instead of low)", "(instead of short)": raw values
    "a main effect on",  # a tool is not an effect
    "a side benefit for",
    "is also a side benefit",
    "(For this tool:",
    "of your 1 goals",
    "could start in ",
    "not yet in the package",
]


def sentences(profile: Profile) -> list[str]:
    """Everything generated for this town, sentence-sized."""
    ranked = rank(CAT, profile, explain=10)
    recs = [r for r in ranked if r.recommended]
    out: list[str] = []
    for r in recs[:10]:
        out += [r.strength_summary(CAT), r.strength_summary(), r.vs_above, *r.reasons, *r.notes]
        out += [f"{f.title}: {f.message}" for f in r.flags]
    out += [w.sentence(CAT) for w in what_if(CAT, profile)]
    pkg = balanced_package(CAT, profile)
    out += list(pkg.steps)
    plan = make_plan(CAT, list(pkg.slugs), have=sorted(profile.get("have") or ()), staff=profile.get("staff"))
    out += [plan_summary(CAT, plan), plan.capacity_note]
    for item in plan.items:
        out += [item.why, *item.notes]
    have = sorted(profile.get("have") or ())
    cov = coverage(CAT, [r.slug for r in recs[:10]], profile.focus, profile.principles, list(profile.goals), have)
    out.append(coverage_sentence(cov, len(recs[:10])))
    return [s for s in out if s]


@pytest.mark.parametrize("town", TOWNS)
def test_no_sentence_carries_an_old_awkward_form(town):
    text = "\n".join(sentences(TOWNS[town]))
    for bad in AWKWARD:
        assert bad not in text, (bad, [s for s in text.split("\n") if bad in s][:3])


@pytest.mark.parametrize("town", TOWNS)
def test_goal_names_are_quoted_as_written_never_lower_cased_mid_sentence(town):
    text = "\n".join(sentences(TOWNS[town]))
    for gid in TOWNS[town].goals:
        name = CAT.goal_name(gid)
        lowered = name[0].lower() + name[1:]
        assert lowered not in text, [s for s in text.split("\n") if lowered in s][:3]  # "for reduce flooding"
        # inside a sentence a goal's name stands in quotes ("Made for: <name>." lists stay as they are)
        for s in text.split("\n"):
            for m in re.finditer(re.escape(name), s):
                before = s[: m.start()]
                if before.endswith((": ", "; ")):
                    continue  # a list after a colon, by semicolons (the CLI's "Made for: A; B.")
                assert before.endswith("“"), s


def test_what_if_reads_as_a_sentence_about_the_town():
    changes = {w.kind: w for w in what_if(CAT, TOWNS["rural PA workshop"])}
    assert changes["state"].label == "Without the limits of Pennsylvania law"
    assert changes["state"].sentence(CAT) == "Without the limits of Pennsylvania law, the top 10 would be the same."
    assert changes["setting"].label == "If the setting did not matter (yours is rural)"
    assert changes["budget"].label == "With a bigger budget (yours is low)"
    assert changes["staff"].label == "With more staff capacity (yours is low)"
    assert changes["horizon"].label == "With a longer time horizon (yours is under 1 year)"
    for w in changes.values():
        said = w.sentence(CAT)
        assert said.startswith(w.label + ", the top 10 would ") or " would enter the top 10" in said, said
        assert said.endswith(".") and ".." not in said
    nj = {w.value: w for w in what_if(CAT, TOWNS["NJ borough"]) if w.kind == "face"}
    said = nj["public-opposition"].sentence(CAT)
    assert said.startswith("If public or stakeholder opposition were not a challenge, "), said
    if nj["public-opposition"].entered:
        first = CAT.title(nj["public-opposition"].entered[0])
        assert f"{first} would enter the top 10" in said, said


def test_the_card_headline_and_why_below_use_verbs_a_planner_would():
    profile = TOWNS["rural PA workshop"]
    recs = {r.slug: r for r in rank(CAT, profile, explain=10) if r.recommended}
    land = recs["landacquisitionandconservationeasements"]
    assert land.strength_summary(CAT) == (
        "Made for “Preserve farmland, open space and habitat”; works toward “Reduce flooding and stormwater damage”"
    )
    side = [r.strength_summary(CAT) for r in recs.values() if 1 in r.goal_strength.values()]
    assert side and all(re.search(r"(?i)\bhelps “[^”]+” as a side benefit", x) for x in side), side
    one = [r for r in rank(CAT, TOWNS["one goal"], explain=10) if r.recommended]
    assert {r.strength_summary(CAT) for r in one} >= {"Made for your goal", "Works toward your goal"}
    # the tool above serves a second goal too: "also helps ... as a side benefit", not "is also a side benefit for"
    sides = [r.vs_above for r in recs.values() if "both serve their main goal equally well" in r.vs_above]
    verbs = r" also (helps “[^”]+” as a side benefit|works toward “[^”]+”); "
    assert sides and all(re.search(verbs, s) for s in sides), sides


def test_the_package_says_why_each_tool_is_in_it():
    pkg = balanced_package(CAT, TOWNS["rural PA workshop"])
    first = CAT.title(pkg.slugs[0])
    assert pkg.steps[0] == f"{first}: made for “Reduce flooding and stormwater damage”."
    for step in pkg.steps:
        assert step.endswith(".") and "(made for" not in step and "for reduce" not in step
    rounded = [s for s in pkg.steps if "next-best fit" in s]
    assert all("rounds the package out to" in s for s in rounded)


def test_flags_plan_and_coverage_read_as_sentences():
    nj = TOWNS["NJ borough"]
    flags = [f for r in rank(CAT, nj, explain=10) if r.recommended for f in r.flags if f.kind == "face"]
    assert flags and all(
        f.message.endswith(
            ("A minor obstacle for this tool.", "A real obstacle for this tool.", "It can stop this tool.")
        )
        for f in flags
    )
    pa = TOWNS["rural PA workshop"]
    pkg = balanced_package(CAT, TOWNS["NJ borough"])  # three tools that could each start Now
    plan = make_plan(CAT, list(pkg.slugs), staff="low")
    pushed = [i.why for i in plan.items if i.why.startswith("Only staff capacity holds it back from Now")]
    assert pushed and all(": with low staff capacity you can " in w for w in pushed), pushed
    recs = [r for r in rank(CAT, pa, explain=0) if r.recommended][:6]
    cov = coverage(CAT, [r.slug for r in recs], pa.focus, pa.principles, list(pa.goals))
    assert "and both your goals." in coverage_sentence(cov, 6)


@pytest.mark.parametrize(
    ("state", "goals"),
    [("PA", {"transit-access": 3, "guide-growth": 2}), ("NJ", {"stretch-budgets": 3, "guide-growth": 2})],
)
def test_a_state_keeps_its_capital_when_a_flag_is_read_inside_a_sentence(state, goals):
    """'2 things may stand in the way: limited by pennsylvania law and ...' read as a typo on
    the card, in the CLI and in the handout: a flag's title loses only its first capital."""
    profile = Profile(goals=goals, state=state, setting="rural")
    ranked = [r for r in rank(CAT, profile, explain=75) if r.recommended]
    name = {"PA": "Pennsylvania", "NJ": "New Jersey"}[state]
    limited = [r for r in ranked if any(f.kind == "state" for f in r.flags)]
    assert limited, "no tool limited by state law in this town"
    said = [r.in_the_way for r in limited]
    assert all(f"limited by {name} law" in n for n in said), said
    handout = handout_markdown(CAT, profile, ranked, top=len(ranked))
    assert f"Watch out, limited by {name} law" in handout
    everything = "\n".join([*[n for r in ranked for n in (*r.reasons, r.vs_above)], handout])
    assert name.lower() not in everything


def test_more_in_the_way_always_says_what():
    """'Ranked below Downtown Management: more stands in its way for you.' named nothing when
    both tools faced the same challenges and one ran into them harder; it says which now."""
    nj = Profile(
        goals={"housing-choice": 3, "revitalize-centers": 3},
        state="NJ",
        setting="suburban",
        face=frozenset({"public-opposition", "upfront-funding"}),
    )
    said = 0
    for profile in [*TOWNS.values(), nj]:
        for r in rank(CAT, profile, explain=75):
            if "more stands in its way" in r.vs_above:
                said += 1
                rest = r.vs_above.split("more stands in its way", 1)[1]
                assert rest.startswith((" for you (", " (", " for you: ")), r.vs_above
    assert said
    recs = {r.slug: r for r in rank(CAT, nj, explain=10)}
    both = recs["revitalizationplanningandprograms"]
    (above,) = [r for r in recs.values() if both.vs_above.startswith(f"Ranked below {r.title}:")]
    assert {f.kind + f.challenge for f in both.flags} == {f.kind + f.challenge for f in above.flags}
    assert "more stands in its way for you: it is hit harder by upfront funding." in both.vs_above, both.vs_above


def test_harder_hit_reads_for_a_plural_flag():
    """'ongoing operating and maintenance costs weighs more on it' made a plural title the subject
    of a singular verb; the sentence now names what hits it harder after the verb, for any title."""
    seen = [r.vs_above for r in rank(CAT, HEAT_TOWN, explain=75) if "hit harder by" in r.vs_above]
    assert any("hit harder by ongoing operating and maintenance costs" in v for v in seen), seen
    for profile in [*TOWNS.values(), HEAT_TOWN]:
        for r in rank(CAT, profile, explain=75):
            assert "more on it" not in r.vs_above, r.vs_above


def test_why_below_names_what_raises_the_tool_above():
    """CBAs read 'Ranked below Shared Services: it fits what you asked for better, but more stands
    in its way (more stands in its way for you)' although nothing more stood in its way: Shared
    Services was raised for being a way around challenges the town faces. The line says that now,
    and 'builds on a tool your town has in place' is said only of a tool that does."""
    recs = {r.slug: r for r in rank(CAT, HEAT_TOWN, explain=75)}
    cbas = recs["communitybenefitsagreementscbas"].vs_above
    assert cbas.startswith("Ranked below Shared Services: it fits what you asked for better, but Shared Services"), cbas
    assert "is a way around challenges you face: " in cbas and "staff time and data skills" in cbas, cbas
    assert "more stands in its way" not in cbas, cbas
    flood = Profile(
        goals={"reduce-flood-risk": 3, "disaster-ready": 2, "housing-choice": 2},
        state="PA",
        setting="urban",
        face=frozenset({"public-opposition"}),
        have=frozenset({"floodplainordinances", "stormwatermanagement"}),
    )
    for profile in [*TOWNS.values(), HEAT_TOWN, flood]:
        ranked = rank(CAT, profile, explain=75)
        for above, r in zip(ranked, ranked[1:], strict=False):
            if "more stands in its way" in r.vs_above:
                assert r.penalty > above.penalty, r.vs_above
            if "which your town has in place" in r.vs_above:
                assert any(s in profile.values("have") for s in CAT.tools[above.slug].builds_on_slugs), r.vs_above
            if "you face: " in r.vs_above:
                assert profile.values("face"), r.vs_above


def test_equally_well_only_when_it_is():
    """'both serve their main goal equally well, but Historic Districts ... also works toward
    “Revitalize downtowns”' was said of Revitalization Planning, which is made for revitalizing,
    the town's most important goal, while the historic districts tool is made for the less important
    one: it sits below because the other serves more goals. The line says that now, and 'equally
    well' only where their best goals are served equally well."""
    main_street = Profile(
        goals={"revitalize-centers": 3, "historic-character": 2},
        state="NJ",
        setting="suburban",
        budget="medium",
        staff="medium",
        horizon="medium",
        have=frozenset({"downtownmanagement"}),
    )
    recs = {r.slug: r for r in rank(CAT, main_street, explain=75)}
    said = recs["revitalizationplanningandprograms"].vs_above
    assert said == (
        "Ranked below Historic Districts, Overlay Zones, and Facade Improvement Grants: Historic Districts, "
        "Overlay Zones, and Facade Improvement Grants serves more of your goals (it is made for “Protect "
        "historic and community character” and works toward “Revitalize downtowns and main streets”); "
        "this tool is made for “Revitalize downtowns and main streets” alone."
    ), said
    equal = 0
    for profile in [*TOWNS.values(), main_street]:
        weights = goal_weights(profile)
        ranked = rank(CAT, profile, explain=75)
        for above, r in zip(ranked, ranked[1:], strict=False):
            if "equally well" in r.vs_above:
                equal += 1
                best = [weights[x.lead_goal] * STRENGTH_VALUE[x.goal_strength[x.lead_goal]] for x in (above, r)]
                assert best[0] == pytest.approx(best[1]), r.vs_above
    assert equal


def test_goals_served_alike_are_named_together():
    """'Build Missing Middle Housing also helps “Guide where and how growth happens” as a side
    benefit and helps “Serve residents of all ages and abilities” as a side benefit' said the
    strength twice; goals a tool serves alike are named together now."""
    fair_share = Profile(
        goals={"housing-choice": 3, "guide-growth": 2, "all-ages": 1},
        state="NJ",
        setting="suburban",
        budget="medium",
        staff="medium",
        horizon="medium",
        face=frozenset({"public-opposition", "market-dependence"}),
    )
    recs = {r.slug: r for r in rank(CAT, fair_share, explain=75)}
    said = recs["inclusionaryzoning"].vs_above
    assert (
        "Build Missing Middle Housing also helps “Guide where and how growth happens” and “Serve residents "
        "of all ages and abilities” as a side benefit; this tool serves none of your other goals." in said
    ), said
    for profile in [*TOWNS.values(), fair_share]:
        for r in rank(CAT, profile, explain=75):
            for verb in ("is made for “[^”]*”", "works toward “[^”]*”", "helps “[^”]*” as a side benefit"):
                assert not re.search(f"{verb},? and {verb.split(' “')[0]}", r.vs_above), r.vs_above


def test_what_stands_in_the_way_reads_as_its_count():
    """A card's count of what stands in its way names as many things as it counts, each one
    apart, where a title has its own "and" ("staff time and data skills")."""
    recs = {r.slug: r for r in rank(CAT, HEAT_TOWN, explain=75)}
    assert recs["coolingcenters"].in_the_way == (
        "4 things may stand in the way: staff effort above your capacity; coordinating with neighbors "
        "and agencies; ongoing operating and maintenance costs; and staff time and data skills."
    )
    for r in recs.values():
        if r.in_the_way.startswith(("3 things", "4 things", "5 things", "6 things")):
            n = int(r.in_the_way.split()[0])
            assert r.in_the_way.count("; ") + 1 == n or "; " not in r.in_the_way, r.in_the_way


# British spellings a Pennsylvania or New Jersey reader trips on ("village centre" beside
# "village centers" on the same page, the walk-through found); links are left as they are
STRING_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}  # f-strings: 3.12 on
BRITISH = re.compile(r"\b(centre|centres|neighbour\w*|favourite\w*|judgement)\b", re.I)


@pytest.mark.parametrize(
    "folder",
    ["content", "logic", "ui", "app_pages"],
)
def test_what_readers_see_is_in_american_spelling(folder):
    root = CONTENT.parent
    files = [p for p in (root / folder).rglob("*") if p.suffix in {".md", ".yaml", ".py"}]
    found = []
    for path in files:
        source = path.read_text(encoding="utf-8")
        if path.suffix == ".py":  # its strings (not names or comments) are what readers see
            tokens = tokenize.generate_tokens(io.StringIO(source).readline)
            lines = [(t.start[0], t.string) for t in tokens if t.type in STRING_TOKENS]
        else:
            lines = list(enumerate(source.splitlines(), 1))
        for n, line in lines:
            found += [f"{path.relative_to(root)}:{n}: {m}" for m in BRITISH.findall(re.sub(r"https?://\S+", "", line))]
    assert found == []
