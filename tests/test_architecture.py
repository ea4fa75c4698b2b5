"""logic/ is a pure library: no Streamlit, reachable without the app."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from support import ROOT


def test_logic_source_never_imports_streamlit():
    offenders = []
    for path in (ROOT / "logic").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert offenders == []


def test_importing_logic_loads_no_streamlit_module():
    code = (
        "import sys, logic, logic.cli, logic.rules, logic.coverage, logic.export, logic.scenario, logic.browse;"
        "print(any(m == 'streamlit' or m.startswith('streamlit.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# Streamlit's widgets (what a key names); containers (expander, tabs, popover) need none
WIDGETS = {
    "button", "download_button", "link_button", "checkbox", "toggle", "radio", "selectbox", "multiselect",
    "slider", "select_slider", "text_input", "number_input", "text_area", "date_input", "time_input",
    "file_uploader", "camera_input", "color_picker", "pills", "segmented_control", "data_editor",
    "chat_input", "feedback", "form_submit_button", "audio_input",
}  # fmt: skip


def widget_keys(source: str) -> list[tuple[int, str, str | None]]:
    """(line, widget, the key's literal start) of each widget call, on any receiver (st.x,
    a column, a container, st.sidebar); the key None when the call has none, "" when it is
    computed (a variable)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WIDGETS):
            continue
        key = next((k.value for k in node.keywords if k.arg == "key"), None)
        if key is None:
            out.append((node.lineno, node.func.attr, None))
        elif isinstance(key, ast.Constant) and isinstance(key.value, str):
            out.append((node.lineno, node.func.attr, key.value))
        elif isinstance(key, ast.JoinedStr) and key.values and isinstance(key.values[0], ast.Constant):
            out.append((node.lineno, node.func.attr, str(key.values[0].value)))
        else:
            out.append((node.lineno, node.func.attr, ""))
    return out


def test_the_widget_key_check_sees_every_call_form():
    src = (
        "st.button('a')\n"
        "col.selectbox('b', [], key='find_b')\n"
        "st.sidebar.toggle('c', key=f'tool_{x}')\n"
        "row.download_button('d', b'', key=name)\n"
        "with st.expander('e'):\n    pass\n"
    )
    assert widget_keys(src) == [
        (1, "button", None),
        (2, "selectbox", "find_b"),
        (3, "toggle", "tool_"),
        (4, "download_button", ""),
    ]


def test_every_page_in_the_router_exists_and_widgets_have_page_prefixed_keys():
    from ui.pages import PAGES

    files = [spec.file for spec in PAGES]
    assert len({spec.url_path for spec in PAGES}) == len(files)
    sources = {f: f.split("/")[-1].removesuffix(".py") + "_" for f in files}
    sources["app.py"] = "app_"
    prefixes = tuple(f.split("/")[-1].removesuffix(".py") + "_" for f in files) + ("app_",)
    # ui/: any page's prefix, but a part of one page (ui/find_cards.py) has that page's
    for p in sorted((ROOT / "ui").glob("*.py")):
        sources[str(p.relative_to(ROOT))] = next((x for x in prefixes if p.name.startswith(x)), "")
    for f, prefix in sources.items():
        assert (ROOT / f).exists(), f
        for line, widget, key in widget_keys((ROOT / f).read_text(encoding="utf-8")):
            assert key is not None, f"{f}:{line}: st.{widget} without an explicit key"
            if key:  # a literal (or an f-string's literal start): the page's prefix
                assert key.startswith(prefix or prefixes), (
                    f"{f}:{line}: key {key!r} does not start with {prefix or prefixes}"
                )


def _production_sources():
    yield ROOT / "app.py"
    for folder in ("logic", "ui", "app_pages"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_production_code_has_no_assert_and_one_csv_writer_and_one_home_for_database_drivers():
    """`python -O` strips asserts, so a check that matters raises; CSV cells get one
    formula guard (logic/export.py); only logic/vote_storage.py talks to a database."""
    asserts, csv_users, drivers = [], [], []
    for path in _production_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(ROOT).as_posix()
        asserts += [f"{rel}:{n.lineno}" for n in ast.walk(tree) if isinstance(n, ast.Assert)]
        imported = _imports(tree)
        if "csv" in imported:
            csv_users.append(rel)
        if imported & {"sqlite3", "psycopg", "psycopg2", "sqlalchemy"}:
            drivers.append(rel)
    assert asserts == []
    assert csv_users == ["logic/export.py"]
    assert drivers == ["logic/vote_storage.py"]


def test_the_server_skips_streamlits_full_garbage_collection_after_every_run():
    """Measured (README, Performance and Sixty phones at once): the collection after
    every run held each page switch 35-70 ms and made 60 phones joining at once wait a
    median 13.5 s for their ballot instead of 2 s."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False


def test_find_and_the_brief_import_no_chart_or_pdf_library_until_they_draw_one():
    """A cold shared /find link opens without pandas, Altair and the PDF libraries (about a
    second on a fresh server): they are imported when a chart or a file is first made."""
    import subprocess
    import sys

    code = (
        "import sys; import logic.brief, logic.charts, logic.export, logic.plan, logic.votes, ui.charts; "
        "heavy = [m for m in ('pandas', 'altair', 'fpdf', 'segno', 'vl_convert') if m in sys.modules]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


def _logic_imports() -> dict[str, set[str]]:
    """logic's modules -> the logic modules each imports when it runs, lazy imports inside
    functions included (an `if TYPE_CHECKING:` block is not run)."""
    modules = {}
    for path in sorted((ROOT / "logic").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = (path, parts[-1] == "__init__")
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = {
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for child in node.body
            for n in ast.walk(child)
        }
        here = name if is_package else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = here
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                base = (f"{base}.{node.module}" if node.module else base) if node.level else node.module or ""
                named = {f"{base}.{a.name}" for a in node.names}
                # `from . import scoring` imports the submodule, as `from .scoring import x` does; the
                # package is its parent, already importing (only a name that is no module reads the package)
                if node.module or not named <= modules.keys():
                    targets.add(base)
                targets |= named
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def test_logic_has_no_import_cycle_and_the_content_files_module_is_a_leaf():
    """Issue 17: the loader <-> model cycle (Catalog.fingerprint read the files through the
    loader) is gone: model and the loader both import logic/content/files.py, which imports
    nothing from logic, and no module of logic reaches itself through its imports."""
    graph = _logic_imports()
    assert graph["logic.content.files"] == set()
    assert "logic.content.files" in graph["logic.model"]

    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt in path:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in done:
                visit(nxt, [*path, nxt])
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start])
    assert cycles == []


def test_only_the_postgres_group_uses_the_shared_test_database():
    """Under pytest-xdist the PostgreSQL tests must run in one process (one database, whose
    tables test_votes drops and whose locks the hardening tests hold): every test file that
    reads TOOLBOX_TEST_PG is in support.ONE_PROCESS["postgres"]."""
    from support import one_process_group

    users = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests").rglob("test_*.py")
        if path != Path(__file__) and "TOOLBOX_TEST_PG" in path.read_text(encoding="utf-8")
    }
    assert users, "the PostgreSQL tests read TOOLBOX_TEST_PG"
    assert {u for u in users if one_process_group(f"{u}::t") != "postgres"} == set()
