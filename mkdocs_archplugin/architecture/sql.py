"""SQL for the data architecture, through sqlglot: the DDL generated from `entities`, and the
tables and columns of a written `schema`, in the SQL dialect the site names.

sqlglot parses and writes the statements, so types stay as written (`varchar(255)`,
`numeric(10,2)`, `timestamptz`, arrays), constraint text is kept verbatim and checked, and
identifiers are quoted where the dialect needs it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError

from mkdocs_archplugin.architecture.model import Entity

#: Dialects `schema_dialect` accepts: those sqlglot writes DDL for.
SQL_DIALECTS = ("postgres", "mysql", "sqlite", "duckdb", "tsql", "oracle", "snowflake", "bigquery",
                "redshift", "clickhouse", "databricks", "spark", "trino")
DEFAULT_DIALECT = "postgres"
#: The dialect entity types and constraints are read in: PostgreSQL's spelling is the common one
#: (`timestamptz`, `text[]`, `jsonb`); sqlglot writes each in the site's dialect.
ENTITY_DIALECT = "postgres"

#: Words reserved in SQL:2016 or in the common dialects: a table or column named so is quoted.
RESERVED = frozenset("""
all alter analyse analyze and any array as asc asymmetric authorization between binary both
case cast check collate column constraint create cross current_catalog current_date current_role
current_schema current_time current_timestamp current_user default deferrable delete desc
distinct do drop else end except exists false fetch for foreign freeze from full grant group
having ilike in index initially inner insert intersect into is isnull join key lateral leading
left like limit localtime localtimestamp natural not notnull null offset on only or order outer
overlaps placing primary references returning right row rows select session_user similar some
symmetric table tablesample then to trailing true union unique update user using values
variadic verbose when where window with range rank level comment schema value values
""".split())

_PLAIN_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def snake(text: str) -> str:
    """`OrderItem` / `Order Item` → `order_item`: the table or column name of an entity or attribute."""
    value = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text.strip())
    return re.sub(r"[^A-Za-z0-9_]+", "_", value).strip("_").lower() or "x"


def identifier(name: str, dialect: str) -> str:
    """A table or column name as the dialect must write it: quoted when reserved or not plain."""
    quoted = name.lower() in RESERVED or not _PLAIN_IDENTIFIER.fullmatch(name)
    return exp.Identifier(this=name, quoted=quoted).sql(dialect=dialect)


@dataclass(frozen=True)
class SqlProblem:
    """A statement sqlglot could not read: 1-based line and column within the SQL text."""

    line: int
    column: int
    message: str


@dataclass
class ParsedSchema:
    """The tables of a schema and their columns, by lower-case name; problems found reading it."""

    tables: dict[str, list[str]] = field(default_factory=dict)
    problems: list[SqlProblem] = field(default_factory=list)


def parse_schema(text: str, dialect: str = DEFAULT_DIALECT) -> ParsedSchema:
    """The `CREATE TABLE` statements of a written schema (other statements are read and skipped)."""
    result = ParsedSchema()
    try:
        statements = sqlglot.parse(text, read=dialect)
    except (ParseError, TokenError) as error:
        errors = getattr(error, "errors", None) or [{}]
        first = errors[0]
        message = first.get("description") or str(error).splitlines()[0]
        result.problems.append(SqlProblem(int(first.get("line") or 1), int(first.get("col") or 1), message))
        return result
    for statement in statements:
        if not isinstance(statement, exp.Create) or (statement.args.get("kind") or "").upper() != "TABLE":
            continue
        schema = statement.this
        table = schema.this if isinstance(schema, exp.Schema) else schema
        columns = [column.name.lower() for column in (schema.expressions if isinstance(schema, exp.Schema) else [])
                   if isinstance(column, exp.ColumnDef)]
        result.tables[table.name.lower()] = columns
    return result


def entity_tables(entities: list[Entity]) -> dict[str, list[str]]:
    """The tables the entities stand for, by lower-case name, with their column names."""
    return {snake(e.name): [snake(a.name) for a in e.attributes] for e in entities}


def entities_ddl(entities: list[Entity], dialect: str = DEFAULT_DIALECT) -> str:
    """CREATE TABLE (and CREATE INDEX) statements for the entities, written by sqlglot.

    Each column is `name type constraints` with the type and constraints as architecture.yml
    writes them, read as PostgreSQL (ENTITY_DIALECT) and written in `dialect`; a statement
    sqlglot cannot read is shown as written, under a comment that says so.
    """
    statements: list[str] = []
    read = ENTITY_DIALECT  # identifiers quoted as the statements are read; sqlglot requotes them
    for entity in entities:
        table = identifier(snake(entity.name), read)
        columns: list[str] = []
        notes: list[str] = []
        for attribute in entity.attributes:
            name = identifier(snake(attribute.name), read)
            column = " ".join([name, attribute.type, *attribute.constraints])
            if not _readable(f"CREATE TABLE t ({column})"):
                # Text that is not SQL (`check in ('eu', 'us')`, prose in a type): shown as a
                # comment above the statement instead of breaking the DDL.
                if _readable(f"CREATE TABLE t ({name} {attribute.type})"):
                    kept = [c for c in attribute.constraints if _readable(f"CREATE TABLE t ({name} {attribute.type} {c})")]
                    column = " ".join([name, attribute.type, *kept])
                    left_out = "; ".join(" ".join(c.split()) for c in attribute.constraints if c not in kept)
                else:
                    column = f"{name} text"
                    left_out = " ".join(f"type {attribute.type} {' '.join(attribute.constraints)}".split())
                notes.append(f"-- {snake(attribute.name)}: not SQL, left out: {left_out}")
            columns.append(column)
        statement = _written(f"CREATE TABLE {table} ({', '.join(columns)})", dialect)
        statements.append("\n".join([*notes, statement]))
        for index in entity.indexes:
            columns_sql = ", ".join(identifier(snake(c), read) for c in index.columns)
            name = identifier(snake(index.name) if index.name else
                              f"idx_{snake(entity.name)}_{'_'.join(snake(c) for c in index.columns)}", read)
            unique = "UNIQUE " if index.unique else ""
            statements.append(_written(f"CREATE {unique}INDEX {name} ON {table} ({columns_sql})", dialect))
    return "\n\n".join(statements)


@functools.lru_cache(maxsize=4096)
def _readable(sql: str) -> bool:
    """Whether sqlglot reads `sql` as PostgreSQL. Memoised: the same columns (`id uuid primary
    key`, `created_at timestamptz`) recur in most entities, and each read costs 1 ms."""
    try:
        sqlglot.parse_one(sql, read=ENTITY_DIALECT)
    except (ParseError, TokenError):
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _written(sql: str, dialect: str) -> str:
    """A statement read as PostgreSQL and written in `dialect`, one column per line.

    Memoised (a serve rebuild writes the same tables again), and written by one dialect
    instance, without copying each column first: at 250 entities that was half the time."""
    try:
        statement = sqlglot.parse_one(sql, read=ENTITY_DIALECT)
    except (ParseError, TokenError) as error:
        errors = getattr(error, "errors", None) or [{}]
        reason = errors[0].get("description") or "unreadable"
        return f"-- not valid SQL ({reason}); shown as written:\n{sql};"
    writer = Dialect.get_or_raise(dialect)
    schema = statement.this if isinstance(statement, exp.Create) else None
    if isinstance(schema, exp.Schema) and dialect != ENTITY_DIALECT:
        # A type of PostgreSQL's own (`citext`, an enum) has no spelling elsewhere: text.
        for column in schema.expressions:
            kind = column.args.get("kind") if isinstance(column, exp.ColumnDef) else None
            if isinstance(kind, exp.DataType) and kind.this == exp.DataType.Type.USERDEFINED:
                column.set("kind", exp.DataType.build("text"))
    if isinstance(schema, exp.Schema) and schema.expressions:
        head = writer.generate(exp.Create(kind="TABLE", this=schema.this))
        # The statement was parsed for this call alone: its columns need no copy.
        columns = ",\n".join("  " + writer.generate(column, copy=False) for column in schema.expressions)
        return f"{head} (\n{columns}\n);"
    return writer.generate(statement) + ";"
