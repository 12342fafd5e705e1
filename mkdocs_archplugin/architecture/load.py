"""architecture.yml (a file, or a folder of YAML files) → the typed model and located diagnostics."""

from __future__ import annotations

import difflib
import json
import re
import types
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from mkdocs_archplugin.architecture.model import Architecture, ArchModel, Location
from mkdocs_archplugin.architecture.yaml_reader import (
    MAX_FILE_BYTES,
    LocatedList,
    LocatedMap,
    read_yaml_file,
)
from mkdocs_archplugin.diagnostics import Diagnostic
from mkdocs_archplugin.inputs import InputError, read_input

_NOT_FOUND_HINT = "set `decisions:` in mkdocs.yml, or create one with `archplugin scaffold PRD`"
#: How often invalid items are dropped and the rest validated again before giving up.
_PRUNE_ROUNDS = 3

KeyPath = tuple[Any, ...]


def architecture_files(path: Path) -> list[Path]:
    """The YAML files an architecture path stands for: the file, or the `.yml` / `.yaml` files
    of the folder itself (not of sub-folders), in name order; the loader and the serve cache
    key read exactly these."""
    if not path.is_dir():
        return [path]
    return sorted(
        (child for child in path.iterdir()
         # Not only regular files: a FIFO or device named `x.yml` is reported by the reader.
         if child.suffix in (".yml", ".yaml") and not child.name.startswith(".") and not child.is_dir()),
        key=lambda child: child.name,
    )


def load_architecture(path: Path, label: str | None = None) -> tuple[Architecture | None, list[Diagnostic]]:
    """The model of architecture.yml (a file, or a folder of YAML files merged in name order).

    Every problem comes back as a located `yaml-invalid` / `schema-invalid` diagnostic, all of
    them at once. Invalid items are left out of the model so the rest stays usable; the model
    is None only when nothing usable could be read. Messages name the file as `label`
    (the plugin passes it relative to mkdocs.yml), else as `path` was given.
    """
    display = label or str(path)
    if path.is_dir():
        files = architecture_files(path)
        if not files:
            return None, [
                Diagnostic(display, 0, 0, "yaml-invalid", "no .yml or .yaml file in the folder")
            ]
        shown = [f"{display}/{child.name}" for child in files]
        total = sum(child.stat().st_size for child in files)
        if total > MAX_FILE_BYTES:  # the limit of one file holds for the folder's files together
            return None, [
                Diagnostic(
                    display, 0, 0, "yaml-invalid",
                    f"the folder's YAML files total {total:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                    "no architecture is that large: check that `decisions:` names the right folder",
                )
            ]
    elif path.is_file():
        files, shown = [path], [display]
    else:
        return None, [
            Diagnostic(
                display,
                0,
                0,
                "yaml-invalid",
                f"architecture file not found: {display}",
                _NOT_FOUND_HINT,
            )
        ]

    diagnostics: list[Diagnostic] = []
    documents: list[LocatedMap] = []
    complete = True
    for file, name in zip(files, shown, strict=True):
        data, problems = read_yaml_file(file, name, path if path.is_dir() else path.parent)
        if data is None and problems and len(files) > 1:
            problems = _with_lost_keys(problems, file, path)
        diagnostics.extend(problems)
        if isinstance(data, LocatedMap):
            documents.append(data)
            continue
        complete = False
        if data is not None or not problems:
            location = getattr(data, "location", Location(name, 1, 1))
            diagnostics.append(
                Diagnostic(
                    name,
                    location.line,
                    location.column,
                    "schema-invalid",
                    "expected a mapping of top-level keys such as components, "
                    f"got {_describe(data)}",
                )
            )
    if not documents:
        return None, sorted(diagnostics)
    root = _merge(documents, diagnostics)
    model, problems = _validate(root, complete)
    return model, sorted(diagnostics + problems)


_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.MULTILINE)


def _with_lost_keys(problems: list[Diagnostic], file: Path, folder: Path) -> list[Diagnostic]:
    """A folder's file that cannot be read: say which top-level keys are left out meanwhile
    (the other files still load)."""
    try:
        text = read_input(file, MAX_FILE_BYTES, folder).decode("utf-8", "replace")
    except InputError:
        return problems
    keys = list(dict.fromkeys(_TOP_LEVEL_KEY.findall(text)))
    if not keys:
        return problems
    first = problems[0]
    lost = f"until it is fixed, its keys {', '.join(keys[:8])}{', …' if len(keys) > 8 else ''} are left out"
    hint = f"{first.hint}; {lost}" if first.hint else lost
    return [replace(first, hint=hint), *problems[1:]]


