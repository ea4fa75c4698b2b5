"""YAML the loader will build: no anchors or aliases, no duplicate keys, at most
MAX_YAML_NODES values; and a page's front matter."""

from __future__ import annotations

import re
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back where libyaml is absent
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.S)
# where YAML could have an anchor or alias: '&' or '*' at the start of a node (line start,
# after a space, '[', '{', ',', or after ':' or '?' as libyaml takes in flow style:
# {"a":&x 1}, [?*x]), followed by a name. Only for the message: the composer refuses
# any alias whatever its spelling (_compose).
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:?])[&*][^\s\[\]{},]", re.M)
# The most values (scalars, lists, mappings) one YAML document may hold: a tool page
# has about 150, challenges.yaml about 600; with aliases refused, a document holds no
# more values than it spells out, and this bounds even those.
MAX_YAML_NODES = 50_000


class YamlRefused(yaml.YAMLError):
    """YAML the loader will not build: an anchor or an alias (`&a`, `*a`).

    Aliases let a few hundred bytes expand to gigabytes (the "billion laughs"),
    and content needs neither, so they are refused before anything is built."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


def _refuse_anchors(text: str) -> None:
    """Raise YamlRefused on the first anchor or alias. Walks the parser's events
    (linear in the text's size, nothing is built); skipped when the text has no
    '&' and no '*', without which YAML has neither."""
    if "&" not in text and "*" not in text:
        return
    if not _MAYBE_ANCHOR.search(text):  # '&' or '*' only inside words and URLs ("R&D", "?a=1&b=2")
        return
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            name = getattr(event, "anchor", None) or "?"
            kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
            raise YamlRefused(
                f"{kind} {name[:40]!r}: YAML anchors and aliases (&name, *name) are not allowed; write the value out",
                event.start_mark,
            )


_RESOLVER: Any = _Loader
# the safe loader's resolvers: implicit ones by first character, none for a path or any character
_SAFE_RESOLVERS_ONLY = not _RESOLVER.yaml_path_resolvers and None not in _RESOLVER.yaml_implicit_resolvers


class _KeyCheckingLoader(_Loader):
    """The safe loader, noting mapping keys given twice (PyYAML keeps the last)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int]] = []

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """BaseResolver.resolve, without the path and wildcard resolvers the safe loader has
        none of: the composer asks it for every value, 1.4 million in a 10,000-tool catalog."""
        if not _SAFE_RESOLVERS_ONLY:
            return super().resolve(kind, value, implicit)
        if kind is yaml.ScalarNode:
            if implicit[0]:  # plain: 12, yes, ~, 2024-01-02 ... by the first character
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[str] = set()
        for key_node, _ in node.value if isinstance(node, yaml.MappingNode) else ():  # else PyYAML's error
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicates.append((key_node.value, key_node.start_mark.line))
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)


_TWICE = (
    "a value is used twice (an alias): YAML anchors and aliases (&name, *name) are not allowed; write the value out"
)
_TOO_MANY = f"holds more than {MAX_YAML_NODES:,} values; split it or shorten it"


def _refuse_shared(node: yaml.Node | None) -> None:
    """Raise YamlRefused when the composed document reaches a node twice (which is
    what an alias is, in any YAML style, and a recursive one too) or holds more than
    MAX_YAML_NODES values. Linear in the document's size, before anything is built,
    so nothing can expand: the sure check behind _refuse_anchors' scan."""
    seen: set[int] = set()
    stack = [] if node is None else [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            raise YamlRefused(_TWICE, n.start_mark)
        seen.add(id(n))
        if len(seen) > MAX_YAML_NODES:
            raise YamlRefused(_TOO_MANY, n.start_mark)
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)


_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# scalars built by the safe loader's own constructors (a key of one of these is hashable)
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "null", "bool", "int", "float", "timestamp"))
_Scalar = yaml.ScalarNode
_MAX_PLAIN_DEPTH = 100  # deeper documents (never content) take the safe loader's own way


