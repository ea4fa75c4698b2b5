"""Filtering and searching the catalog, as the toolbox site does and a bit more."""

from __future__ import annotations

import bisect
import difflib
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from .abbreviations import ABBREVIATIONS, ALSO_SEARCHED
from .model import Catalog, Tool
from .text import normalise_name, plain

MODES: tuple[str, ...] = ("all", "any")


def matches_tags(
    tool: Tool,
    focus: Iterable[str] = (),
    principles: Iterable[str] = (),
    mode: str = "all",
) -> bool:
    """'all' (the toolbox's rule): the tool carries every chosen tag.
    'any': it carries at least one of the chosen tags. No tags: every tool."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; valid: {', '.join(MODES)}")
    chosen = [("f", f) for f in focus] + [("p", p) for p in principles]
    if not chosen:
        return True
    has = {("f", f) for f in tool.focus_areas} | {("p", p) for p in tool.principles}
    if mode == "all":
        return all(c in has for c in chosen)
    return any(c in has for c in chosen)


_APOSTROPHES = re.compile(r"['\u2018\u2019`]")
_WORD = re.compile(r"[^\W_]+")
PREFIX_MIN = 3  # a query word this long also finds the words it begins: "zon" finds zoning


def _tokens(text: str) -> list[str]:
    """Words as written: accents dropped, apostrophes removed ("town's": towns),
    hyphens, slashes and other punctuation read as spaces."""
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _WORD.findall(_APOSTROPHES.sub("", text))


def words(text: str) -> list[str]:
    """Text as lower-case words, as the search reads it: "Mixed-Use" is "mixed use"."""
    return [t.casefold() for t in _tokens(text)]


_ABBREVIATION = {a.casefold(): tuple(words(e)) for a, e in ABBREVIATIONS.items()}  # "adu": accessory dwelling unit
_ABBREVIATION_FORMS = frozenset(_ABBREVIATION) | {a + "s" for a in _ABBREVIATION}


def _abbreviation(token: str) -> str | None:
    """The abbreviation a word of text spells, written as the table writes it or in
    capitals, singular or plural ("ADUs"); a page's "pace" or "bid" spells none."""
    for t in (token, token[:-1] if token[-1] in "sS" else ""):
        if t and (t in ABBREVIATIONS or (t.isupper() and t.casefold() in _ABBREVIATION)):
            return t.casefold()
    return None


def _forms(word: str) -> frozenset[str]:
    return frozenset((word, word + "s", word + "es"))


def _by_first_word() -> dict[str, list[tuple[str, tuple[frozenset[str], ...]]]]:
    """Each expansion under the forms of its first word, with the forms of every word."""
    out: dict[str, list[tuple[str, tuple[frozenset[str], ...]]]] = {}
    for a, phrase in _ABBREVIATION.items():
        for form in _forms(phrase[0]):
            out.setdefault(form, []).append((a, tuple(map(_forms, phrase))))
    return out


_PHRASES = _by_first_word()


def _spelled_out(low: list[str]) -> set[str]:
    """The abbreviations whose words appear in order, each singular or plural
    ("accessory dwelling units": adu)."""
    found = set()
    for i, word in enumerate(low):
        for a, forms in _PHRASES.get(word, ()):
            rest = low[i : i + len(forms)]
            if len(rest) == len(forms) and all(w in f for w, f in zip(rest, forms, strict=True)):
                found.add(a)
    return found