def _merge(documents: list[LocatedMap], diagnostics: list[Diagnostic]) -> LocatedMap:
    """One root mapping from the files of a folder; a top-level key in two files is an error."""
    if len(documents) == 1:
        return documents[0]
    root = LocatedMap(documents[0].location)
    for document in documents:
        for key, value in document.items():
            where = document.key_locations[key]
            if key in root:
                first = root.key_locations[key]
                diagnostics.append(
                    Diagnostic(
                        where.file,
                        where.line,
                        where.column,
                        "yaml-invalid",
                        f"{key}: already defined in {first.file}:{first.line}; "
                        "a top-level key may be defined in one file only",
                        f"keep all of `{key}` in one file",
                    )
                )
                continue
            root[key] = value
            root.key_locations[key] = where
            root.value_locations[key] = document.value_locations[key]
    return root


def _validate(root: LocatedMap, complete: bool) -> tuple[Architecture | None, list[Diagnostic]]:
    """The model and one diagnostic per schema error; invalid parts are dropped and retried."""
    try:
        model = Architecture.model_validate(root)
    except ValidationError as error:
        errors = error.errors()
        problems = [
            _schema_diagnostic(root, detail)
            for detail in errors
            # A top-level key missing while another file could not be read is no news.
            if complete or not (detail["type"] == "missing" and len(detail["loc"]) == 1)
        ]
        for _ in range(_PRUNE_ROUNDS):
            root = _without(root, errors)
            try:
                model = Architecture.model_validate(root)
                break
            except ValidationError as again:
                errors = again.errors()
        else:
            return None, problems
    else:
        problems = []
    _attach_locations(model, root, root.location)
    return model, problems


# -- errors → diagnostics ------------------------------------------------------------------


def _schema_diagnostic(root: LocatedMap, detail: ErrorDetails) -> Diagnostic:
    loc = tuple(detail["loc"])
    kind = detail["type"]
    resolved, location, key_location = _resolve(root, loc)
    hint = ""
    if kind == "missing":
        path, message = loc[:-1], f"missing required key '{loc[-1]}'"
    elif kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        path, message = loc[:-1], f"unknown key '{loc[-1]}'"
        suggestion = did_you_mean(str(loc[-1]), allowed)
        if suggestion:
            message += f"; did you mean '{suggestion}'?"
        hint = "allowed keys: " + ", ".join(allowed) if allowed else ""
        location = key_location if resolved == len(loc) else location
    elif kind == "invalid_key":
        path, message = loc[:-1], f"keys must be strings, got {_describe(detail['input'])}"
        location = key_location if resolved == len(loc) else location
    else:
        path, message = loc, _expectation(detail)
    text = f"{format_path(path)}: {message}" if path else message
    return Diagnostic(location.file, location.line, location.column, "schema-invalid", text, hint)


def _expectation(detail: ErrorDetails) -> str:
    """`expected …, got …` for one pydantic error."""
    kind, ctx = detail["type"], detail.get("ctx") or {}
    expected = _EXPECTED.get(kind)
    if kind == "literal_error":
        choices = [
            choice.strip("'")
            for choice in str(ctx.get("expected", "")).replace(" or ", ", ").split(", ")
        ]
        expected = "expected one of " + ", ".join(choices)
        got = detail["input"]
        suggestion = did_you_mean(got, choices) if isinstance(got, str) else None
        if suggestion:
            return f"{expected}, got {_describe(got)}; did you mean '{suggestion}'?"
    elif kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        expected = f"expected a number {'>=' if kind == 'greater_than_equal' else '<='} {bound}"
    elif expected is None:
        message = detail["msg"]
        expected = message[:1].lower() + message[1:]
    if expected.startswith("expected"):
        return f"{expected}, got {_describe(detail['input'])}"
    return expected


_EXPECTED = {
    "string_type": "expected a string",
    "string_too_short": "expected a non-empty string",
    "string_pattern_mismatch": "expected a non-empty string",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "dict_type": "expected a mapping",
}


def _describe(value: object) -> str:
    """A short rendering of what the YAML held, for `got …`."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:39] + "…"
        return json.dumps(text, ensure_ascii=False)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__}"


def format_path(path: KeyPath) -> str:
    """A key path as users read it: `components[3].requirements[1]`."""
    text = ""
    for element in path:
        if isinstance(element, int):
            text += f"[{element}]"
        else:
            text += f".{element}" if text else str(element)
    return text


def did_you_mean(word: str, choices: list[str]) -> str | None:
    """The choice `word` most likely meant: same letters in another case, else a close spelling."""
    folded = {choice.casefold(): choice for choice in choices}
    if word.casefold() in folded:
        return folded[word.casefold()]
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _resolve(root: LocatedMap, loc: KeyPath) -> tuple[int, Location, Location]:
    """How much of `loc` the YAML holds, where its deepest value is, and that value's key."""
    node: object = root
    location = key_location = root.location
    resolved = 0
    for element in loc:
        if isinstance(node, LocatedMap):
            key = _key_in(node, element)
            if key is _MISSING:
                break
            location, key_location = node.value_locations[key], node.key_locations[key]
            node = node[key]
        elif isinstance(node, LocatedList) and isinstance(element, int) and element < len(node):
            location = key_location = node.item_locations[element]
            node = node[element]
        else:
            break
        resolved += 1
    return resolved, location, key_location


