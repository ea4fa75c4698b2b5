"""The catalog's edition (content/catalog.yaml) and content fingerprint, shown on every brief."""

from __future__ import annotations

from pathlib import Path

from logic import load_catalog
from logic.content.files import content_fingerprint


def _problems(catalog, field: str = "") -> list[str]:
    return [p.line() for p in catalog.problems if p.file == "catalog.yaml" and (not field or p.field == field)]


def test_the_real_catalog_has_a_version_a_date_and_a_fingerprint(catalog):
    assert catalog.version and catalog.date and len(catalog.fingerprint) == 12
    assert catalog.edition == f"version {catalog.version} of {catalog.date} (content {catalog.fingerprint})"
    assert _problems(catalog) == []


def test_a_missing_file_is_a_warning_and_the_catalog_unversioned(catalog, content_copy: Path):
    (content_copy / "catalog.yaml").unlink()
    cat = load_catalog(content_copy)
    assert cat.version == "" and cat.date == ""
    assert cat.edition.startswith("unversioned (content ")
    assert any("warning" in line and "missing" in line for line in _problems(cat))
    assert len(cat.tools) == len(catalog.tools)  # nothing else changes


def test_bad_values_are_errors_naming_the_field(content_copy: Path):
    (content_copy / "catalog.yaml").write_text('version: ""\ndate: 30/06/2025\nextra: 1\n', encoding="utf-8")
    cat = load_catalog(content_copy)
    assert cat.version == "" and cat.date == ""
    assert any(line.startswith("error") for line in _problems(cat, "version"))
    assert any("30/06/2025" in line and "YYYY-MM-DD" in line for line in _problems(cat, "date"))
    assert any("unknown keys ignored: extra" in line for line in _problems(cat))


def test_a_quoted_date_and_a_numeric_version_are_read(content_copy: Path):
    (content_copy / "catalog.yaml").write_text('version: 3\ndate: "2026-01-02"\n', encoding="utf-8")
    cat = load_catalog(content_copy)
    assert (cat.version, cat.date) == ("3", "2026-01-02") and _problems(cat) == []


def test_the_fingerprint_follows_the_bytes_not_the_file_dates(content_copy: Path):
    before = content_fingerprint(content_copy)
    page = content_copy / "tools" / "floodplainordinances.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text, encoding="utf-8")  # same bytes, new mtime
    assert content_fingerprint(content_copy) == before
    page.write_text(text.replace("Floodplain Ordinances", "Floodplain Ordinance", 1), encoding="utf-8")
    assert content_fingerprint(content_copy) != before


def test_not_cues_that_read_nothing_or_are_badly_written_are_named(content_copy: Path):
    """`notCues`: a word no cue starts, a tool's own cue, or one not written as a cue is a
    warning naming notCues[i]; the good ones are kept and the catalog loads whole."""
    (content_copy / "catalog.yaml").write_text(
        'version: "1"\ndate: 2026-01-02\nnotCues: [lawnside, Lawn Side, zzyzx, warehouse, double park]\n',
        encoding="utf-8",
    )
    cat = load_catalog(content_copy)
    assert cat.not_cues == ("lawnside", "zzyzx", "warehouse", "double park")
    assert any("notCues[1]" in line and "lower-case" in line for line in _problems(cat))
    assert any("'zzyzx'" in line and "stops nothing" in line for line in _problems(cat, "notCues"))
    assert any(
        "'warehouse'" in line and "truckroutenetworkdesignation.md" in line for line in _problems(cat, "notCues")
    )
    assert any("'double park' is a cue of tools/curbsidemanagement.md" in line for line in _problems(cat, "notCues"))
    assert not any("lawnside" in line for line in _problems(cat))
    assert len(cat.tools) == 75 and all(line.startswith("warning") for line in _problems(cat))