_STEMMER_LOCK = threading.Lock()  # a Snowball stemmer keeps state while it works: one word at a time


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A lower-case word's stem by the Snowball English stemmer (the standard algorithm,
    with its exceptions): "resilience", "resilient" and "resiliency" are all "resili"."""
    with _STEMMER_LOCK:
        return _stemmer().stemWord(word)


@cache
def _stemmer() -> Any:
    import snowballstemmer  # type: ignore[import-untyped]  # on first search: the command line's other commands never load it

    return snowballstemmer.stemmer("english")


@cache
def _also() -> dict[str, tuple[str, ...]]:
    """ALSO_SEARCHED by the stem of each word, so that any of its forms brings the others in."""
    return {stem(w): others for w, others in ALSO_SEARCHED.items()}


@dataclass(frozen=True)
class _Index:
    words: frozenset[str]
    ordered: tuple[str, ...]  # sorted, for prefixes
    stems: frozenset[str]


@lru_cache(maxsize=32768)
def _index(title: str, body: str) -> _Index:
    """A tool's searchable words, with each abbreviation it spells out (or uses)
    added in the other form."""
    tokens = _tokens(f"{title}\n{plain(body)}")
    low = [t.casefold() for t in tokens]
    have = set(low)
    maybe = have & _ABBREVIATION_FORMS  # most pages use none: look at the case of the few that may
    found = {a for a in map(_abbreviation, {t for t in tokens if t.casefold() in maybe}) if a} if maybe else set()
    found |= _spelled_out(low)
    for a in found:
        have.add(a)
        have.update(_ABBREVIATION[a])
    return _Index(frozenset(have), tuple(sorted(have)), frozenset(map(stem, have)))


def _finds(index: _Index, q: str, by_stem: bool = False) -> bool:
    """One query word against a tool: `_finds_as_typed`; a word the vocabulary searches
    with it (ALSO_SEARCHED: "bicycle" finds bike), in any form but never as a prefix
    ("car" is not "carbon"); with `by_stem`, from PREFIX_MIN + 1 letters, any word of
    its stem ("walkability" finds walkable)."""
    if _finds_as_typed(index, q) or any(stem(w) in index.stems for w in _also().get(stem(q), ())):
        return True
    return by_stem and len(q) > PREFIX_MIN and stem(q) in index.stems


def _finds_as_typed(index: _Index, q: str) -> bool:
    """One query word against a tool: the whole word; an abbreviation (either form),
    never as a prefix ("ADU" is not "adult"); else a prefix of PREFIX_MIN letters or
    more, or the singular of a plural ("units" finds unit)."""
    if q in index.words:
        return True
    abbr = q if q in _ABBREVIATION else (q[:-1] if q.endswith("s") and q[:-1] in _ABBREVIATION else None)
    if abbr:
        return abbr in index.words
    if len(q) > PREFIX_MIN and q.endswith("s") and q[:-1] in index.words:
        return True
    if len(q) >= PREFIX_MIN:
        i = bisect.bisect_left(index.ordered, q)
        return i < len(index.ordered) and index.ordered[i].startswith(q)
    return False


def unused_words(catalog: Catalog, text: str) -> frozenset[str]:
    """The words of a search that no page of the catalog uses as typed: these are
    searched by their stem. A word the pages do use is searched as typed, so that
    "parking" does not find pages that only say "parks", nor "planning" every "plan"."""
    indexes = [_index(t.title, t.body) for t in catalog.tools.values()]
    return frozenset(q for q in words(text) if not any(_finds_as_typed(i, q) for i in indexes))


def matches_text(tool: Tool, text: str, by_stem: frozenset[str] = frozenset()) -> bool:
    """Case-insensitive search over title and body, by word: every word of the query
    must be a word of the tool (or begin one, from 3 letters); hyphens and punctuation
    read as spaces; planning abbreviations (logic/abbreviations.py) match either form,
    and a word matches the words it is also searched as; the words in `by_stem`
    (`unused_words`) match any word of their stem."""
    query = words(text)
    if not query:
        return True
    index = _index(tool.title, tool.body)
    return all(_finds(index, q, q in by_stem) for q in query)


def filter_tools(
    catalog: Catalog,
    focus: Iterable[str] = (),
    principles: Iterable[str] = (),
    search: str = "",
    mode: str = "all",
) -> list[Tool]:
    """Tools that pass the tag filter and the text search, by title; with a search, the
    tools whose title holds it first ("parking" lists Parking Management before the pages
    that mention parking), each group by title."""
    focus, principles = list(focus), list(principles)
    by_stem = unused_words(catalog, search) if search.strip() else frozenset()
    found = [
        t
        for t in catalog.tools.values()
        if matches_tags(t, focus, principles, mode) and matches_text(t, search, by_stem)
    ]
    query = words(search)
    if not query:
        return found
    return sorted(found, key=lambda t: not all(_finds(_index(t.title, ""), q, q in by_stem) for q in query))


def close_slugs(catalog: Catalog, slug: str, n: int = 5) -> list[str]:
    """Slugs (or titles) that look like what someone typed, for 'not found' pages."""
    by_norm = {normalise_name(t.title): t.slug for t in catalog.tools.values()}
    hits = difflib.get_close_matches(slug.lower(), list(catalog.tools), n=n, cutoff=0.5)
    for m in difflib.get_close_matches(normalise_name(slug), list(by_norm), n=n, cutoff=0.5):
        if by_norm[m] not in hits:
            hits.append(by_norm[m])
    words = normalise_name(slug).split()
    if len(hits) < n and words:
        for t in catalog.tools.values():
            if t.slug not in hits and any(len(w) > 3 and w in t.slug for w in words):
                hits.append(t.slug)
    return hits[:n]


def _edits_allowed(word: str) -> int:
    """How many typing slips a query word may hold and still be respelled: one in a short
    word, two from seven letters ("bycicle" is two letters changed from bicycle)."""
    return 1 if len(word) < 7 else 2


def respelled(
    catalog: Catalog,
    focus: Iterable[str] = (),
    principles: Iterable[str] = (),
    search: str = "",
    mode: str = "all",
) -> str | None:
    """A search that finds tools where `search` finds none: each word that no page has is
    replaced by the page word (or ALSO_SEARCHED word) fewest typing slips away (a letter
    added, dropped, changed, or two swapped); among equals, the one sharing more letters in
    order ("bke" is bike, not be), then the word more pages use ("soler" is solar, not
    solve). None when the search finds tools, every word is on some page, a word is too
    far from every word, or the respelled search still finds nothing under the same tags.

    Never respelled, so nothing unrelated is offered: a word of one or two letters
    ("C" of C-PACE is not "co"), a short word typed in capitals (an acronym: "PACE" is not
    "place"), and a word into one that starts with another letter (slips rarely fall on
    the first letter: "parklet" is not "market", "cpace" not "space")."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import DamerauLevenshtein

    indexes = [_index(t.title, t.body) for t in catalog.tools.values()]
    query = words(search)
    unfound = {q for q in query if not any(_finds(i, q, by_stem=True) for i in indexes)}
    if not unfound:  # every word is on some page (so a search that finds tools is never respelled)
        return None
    vocabulary = list(frozenset().union(*(i.words for i in indexes), ALSO_SEARCHED))

    @cache
    def pages_finding(word: str) -> int:  # asked of the few words near a slip only
        return sum(_finds(i, word) for i in indexes)

    acronyms = {t.casefold() for t in _tokens(search) if 1 < len(t) <= 5 and t.isupper()}  # not caps lock
    fixed = []
    for q in query:
        if q not in unfound:
            fixed.append(q)
            continue
        if len(q) <= 2 or q in acronyms:
            return None
        near = process.extract(
            q, vocabulary, scorer=DamerauLevenshtein.distance, score_cutoff=_edits_allowed(q), limit=None
        )
        near = [m for m in near if m[0][:1] == q[:1]]
        if not near:
            return None
        fixed.append(min(near, key=lambda m: (m[1], -fuzz.ratio(q, m[0]), -pages_finding(m[0]), m[0]))[0])
    respelling = " ".join(fixed)
    return respelling if filter_tools(catalog, focus, principles, respelling, mode) else None