_MISSING = object()


def _key_in(node: LocatedMap, element: object) -> object:
    if element in node:
        return element
    # pydantic reports a key it cannot use (`null:`) by its string form.
    for key in node:
        if str(key) == element:
            return key
    return _MISSING


# -- the model's shape, for suggestions and pruning ---------------------------------------


def _unwrap(annotation: Any) -> Any:
    """The type inside Annotated[…] and Optional[…]."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _model_at(loc: KeyPath) -> type[BaseModel] | None:
    """The model class that validates the mapping at `loc`, if any."""
    annotation: Any = Architecture
    for element in loc:
        annotation = _unwrap(annotation)
        if isinstance(element, int):
            if get_origin(annotation) is not list:
                return None
            annotation = get_args(annotation)[0]
            continue
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        field = _field_named(annotation, element)
        if field is None:
            return None
        annotation = field.annotation
    annotation = _unwrap(annotation)
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )


def _field_named(model: type[BaseModel], key: object) -> Any:
    for name, field in model.model_fields.items():
        if (field.alias or name) == key:
            return field
    return None


def _allowed_keys(loc: KeyPath) -> list[str]:
    model = _model_at(loc)
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _without(root: LocatedMap, errors: list[ErrorDetails]) -> LocatedMap:
    """A copy of the data without what the errors point at: the bad key or list item.

    A missing `components` comes back as an empty list, so the rest is still a model.
    """
    trie: dict[Any, Any] = {}
    for path in sorted({_removal(root, detail) for detail in errors}, key=len):
        node = trie
        for element in path[:-1]:
            node = node.setdefault(element, {})
            if node is _REMOVE:
                break
        else:
            node[path[-1]] = _REMOVE
    pruned = _pruned(root, trie)
    assert isinstance(pruned, LocatedMap)
    if "components" not in pruned:
        pruned["components"] = LocatedList(root.location)
        pruned.key_locations["components"] = pruned.value_locations["components"] = root.location
    return pruned


_REMOVE: Any = object()


def _removal(root: LocatedMap, detail: ErrorDetails) -> KeyPath:
    """What to drop for one error: an unknown key, else the nearest list item or optional key."""
    loc = tuple(detail["loc"])
    resolved, _, _ = _resolve(root, loc)
    path = loc[:resolved]
    if detail["type"] in ("extra_forbidden", "invalid_key") and resolved == len(loc):
        return path
    for end in range(len(path), 0, -1):
        element = path[end - 1]
        if isinstance(element, int) or end == 1:
            return path[:end]
        model = _model_at(path[: end - 1])
        field = _field_named(model, element) if model else None
        if field is not None and not field.is_required():
            return path[:end]
    return ("components",)


def _pruned(node: object, trie: dict[Any, Any]) -> object:
    if not trie:
        return node
    if isinstance(node, LocatedMap):
        copy = LocatedMap(node.location)
        for key, value in node.items():
            below = trie.get(key)
            if below is _REMOVE:
                continue
            copy[key] = _pruned(value, below or {})
            copy.key_locations[key] = node.key_locations[key]
            copy.value_locations[key] = node.value_locations[key]
        return copy
    if isinstance(node, LocatedList):
        items = LocatedList(node.location)
        for index, (value, location) in enumerate(zip(node, node.item_locations, strict=True)):
            below = trie.get(index)
            if below is _REMOVE:
                continue
            items.append(_pruned(value, below or {}))
            items.item_locations.append(location)
        return items
    return node


# -- locations onto the model -------------------------------------------------------------


def _attach_locations(model: ArchModel, raw: object, location: Location) -> None:
    """Give the item, and every item inside it, the location its YAML was written at."""
    fields: dict[tuple[str | int, ...], Location] = {}
    if isinstance(raw, LocatedMap):
        for name, field in type(model).model_fields.items():
            key = field.alias or name
            if key not in raw:
                continue
            key_location = raw.key_locations[key]
            value, raw_value = getattr(model, name), raw[key]
            # A scalar is cited where its value is; a list or mapping where its key is.
            collection = isinstance(raw_value, (LocatedMap, LocatedList))
            fields[(name,)] = key_location if collection else raw.value_locations[key]
            if isinstance(value, ArchModel):
                _attach_locations(value, raw_value, key_location)
            elif isinstance(value, list):
                items = raw_value if isinstance(raw_value, LocatedList) else None
                for index, item in enumerate(value):
                    where = (
                        items.item_locations[index]
                        if items is not None and index < len(items)
                        else raw.value_locations[key]
                    )
                    if isinstance(item, ArchModel):
                        _attach_locations(item, items[index] if items is not None else None, where)
                    else:
                        fields[(name, index)] = where
    model._locate(location, fields)
