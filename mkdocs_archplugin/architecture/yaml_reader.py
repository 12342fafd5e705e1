"""Safe YAML reading with limits: plain data whose mappings and lists remember where each value is.

Most files are read in one pass over libyaml's events (`_from_events`). Whatever that pass
does not cover goes through the complete loader: PyYAML's pipeline with three changes, the
YAML 1.2 core schema (so `no`, `on`, `1:30`, `2024-05-01` stay what editors show:
strings), a composer that bounds
alias expansion and nesting depth while it builds the node graph, and a constructor that
builds `LocatedMap` / `LocatedList` carrying the source location of every key and value.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import MarkedYAMLError
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from mkdocs_archplugin.architecture.model import Location
from mkdocs_archplugin.diagnostics import Diagnostic
from mkdocs_archplugin.inputs import InputError, read_input

#: A larger architecture.yml is a mistake or an attack, not a design document.
MAX_FILE_BYTES = 8 * 1024 * 1024
#: Nesting deeper than this is refused before PyYAML's recursive composer gets near it.
MAX_DEPTH = 64
#: How many nodes aliases may add in total: a "billion laughs" document stops here.
MAX_ALIAS_NODES = 100_000
#: How many bytes of text aliases may add in total: as much as one file may hold. Counting
#: values alone let one large string, aliased 300 times, take a gigabyte.
MAX_ALIAS_BYTES = 8 * 1024 * 1024
#: Longer integers are refused: no design needs them, and Python refuses to convert
#: integers of more than 4,300 digits (an uncaught ValueError otherwise).
MAX_INT_DIGITS = 100


class LocatedMap(dict):
    """A YAML mapping that knows where it starts and where each of its keys and values is."""

    __slots__ = ("location", "key_locations", "value_locations")

    def __init__(self, location: Location) -> None:
        super().__init__()
        self.location = location
        self.key_locations: dict[object, Location] = {}
        self.value_locations: dict[object, Location] = {}


class LocatedList(list):
    """A YAML sequence that knows where it starts and where each of its items is."""

    __slots__ = ("location", "item_locations")

    def __init__(self, location: Location) -> None:
        super().__init__()
        self.location = location
        self.item_locations: list[Location] = []


class WrittenFloat(float):
    """A plain YAML number with a fraction, remembering how it was written: `3.10` reads as
    3.1, and a version field can then say what to write (or take `1.0` as "1.0")."""

    __slots__ = ("written",)

    def __new__(cls, value: float, written: str) -> WrittenFloat:
        number = super().__new__(cls, value)
        number.written = written
        return number

    def __reduce__(self) -> tuple[type, tuple[float, str]]:
        return WrittenFloat, (float(self), self.written)


class YamlProblem(Exception):
    """A located reason why a file gives no data (raised and caught inside this module)."""

    def __init__(self, message: str, line: int = 0, column: int = 0, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint


class Yaml12Resolver(BaseResolver):
    """Plain scalars resolved as in YAML 1.2's core schema, which editors also use.

    The patterns end in `\\Z`, not `$`: a block scalar tagged `!` reaches the resolver with
    its final line break, and `$` would match before it (`true\\n` resolved as a bool).
    """


Yaml12Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)\Z"),
    list("tTfF"),
)
#: The core schema's numbers, shared by the resolver and the event-driven fast path.
_CORE_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z")
_CORE_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
)
Yaml12Resolver.add_implicit_resolver("tag:yaml.org,2002:int", _CORE_INT, list("-+0123456789"))
Yaml12Resolver.add_implicit_resolver("tag:yaml.org,2002:float", _CORE_FLOAT, list("-+0123456789."))
Yaml12Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)\Z"), ["~", "n", "N", ""]
)
# Merge keys are YAML 1.1, but people share settings with `<<: *defaults` and editors accept it.
Yaml12Resolver.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)\Z"), ["<"])


class _LimitedComposer(Composer):
    """Builds the node graph while counting what aliases would expand to, and how deep it nests."""

    def __init__(self) -> None:
        super().__init__()
        self._sizes: dict[int, int] = {}
        self._bytes: dict[int, int] = {}
        self._alias_nodes = 0
        self._alias_bytes = 0
        self._depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None:
                size = self._sizes.get(id(target))
                if size is None:
                    raise ComposerError(
                        None,
                        None,
                        f"alias *{event.anchor} refers to a node that contains it",
                        event.start_mark,
                    )
                self._alias_nodes += size
                self._alias_bytes += self._bytes[id(target)]
                if self._alias_bytes > MAX_ALIAS_BYTES:
                    raise ComposerError(
                        None,
                        None,
                        f"aliases expand to more than {MAX_ALIAS_BYTES:,} bytes of text "
                        f"(at alias *{event.anchor}); this looks like an alias bomb",
                        event.start_mark,
                    )
                if self._alias_nodes > MAX_ALIAS_NODES:
                    raise ComposerError(
                        None,
                        None,
                        f"aliases expand to more than {MAX_ALIAS_NODES:,} values "
                        f"(at alias *{event.anchor}); this looks like an alias bomb",
                        event.start_mark,
                    )
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ComposerError(
                None, None, f"nesting deeper than {MAX_DEPTH} levels", self.peek_event().start_mark
            )
        node = super().compose_node(parent, index)
        self._depth -= 1
        children = _children(node)
        self._sizes[id(node)] = 1 + sum(self._sizes[id(child)] for child in children)
        self._bytes[id(node)] = (len(node.value) if isinstance(node, ScalarNode) else 0) + sum(
            self._bytes[id(child)] for child in children)
        return node


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return node.value
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


class _LocatingConstructor(SafeConstructor):
    """Builds LocatedMap / LocatedList; a key written twice in one mapping is a problem."""

    def __init__(self, display: str) -> None:
        super().__init__()
        self.display = display
        self.duplicate_keys: list[YamlProblem] = []

    def located(self, node: Node) -> Location:
        return Location(self.display, node.start_mark.line + 1, node.start_mark.column + 1)

    def construct_located_map(self, node: MappingNode):
        data = LocatedMap(self.located(node))
        yield data
        written = {id(key_node) for key_node, _ in node.value}
        self.flatten_mapping(node)
        first_seen: dict[object, Node] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found a key that is a list or mapping",
                    key_node.start_mark,
                ) from None
            if key in first_seen and id(key_node) in written and id(first_seen[key]) in written:
                first = first_seen[key].start_mark.line + 1
                self.duplicate_keys.append(
                    YamlProblem(
                        f"duplicate key {key!r} (first written at line {first}); "
                        "the first one is used",
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                    )
                )
                continue
            first_seen[key] = key_node
            data[key] = self.construct_object(value_node, deep=True)
            data.key_locations[key] = self.located(key_node)
            data.value_locations[key] = self.located(value_node)

    def construct_located_list(self, node: SequenceNode):
        data = LocatedList(self.located(node))
        yield data
        for item_node in node.value:
            data.append(self.construct_object(item_node, deep=True))
            data.item_locations.append(self.located(item_node))

    def construct_written_float(self, node: ScalarNode) -> float:
        value = self.construct_yaml_float(node)
        return WrittenFloat(value, node.value) if math.isfinite(value) else value

    def construct_core_int(self, node: ScalarNode) -> int:
        text = self.construct_scalar(node)
        if len(text) > MAX_INT_DIGITS:
            raise ConstructorError(
                None, None, f"a number of {len(text):,} digits is too long (quote it if it is text)",
                node.start_mark,
            )
        return _core_int(text)


def _core_int(text: str) -> int:
    """YAML 1.2: `010` is ten, not PyYAML's YAML 1.1 octal eight; `0o17` and `0x1F` as written."""
    return int(text, 0) if text[:2] in ("0o", "0x") else int(text, 10)


