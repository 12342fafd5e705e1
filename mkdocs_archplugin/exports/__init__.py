"""Machine-readable exports of one build's analysis, for tools and agents.

- `export_json(analysis)`: traceability.json, shaped by the shipped traceability.schema.json.
- `export_graph(analysis)`: knowledge-graph.jsonl, the MCP memory server's file format.
- `export_needs_json(analysis)`: needs.json, sphinx-needs' exchange format (`needimport`).

All are pure functions of the analysis and return text that is byte-identical for identical
input; the plugin writes them under `output_dir`, `archplugin export` wherever it is told.
"""

from mkdocs_archplugin.exports.knowledge_graph import export_graph, graph_records
from mkdocs_archplugin.exports.needs_json import export_needs_json, needs_document
from mkdocs_archplugin.exports.traceability_json import (
    SCHEMA_VERSION,
    export_json,
    traceability_document,
    traceability_json_schema,
)

__all__ = [
    "SCHEMA_VERSION",
    "export_graph",
    "export_json",
    "export_needs_json",
    "graph_records",
    "needs_document",
    "traceability_document",
    "traceability_json_schema",
]
