"""Exports: a results table (CSV), a printable Markdown handout, a comparison."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping, Sequence

from .about import ABOUT_LABEL
from .constraints import REGISTRY, tool_facts
from .model import Catalog, Tool
from .package import Package
from .plan import Plan
from .profile import Profile
from .recommendation import Recommendation
from .rules import rank
from .scoring import goal_strengths
from .taxonomy import FIT_LABELS, IMPORTANCE_LABELS, STRENGTH_WORDS, Fit, score_words
from .text import mid_sentence
from .vote_rules import ranked


def _cell(text: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def results_csv(recs: Sequence[Recommendation], plan: Plan | None = None, catalog: Catalog | None = None) -> str:
    """The ranked results as CSV: strength in words, fit, flags, and the plan phase when there is a plan."""
    buf = io.StringIO()
    w = csv.writer(buf)
    # with the catalog, a column for each line a tool gives about a kind of constraint (tool_facts)
    facts = {
        r.slug: dict(tool_facts(catalog.tools[r.slug], catalog)) for r in recs if catalog and r.slug in catalog.tools
    }
    labels = list(dict.fromkeys(label for lines in facts.values() for label in lines))
    w.writerow(
        ["rank", "tool", "slug", "score", "fit", "strength", "reasons", "flags", "plan phase", "room dots"]
        + [label.lower() for label in labels]
    )
    number = 0
    for r in recs:
        if r.recommended:
            number += 1
        w.writerow(
            [
                (r.position or number) if r.recommended else "",  # "=3" when level with a neighbor
                _cell(r.title),
                r.slug,
                r.score,
                r.fit,
                _cell(r.strength_summary(catalog)),  # the goals by name when the catalog is given
                _cell(" ".join(r.reasons)),
                _cell("; ".join(f"{f.title}: {f.message}" for f in r.flags)),
                "in place" if r.in_place else ((plan.phase_of(r.slug) or "") if plan else ""),
                r.dots or "",
                *(_cell(facts.get(r.slug, {}).get(label, "")) for label in labels),
            ]
        )
    return buf.getvalue()


def vote_results_csv(totals: Mapping[str, int], titles: Mapping[str, str]) -> str:
    """A dot vote's results as CSV: rank, tool, slug, dots; most dots first, ties by title."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["rank", "tool", "slug", "dots"])
    for i, (slug, dots) in enumerate(ranked(totals, lambda s: titles.get(s, s)), 1):
        w.writerow([i, _cell(titles.get(slug, slug)), _cell(slug), dots])
    return buf.getvalue()


def asked(profile: Profile, catalog: Catalog) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """What a town asked for, in words, as every take-home lists it (the handout, the brief):
    (goal, importance), and (label, values) for the town's sentence, the focus areas, the
    principles and each constraint chosen, as the registry words it."""
    goals = [(catalog.goal_name(g), IMPORTANCE_LABELS.get(i, str(i))) for g, i in profile.goals.items()]
    choices: list[tuple[str, str]] = [(ABOUT_LABEL, profile.about)] if profile.about else []
    if profile.focus:
        choices.append(("Focus areas", ", ".join(sorted(profile.focus))))
    if profile.principles:
        choices.append(("Principles", ", ".join(sorted(profile.principles))))
    for kind in REGISTRY:
        value = profile.get(kind.name)
        values = sorted(value) if isinstance(value, frozenset) else ([value] if value else [])
        if values:
            choices.append((kind.label, ", ".join(kind.words(v, catalog) for v in values)))
    return goals, choices


def profile_lines(profile: Profile, catalog: Catalog) -> list[str]:
    """`asked`, one line each: the goals on one line, then each other choice."""
    goals, choices = asked(profile, catalog)
    out = ["Goals: " + "; ".join(f"{name} ({imp.lower()})" for name, imp in goals)] if goals else []
    return out + [f"{label}: {value}" for label, value in choices]


def handout_markdown(
    catalog: Catalog,
    profile: Profile,
    recs: Sequence[Recommendation],
    package: Package | None = None,
    link: str = "",
    top: int = 10,
    plan: Plan | None = None,
) -> str:
    """A plain Markdown summary a facilitator can hand out after a workshop. Every name
    and sentence from the content is escaped (`e`): in a Markdown viewer it is text,
    never a link, an image or HTML."""
    from .text import escape_md_file as e

    lines = ["# Municipal Toolbox Navigator: results", ""]
    lines += [f"- {e(x)}" for x in profile_lines(profile, catalog)] or ["- No choices made yet."]
    if link:
        lines += ["", f"Reopen this scenario: {link}"]
    lines += ["", "## Recommended tools", ""]
    shown = [r for r in recs if r.recommended][:top]
    for i, r in enumerate(shown, 1):
        dots = f"; {r.dots} dot{'s' if r.dots != 1 else ''} from the room" if r.dots else ""
        # the rank as the cards show it ("=2" when level with a neighbor), in bold so that no
        # Markdown viewer renumbers it as a list
        lines.append(
            f"- **{r.position or i}. {e(r.title)}**: {FIT_LABELS[r.fit].lower()}, {score_words(r.fit, r.score)}{dots}"
        )
        lines += [f"   - {e(reason)}" for reason in r.reasons]
        for f in r.flags:
            lines.append(f"   - Watch out, {e(mid_sentence(f.title))}: {e(f.message)}")
            lines += [f"     - {e(m)}" for m in f.mitigations[:2]]
    if not shown:
        lines.append("No tool serves what was asked for.")
    barred = [r for r in recs if r.excluded]
    if barred:
        lines += ["", "## Not available under your state's law", ""]
        lines += [f"- {e(r.title)}: {e(r.reasons[0])}" for r in barred]
    in_place = [r for r in recs if r.in_place]
    if in_place:
        lines += ["", "## Already in place", ""]
        lines += [f"- {e(r.title)}" for r in in_place]
    if package and package.slugs:
        lines += ["", "## A balanced package", ""]
        lines += [f"- {e(step)}" for step in package.steps]
        if package.gaps:
            names = (
                [catalog.goal_name(g) for g in package.gap_goals]
                + list(package.gap_focus)
                + list(package.gap_principles)
            )
            lines.append(f"- Still not covered: {e(', '.join(names))}")
    if plan and plan.items:
        lines += ["", "## Action plan", "", e(plan.capacity_note)]
        for phase in plan.phases:
            lines += ["", f"### {e(phase.name)} ({e(phase.label)})", ""]
            if not phase.items:
                lines.append("Nothing in this phase.")
            for item in phase.items:
                lines.append(f"- **{e(item.title)}**: {e(item.why)}")
                lines += [f"  - Note: {e(note)}" for note in item.notes]
                if item.first_steps:
                    lines.append(
                        "  - First steps: " + " ".join(f"({i}) {e(x)}" for i, x in enumerate(item.first_steps, 1))
                    )
                for ch in item.challenges[:3]:
                    lines.append(
                        f"  - Prepare for {e(ch.name.lower())}: {e(ch.mitigations[0]) if ch.mitigations else ''}"
                    )
                for ind in item.indicators:
                    lines.append(f"  - Watch {e(ind.name)}" + (f": {ind.link}" if ind.link else ""))
    return "\n".join(lines) + "\n"


