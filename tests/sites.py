"""Small real MkDocs sites in tmp_path, built with the real MkDocs API."""

from __future__ import annotations

import hashlib
import logging
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

PRD = textwrap.dedent(
    """\
    # Shop PRD

    ## Functional requirements

    - **FR-1:** Customers sign in with email and password.
    - **FR-2:** Customers search the catalogue.

    ## Non-functional requirements

    ### Performance
    - **NFR-1:** Search answers in < 200 ms p95.

    ### Security
    - **NFR-2:** Passwords are hashed with Argon2id.
    """
)

ARCHITECTURE = textwrap.dedent(
    """\
    product: Shop
    version: "1.0"
    status: draft
    components:
      - id: web
        name: Web app
        purpose: The storefront.
        technology: [React]
        location: web/
        depends_on: [api]
        requirements: [FR-2]
      - id: api
        name: API
        purpose: Serves the web app.
        technology: [FastAPI]
        location: api/
        requirements: [FR-1, FR-2]
    entities:
      - name: Customer
        attributes:
          - {name: id, type: uuid, constraints: [primary key]}
          - {name: email, type: text, constraints: [unique, not null]}
        requirements: [FR-1]
    api:
      style: REST
      endpoints:
        - {method: POST, path: /sessions, purpose: Sign in, auth: none, component: api, requirements: [FR-1]}
    decisions:
      - id: ADR-001
        title: Search index in PostgreSQL
        status: accepted
        context: Search must answer in < 200 ms p95.
        decision: Use PostgreSQL full-text search.
        components: [api]
        requirements: [NFR-1]
      - id: ADR-002
        title: Argon2id for passwords
        status: accepted
        decision: Hash with Argon2id.
        components: [api]
        requirements: [NFR-2]
    """
)


@dataclass
class Site:
    root: Path
    messages: list[tuple[str, str]] = field(default_factory=list)

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def html(self, path: str) -> str:
        return (self.site_dir / path).read_text(encoding="utf-8")

    def warnings(self) -> list[str]:
        """Warnings and errors, without the `archplugin: ` prefix of the plugin's logger."""
        return [m.removeprefix("archplugin: ") for level, m in self.messages if level in ("WARNING", "ERROR")]


def make_site(
    root: Path,
    *,
    prd: str = PRD,
    architecture: str | None = ARCHITECTURE,
    plugin: dict | None = None,
    extra: dict | None = None,
    pages: dict[str, str] | None = None,
) -> Site:
    """Write a site: docs/prd.md, architecture.yml, mkdocs.yml (strict link validation)."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    if prd is not None:
        (root / "docs" / "prd.md").write_text(prd, encoding="utf-8")
    if architecture is not None:
        (root / "architecture.yml").write_text(architecture, encoding="utf-8")
    for name, text in (pages or {}).items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    config = {
        "site_name": "Test site",
        "theme": {"name": "mkdocs"},
        "markdown_extensions": ["admonition", "tables", "attr_list", "md_in_html", "pymdownx.details",
                                "pymdownx.superfences"],
        "validation": {"links": {"anchors": "warn", "not_found": "warn", "unrecognized_links": "warn"},
                       "omitted_files": "warn"},
        "plugins": ["search", {"archplugin": plugin or {}}],
    }
    config.update(extra or {})
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return Site(root)


class _Collect(logging.Handler):
    def __init__(self, site: Site) -> None:
        super().__init__(logging.INFO)
        self.site = site

    def emit(self, record: logging.LogRecord) -> None:
        self.site.messages.append((record.levelname, record.getMessage()))


def build_site(site: Site, *, strict: bool = True) -> bool:
    """Build with the real MkDocs API; False when --strict aborted the build."""
    handler = _Collect(site)
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.INFO)  # as the mkdocs command line sets it
    logger.addHandler(handler)
    try:
        config = load_config(str(site.root / "mkdocs.yml"), strict=strict, site_dir=str(site.site_dir))
        build(config)
        return True
    except Abort:
        return False
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def tree_digest(path: Path) -> str:
    """A digest of every file's path and bytes under path."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(file.relative_to(path).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()