_LocatingConstructor.add_constructor(
    "tag:yaml.org,2002:map", _LocatingConstructor.construct_located_map
)
_LocatingConstructor.add_constructor(
    "tag:yaml.org,2002:seq", _LocatingConstructor.construct_located_list
)
_LocatingConstructor.add_constructor(
    "tag:yaml.org,2002:int", _LocatingConstructor.construct_core_int
)
_LocatingConstructor.add_constructor(
    "tag:yaml.org,2002:float", _LocatingConstructor.construct_written_float
)


class _PurePythonLoader(
    Reader, Scanner, Parser, _LimitedComposer, _LocatingConstructor, Yaml12Resolver
):
    def __init__(self, text: str, display: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        _LimitedComposer.__init__(self)
        _LocatingConstructor.__init__(self, display)
        Yaml12Resolver.__init__(self)


try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml
    CParser = None
    _LOADER: type = _PurePythonLoader
else:

    class _LibyamlLoader(_LimitedComposer, CParser, _LocatingConstructor, Yaml12Resolver):
        """libyaml's events (several times faster), composed and constructed in Python."""

        def __init__(self, text: str, display: str) -> None:
            CParser.__init__(self, text)
            _LimitedComposer.__init__(self)
            _LocatingConstructor.__init__(self, display)
            Yaml12Resolver.__init__(self)

    _LOADER = _LibyamlLoader


class _Unusual(Exception):
    """The document uses something only the complete loader handles (raised to fall back to it)."""


_PLAIN_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_PLAIN_NULL = frozenset(("", "~", "null", "Null", "NULL"))


def _plain_scalar(text: str) -> object:
    """A plain scalar's value under the YAML 1.2 core schema, as `Yaml12Resolver` resolves it."""
    if not text:
        return None
    if text[0] not in "-+0123456789.tTfFnN~<":
        return text
    if text == "<<":
        raise _Unusual  # a merge key, or an error where a value stands
    if text in _PLAIN_NULL:
        return None
    if text in _PLAIN_BOOL:
        return _PLAIN_BOOL[text]
    if _CORE_INT.match(text):
        if len(text) > MAX_INT_DIGITS:
            raise _Unusual  # the complete loader reports it
        return _core_int(text)
    if _CORE_FLOAT.match(text):
        lowered = text.lower()
        sign = -1.0 if lowered[0] == "-" else 1.0
        if lowered.lstrip("+-") == ".inf":
            return sign * float("inf")
        if lowered == ".nan":
            return SafeConstructor.nan_value  # one object, as the complete loader's: equal as a key
        return WrittenFloat(float(text), text)
    return text


def _from_events(text: str, display: str) -> object:
    """Located data straight from libyaml's events, in one loop without a node graph.

    Five times faster than composing nodes and constructing them (a 1.7 MB file: about 0.45 s
    against 2.6 s). It covers what architecture files are made of — one document of
    mappings, lists and untagged scalars, nested less deeply than the limit — and raises
    `_Unusual` for anything else (anchors, aliases, tags, merge keys, duplicate or complex
    keys, errors), which the complete loader then handles with its limits and messages.
    """
    if CParser is None:
        raise _Unusual
    parser = CParser(text)
    open_collections: list[LocatedMap | LocatedList] = []
    pending_keys: list[object] = []  # per open mapping: the key waiting for its value, or _NO_KEY
    root: object = _NO_KEY
    documents = 0
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None:
                    raise _Unusual
                if event.tag is not None:  # `!!str 1`, `! |`: the complete loader resolves tags
                    raise _Unusual
                value: object = _plain_scalar(event.value) if event.implicit[0] else event.value
                mark = event.start_mark
                location = Location(display, mark.line + 1, mark.column + 1)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                # One level below the limit: the complete loader decides at the limit itself.
                if event.anchor is not None or (event.tag is not None and not event.implicit) \
                        or len(open_collections) >= MAX_DEPTH - 1:
                    raise _Unusual
                mark = event.start_mark
                location = Location(display, mark.line + 1, mark.column + 1)
                if kind is MappingStartEvent:
                    open_collections.append(LocatedMap(location))
                    pending_keys.append(_NO_KEY)
                else:
                    open_collections.append(LocatedList(location))
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value = open_collections.pop()
                location = value.location
                if kind is MappingEndEvent:
                    pending_keys.pop()
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Unusual
                continue
            elif kind is StreamStartEvent or kind is DocumentEndEvent:
                continue
            elif kind is StreamEndEvent:
                break
            else:  # AliasEvent
                raise _Unusual
            if open_collections:
                _attach(open_collections[-1], value, location, pending_keys)
            else:
                root = value
    except MarkedYAMLError:
        raise _Unusual from None
    finally:
        parser.dispose()
    if root is _NO_KEY or root is None:
        raise _Unusual
    return root


_NO_KEY = object()


def _attach(container: LocatedMap | LocatedList, value: object, location: Location, pending_keys: list[object]) -> None:
    """Put a finished value into the open list, or into the open mapping as a key or a value."""
    if type(container) is LocatedList:
        container.append(value)
        container.item_locations.append(location)
        return
    key = pending_keys[-1]
    if key is _NO_KEY:
        if type(value) is LocatedMap or type(value) is LocatedList or value in container:
            raise _Unusual  # a complex or duplicate key
        pending_keys[-1] = value
        container.key_locations[value] = location
        return
    container[key] = value
    container.value_locations[key] = location
    pending_keys[-1] = _NO_KEY


def read_yaml_file(path: Path, display: str, folder: Path | None = None) -> tuple[object, list[Diagnostic]]:
    """The data of one YAML file (None when it gives none) and the problems found reading it.

    `display` is the name diagnostics and locations use for the file; the file is read
    safely (`read_input`) inside `folder`. Never raises for what the file contains.
    """
    try:
        text = _decode(read_input(path, MAX_FILE_BYTES, folder,
                                  "split the architecture into a folder of smaller YAML files"))
        data, duplicate_keys = parse_yaml_text(text, display)
    except YamlProblem as problem:
        return None, [_diagnostic(display, problem)]
    except InputError as error:
        return None, [Diagnostic(display, 0, 0, "yaml-invalid", f"the file {error.message}", error.hint)]
    return data, [_diagnostic(display, problem) for problem in duplicate_keys]


def parse_yaml_text(text: str, display: str) -> tuple[object, list[YamlProblem]]:
    """Located data from YAML text, and the duplicate keys it had; raises YamlProblem."""
    if not text.strip():
        raise YamlProblem(
            "the file is empty; expected a mapping of top-level keys such as components",
            1,
            hint="write at least `components: []`, or run `archplugin scaffold`",
        )
    unprintable = Reader.NON_PRINTABLE.search(text)
    if unprintable:
        raise _unprintable_problem(text, unprintable.start())
    try:
        return _from_events(text, display), []
    except _Unusual:
        return _from_nodes(text, display)


def _from_nodes(text: str, display: str) -> tuple[object, list[YamlProblem]]:
    """The complete loader: a node graph with limits on aliases and depth, then construction."""
    loader = _LOADER(text, display)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlProblem(
                "the file holds only comments; expected a mapping of top-level keys such as "
                "components",
                1,
            )
        data = loader.construct_document(node)
    except MarkedYAMLError as error:
        raise _marked_problem(text, error) from None
    finally:
        loader.dispose()
    return data, loader.duplicate_keys


def _decode(raw: bytes) -> str:
    """The text of a YAML file: UTF-8 (a BOM is allowed) or UTF-16/32 announced by a BOM."""
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as error:
                raise YamlProblem(f"not valid {codec.upper()}: {error.reason}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise YamlProblem(
            f"not valid UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded",
            line,
            column,
            hint="save the file as UTF-8",
        ) from None


def _unprintable_problem(text: str, position: int) -> YamlProblem:
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    return YamlProblem(
        f"character U+{ord(text[position]):04X} is not allowed in YAML",
        line,
        column,
        hint="remove it, or write it as an escape in a double-quoted string",
    )


def _marked_problem(text: str, error: MarkedYAMLError) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = error.problem or error.context or "invalid YAML"
    lines = text.splitlines()
    if mark and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        return YamlProblem(
            "a tab character is not allowed here; YAML indents with spaces",
            line,
            column,
            hint="replace tabs with spaces",
        )
    if error.context == "expected a single document in the stream":
        return YamlProblem(
            "a second YAML document starts here; expected a single document",
            line,
            column,
            hint="remove the `---` line, or split the documents into files of a folder",
        )
    message = problem
    context_mark = error.context_mark
    if error.context and error.problem and context_mark is not None:
        message = f"{problem} ({error.context} at line {context_mark.line + 1})"
    source_line = lines[mark.line] if mark and mark.line < len(lines) else ""
    return YamlProblem(message, line, column, hint=_syntax_hint(problem, error.context or "", source_line))


def _syntax_hint(problem: str, context: str, source_line: str) -> str:
    """What to do about the common YAML slips, from PyYAML's wording of them."""
    value = source_line.split(":", 1)[1].strip() if ":" in source_line else source_line.strip()
    if "mapping values are not allowed" in problem:
        return (f'a value holding ": " must be quoted: write {_quoted(value)}' if value
                else 'a value holding ": " must be quoted')
    if "did not find expected '-' indicator" in problem or "did not find expected key" in problem \
            or "expected <block end>" in problem:
        return "the indentation does not match the lines above: indent this key like its siblings"
    if "quoted scalar" in context or "found unexpected end of stream" in problem:
        return "a quote is not closed: end the value with the same quote it starts with"
    if "flow sequence" in context or "flow mapping" in context:
        return "a bracket is not closed, or a value inside [ ] or { } holds a comma or colon: quote it"
    if "found character" in problem and "cannot start any token" in problem:
        return "quote the value: it starts with a character YAML reserves (@, `, %, …)"
    return "check the line against the one above it; quote values that hold : or #"


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'



def _diagnostic(display: str, problem: YamlProblem) -> Diagnostic:
    return Diagnostic(
        display, problem.line, problem.column, "yaml-invalid", problem.message, problem.hint
    )
