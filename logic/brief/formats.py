"""The brief's file formats: their suffixes and media types, the files' names, and
`render`, which makes the bytes of one format from a `Brief`."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..model import Catalog
from ..scenario_file import scenario_json
from .data import brief_csv, brief_markdown
from .html import brief_html
from .model import APP_NAME, Brief
from .pdf import brief_pdf

MAX_SLUG = 60  # characters of the title in a file name
FORMATS: dict[str, tuple[str, str]] = {  # format -> (file suffix, MIME type)
    "pdf": ("pdf", "application/pdf"),
    "html": ("html", "text/html"),
    "md": ("md", "text/markdown"),
    "csv": ("csv", "text/csv"),
    "json": ("json", "application/json"),
}


def file_name(title: str, fmt: str, today: dt.date | None = None) -> str:
    """A download's name, after the brief's title and the date: "rural-township-workshop-2026-12-04.pdf",
    "rural-township-workshop-results-2026-12-04.csv". An untitled brief (or one with the default
    title) is "toolbox-brief-2026-12-04.pdf"; the name is plain ASCII whatever the title says."""
    day = (today or dt.date.today()).isoformat()
    kind = {"csv": "results", "md": "handout", "json": "scenario"}.get(fmt, "")
    stem = title_slug(title)
    if not stem or re.fullmatch(rf"{APP_NAME}: [A-Z][a-z]+ \d{{1,2}}, \d{{4}}", (title or "").strip()):
        stem = "toolbox"
        kind = kind or "brief"
    stem = stem.removesuffix(f"-{day}")  # a title that already ends with the date
    return "-".join(part for part in (stem, kind, day) if part) + f".{FORMATS[fmt][0]}"


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
    if fmt == "pdf":
        return brief_pdf(brief)
    text = {
        "html": brief_html,
        "md": lambda b: brief_markdown(b, catalog),
        "csv": lambda b: brief_csv(b, catalog),
        "json": lambda b: scenario_json(b, catalog),
    }[fmt](brief)
    return text.encode("utf-8")
