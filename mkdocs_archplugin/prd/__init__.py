"""PRD → requirements and other product knowledge. Pure: imports nothing from MkDocs."""

from __future__ import annotations

from mkdocs_archplugin.prd.assemble import (
    PrdCache,
    assemble_prd,
    parse_prd,
    parse_texts,
    prd_files,
    read_prd_file,
    read_prd_texts,
)
from mkdocs_archplugin.prd.model import Prd, PrdItem, Requirement, RequirementGroup, Source
from mkdocs_archplugin.prd.parser import FileParse, parse_markdown
from mkdocs_archplugin.prd.settings import PrdSettings

__all__ = [
    "FileParse",
    "Prd",
    "PrdCache",
    "PrdItem",
    "PrdSettings",
    "Requirement",
    "RequirementGroup",
    "Source",
    "assemble_prd",
    "parse_markdown",
    "parse_prd",
    "parse_texts",
    "prd_files",
    "read_prd_file",
    "read_prd_texts",
]