class _NotPlain(Exception):
    """A document the plain builder leaves to the safe loader: a merge key, a key that is
    a list or mapping, a set, a binary or unknown tag, or very deep nesting."""


def _build_plain(
    node: yaml.Node, loader: _KeyCheckingLoader, seen: set[int], duplicates: list[tuple[str, int]], depth: int
) -> Any:
    """What the safe loader builds from `node`, for plain mappings, lists and scalars,
    in one walk: refuses a node met twice (an alias) and more than MAX_YAML_NODES values,
    as `_refuse_shared` does, before building past either; notes duplicate keys as
    `_KeyCheckingLoader` does. Several times faster than SafeConstructor's generators.
    Raises _NotPlain for anything else."""
    if id(node) in seen:
        raise YamlRefused(_TWICE, node.start_mark)
    seen.add(id(node))
    if len(seen) > MAX_YAML_NODES:
        raise YamlRefused(_TOO_MANY, node.start_mark)
    tag, kind = node.tag, type(node)
    if tag == _STR and kind is _Scalar:
        return node.value
    if tag == _MAP and kind is yaml.MappingNode and depth < _MAX_PLAIN_DEPTH:
        if len(seen) + 2 * len(node.value) > MAX_YAML_NODES:  # its keys and values are that many more
            raise YamlRefused(_TOO_MANY, node.start_mark)
        out: dict[Any, Any] = {}
        keys: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.tag == _STR and type(key_node) is _Scalar and id(key_node) not in seen:  # the usual key
                seen.add(id(key_node))
                key = key_node.value
            elif key_node.tag in _SCALAR_TAGS and type(key_node) is _Scalar:
                key = _build_plain(key_node, loader, seen, duplicates, depth + 1)
            else:
                raise _NotPlain
            if key_node.value in keys:
                duplicates.append((key_node.value, key_node.start_mark.line))
            keys.add(key_node.value)
            if value_node.tag == _STR and type(value_node) is _Scalar and id(value_node) not in seen:
                seen.add(id(value_node))
                out[key] = value_node.value
            else:
                out[key] = _build_plain(value_node, loader, seen, duplicates, depth + 1)
        return out
    if tag == _SEQ and kind is yaml.SequenceNode and depth < _MAX_PLAIN_DEPTH:
        return [_build_plain(item, loader, seen, duplicates, depth + 1) for item in node.value]
    if tag == _NULL and kind is _Scalar:
        return None
    if tag in _SCALAR_TAGS and kind is _Scalar:
        return loader.yaml_constructors[tag](loader, node)
    raise _NotPlain


def read_yaml(text: str) -> tuple[Any, list[tuple[str, int]]]:
    """(data, duplicate keys as (key, 0-based line)). Raises yaml.YAMLError on
    bad YAML and YamlRefused on an anchor or alias, or a document over
    MAX_YAML_NODES values, before building past them."""
    _refuse_anchors(text)
    loader = _KeyCheckingLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        duplicates: list[tuple[str, int]] = []
        try:
            data = _build_plain(node, loader, set(), duplicates, 0)
        except _NotPlain:
            _refuse_shared(node)
            data, duplicates = loader.construct_document(node), loader.duplicates
        return data, sorted(duplicates, key=lambda d: d[1])  # in the file's order
    finally:
        loader.dispose()


def parse_yaml(text: str) -> Any:
    """The data of a YAML text (anchors and aliases refused)."""
    return read_yaml(text)[0]


def split_front_matter(text: str) -> tuple[str, str] | None:
    """(front matter, body), or None when the page has no front matter."""
    m = _FRONT.match(text)
    if not m:
        return None
    return m.group(1), m.group(2).strip("\n")


def yaml_error_message(exc: yaml.YAMLError, first_line: int = 1) -> str:
    """The parser's complaint with its line in the file (front matter starts on line 2)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        return f"YAML error at line {mark.line + first_line}, column {mark.column + 1}: {problem}"
    return f"YAML error: {problem}"
