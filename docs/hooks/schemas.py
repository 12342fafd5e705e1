"""MkDocs hook of this documentation site: publish the JSON Schemas of architecture.yml.

`schema/architecture.schema.json` and `schema/architecture-shard.schema.json` are generated
from the model at build time, exactly as `archplugin schema [--shard]` prints them, so the
URLs in their `$id` (site_url + `schema/…`, the ones editors and SchemaStore fetch) serve the
schema of the code the site documents.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File

from mkdocs_archplugin.architecture.model import SCHEMA_FILE, SHARD_SCHEMA_FILE, architecture_json_schema_text


def on_files(files: Any, *, config: Any) -> Any:
    """Add the two schemas under `schema/`, beside the SchemaStore catalog entry in docs/schema/."""
    for name, shard in ((SCHEMA_FILE, False), (SHARD_SCHEMA_FILE, True)):
        files.append(File.generated(config, f"schema/{name}", content=architecture_json_schema_text(shard)))
    return files
