"""AppTest: the tool page's "Usually comes after" and "Opens the way to"."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from support import open_page

pytestmark = pytest.mark.usefixtures("fresh_app")


def tool_page(slug: str) -> AppTest:
    return open_page("app_pages/tool.py", slug=slug)


def links(at: AppTest) -> dict[str, str]:
    return {p.label: p.proto.query_string for p in at.get("page_link")}


def test_official_map_usually_comes_after_a_comprehensive_plan():
    at = tool_page("officialmap")
    assert "What comes first" in [h.value for h in at.header]
    subs = [h.value for h in at.subheader]
    assert "Usually comes after" in subs and "Opens the way to" in subs
    assert links(at)["Multimunicipal Comprehensive Plans"] == "slug=multimunicipalcomprehensiveplans"
    captions = [c.value for c in at.caption]
    assert any(c.startswith("The map draws its streets, trails and parks") for c in captions)
    assert "No tool builds on this one." in captions


def test_a_comprehensive_plan_opens_the_way_to_the_tools_that_build_on_it():
    at = tool_page("multimunicipalcomprehensiveplans")
    targets = links(at)
    for title, slug in (("Official Map", "officialmap"), ("Agricultural Zoning", "agriculturalzoning")):
        assert targets[title] == f"slug={slug}"
    assert "Nothing needs to come first." in [c.value for c in at.caption]


def test_a_tool_with_no_order_has_no_section():
    at = tool_page("accessmanagement")
    assert "What comes first" not in [h.value for h in at.header]


def test_a_reason_is_shown_as_text(content_copy, monkeypatch):
    path = content_copy / "tools" / "visionzero.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("    reason:", text.index("buildsOn:"))
    end = text.index("\n", start)
    text = text[:start] + '    reason: "See **this** [link](https://evil.example) <b>now</b>"' + text[end:]
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("TOOLBOX_CONTENT_DIR", str(content_copy))
    at = tool_page("visionzero")
    caption = next(c.value for c in at.caption if "this" in c.value and "See" in c.value)
    assert "\\*\\*this\\*\\*" in caption and "\\[link\\]" in caption and "\\<b\\>" in caption
