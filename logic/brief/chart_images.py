"""The brief's charts as images: Vega-Lite rendered by vl-convert (Vega in an embedded
JavaScript engine, no browser, no network), imported on first use."""

from __future__ import annotations

import struct
from typing import Any

from .model import BriefChart


def _vlc() -> Any:
    import vl_convert

    return vl_convert


def chart_svg(chart: BriefChart) -> str:
    return str(_vlc().vegalite_to_svg(dict(chart.spec)))


def chart_png(chart: BriefChart, scale: float = 3) -> bytes:
    return bytes(_vlc().vegalite_to_png(dict(chart.spec), scale=scale))


def _png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height
