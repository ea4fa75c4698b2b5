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
from pathlib import Path
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
    """The README's address table, from the registry (`python -m ui.pages` prints it,
    `--write` puts it in the README; a test checks the README holds exactly this)."""
    rows = ["| address | page |", "|---|---|"]
    rows += [f"| `{p.address}` | {p.about} |" for p in PAGES]
    return "\n".join(rows)


README = Path(__file__).resolve().parent.parent / "README.md"


def _table_span(text: str) -> tuple[int, int]:
    """Where the README's address table is: the lines starting with "|" that first follow
    its "## Addresses" heading (start offset, end offset after the last row's newline)."""
    start = text.index("\n|", text.index("\n## Addresses\n")) + 1
    end = start
    while text.startswith("|", end):
        newline = text.find("\n", end)
        end = len(text) if newline == -1 else newline + 1
    return start, end


def readme_table(text: str) -> str:
    """The address table the README text holds, as written."""
    start, end = _table_span(text)
    return text[start:end].rstrip("\n")


def write_readme(path: Path = README) -> bool:
    """Put the registry's address table in the README in place of the one there; True when
    that changed the file."""
    text = path.read_text(encoding="utf-8")
    start, end = _table_span(text)
    new = text[:start] + address_table() + "\n" + text[end:]
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


if __name__ == "__main__":  # pragma: no cover - prints (or writes) the README's table
    import sys

    if "--write" in sys.argv[1:]:
        print(f"{README}: {'address table rewritten' if write_readme() else 'address table already current'}")
    else:
        print(address_table())
