"""Text helpers: safe links, Markdown that is shown and never run, summaries."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a body is first parsed: the CLI's other paths do not pay for it
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")
# a Markdown link or image: its label, then an address that may hold balanced parentheses
# (".../Vision_Zero_(road_safety)") and an optional "title"
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(((?:[^()\s]|\([^()\s]*\))*)(?:\s+\"[^\"]*\")?\)")
# Streamlit's Markdown turns some plain text into links or icons after escapes are
# read (GFM "autolink literals" for http://, www. and e-mail addresses; ":material/x:"
# icons), so escaped text also gets an invisible word joiner (U+2060) that breaks
# those patterns without changing what the reader sees.
_WORD_JOINER = "\u2060"
_LITERAL_TRIGGERS = re.compile(r"(?<=:)(?=//)|(?<=@)|(?<=www)(?=\.)|(?<=:)(?=material/)", re.I)
# A link target re-emitted as <URL>: only characters that cannot end or escape it.
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_BARE_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
_ALIGN = {"left": ":--", "center": ":-:", "right": "--:"}


# http(s) with a host, or mailto with an address; none of the characters that could end
# a Markdown link or start HTML anywhere in it (one compiled pattern: the loader checks
# every link of every page, 30,000 of them in a 10,000-tool catalog)
_SAFE_LINK = re.compile(
    r"(?:[hH][tT][tT][pP][sS]?://[^\s/?#<>\"`\\]+|[mM][aA][iI][lL][tT][oO]:[^\n\r\t<>\"`\\])[^\n\r\t<>\"`\\]*"
)


def slug_key(text: str) -> str:
    """A slug as written anywhere (a page's `slug`, a list in goals.yaml, the address, the command
    line) as the catalog keys it: no spaces or slashes around it, lower case."""
    return text.strip().strip("/").lower()


def is_safe_link(url: object) -> bool:
    """True only for http(s) links with a host and for mailto links."""
    return isinstance(url, str) and _SAFE_LINK.fullmatch(url.strip()) is not None


def escape_md(text: str) -> str:
    """Escape text so that Markdown shows it literally: no links (bare addresses
    included), no HTML, no emphasis, no Streamlit icons or colours."""
    return _MD_SPECIAL.sub(r"\\\1", _LITERAL_TRIGGERS.sub(_WORD_JOINER, str(text)))


_MD_FILE_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~$])")


def escape_md_file(text: str) -> str:
    """Escape text for a Markdown file opened in any viewer (GitHub, VS Code, Obsidian):
    no link, image, HTML, emphasis, code, table cell, maths or autolink; punctuation
    that starts nothing mid-line (parentheses, colons, dots) is left as it reads."""
    return _MD_FILE_SPECIAL.sub(r"\\\1", _LITERAL_TRIGGERS.sub(_WORD_JOINER, str(text)))


_ICON_TRIGGER = re.compile(r"(?<=:)(?=material/)", re.I)


def md_link(label: str, url: str) -> str:
    """A Markdown link, or the escaped label alone when the link is unsafe. Inside a link's
    label no address becomes a second link, so the label gets no word joiner there: an
    address shown as its own label (the workshop's join link) copies as a working address."""
    if not is_safe_link(url):
        return escape_md(label)
    safe_url = url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    text = _MD_SPECIAL.sub(r"\\\1", _ICON_TRIGGER.sub(_WORD_JOINER, str(label)))
    return f"[{text}]({safe_url})"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """CommonMark plus the GFM tables and strikethrough Streamlit shows.

    Every link is parsed (the allow-list is applied when the Markdown is written
    back out, so an unsafe link can be reported and shown as its label)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def _tree(body: str) -> SyntaxTreeNode:
    from markdown_it.tree import SyntaxTreeNode

    return SyntaxTreeNode(_parser().parse(body))


def _safe_href(href: str | None) -> str | None:
    """The link target if it is allowed and can be written as <URL>, else None."""
    if not href or not is_safe_link(href) or not _URL_CHARS.fullmatch(href):
        return None
    return href


def _image_label(node: SyntaxTreeNode) -> str:
    alt = " ".join(node.content.split()) if node.content else ""
    return f"Image: {alt}" if alt else "Image"


class _Writer:
    """Writes a markdown-it syntax tree back out as Markdown that only contains
    escaped text, allowed links, and block structure (headings, lists, quotes,
    code, tables, rules). Nothing else survives: no HTML, no images, no
    reference definitions, no link that is not http(s) or mailto. `heading_level`:
    every heading written at that level (a tool's body below the page's own headings)."""

    def __init__(self, heading_level: int | None = None) -> None:
        self.heading_level = heading_level

    def inline(self, node: SyntaxTreeNode, in_link: bool = False) -> str:
        out: list[str] = []
        for child in node.children:
            kind = child.type
            if kind == "text":
                out.append(escape_md(child.content))
            elif kind == "softbreak":
                out.append("\n")
            elif kind == "hardbreak":
                out.append("\\\n")
            elif kind == "code_inline":
                out.append(_code_span(child.content))
            elif kind in ("em", "strong", "s"):
                mark = child.markup or {"em": "*", "strong": "**", "s": "~~"}[kind]
                out.append(f"{mark}{self.inline(child, in_link)}{mark}")
            elif kind == "link":
                label = self.inline(child, in_link=True)
                href = _safe_href(child.attrs.get("href"))  # type: ignore[arg-type]
                out.append(f"[{label}](<{href}>)" if href and not in_link and label.strip() else label)
            elif kind == "image":
                label = escape_md(_image_label(child))
                href = _safe_href(child.attrs.get("src"))  # type: ignore[arg-type]
                out.append(f"[{label}](<{href}>)" if href and not in_link else label)
            else:  # html_inline and anything unforeseen: shown as text
                out.append(escape_md(child.content))
        return "".join(out)

    def blocks(self, nodes: list[SyntaxTreeNode], tight: bool = False) -> list[str]:
        lines: list[str] = []
        for node in nodes:
            part = self.block(node)
            if not part:
                continue
            if lines and not tight:
                lines.append("")
            lines.extend(part)
        return lines

    def block(self, node: SyntaxTreeNode) -> list[str]:
        kind = node.type
        if kind == "paragraph":
            return self.inline(node.children[0]).split("\n") if node.children else []
        if kind == "heading":
            level = self.heading_level or (int(node.tag[1]) if node.tag[1:].isdigit() else 2)
            text = self.inline(node.children[0]).replace("\\\n", " ").replace("\n", " ")
            return ["#" * level + " " + text]
        if kind in ("bullet_list", "ordered_list"):
            return self.listing(node)
        if kind == "blockquote":
            return [f"> {line}" if line else ">" for line in self.blocks(node.children)]
        if kind in ("fence", "code_block"):
            return _code_block(node.content, node.info if kind == "fence" else "")
        if kind == "hr":
            return ["---"]
        if kind == "table":
            return self.table(node)
        # html_block and anything unforeseen: its source shown as text, line by line
        shown = [escape_md(line.strip()) for line in node.content.strip("\n").split("\n")]
        return [line + "\\" if i < len(shown) - 1 and line else line for i, line in enumerate(shown)]

    def listing(self, node: SyntaxTreeNode) -> list[str]:
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        delim = node.markup or ("." if ordered else "-")
        tight = all(
            p.nester_tokens is not None and p.nester_tokens.opening.hidden  # a paragraph always has its tokens
            for item in node.children
            for p in item.children
            if p.type == "paragraph"
        )
        lines: list[str] = []
        for i, item in enumerate(node.children):
            marker = f"{start + i}{delim}" if ordered else delim
            body = self.blocks(item.children, tight=tight)
            if lines and not tight:
                lines.append("")
            pad = " " * (len(marker) + 1)
            if not body:
                lines.append(marker)
                continue
            lines.append(f"{marker} {body[0]}" if body[0] else marker)
            lines.extend(pad + line if line else "" for line in body[1:])
        return lines

    def table(self, node: SyntaxTreeNode) -> list[str]:
        rows: list[list[str]] = []
        aligns: list[str] = []
        for section in node.children:
            for tr in section.children:
                cells = []
                for cell in tr.children:
                    text = self.inline(cell.children[0]) if cell.children else ""
                    cells.append(text.replace("\\\n", " ").replace("\n", " "))
                    if section.type == "thead":
                        style = str(cell.attrs.get("style", "")).removeprefix("text-align:")
                        aligns.append(_ALIGN.get(style, "---"))
                rows.append(cells)
        if not rows:
            return []
        out = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join(aligns or ["---"] * len(rows[0])) + " |"]
        out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return out


def _code_span(code: str) -> str:
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
    pad = " " if code.startswith(("`", " ")) or code.endswith(("`", " ")) else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def _code_block(code: str, info: str) -> list[str]:
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
    lang = info.split()[0] if info.split() else ""
    lang = lang if re.fullmatch(r"[A-Za-z0-9_+-]{1,30}", lang) else ""
    return [fence + lang, *code.rstrip("\n").split("\n"), fence]


def safe_markdown(body: str) -> str:
    """Markdown a content editor wrote, made safe to render.

    The body is parsed with markdown-it-py (CommonMark, GFM tables and
    strikethrough) and written back out: text is escaped, links keep only
    http(s) and mailto targets (any other link shows its label as text), an
    image becomes a link to it labelled "Image: ALT" (never fetched), raw HTML
    is shown as text, and a bare address in text stays text.
    """
    return safe_body(body, heading_level=None)


def safe_body(body: str, heading_level: int | None = 4) -> str:
    """`safe_markdown` with every heading at `heading_level` (a tool's body shown below the
    page's own headings); code blocks are written back as they are."""
    tree = _tree(body)
    return "\n".join(_Writer(heading_level).blocks(tree.children))


def body_warnings(body: str) -> list[str]:
    """What `safe_markdown` changes in a body, one sentence each, for the validator."""
    out: list[str] = []
    lowered = body.lower()
    if not any(mark in lowered for mark in ("[", "<", "http", "www.")):
        return out  # no link, image, HTML or address can be there: skip the parse

    def add(message: str) -> None:
        if message not in out:
            out.append(message)

    for node in _tree(body).walk():
        if node.type in ("html_block", "html_inline"):
            add("contains HTML; it is shown as text, never run")
        elif node.type == "link" and _safe_href(node.attrs.get("href")) is None:  # type: ignore[arg-type]
            add(f"link {str(node.attrs.get('href'))[:200]!r} is not http(s) or mailto; its label is shown as text")
        elif node.type == "image":
            src = str(node.attrs.get("src"))[:200]
            if _safe_href(src) is None:
                add(f"image {src!r} is not http(s); its description is shown as text")
            else:
                add(f"image {src!r} is shown as a link to it, never loaded into the page")
        elif node.type == "text" and node.parent and node.parent.type not in ("link", "image"):
            m = _BARE_ADDRESS.search(node.content)
            if m:
                add(f"bare address {m.group(0)[:200]!r} is shown as text; write <{m.group(0)[:200]}> to link it")
    return out


MAX_TITLE = 120  # characters of a brief's or a scenario file's title


def clean_title(title: str | None, limit: int = MAX_TITLE) -> str:
    """A title on one line, without control characters, at most `limit` characters."""
    if not title:
        return ""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in title).split())
    return text[:limit]


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (or 'a or b' with `conjunction='or'`). Where an item has
    its own "and" or comma outside quotation marks ("staff time and data skills"), a comma
    before the last (of two) or semicolons (of more) keep the items apart: 'a, and staff time
    and data skills', 'a; staff time and data skills; and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if any(re.search(r", | and ", re.sub(r"“[^”]*”", "", x)) for x in items):
        if len(items) == 2:
            return f"{items[0]}, {conjunction} {items[1]}"
        return "; ".join(items[:-1]) + f"; {conjunction} " + items[-1]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def mid_sentence(text: str) -> str:
    """A title or sentence read on inside another sentence: its first letter in lower case
    ("Limited by Pennsylvania law" as "limited by Pennsylvania law"); a name that opens with
    an acronym ("DVRPC ...", "MS4 ...") and every later word are kept as written."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def normalise_name(name: str) -> str:
    """Lower case, '&' as 'and', accents and punctuation dropped, spaces folded."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _block_parser() -> MarkdownIt:
    """`_parser` without the inline rules: block tokens only, each inline token holding its
    source text. `sections` needs no more, and this is several times faster."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.core.ruler.disable(["inline", "text_join"])
    return md


_TOP_HEADINGS = ("h1", "h2", "h3")
# What can make a line that starts with '#' something else than a heading, or make a heading
# of a line that does not: a code fence, HTML, a setext underline (or a line of dashes), a
# '#' line indented (in a list item, or code), a line break markdown-it and str.splitlines
# count differently, a NUL (markdown-it replaces it). A body without any is split on its
# '#' lines alone (all 75 real pages are); one with any is parsed (_block_parser).
# (two patterns that each start with a literal or a class: re scans for those in C, where
# one pattern of alternatives anchored at line starts is tried at every character)
_NOT_PLAIN_LINE = re.compile(r"\n[ \t]*(?:```|~~~|<|=+[ \t]*(?:\n|$)|-+[ \t]*(?:\n|$))|\n[ \t]+#")
_ODD_BREAK = re.compile(r"[\r\x00\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_ATX = re.compile(r"\n(#{1,6})([ \t][^\n]*)?(?![^\n])")  # an ATX heading line, searched in "\n" + body


def _heading_text(rest: str) -> str:
    """An ATX heading's text as markdown-it reads it: the text after the opening '#'s, a
    closing run of '#'s dropped when a space or tab comes before it, spaces folded."""
    text = rest.rstrip(" \t")
    open_end = text.rstrip("#")
    if open_end and len(open_end) < len(text) and open_end[-1] in " \t":
        text = open_end
    return " ".join(text.split())


def sections(body: str) -> dict[str, str]:
    """Split a body on its headings (levels 1-3, as markdown-it reads them: a `#` line in a code
    block is code; a setext heading is a heading); text before the first heading is ''. Each
    section is its source lines."""
    lines = body.splitlines()
    heads: list[tuple[int, int, str]] = []  # (first line, line after it, text) of each heading
    if _NOT_PLAIN_LINE.search("\n" + body) is None and _ODD_BREAK.search(body) is None:
        text = "\n" + body
        pos = line = 0
        for m in _ATX.finditer(text):
            line += text.count("\n", pos, m.start())  # the newlines before the line's own
            pos = m.start()
            if len(m.group(1)) <= 3:
                heads.append((line, line + 1, _heading_text(m.group(2) or "")))
    else:
        tokens = _block_parser().parse(body)
        for i, token in enumerate(tokens):
            if token.type == "heading_open" and token.level == 0 and token.tag in _TOP_HEADINGS and token.map:
                heads.append((token.map[0], token.map[1], " ".join(tokens[i + 1].content.split())))
    out: dict[str, str] = {}
    current, start = "", 0
    for first, after, text in heads:
        out[current] = "\n".join(lines[start:first]).strip()
        current, start = text, after
    out[current] = "\n".join(lines[start:]).strip()
    return {k: v for k, v in out.items() if v or k}


def plain(text: str) -> str:
    """Markdown reduced to plain text (for summaries and search): a link as its label,
    however many parentheses its address holds; marks dropped."""
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = re.sub(r"[*_`#>]+", "", text)
    return " ".join(text.split())


def summary(body: str, limit: int = 180) -> str:
    """One line: the first sentence of 'What it is' (or of the body)."""
    parts = sections(body)
    text = parts.get("What it is") or next((v for v in parts.values() if v), "")
    text = plain(text)
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    first = m.group(1) if m else text
    if len(first) > limit:
        first = first[: limit - 1].rsplit(" ", 1)[0] + "…"
    return first


def closest(value: str, choices: Iterable[str], cutoff: float) -> str | None:
    """The choice most like `value` (similarity 0-1, as difflib's ratio: 2 x matches / total
    length), or None below `cutoff`. rapidfuzz does it in C: a 10,000-title catalog with
    hundreds of misspelt related names loads within the time of a clean one."""
    from rapidfuzz import fuzz, process

    pool = choices if isinstance(choices, list) else list(choices)
    found = process.extractOne(value, pool, scorer=fuzz.ratio, score_cutoff=cutoff * 100)
    return found[0] if found else None


def css_string(text: str) -> str:
    """`text` as a quoted CSS string (for `content:`), every character other than a letter,
    a digit or a space written as a hex escape: nothing in it can end the string, the rule
    or the <style> block it sits in, whatever a content file's title holds."""
    return '"' + "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):x} " for c in text) + '"'
