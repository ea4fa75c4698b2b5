"""Fixed vocabularies of the toolbox and of the decision-support layer."""

from __future__ import annotations

from enum import IntEnum, StrEnum

FOCUS_AREAS: tuple[str, ...] = (
    "Environment",
    "Transportation",
    "Economy",
    "Communities",
    "Regional Planning",
)
PRINCIPLES: tuple[str, ...] = ("Sustainability", "Equity", "Resiliency")


class Level(StrEnum):
    """Cost, staff effort, and a town's budget and staff capacity."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Horizon(StrEnum):
    """A tool's time to results, and a town's time horizon."""

    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"


class Fit(StrEnum):
    STRONG = "strong"
    POSSIBLE = "possible"
    WEAK = "weak"
    UNSUITED = "unsuited"  # serves a goal, but does not apply to the town's setting: listed last
    NONE = "none"  # serves nothing asked for: not recommended
    EXCLUDED = "excluded"  # barred by state law
    IN_PLACE = "inplace"  # the town has it already


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Importance(IntEnum):
    NICE_TO_HAVE = 1
    IMPORTANT = 2
    ESSENTIAL = 3


# the fits of a recommended tool, best first (the summaries count these)
RECOMMENDED_FITS: tuple[Fit, ...] = (Fit.STRONG, Fit.POSSIBLE, Fit.WEAK, Fit.UNSUITED)
LEVELS: tuple[str, ...] = tuple(str(x) for x in Level)  # plain strings for widgets and JSON
LEVEL_LABELS: dict[str, str] = {Level.LOW: "Low", Level.MEDIUM: "Medium", Level.HIGH: "High"}
HORIZONS: tuple[str, ...] = tuple(str(x) for x in Horizon)
HORIZON_LABELS: dict[str, str] = {
    Horizon.SHORT: "under a year",
    Horizon.MEDIUM: "1-3 years",
    Horizon.LONG: "over 3 years",
}
# the same spans, short enough for a button
HORIZON_SHORT_LABELS: dict[str, str] = {
    Horizon.SHORT: "Under 1 year",
    Horizon.MEDIUM: "1-3 years",
    Horizon.LONG: "3+ years",
}
FIT_LABELS: dict[str, str] = {
    Fit.STRONG: "Strong fit",
    Fit.POSSIBLE: "Possible fit",
    Fit.WEAK: "Weak fit",
    Fit.UNSUITED: "Not for your setting",
    Fit.NONE: "Serves nothing you asked for",
    Fit.EXCLUDED: "Not allowed in your state",
    Fit.IN_PLACE: "Already in place",
}
# A tool that does not suit the town's setting has its score capped below every fit, so a
# number beside weak fits' would read as the better fit: every output says it has none.
NO_FIT_SCORE = "No fit score: it does not suit your setting, so it comes after every tool that does."


def shows_score(fit: str) -> bool:
    """Whether a tool's score is shown (a card's bar, the brief, the handout, the CLI): not for
    one that does not suit the setting (`NO_FIT_SCORE` says why)."""
    return fit != Fit.UNSUITED


def score_words(fit: str, score: int) -> str:
    """A tool's score as the brief and the handout say it: "score 62 of 100", or "no fit score"."""
    return f"score {score} of 100" if shows_score(fit) else "no fit score"


SEVERITIES: tuple[str, ...] = tuple(str(x) for x in Severity)
IMPORTANCE_LABELS: dict[int, str] = {
    Importance.NICE_TO_HAVE: "Nice to have",
    Importance.IMPORTANT: "Important",
    Importance.ESSENTIAL: "Essential",
}
DEFAULT_IMPORTANCE = Importance.IMPORTANT
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
# how well a tool suits a setting (content `settings: {urban: 2, ...}`)
SETTING_GRADES: tuple[int, ...] = (0, 1, 2)
SETTING_GRADE_LABELS: dict[int, str] = {2: "suits", 1: "with adaptation", 0: "does not apply"}
# what a state's law allows (content `stateLaw`)
LAW_STATUSES: tuple[str, ...] = ("available", "limited", "unavailable")
# how hard a tool runs into a challenge (content `challenges[].severity`)
CHALLENGE_SEVERITY_LABELS: dict[int, str] = {1: "minor", 2: "real", 3: "can stop it"}
# the same, as a sentence after what the challenge means for a tool (a card's flag)
CHALLENGE_SEVERITY_SENTENCES: dict[int, str] = {
    1: "A minor obstacle for this tool.",
    2: "A real obstacle for this tool.",
    3: "It can stop this tool.",
}
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
# a strength on its own ("Vision Zero: a main effect") and before a goal's name ("a main effect on ...")
STRENGTH_WORDS: dict[int, str] = {3: "made for it", 2: "a main effect", 1: "a side benefit", 0: "does not serve it"}
# how a tool serves goals, as the words after its name: "Vision Zero is made for “Make streets
# safer for everyone”", "works toward “...”", "helps “...” as a side benefit" (never "is a main
# effect on", which says the tool is an effect); a card's headline drops the "is"
STRENGTH_PHRASES: dict[int, str] = {
    3: "is made for {goals}",
    2: "works toward {goals}",
    1: "helps {goals} as a side benefit",
    0: "does not serve {goals}",
}


def strength_phrase(level: int, goals: str, headline: bool = False) -> str:
    """How a tool serves `goals` (already worded: "“Reduce flooding and stormwater damage”",
    "your goal"), to follow the tool's name; `headline`: without the "is" of "is made for"."""
    text = STRENGTH_PHRASES[level].format(goals=goals)
    return text.removeprefix("is ") if headline else text
