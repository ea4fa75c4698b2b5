"""The page registry: every page of the app declared once.

`PAGES` lists the pages (key, file, title, icon, address); the router builds
the `st.Page` objects from it once per run (`build_pages`) and hands them to
`st.navigation`, and every link or switch elsewhere asks for one of those very
objects by key (`page("compare")`), never by a file path or a title. Adding a
page is one entry here and its file in `app_pages/`.

The built objects are kept in the session for the run that built them (and
the fragment reruns after it, which do not run the router): a `st.Page`
carries per-run navigation state, so it is never shared between sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import streamlit as st
from streamlit.navigation.page import StreamlitPage

PageKey = Literal["home", "find", "catalog", "tool", "compare", "challenges", "workshop"]


@dataclass(frozen=True)
class PageSpec:
    """One page: `key` names it in code, `url_path` in the address ("" is /). `heading` is its
    title on the page opened bare; `example` a query string a shared link to it carries (the
    tests, the benchmark and the README's address table open it), `example_heading` the page's
    title then (when it differs); `about` what it shows and reads from the address."""

    key: PageKey
    file: str
    title: str
    icon: str
    url_path: str
    heading: str
    about: str
    example: str = ""
    example_heading: str = ""
    default: bool = False

    @property
    def address(self) -> str:
        """The example address: "/tool?slug=floodplainordinances"."""
        return "/" + self.url_path + (f"?{self.example}" if self.example else "")

    @property
    def heading_at_example(self) -> str:
        return self.example_heading or self.heading


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "home",
        "app_pages/home.py",
        "Home",
        ":material/home:",
        "",
        "Municipal Toolbox Navigator",
        "home",
        default=True,
    ),
    PageSpec(
        "find",
        "app_pages/find.py",
        "Find tools",
        ":material/travel_explore:",
        "find",
        "Find tools",
        "goals and constraints, ranked and explained results, charts, package, what-if; "
        "`step=plan` opens the action plan",
        example="goal=reduce-flood-risk:3,protect-water&face=upfront-funding&state=NJ&budget=low"
        "&have=stormwatermanagement",
    ),
    PageSpec(
        "catalog",
        "app_pages/catalog.py",
        "Catalog",
        ":material/view_list:",
        "catalog",
        "Catalog",
        "browse, filter, search",
        example="focus=Environment&principle=Equity&q=stormwater&mode=any",
    ),
    PageSpec(
        "tool",
        "app_pages/tool.py",
        "Tool",
        ":material/description:",
        "tool",
        "Tool",
        "one tool",
        example="slug=floodplainordinances",
        example_heading="Floodplain Ordinances",
    ),
    PageSpec(
        "compare",
        "app_pages/compare.py",
        "Compare",
        ":material/compare_arrows:",
        "compare",
        "Compare tools",
        "up to four tools side by side; with a scenario in the address, each tool's fit for it",
        example="tools=stormwaterfees,stormwatermanagement",
    ),
    PageSpec(
        "challenges",
        "app_pages/challenges.py",
        "Challenges",
        ":material/construction:",
        "challenges",
        "Challenges",
        "challenges, ways around them, tools that help",
        example="challenge=upfront-funding",
    ),
    PageSpec(
        "workshop",
        "app_pages/workshop.py",
        "Workshop vote",
        ":material/how_to_vote:",
        "workshop",
        "Workshop vote",
        "start a dot vote; `?session=CODE&host=KEY` is the facilitator's view, `?join=CODE` the participants' "
        "(`&me=TOKEN` is added when they press Join)",
        example="tools=stormwaterfees,stormwatermanagement,visionzero",
    ),
)
SPECS: dict[str, PageSpec] = {p.key: p for p in PAGES}
_BUILT = "_pages_built"  # session key of this run's st.Page objects

if {p.key for p in PAGES} != set(get_args(PageKey)):  # pragma: no cover - a registry edit half done
    raise RuntimeError("ui/pages.py: PageKey and PAGES name different pages")


def build_pages() -> dict[str, StreamlitPage]:
    """The `st.Page` objects for this run, in menu order; the router calls this once."""
    built: dict[str, StreamlitPage] = {
        p.key: st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path or None, default=p.default)
        for p in PAGES
    }
    st.session_state[_BUILT] = built
    return built


def page(key: PageKey) -> StreamlitPage:
    """The registered `st.Page` for `key`, for `st.page_link` and `st.switch_page`."""
    built: dict[str, StreamlitPage] | None = st.session_state.get(_BUILT)
    if built is None:  # a page run without the router (not in the app; a safety net)
        built = build_pages()
    return built[key]


def address_table() -> str:
    """The README's address table, from the registry (`python -m ui.pages` prints it; a test
    checks the README holds it as printed)."""
    rows = ["| address | page |", "|---|---|"]
    rows += [f"| `{p.address}` | {p.about} |" for p in PAGES]
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover - prints the README's table
    print(address_table())
