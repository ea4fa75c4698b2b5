"""Command line: python -m logic validate | catalog | recommend | plan | brief | evaluate.

Bad arguments exit 2 with a message that names the value and lists the valid
ones; content problems make `validate` exit 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .brief.formats import FORMATS
from .browse import MODES, filter_tools, goal_offer, respelled, tag_offer
from .constraints import tool_record
from .content.fields import did_you_mean
from .content.files import default_content_dir
from .content.load import load_catalog
from .model import Catalog
from .package import balanced_package
from .plan import make_plan
from .profile import Profile
from .rules import recommend
from .scenario import LISTED_HELP, Scenario, UnknownValue, add_cli_options, check_value, split_listed
from .taxonomy import FOCUS_AREAS, PRINCIPLES, Severity, shows_score
from .text import slug_key

if TYPE_CHECKING:
    from .evaluation import GradedScenario, Result

DEFAULT_SCENARIOS = Path(__file__).resolve().parent.parent / "eval" / "scenarios.yaml"


class UsageError(Exception):
    """An argument the command cannot use (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m logic", description="Municipal Toolbox Navigator: content and rules.")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    sub.required = True

    v = sub.add_parser("validate", help="check every content file; exit 1 on errors")
    v.add_argument("content_dir", nargs="?", help="content folder (default: content/ or TOOLBOX_CONTENT_DIR)")
    v.add_argument("--verbose", "-v", action="store_true", help="list info lines too")

    c = sub.add_parser("catalog", help="list tools, filtered as the toolbox site does")
    c.add_argument("--focus", action="append", default=[], metavar="F", help=f"a focus area{LISTED_HELP}")
    c.add_argument("--principle", action="append", default=[], metavar="P", help=f"a principle{LISTED_HELP}")
    c.add_argument("--search", default="", metavar="TEXT")
    c.add_argument("--mode", default="all", help="all (default: a tool carries every tag) or any")
    c.add_argument("--content", metavar="DIR")
    c.add_argument("--json", action="store_true")

    r = sub.add_parser("recommend", help="rank tools for goals and constraints")
    add_cli_options(r)  # goals, tags and every registered constraint
    r.add_argument("--top", type=int, metavar="N")
    r.add_argument("--content", metavar="DIR")
    r.add_argument("--json", action="store_true")

    pl = sub.add_parser("plan", help="a phased action plan (Now, Next, Later) for the package or a shortlist")
    add_cli_options(pl)  # the same profile options as recommend
    pl.add_argument("--tools", action="append", default=[], metavar="SLUG,...", help="plan these (default: package)")
    pl.add_argument("--content", metavar="DIR")
    pl.add_argument("--json", action="store_true")

    e = sub.add_parser("evaluate", help="NDCG@6 of the ranking against planners' graded scenarios")
    e.add_argument("scenarios", nargs="?", default=str(DEFAULT_SCENARIOS), help="a scenarios YAML file")
    e.add_argument("--k", type=int, default=6, metavar="K", help="how many top places count (6)")
    e.add_argument("--content", metavar="DIR")
    e.add_argument(
        "--profile-only",
        action="store_true",
        help="leave out each town's sentence (about:, else town:), as if no description were typed",
    )
    e.add_argument(
        "--detail",
        action="store_true",
        help="each town's sentence, its whole top K with every planner's grade, and the tools they want that it leaves out",
    )
    e.add_argument("--json", action="store_true")

    b = sub.add_parser("brief", help="a brief (pdf, html), the results (csv), a handout (md) or a scenario file (json)")
    add_cli_options(b)  # the same profile options as recommend
    b.add_argument("--tools", action="append", default=[], metavar="SLUG,...", help="the shortlist (planned)")
    b.add_argument("--title", metavar="T", help='default: "Municipal Toolbox Navigator: <date>"')
    b.add_argument("--top", type=int, default=5, metavar="N", help="how many top tools the brief explains (5)")
    b.add_argument(
        "--format",
        required=True,
        metavar="|".join(FORMATS),
        help="; ".join(f"{f.name}: {f.about}" for f in FORMATS.values()),
    )
    b.add_argument(
        "--output",
        metavar="FILE",
        help="the file to write ('-': standard output; default: named after the title and date, "
        "such as rural-township-workshop-2026-12-04.pdf, in this folder)",
    )
    b.add_argument(
        "--url",
        default="http://localhost:8501/find",
        metavar="URL",
        help="the app's /find address, for the reopen link",
    )
    b.add_argument("--content", metavar="DIR")
    return p


def _catalog(content: str | None) -> Catalog:
    root = Path(content) if content else default_content_dir()
    if not root.is_dir():
        raise UsageError(f"content folder {str(root)!r} does not exist")
    catalog = load_catalog(root, workers=os.cpu_count() or 1)  # several processes only for a large catalog
    if catalog.errors:
        print(
            f"note: {len(catalog.errors)} content error(s); run 'python -m logic validate {root}'",
            file=sys.stderr,
        )
    return catalog


def cmd_validate(args: argparse.Namespace) -> int:
    root = Path(args.content_dir) if args.content_dir else default_content_dir()
    if not root.is_dir():
        raise UsageError(f"content folder {str(root)!r} does not exist")
    catalog = load_catalog(root)
    shown = [p for p in catalog.problems if args.verbose or p.severity != Severity.INFO]
    for p in shown:
        print(p.line())
    counts = {s: sum(1 for p in catalog.problems if p.severity == s) for s in Severity}
    hidden = "" if args.verbose or not counts[Severity.INFO] else " (-v lists the infos)"
    print(
        f"{len(catalog.tools)} tools loaded from {root}: {counts[Severity.ERROR]} errors, "
        f"{counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} infos{hidden}"
    )
    return 1 if counts[Severity.ERROR] else 0


def _tool_record(catalog: Catalog, slug: str) -> dict:
    t = catalog.tools[slug]
    return {
        "slug": t.slug,
        "title": t.title,
        "focusAreas": list(t.focus_areas),
        "principles": list(t.principles),
        "goals": list(t.goals),  # strongest first
        "goalStrength": dict(t.goal_strength),
        "related": list(t.related),
        "relatedBothWays": list(catalog.related(slug)),
        "toolType": t.tool_type,
        **tool_record(t),  # each kind of constraint's fields (logic/constraints.py)
    }


def cmd_catalog(args: argparse.Namespace) -> int:
    focus = [check_value("focus area", f, FOCUS_AREAS) for f in split_listed(args.focus)]
    principles = [check_value("principle", p, PRINCIPLES) for p in split_listed(args.principle)]
    mode = check_value("mode", args.mode, MODES)
    catalog = _catalog(args.content)
    tools = filter_tools(catalog, focus, principles, args.search, mode)
    if args.json:
        print(json.dumps([_tool_record(catalog, t.slug) for t in tools], indent=2, ensure_ascii=False))
    else:
        for t in tools:
            tags = ", ".join((*t.focus_areas, *t.principles))
            print(f"{t.slug:<55} {t.title}  [{tags}]")
        print(f"{len(tools)} of {len(catalog.tools)} tools")
        better = None if tools else respelled(catalog, focus, principles, args.search, mode)
        if better:
            print(f"Did you mean --search {better!r}?")
        offer = tag_offer(catalog, focus, principles, args.search)
        if offer:
            print(
                f"{offer.tag!r} is one of the toolbox's {offer.kind_words}: --{offer.kind} {offer.tag!r} lists its {offer.tools} tools."
            )
        goal = goal_offer(catalog, args.search or "")
        if goal:
            print(
                f"{args.search.strip()!r} names the goal {goal.name!r}: "
                f"'python -m logic recommend --goal {goal.goal}' ranks its {goal.tools} tools for a town."
            )
    return 0


def profile_from_args(args: argparse.Namespace, catalog: Catalog) -> Profile:
    """The profile the options describe (every constraint kind from the registry)."""
    return Scenario.from_cli(args, catalog).profile


def cmd_recommend(args: argparse.Namespace) -> int:
    catalog = _catalog(args.content)
    if args.top is not None and args.top < 1:
        raise UsageError(f"--top must be 1 or more, got {args.top}")
    profile = profile_from_args(args, catalog)
    recs = recommend(catalog, profile, top=args.top)
    if args.json:
        print(json.dumps([r.as_dict() for r in recs], indent=2, ensure_ascii=False))
        return 0
    for r in recs:
        if r.excluded or r.in_place:
            print(f"  --  {r.title}: {r.reasons[0]}")
            continue
        extra = f"  [best for “{catalog.goal_name(r.leads_for)}”]" if r.leads_for else ""
        extra += f"  [{r.dots} dot{'s' if r.dots != 1 else ''}]" if r.dots else ""
        score = f"{r.score:>3}" if shows_score(r.fit) else "  -"
        print(f"{r.position + '.':>4} {score} {r.fit:<8} {r.title}{extra}")
        for reason in r.reasons:
            print(f"          {reason}")
        if r.vs_above:
            print(f"          ({r.vs_above})")
    if not recs:
        print("No tool serves what you asked for.")
    return 0


def _slugs(values: Sequence[str], catalog: Catalog, option: str) -> list[str]:
    """Slugs from repeated and comma-separated options; an unknown one is a UsageError naming it."""
    out: list[str] = []
    for part in split_listed(values):
        slug = slug_key(part)
        if not slug:
            continue
        if slug not in catalog.tools:
            hint = did_you_mean(slug, catalog.tools)
            raise UsageError(f"unknown tool {part!r} in {option}{hint}; 'python -m logic catalog' lists them")
        if slug not in out:
            out.append(slug)
    return out


def cmd_plan(args: argparse.Namespace) -> int:
    catalog = _catalog(args.content)
    profile = profile_from_args(args, catalog)
    have = sorted(profile.values("have"))  # --have is a registered constraint (logic/constraints.py)
    tools = _slugs(args.tools, catalog, "--tools")
    if not tools:
        if not profile.asks_for_something:
            raise UsageError("give --goal, --focus or --principle to plan the package, or --tools SLUG,...")
        tools = [s for s in balanced_package(catalog, profile).slugs if s not in have]
    plan = make_plan(catalog, tools, have=have, staff=profile.value("staff"))
    if args.json:
        print(json.dumps(plan.as_dict(), indent=2, ensure_ascii=False))
        return 0
    print(plan.capacity_note)
    for phase in plan.phases:
        print(f"\n{phase.name.upper()} ({phase.label})")
        if not phase.items:
            print("  nothing")
        for n, item in enumerate(phase.items, 1):
            tags = [w for w, on in (("quick win", item.quick_win), ("high effort", item.high_effort)) if on]
            print(f"  {n}. {item.title}" + (f"  [{', '.join(tags)}]" if tags else ""))
            print(f"     Why now: {item.why}" if phase.name == "Now" else f"     Why {phase.name.lower()}: {item.why}")
            for note in item.notes:
                print(f"     Note: {note}")
            if item.first_steps:
                print("     First steps:")
                for i, step in enumerate(item.first_steps, 1):
                    print(f"       {i}. {step}")
            for ch in item.challenges:
                print(f"     Prepare for: {ch.name}" + (f" ({ch.note})" if ch.note else ""))
                for m in ch.mitigations:
                    print(f"       - {m}")
            for ind in item.indicators:
                print(f"     Watch: {ind.name}" + (f" <{ind.link}>" if ind.link else ""))
    if plan.in_place:
        print(f"\nAlready in place: {', '.join(catalog.title(s) for s in plan.in_place)}")
    if not plan.items:
        print("\nNothing left to plan.")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    from .brief import file_name, make_brief, render, scenario_link
    from .text import is_safe_link

    fmt = check_value("format", args.format, list(FORMATS))
    if args.top < 1:
        raise UsageError(f"--top must be 1 or more, got {args.top}")
    if not is_safe_link(args.url) or args.url.startswith("mailto:"):
        raise UsageError(f"--url must be an http(s) address, got {args.url!r}")
    out = None if args.output == "-" else Path(args.output) if args.output else None
    if out is not None and not out.parent.is_dir():
        raise UsageError(f"--output: the folder {str(out.parent)!r} does not exist")
    if out is not None and out.is_dir():
        raise UsageError(f"--output: {str(out)!r} is a folder; give a file name")
    catalog = _catalog(args.content)
    scenario = Scenario.from_cli(args, catalog)
    scenario.shortlist = _slugs(args.tools, catalog, "--tools")
    if not scenario.profile.asks_for_something and not scenario.shortlist and fmt != "json":
        raise UsageError("give --goal, --focus or --principle (or --tools SLUG,...) for a brief")
    brief = make_brief(catalog, scenario, args.title, scenario_link(args.url, scenario), top=args.top)
    if not args.output:
        out = Path(file_name(brief.title, fmt, brief.date))
    data = render(brief, catalog, fmt)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"--output: cannot write {str(out)!r} ({exc.strerror})") from exc
    print(f"wrote {out} ({len(data) / 1024:.0f} KB, {fmt})", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluation import MISSED_AT, ScenarioFileError, evaluate, read_scenarios

    if args.k < 1:
        raise UsageError(f"--k must be 1 or more, got {args.k}")
    catalog = _catalog(args.content)
    try:
        read = read_scenarios(Path(args.scenarios), catalog, described=not args.profile_only)
    except ScenarioFileError as exc:
        raise UsageError(str(exc)) from exc
    scenarios, problems = read.scenarios, read.problems
    for line in [*(f"note: {n}" for n in read.notes), *problems]:
        print(f"python -m logic: {line}", file=sys.stderr)
    if problems:
        print(
            f"python -m logic: {len(problems)} problem(s); the towns they name are left out, the other "
            f"{len(scenarios)} are scored",
            file=sys.stderr,
        )
    status = 1 if problems else 0  # as `validate`: a file with errors fails, and loses nothing else
    results = evaluate(catalog, scenarios, k=args.k)
    if args.detail and not args.json:
        print(
            f"Each town: NDCG@{args.k} [against each planner], its sentence, the app's top {args.k} with each "
            f"planner's grade (0-3), and the tools they grade {MISSED_AT} or more on average that it leaves out."
        )
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
        return status
    for sc, r in zip(scenarios, results, strict=True):
        each = "  ".join(f"{x:5.3f}" for x in r.by_grading) if len(r.by_grading) > 1 else ""
        if args.detail:
            print(
                f"\n{r.ndcg:5.3f}  {r.id}"
                + (f"  [{each}]" if each else "")
                + (f"\n       {sc.town}" if sc.town else "")
            )
            print("\n".join(_graded_lines(catalog, sc, r)))
            continue
        print(
            f"{r.ndcg:5.3f}  {r.id:<34} {' | '.join(catalog.title(s) for s in r.top[:3])}"
            + (f"  [{each}]" if each else "")
        )
    scores = [r.ndcg for r in results]
    if scores:
        worst = min(results, key=lambda r: r.ndcg)
        print(
            f"\n{len(scores)} scenarios: NDCG@{args.k} mean {sum(scores) / len(scores):.3f}, lowest {worst.ndcg:.3f} ({worst.id})"
        )
        two = [r for r in results if r.agreement is not None]
        if two:
            first = sum(r.by_grading[0] for r in two) / len(two)
            second = sum(r.by_grading[1] for r in two) / len(two)
            agree = sum(r.agreement or 0.0 for r in two) / len(two)
            print(
                f"{len(two)} graded twice, blind: the app {first:.3f} against the first planner, {second:.3f} against "
                f"the second; the two planners agree at {agree:.3f} (the ceiling)"
            )
    return status


def _graded_lines(catalog: Catalog, scenario: GradedScenario, result: Result) -> list[str]:
    """A town's top places as `evaluate --detail` prints them: each tool with every planner's
    grade, then the tools the planners grade highly that the list leaves out."""

    def grades(slug: str) -> str:
        return " ".join(str(g.get(slug, 0)) for g in scenario.gradings)

    lines = [f"   {i:>2}  {catalog.title(s):<60} {grades(s)}" for i, s in enumerate(result.top, 1)]
    if result.missed:
        lines.append("       left out: " + ", ".join(f"{catalog.title(s)} ({grades(s)})" for s in result.missed))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        handler = {
            "validate": cmd_validate,
            "catalog": cmd_catalog,
            "recommend": cmd_recommend,
            "plan": cmd_plan,
            "brief": cmd_brief,
            "evaluate": cmd_evaluate,
        }
        return handler[args.command](args)
    except (UsageError, UnknownValue) as exc:
        print(f"python -m logic: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        return 0
