"""Text helpers: safe links, Markdown that is shown and never run, summaries."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlparse

from .taxonomy import SAFE_SCHEMES

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")


def is_safe_link(url: object) -> bool:
    """True only for http(s) links with a host and for mailto links."""
    if not isinstance(url, str) or not url.strip():
        return False
    url = url.strip()
    if any(ch in url for ch in '\n\r\t<>"`\\'):
        return False
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme not in SAFE_SCHEMES:
        return False
    if scheme in ("http", "https"):
        return bool(parsed.netloc)
    return bool(parsed.path)


def escape_md(text: str) -> str:
    """Escape text so that Markdown shows it literally (no links, no HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def md_link(label: str, url: str) -> str:
    """A Markdown link, or the escaped label alone when the link is unsafe."""
    if not is_safe_link(url):
        return escape_md(label)
    safe_url = url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{escape_md(label)}]({safe_url})"


def safe_markdown(body: str) -> str:
    """Markdown a content editor wrote, made safe to render.

    Raw HTML is shown as text (angle brackets escaped); links and images keep
    only http(s) and mailto targets, anything else becomes plain text; images
    are shown as links, never fetched.
    """

    def _link(m: re.Match[str]) -> str:
        label, url = m.group(1), m.group(2)
        return md_link(label or url, url)

    def _auto(m: re.Match[str]) -> str:
        url = m.group(1)
        return md_link(url, url)

    out = _AUTOLINK.sub(_auto, body)
    out = _MD_LINK.sub(_link, out)
    out = out.replace("<", "&lt;").replace(">", "&gt;")
    return out


def normalise_name(name: str) -> str:
    """Lower case, '&' as 'and', accents and punctuation dropped, spaces folded."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def sections(body: str) -> dict[str, str]:
    """Split a body on '## ' headings; text before the first heading is ''."""
    out: dict[str, str] = {}
    current = ""
    buf: list[str] = []
    for line in body.splitlines():
        m = re.match(r"^#{1,3}\s+(.*\S)\s*$", line)
        if m:
            out[current] = "\n".join(buf).strip()
            current, buf = m.group(1).strip(), []
        else:
            buf.append(line)
    out[current] = "\n".join(buf).strip()
    return {k: v for k, v in out.items() if v or k}


def plain(text: str) -> str:
    """Markdown reduced to plain text (for summaries and search)."""
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


def demote_headings(markdown: str, level: int = 4) -> str:
    """Headings in a tool's body shown below the page's own headings."""
    return re.sub(r"^#{1,6}[ \t]+", "#" * level + " ", markdown, flags=re.M)
