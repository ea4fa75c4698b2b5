"""The brief's data files: the Markdown handout and the results CSV (logic/export.py)."""

from __future__ import annotations

from ..export import handout_markdown, results_csv
from ..model import Catalog
from ..text import escape_md_file
from .model import DEFAULT_TOP, Brief, long_date


def brief_markdown(brief: Brief, catalog: Catalog) -> str:
    """The plain handout (logic/export.py), under the brief's title."""
    text = handout_markdown(
        catalog,
        brief.scenario.profile,
        brief.ranked,
        brief.balanced,
        brief.link,
        top=len(brief.tools) or DEFAULT_TOP,
        plan=brief.plan,
    )
    head, _, rest = text.partition("\n")
    del head
    # the title may come from a shared scenario file: text in any Markdown viewer, never a link or HTML
    return f"# {escape_md_file(brief.title)}\n\n_Made {long_date(brief.date)}; catalog {escape_md_file(brief.edition)}._\n{rest}"


def brief_csv(brief: Brief, catalog: Catalog | None = None) -> str:
    return results_csv(brief.ranked, brief.plan, catalog)
