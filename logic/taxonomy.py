"""Fixed vocabularies of the toolbox and of the decision-support layer."""

from __future__ import annotations

FOCUS_AREAS: tuple[str, ...] = (
    "Environment",
    "Transportation",
    "Economy",
    "Communities",
    "Regional Planning",
)
PRINCIPLES: tuple[str, ...] = ("Sustainability", "Equity", "Resiliency")
LEVELS: tuple[str, ...] = ("low", "medium", "high")
HORIZONS: tuple[str, ...] = ("short", "medium", "long")
HORIZON_LABELS: dict[str, str] = {
    "short": "under a year",
    "medium": "1-3 years",
    "long": "over 3 years",
}
TOOL_TYPES: tuple[str, ...] = (
    "ordinance",
    "zoning",
    "program",
    "plan",
    "funding",
    "partnership",
    "policy",
    "technology",
)
STATES: tuple[str, ...] = ("PA", "NJ")
STATE_NAMES: dict[str, str] = {"PA": "Pennsylvania", "NJ": "New Jersey"}
SETTINGS: tuple[str, ...] = ("urban", "suburban", "rural")
SAFE_SCHEMES: tuple[str, ...] = ("http", "https", "mailto")
# how strongly a tool serves a goal (content `goals: {id: strength}`)
STRENGTHS: tuple[int, ...] = (1, 2, 3)
DEFAULT_STRENGTH = 2  # a plain list of goal ids loads at this strength
# what each strength is worth in the goal fit: a tool made for one goal outranks one with
# side benefits on three (1.0 > 3 x 0.25), and two main effects outrank one made-for (1.2 > 1.0)
STRENGTH_VALUE: dict[int, float] = {3: 1.0, 2: 0.6, 1: 0.25, 0: 0.0}
STRENGTH_LABELS: dict[int, str] = {3: "Made for", 2: "Main effect", 1: "Side benefit"}
# how a reason names the goals at each strength ("Made for: Make walking and biking easier")
STRENGTH_LEADS: dict[int, str] = {3: "Made for", 2: "Works toward", 1: "Also helps"}
