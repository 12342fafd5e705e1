"""mkdocs-archplugin: a generated, checked architecture site from a PRD and architecture.yml."""

__version__ = "0.1.0"
