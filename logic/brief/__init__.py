"""Take-aways of a scenario: a brief (PDF and HTML) and its data files.

- model.py: `make_brief` gathers everything a brief shows into one `Brief`;
  `room_brief` makes a workshop's;
- html.py: `brief_html`, one self-contained file (no request of any kind);
- pdf.py: `brief_pdf`, Letter pages, two for a top 5;
- data.py: `brief_markdown` (the handout) and `brief_csv` (the results);
- chart_images.py: the charts as SVG or PNG (vl-convert, imported on first use);
- formats.py: the formats, the files' names and `render`.

The scenario file (`scenario_json`, `read_scenario_file`) is logic/scenario_file.py;
its names are here too, for the callers that make every format from one place.
"""

from __future__ import annotations

from ..scenario_file import (
    MAX_SCENARIO_BYTES,
    SCHEMA,
    SCHEMA_VERSION,
    LoadedScenario,
    load_scenario_file,
    read_scenario_file,
    scenario_json,
)
from .data import brief_csv, brief_markdown
from .formats import FORMATS, file_name, render, title_slug
from .html import brief_html
from .model import (
    Brief,
    BriefChart,
    BriefTool,
    Source,
    default_title,
    make_brief,
    obstacles,
    room_brief,
    scenario_link,
    short_link,
)
from .pdf import brief_pdf, paper_url

__all__ = [
    "FORMATS",
    "MAX_SCENARIO_BYTES",
    "SCHEMA",
    "SCHEMA_VERSION",
    "Brief",
    "BriefChart",
    "BriefTool",
    "LoadedScenario",
    "Source",
    "brief_csv",
    "brief_html",
    "brief_markdown",
    "brief_pdf",
    "default_title",
    "file_name",
    "load_scenario_file",
    "make_brief",
    "obstacles",
    "paper_url",
    "read_scenario_file",
    "render",
    "room_brief",
    "scenario_json",
    "scenario_link",
    "short_link",
    "title_slug",
]
