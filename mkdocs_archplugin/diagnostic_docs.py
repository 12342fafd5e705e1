"""What each diagnostic code means, when it fires, a real message and how to fix it.

One entry per code of `DEFAULT_SEVERITIES`: the docs site's diagnostics reference
(docs/hooks/reference.py) and the SARIF rules of `archplugin check --format sarif` are both
rendered from it, and tests/test_docs_site.py checks it covers every code exactly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DiagnosticDoc:
    """What the diagnostics page says about one code, beside its default severity."""

    when: str
    example: str
    fix: str

    @property
    def summary(self) -> str:
        """The first sentence of `when`: the summary table's cell, a SARIF rule's short description."""
        return self.when.split(". ")[0].rstrip(".") + "."


#: The examples are real messages, copied from builds of small sites.
DIAGNOSTICS: dict[str, DiagnosticDoc] = {
    "prd-missing": DiagnosticDoc(
        when=(
            "The PRD named by `prd:` (default `prd.md` in `docs_dir`) does not exist, or a PRD "
            "folder holds no `.md` file. This is the one problem that stops everything: "
            "`mkdocs build` aborts, `archplugin check` prints it and exits with status 1. Under `mkdocs serve` "
            "the server keeps running and the Architecture page shows the problem until the "
            "PRD is back. `checks:` cannot lower it: without a PRD there is nothing to check."
        ),
        example=(
            "ERROR   -  prd-missing: Cannot create architecture without PRD: /home/me/shop/docs/prd.md "
            "not found (hint: set the plugin's `prd:` option, or write the PRD and run "
            "`archplugin scaffold PRD`)"
        ),
        fix=(
            "Create `docs/prd.md`, or point `prd:` at your PRD file or folder, relative to "
            "`docs_dir`."
        ),
    ),
    "prd-invalid": DiagnosticDoc(
        when=(
            "The PRD exists but cannot be read: it is not UTF-8, it is larger than 64 MiB, or "
            "the file is not readable. Like `prd-missing` it stops the build (and "
            "`archplugin check` exits with status 1), whatever `checks:` says."
        ),
        example="prd-invalid: prd.md:1: the PRD is not valid UTF-8 (byte 0xff) (hint: save the file as UTF-8)",
        fix=(
            "Save the file as UTF-8; split a huge PRD into a folder of shards; fix the file's "
            "permissions."
        ),
    ),
    "yaml-invalid": DiagnosticDoc(
        when=(
            "architecture.yml cannot be read as YAML: a syntax error, a file that is missing or "
            "not UTF-8, a file over 8 MiB, aliases that expand to more than 100,000 values, "
            "nesting deeper than 64 levels, a folder without a `.yml` file, or a top-level key "
            "defined in two files of a folder. The pages are still built from the PRD."
        ),
        example=(
            "architecture.yml:4:1: yaml-invalid: did not find expected ',' or ']' "
            "(while parsing a flow sequence at line 3)"
        ),
        fix=(
            "Fix the syntax at the line and column given. For `architecture file not found`, "
            "create the file with `archplugin scaffold docs/prd.md` or set `decisions:`."
        ),
    ),
    "schema-invalid": DiagnosticDoc(
        when=(
            "The YAML is valid but does not match the [schema](architecture-yml.md): an unknown "
            "key, a missing required key (`components`, a component's `id` or `name`), a value "
            "of the wrong type, a `status` that is not one of the five, a requirement entry "
            "that is not an id. The invalid item is left out and the rest of the site is built."
        ),
        example=(
            "architecture.yml:7:5: schema-invalid: components[0]: unknown key 'owner' "
            "(hint: allowed keys: id, name, purpose, responsibilities, technology, location, "
            "depends_on, requirements)"
        ),
        fix=(
            "Correct the value at the key path given. With the [editor setup]"
            "(architecture-yml.md#editor-setup) the editor flags these while you type."
        ),
    ),
    "nfr-without-decision": DiagnosticDoc(
        when=(
            "Nothing addresses the NFR. By default an NFR is addressed by an explicit "
            "architectural choice that names it: an accepted decision, a stack entry, a service, "
            "a trade-off, a pattern, a risk with a `mitigation`, or a strategy section "
            "(`security`, `scalability`, `deployment`, `observability`, `guidelines`). "
            "Components, entities, endpoints, interfaces and flows that name it trace it but "
            "do not address it. A decision that is `proposed`, `superseded`, `deprecated` or "
            "`rejected` never counts; the hint says when such a decision names it. The "
            "`addressed_by` option changes the list: `[decisions]` demands an ADR for every NFR."
        ),
        example=(
            "prd.md:13: nfr-without-decision: NFR-1 (Search answers in < 200 ms p95) is "
            "addressed by no accepted decision, stack entry, service, trade-off, pattern, risk "
            "mitigation or strategy section (hint: named only by decisions not accepted: "
            "ADR-001 (proposed); set `status: accepted` once decided)"
        ),
        fix=(
            "Add the NFR's id to the `requirements` of what meets it: the decision (with "
            "`status: accepted`), the stack entry, service, trade-off or pattern, the risk's "
            "mitigation, or the strategy section that describes how."
        ),
    ),
    "unknown-requirement": DiagnosticDoc(
        when=(
            "architecture.yml names a requirement id the PRD does not define, in any "
            "`requirements` list (ranges such as `FR-001..FR-004` are checked id by id). A close "
            "id is suggested."
        ),
        example=(
            "architecture.yml:11:20: unknown-requirement: component api names FR-12, which the "
            "PRD does not define; did you mean FR-2? (hint: run `archplugin requirements PRD` "
            "to list the ids the PRD defines)"
        ),
        fix=(
            "Correct the id, or define the requirement in the PRD. `archplugin requirements "
            "docs/prd.md` lists the ids the parser sees."
        ),
    ),
    "duplicate-requirement": DiagnosticDoc(
        when=(
            "The PRD defines the same id twice (across shards too). The first definition is "
            "used; the second is reported."
        ),
        example=(
            "prd.md:7: duplicate-requirement: FR-2 is defined again; the definition at prd.md:6 "
            "is the one used (hint: give one of them a new id, or turn this one into a mention)"
        ),
        fix=(
            "Give one of them a new id, or rewrite the second as a mention (see [definitions "
            "and mentions](writing-the-prd.md#definitions-and-mentions))."
        ),
    ),
    "requirement-without-id": DiagnosticDoc(
        when=(
            "A list item or table row inside a functional or non-functional requirements "
            "section has no id. It is still traced, under an id derived from its first words, "
            "so that nothing silently disappears, but that id changes when the words do."
        ),
        example=(
            "prd.md:8: requirement-without-id: functional requirement without an id in section "
            "'Functional requirements'; it is traced as FR-CUSTOMERS-CAN-EXPORT-THEIR until it "
            "has one (hint: start the item with an id such as FR-001: so that it keeps the same "
            "id when its text changes)"
        ),
        fix=(
            "Start the item with an id (`- **FR-007:** Customers can export…`). If the item is "
            "not a requirement, move it out of the requirements section. See [requirements "
            "without an id](writing-the-prd.md#requirements-without-an-id)."
        ),
    ),
    "duplicate-id": DiagnosticDoc(
        when=(
            "Two components or two decisions share an id, two entities a name, or two endpoints "
            "a method and path. The first one gets the page."
        ),
        example=(
            "architecture.yml:12:9: duplicate-id: component id 'api' is already used at "
            "architecture.yml:8 (hint: ids must be unique: rename one of them)"
        ),
        fix="Rename one of them, and the references to it.",
    ),
    "unknown-reference": DiagnosticDoc(
        when=(
            "A reference inside architecture.yml names nothing: a component's `depends_on`, an "
            "entity's or endpoint's `component`, a relationship's `target`, an index column, a "
            "decision's `supersedes` or `components`. A close name is suggested."
        ),
        example=(
            "architecture.yml:10:23: unknown-reference: component api depends on 'dbb', which is "
            "not a component (hint: declare it under `components`, or correct the id)"
        ),
        fix="Correct the name, or declare the item it names.",
    ),
    "fr-without-component": DiagnosticDoc(
        when="No component, entity or endpoint names the FR in its `requirements`.",
        example=(
            "prd.md:6: fr-without-component: FR-2 (Customers search the catalogue) is "
            "implemented by no component, entity or endpoint (hint: add FR-2 to the "
            "`requirements` of the component that implements it)"
        ),
        fix=(
            "Add the FR's id to the `requirements` of the component, entity or endpoint that "
            "implements it. While you assign FRs, `checks: {fr-without-component: info}` keeps "
            "`--strict` green for the NFRs alone."
        ),
    ),
    "decision-without-requirement": DiagnosticDoc(
        when="A decision has an empty or missing `requirements` list.",
        example=(
            "architecture.yml:19:9: decision-without-requirement: decision ADR-002 names no "
            "requirement (hint: list the requirements it serves in its `requirements`)"
        ),
        fix="List the requirements the decision serves; a decision that serves none may not be needed.",
    ),
    "unknown-marker": DiagnosticDoc(
        when=(
            "A page holds an `archplugin:` marker comment the plugin does not know, or a "
            "`component` marker with an id that is not a component. Markers inside code blocks "
            "are left alone."
        ),
        example=(
            "index.md:3: unknown-marker: unknown marker archplugin:sumary (hint: the markers are "
            "traceability, nfr-coverage, component ID, decisions and summary)"
        ),
        fix=(
            "Correct the marker's name or the component id; the markers are listed under "
            "[Generated output](generated-output.md#markers)."
        ),
    ),
    "schema-drift": DiagnosticDoc(
        when=(
            "architecture.yml has both a `schema` (SQL) and `entities`, and a table or column "
            "exists in only one of them: a table no entity describes, an entity without its "
            "table, a column that is no attribute, an attribute without its column. Tables are "
            "matched by the entity's name in snake case (`OrderItem` is `order_item`). A "
            "`schema` that is not valid SQL in `schema_dialect` is a `schema-invalid` error at "
            "its line."
        ),
        example=(
            "architecture.yml:40:11: schema-drift: attribute Customer.phone has no column in "
            "table customer of `schema` (architecture.yml:71:9) (hint: add the column to the "
            "schema, or drop the attribute)"
        ),
        fix="Make the two agree, or keep only one: without `schema`, the SQL is generated from the entities.",
    ),
    "schema-outdated": DiagnosticDoc(
        when=(
            "A committed copy of the JSON Schema is not the schema of the installed plugin, so "
            "the editor checks architecture.yml against outdated keys: the copy a "
            "`# yaml-language-server: $schema=PATH` comment names (a relative path, in "
            "architecture.yml or any file of a `decisions:` folder), or "
            "`architecture.schema.json` / `architecture-shard.schema.json` beside mkdocs.yml. "
            "Copies are compared as JSON, whatever their formatting; a URL, a missing file "
            "and a path outside the folders of mkdocs.yml and of the architecture input are "
            "not checked."
        ),
        example=(
            "architecture.yml:1:33: schema-outdated: architecture.schema.json is not the schema "
            "archplugin 0.1.0 installs: the editor checks architecture.yml against an outdated "
            "schema (hint: run `archplugin schema > architecture.schema.json` and commit it)"
        ),
        fix=(
            "Regenerate the copy with the command of the hint (`archplugin schema --shard` for "
            "the shard schema of a folder), from the folder of mkdocs.yml. See [keeping the "
            "copy current](architecture-yml.md#keeping-the-copy-current)."
        ),
    ),
    "dependency-cycle": DiagnosticDoc(
        when=(
            "Components depend on each other in a loop through `depends_on`, or decisions "
            "supersede each other through `supersedes` (one message per loop)."
        ),
        example=(
            "architecture.yml:10:18: dependency-cycle: components depend on each other in a "
            "loop: api → web → api (hint: break the loop, or accept it with "
            "`checks: {dependency-cycle: ignore}`)"
        ),
        fix=(
            "Break the loop if it is a mistake. It is `info` by default because some loops are "
            "real (a callback, an event bus); `ignore` silences it."
        ),
    ),
}
