"""The output formats, declared once: `FORMATS` gives each its name (`--format`, the
download button's key), file suffix, media type, the word its file name carries, the
button's label and icon, a line on what it is, and its maker. The command line, the
/find downloads, the workshop and the tests read it; a new format is one entry here
(and its maker). Also the files' names and `render`."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Catalog
from ..scenario_file import scenario_json
from .data import brief_csv, brief_markdown
from .html import brief_html
from .model import APP_NAME, Brief
from .pdf import brief_pdf

MAX_SLUG = 60  # characters of the title in a file name


@dataclass(frozen=True)
class Format:
    name: str  # --format, the download button's key (find_dl_<name>)
    suffix: str  # the file's extension
    media_type: str
    label: str  # the download button's label
    icon: str  # the download button's icon
    about: str  # what it is, one line (the downloads' caption, --help)
    make: Callable[[Brief, Catalog], bytes]
    kind: str = ""  # the word the file's name carries after the title ("results"); "" for a brief


def _text(maker: Callable[[Brief, Catalog], str]) -> Callable[[Brief, Catalog], bytes]:
    return lambda brief, catalog: maker(brief, catalog).encode("utf-8")


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "pdf",
            "pdf",
            "application/pdf",
            "Brief (PDF)",
            ":material/picture_as_pdf:",
            "the brief for a council packet: two Letter pages for a top 5 (three for a town facing many obstacles)",
            lambda brief, catalog: brief_pdf(brief),
        ),
        Format(
            "html",
            "html",
            "text/html",
            "Brief (HTML, opens offline)",
            ":material/description:",
            "the same brief as one web page that opens offline, on a phone too",
            _text(lambda brief, catalog: brief_html(brief)),
        ),
        Format(
            "csv",
            "csv",
            "text/csv",
            "Results (CSV)",
            ":material/table:",
            "every tool ranked, for a spreadsheet",
            _text(brief_csv),
            kind="results",
        ),
        Format(
            "md",
            "md",
            "text/markdown",
            "Handout (Markdown)",
            ":material/notes:",
            "a plain-text handout to paste into an email or a report",
            _text(brief_markdown),
            kind="handout",
        ),
        Format(
            "json",
            "json",
            "application/json",
            "Scenario file (JSON)",
            ":material/save:",
            "these choices, to open here again",
            _text(scenario_json),
            kind="scenario",
        ),
    )
}


def file_name(title: str, fmt: str, today: dt.date | None = None) -> str:
    """A download's name, after the brief's title and the date: "rural-township-workshop-2026-12-04.pdf",
    "rural-township-workshop-results-2026-12-04.csv". An untitled brief (or one with the default
    title) is "toolbox-brief-2026-12-04.pdf"; the name is plain ASCII whatever the title says."""
    day = (today or dt.date.today()).isoformat()
    kind = FORMATS[fmt].kind
    stem = title_slug(title)
    if not stem or re.fullmatch(rf"{APP_NAME}: [A-Z][a-z]+ \d{{1,2}}, \d{{4}}", (title or "").strip()):
        stem = "toolbox"
        kind = kind or "brief"
    stem = stem.removesuffix(f"-{day}")  # a title that already ends with the date
    return "-".join(part for part in (stem, kind, day) if part) + f".{FORMATS[fmt].suffix}"


def title_slug(title: str, limit: int = MAX_SLUG) -> str:
    """A safe file-name stem of a title: ASCII letters and digits joined by hyphens, at most
    `limit` characters, cut at a hyphen ("Rural Township: Workshop #2" -> "rural-township-workshop-2")."""
    text = unicodedata.normalize("NFKD", title or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("&", " and ")
    slug = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode("ascii").lower()).strip("-")
    if len(slug) > limit:
        slug = slug[: limit + 1].rsplit("-", 1)[0] if "-" in slug[: limit + 1] else slug[:limit]
    return slug.strip("-")


def render(brief: Brief, catalog: Catalog, fmt: str) -> bytes:
    """The brief in one format (see FORMATS), as the bytes of the file."""
    return FORMATS[fmt].make(brief, catalog)