SMALL_WORDS = frozenset({"a", "an", "and", "the", "of", "for", "from", "to", "in", "on", "with", "by", "or"})


Names = Callable[[], Mapping[str, str]]  # valid value -> the name pages show ("PA": "Pennsylvania"), asked on a miss
AlsoCalled = Callable[[], Mapping[str, Sequence[str]]]  # valid value -> other whole phrases for it, asked on a miss


def goal_names(catalog: Catalog) -> Names:
    return lambda: {g: catalog.goal_name(g) for g in catalog.goals}


def goals_also_called(catalog: Catalog) -> AlsoCalled:
    return lambda: {g: goal.also_called for g, goal in catalog.goals.items()}


def _said(text: str) -> list[str]:
    """A text's words but the small ones: what a typed value or a phrase says."""
    return [w for w in words(text) if w not in SMALL_WORDS]


def _singular(word: str) -> str:
    """A plural's singular by the common English endings ("communities", "buses", "parks"); a
    word that is not one is kept ("parking", "access"), unlike its stem."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def phrase_words(text: str) -> frozenset[str]:
    """A phrase's words but the small ones, each singular: "heat waves" says "heat wave"."""
    return frozenset(map(_singular, _said(text)))


def values_named(value: str, names: Mapping[str, str], also: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """The values that `also` calls by just the words typed, singular or plural ("seniors":
    all-ages; "parks": conserve-land, where "parking" names manage-traffic); failing that, those
    whose name has every word typed (but the small words), in any form, as a planner types a
    goal's words for its id ("flooding": reduce-flood-risk)."""
    typed = frozenset(map(stem, _said(value)))
    if not typed:
        return []
    other = also or {}
    said = phrase_words(value)
    called = [v for v in names if any(said == phrase_words(p) for p in other.get(v, ()))]
    return called or [v for v, name in names.items() if typed <= {stem(w) for w in words(name)}]


def named_value(value: str, names: Mapping[str, str], also: Mapping[str, Sequence[str]] | None = None) -> str | None:
    """The one value `values_named` finds; None when none or several are named."""
    hits = values_named(value, names, also)
    return hits[0] if len(hits) == 1 else None


@dataclass(frozen=True)
class GoalOffer:
    """A search that names one of /find's goals ("extreme heat"), and how many tools serve it."""

    goal: str
    name: str
    tools: int


def goal_offer(catalog: Catalog, search: str) -> GoalOffer | None:
    """The goal whose name has the search's words, or that is also called by them (`named_value`):
    /find ranks its tools for a town, whether or not their pages use the words ("extreme heat"
    is on no page)."""
    goal = named_value(search, goal_names(catalog)(), goals_also_called(catalog)())
    if goal is None:
        return None
    return GoalOffer(goal, catalog.goal_name(goal), len(catalog.index.serving([goal], (), ())))


def _named_within(phrase: str, names: Mapping[str, str], also: Mapping[str, Sequence[str]]) -> list[str]:
    """The goals a longer phrase names within it: those also called by words it holds ("better
    bus service": "bus service"), failing that those a word of it names ("safer roads":
    "safer"); the other words ("better", "roads") name nothing."""
    said = phrase_words(phrase)
    held = [g for g in names if any(phrase_words(p) and phrase_words(p) <= said for p in also.get(g, ()))]
    return held or list(dict.fromkeys(g for w in _said(phrase) for g in values_named(w, names, also)))


MAX_WANTS_CHARS = 500  # what a room says in one go; more is cut, and said
_WANTS_PARTS = re.compile(r"\s+(?:and|&|\+)\s+|\s*/\s*", re.I)  # "flooding and seniors", "heat/transit"


@dataclass(frozen=True)
class WantsRead:
    """What a town wants, in the room's words ("flooding, seniors, downtown"), read as goals."""

    goals: tuple[str, ...]  # each goal once, in the order said
    unread: tuple[str, ...]  # phrases that name no goal ("zoning")
    several: tuple[tuple[str, tuple[str, ...]], ...]  # a phrase that names more than one goal, and those
    cut: bool = False  # the text was longer than MAX_WANTS_CHARS and its end was not read

    def misses(self, catalog: Catalog) -> list[str]:
        """What was not read, a sentence each, to show beside the goals read."""
        out = [f"“{p}” names no goal; pick the goal you mean from the list below." for p in self.unread]
        for phrase, hits in self.several:
            named = [f"“{catalog.goal_name(g)}”" for g in hits]
            could = f"{', '.join(named[:-1])} or {named[-1]}"
            out.append(f"“{phrase}” could be {could}; pick one from the list below.")
        if self.cut:
            out.append(f"Only the first {MAX_WANTS_CHARS} characters were read.")
        return out


def read_wants(catalog: Catalog, text: str) -> WantsRead:
    """Each comma- (or semicolon-, line-) separated phrase read as the goal it names
    (`values_named`: a goal's name words, or a phrase it is also called); a phrase that names
    none is read in its parts split at "and", "&", "+" or "/" ("flooding and seniors"), when
    every part names one; a phrase of one part that names none is read by what it holds
    (`_named_within`: "better bus service", "safer roads"), a goal when it holds one."""
    names, also = goal_names(catalog)(), goals_also_called(catalog)()
    goals: list[str] = []
    unread: list[str] = []
    several: list[tuple[str, tuple[str, ...]]] = []
    for phrase in (p.strip() for p in re.split(r"[,;\n]+", text[:MAX_WANTS_CHARS])):
        if not phrase:
            continue
        found = values_named(phrase, names, also)
        parts = [p for p in _WANTS_PARTS.split(phrase) if p.strip()]
        if not found and len(parts) == 1:  # "better bus service", "safer roads": what its words name
            found = _named_within(phrase, names, also)
        if len(found) != 1:  # "flooding and seniors": its parts, when each names one goal
            parts = [named_value(p, names, also) for p in parts]
            if len(parts) > 1 and None not in parts:
                found = [g for g in parts if g is not None]
            elif found:
                several.append((phrase, tuple(found)))
                continue
            else:
                unread.append(phrase)
                continue
        goals += [g for g in found if g not in goals]
    return WantsRead(tuple(goals), tuple(unread), tuple(several), len(text) > MAX_WANTS_CHARS)


TAG_LIKENESS = 0.8  # how close a search must be to a tag's name to be read as it ("economic": Economy)


def tag_named(search: str) -> tuple[str, str] | None:
    """("focus", area) or ("principle", name) when the whole search names a focus area or a
    principle in another form: the same stems ("resilience": Resiliency, "transport":
    Transportation) or nearly the same letters ("environmental", "economic"); else None.
    The pages seldom use the tags' own words, so a search for one finds few of its tools."""
    from rapidfuzz import fuzz

    from .taxonomy import FOCUS_AREAS, PRINCIPLES

    typed = words(search)
    if not typed:
        return None
    for kind, names in (("focus", FOCUS_AREAS), ("principle", PRINCIPLES)):
        for name in names:
            own = words(name)
            same_stems = [stem(w) for w in typed] == [stem(w) for w in own]
            if same_stems or fuzz.ratio(" ".join(typed), " ".join(own)) >= TAG_LIKENESS * 100:
                return kind, name
    return None


@dataclass(frozen=True)
class TagOffer:
    """A search that names a tag not yet chosen, and how many tools carry the tag."""

    kind: str  # "focus" or "principle": the address parameter's and the CLI option's name
    tag: str
    tools: int

    @property
    def kind_words(self) -> str:
        return "focus areas" if self.kind == "focus" else "principles"


def tag_offer(
    catalog: Catalog, focus: Iterable[str] = (), principles: Iterable[str] = (), search: str = ""
) -> TagOffer | None:
    """The tag the search names (`tag_named`), unless it is already chosen, with its tool count."""
    named = tag_named(search)
    if not named:
        return None
    kind, tag = named
    if tag in (focus if kind == "focus" else principles):
        return None
    tagged = filter_tools(catalog, [tag] if kind == "focus" else [], [tag] if kind == "principle" else [])
    return TagOffer(kind, tag, len(tagged))