def compare_rows(catalog: Catalog, slugs: Sequence[str], profile: Profile | None = None) -> list[dict[str, object]]:
    """One row an attribute, one column a tool, and whether the tools differ. With a scenario
    (`profile` asking for something), the first rows say how each tool fits it: its fit and
    rank, its strength for each goal, and what stands in its way."""
    tools = [catalog.tools[s] for s in slugs if s in catalog.tools]

    def both(values: Sequence[str], everywhere: str) -> str:
        return ", ".join(values) if values else everywhere

    attributes: list[tuple[str, list[str]]] = [
        ("Focus areas", [", ".join(t.focus_areas) or "none" for t in tools]),
        ("Principles", [", ".join(t.principles) or "none" for t in tools]),
        ("Goals", [", ".join(catalog.goal_name(g) for g in t.goals) or "none" for t in tools]),
        ("Challenges", [", ".join(catalog.challenge_name(c) for c in t.challenge_ids) or "none" for t in tools]),
        ("Type", [t.tool_type or "not rated" for t in tools]),
        *_fact_rows(catalog, tools),  # each kind of constraint, as the registry words it
        ("Case studies", [str(len(t.who_has_used)) for t in tools]),
    ]
    if profile is not None and profile.asks_for_something:
        attributes = _scenario_rows(catalog, [t.slug for t in tools], profile) + attributes
    rows = []
    for name, values in attributes:
        row: dict[str, object] = {"Attribute": name}
        for t, v in zip(tools, values, strict=True):
            row[t.title] = v
        row["Differs"] = len(set(values)) > 1
        rows.append(row)
    return rows


def _fact_rows(catalog: Catalog, tools: Sequence[Tool]) -> list[tuple[str, list[str]]]:
    """One row for each line a tool gives about a kind of constraint (tool_facts), in order."""
    per_tool = [dict(tool_facts(t, catalog)) for t in tools]
    labels = list(dict.fromkeys(label for facts in per_tool for label in facts))
    return [(label, [facts.get(label, "none") for facts in per_tool]) for label in labels]


def _scenario_rows(catalog: Catalog, slugs: Sequence[str], profile: Profile) -> list[tuple[str, list[str]]]:
    """How each tool fits the scenario, as the /find cards say it."""
    ranked = {r.slug: r for r in rank(catalog, profile, everything=True)}
    # the compared tools that show a score and a rank (not barred, in place or serving nothing)
    scored = {s: r for s in slugs if (r := ranked.get(s)) and r.fit != Fit.NONE and not (r.excluded or r.in_place)}

    def fit(slug: str) -> str:
        r = ranked.get(slug)
        if slug in scored:
            return f"{FIT_LABELS[scored[slug].fit]}, {scored[slug].score} of 100 (rank {scored[slug].position})"
        return r.reasons[0] if r is not None and r.fit != Fit.NONE else "serves nothing you asked for"

    rows: list[tuple[str, list[str]]] = [("Fit for your scenario", [fit(s) for s in slugs])]
    strengths = [goal_strengths(catalog.tools[s], profile, catalog) for s in slugs]  # as the cards read them
    for goal in profile.goals:
        rows.append((f"Goal: {catalog.goal_name(goal)}", [STRENGTH_WORDS[st[goal]] for st in strengths]))
    rows.append(
        (
            "What stands in the way",
            ["; ".join(f.title for f in ranked[s].flags) or "nothing you named" if s in ranked else "" for s in slugs],
        )
    )
    # tools compared at the same score but different ranks: the card's reason for each one's
    # place, so the table never shows "75 (rank 1)" beside "75 (rank 4)" with no word why
    scores = Counter(r.score for r in scored.values())
    why = {s: r.vs_above or "First of all the tools that fit." for s, r in scored.items() if scores[r.score] > 1}
    if why:
        rows.append(("Why not ranked higher", [why.get(s, "") for s in slugs]))
    return rows
