"""Generate a whole benchmark site at a given scale, deterministically from a seed.

What it writes into OUT_DIR:

- ``docs/prd/``: a PRD of N requirements (70 % FR, 30 % NFR with categories and measurable
  targets), written as list items, headings and table rows, with prose mentions between
  them, sharded over ``ceil(N / SHARD_SIZE)`` files;
- ``architecture.yml``: N/10 components, N/5 decisions, N/20 entities and N/10 endpoints,
  every one naming requirements, with a few deliberate coverage gaps (an NFR no decision
  names, an FR no component, entity or endpoint names);
- ``mkdocs.yml`` wiring the plugin;
- with ``--sphinx``, ``sphinx/``: the same requirements and architecture items as
  sphinx-needs needs with the same links, sharded the same way, and one needtable of all
  requirements.

Usage: ``python bench/generate.py N OUT_DIR [--seed S] [--sphinx]``. Generation is O(N):
10,000 requirements take a fraction of a second.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

#: Requirements per PRD shard: N=100 and 1,000 give 1 and 2 files, N=10,000 gives 20.
SHARD_SIZE = 500
#: Below this there is no room for the deliberate gaps beside covered requirements.
MIN_N = 20
FR_SHARE = 0.7


@dataclass(frozen=True)
class Shape:
    """How a site of N requirements is made: the FR share, the PRD's forms, and how many
    requirements there are per architecture item of each kind."""

    fr_share: float = FR_SHARE
    #: Every requirement a BMAD-style list item (`- **FR-0001:** …`), no tables or headings.
    list_only: bool = False
    per_component: int = 10
    per_decision: int = 5
    per_entity: int = 20
    per_endpoint: int = 10


#: `mixed`: the bench's own shape. `bmad`: issue 18's (5,000 = 4,000 FR + 1,000 NFR as list
#: items, 100 components, 200 decisions).
SHAPES = {
    "mixed": Shape(),
    "bmad": Shape(fr_share=0.8, list_only=True, per_component=50, per_decision=25, per_entity=100,
                  per_endpoint=50),
}

FEATURE_AREAS = (
    "Accounts",
    "Billing",
    "Catalog",
    "Orders",
    "Search",
    "Notifications",
    "Reporting",
    "Integrations",
    "Administration",
    "Audit",
    "Onboarding",
    "Messaging",
)
PERSONAS = (
    "a customer",
    "an administrator",
    "a support agent",
    "an analyst",
    "a partner",
    "an auditor",
)
ACTIONS = (
    ("Create", "create"),
    ("Export", "export"),
    ("Import", "import"),
    ("Approve", "approve"),
    ("Archive", "archive"),
    ("Search", "search"),
    ("Share", "share"),
    ("Review", "review"),
    ("Schedule", "schedule"),
    ("Reconcile", "reconcile"),
    ("Tag", "tag"),
    ("Restore", "restore"),
)
OBJECTS = (
    "invoices",
    "orders",
    "user profiles",
    "product listings",
    "payment methods",
    "reports",
    "subscriptions",
    "shipments",
    "support tickets",
    "audit records",
    "API keys",
    "workspaces",
)
QUALIFIERS = (
    "from the dashboard",
    "in bulk",
    "with a confirmation step",
    "through the public API",
    "on mobile devices",
    "with an audit trail",
    "for a selected date range",
    "by email",
)
TECHNIQUES = (
    "caching",
    "event sourcing",
    "read replicas",
    "a message queue",
    "rate limiting",
    "feature flags",
    "sharding",
    "a circuit breaker",
)
PRIORITIES = (
    "Must",
    "Must",
    "Must",
    "Must",
    "Must",
    "Should",
    "Should",
    "Should",
    "Could",
    "Could",
)


def _performance(rng: random.Random, subject: str) -> tuple[str, str]:
    target = f"< {rng.choice((100, 200, 300, 500, 800))} ms p95"
    return target, f"Requests on {subject} complete in {target} under nominal load."


def _availability(rng: random.Random, subject: str) -> tuple[str, str]:
    target = f"{rng.choice(('99.5', '99.9', '99.95', '99.99'))} %"
    return target, f"The {subject} service is available {target} of each calendar month."


def _scalability(rng: random.Random, subject: str) -> tuple[str, str]:
    target = f"{rng.choice(('1,000', '10,000', '50,000', '100,000'))} concurrent users"
    return target, f"The system serves {target} working on {subject} without degradation."


def _security(rng: random.Random, subject: str) -> tuple[str, str]:
    target = f"{rng.choice((15, 30, 60))} minutes"
    return target, f"Access to {subject} is authenticated and idle sessions expire after {target}."


def _reliability(rng: random.Random, subject: str) -> tuple[str, str]:
    target = f"{rng.choice((5, 15, 60))} minutes"
    return target, f"Data loss on {subject} after a failure stays under {target} (RPO)."


def _usability(rng: random.Random, subject: str) -> tuple[str, str]:
    target = f"{rng.choice((80, 90, 95))} %"
    return target, f"{target} of first-time users manage {subject} without help."


def _compliance(rng: random.Random, subject: str) -> tuple[str, str]:
    target = f"{rng.choice((7, 30))} days"
    return target, f"Personal data in {subject} is erased within {target} of a request."


def _observability(rng: random.Random, subject: str) -> tuple[str, str]:
    target = f"{rng.choice((30, 60, 120))} s"
    return target, f"Failures on {subject} raise an alert within {target}."


#: NFR categories with a writer of (measurable target, sentence stating it).
NFR_CATEGORIES = {
    "Performance": _performance,
    "Availability": _availability,
    "Scalability": _scalability,
    "Security": _security,
    "Reliability": _reliability,
    "Usability": _usability,
    "Compliance": _compliance,
    "Observability": _observability,
}


@dataclass(frozen=True)
class Requirement:
    """One generated requirement, in the words the PRD and the sphinx-needs sources use."""

    id: str
    kind: str  # "FR" or "NFR"
    title: str
    text: str
    priority: str
    category: str
    target: str
    mentions: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """A PRD section under one heading: its requirements as list items, table rows, headings.

    The three shapes come in that order so that no list or table falls into the body of a
    heading-shaped requirement.
    """

    title: str
    listed: tuple[Requirement, ...]
    tabled: tuple[Requirement, ...]
    headed: tuple[Requirement, ...]

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return self.listed + self.tabled + self.headed


@dataclass(frozen=True)
class Shard:
    """One PRD file: its functional and non-functional sections."""

    name: str
    functional: tuple[Section, ...]
    non_functional: tuple[Section, ...]


@dataclass(frozen=True)
class BenchSite:
    """Everything generated for one N and seed, before it is written out."""

    n: int
    seed: int
    requirements: tuple[Requirement, ...]
    shards: tuple[Shard, ...]
    architecture: dict[str, Any]
    #: Requirements deliberately left without a tracing item.
    uncovered_nfrs: tuple[str, ...]
    uncovered_frs: tuple[str, ...]
    shape: Shape = Shape()


@dataclass(frozen=True)
class SiteFiles:
    """Where a generated site was written."""

    root: Path
    mkdocs_yml: Path
    docs_dir: Path
    prd_dir: Path
    prd_shards: tuple[Path, ...]
    architecture_yml: Path
    sphinx_dir: Path | None = None
    sphinx_shards: tuple[Path, ...] = ()
    sphinx_architecture: Path | None = None


# --------------------------------------------------------------------------- the model


def make_site(n: int, seed: int = 0, shape: str = "mixed") -> BenchSite:
    """The whole site for N requirements, the same for the same N, seed and shape."""
    if n < MIN_N:
        raise ValueError(f"N must be at least {MIN_N}")
    form = SHAPES[shape]
    # The mixed shape keeps its seed string: its sites stay what earlier runs measured.
    rng = random.Random(f"archplugin-bench:{n}:{seed}" + ("" if shape == "mixed" else f":{shape}"))
    n_fr = max(1, round(n * form.fr_share))
    n_nfr = n - n_fr
    width = max(4, len(str(max(n_fr, n_nfr))))
    functional = _functional_requirements(rng, n_fr, width)
    non_functional = _non_functional_requirements(rng, n_nfr, width, functional)
    shards = _shards(rng, functional, non_functional, form.list_only)

    gaps = max(1, n // 200)
    uncovered_frs = tuple(sorted(rng.sample([r.id for r in functional], gaps)))
    uncovered_nfrs = tuple(sorted(rng.sample([r.id for r in non_functional], gaps)))
    architecture = _architecture(rng, n, functional, non_functional, uncovered_frs, uncovered_nfrs, form)
    return BenchSite(
        n=n,
        seed=seed,
        requirements=functional + non_functional,
        shards=shards,
        architecture=architecture,
        uncovered_nfrs=uncovered_nfrs,
        uncovered_frs=uncovered_frs,
        shape=form,
    )


def _functional_requirements(rng: random.Random, count: int, width: int) -> tuple[Requirement, ...]:
    requirements = []
    for i in range(count):
        (title_verb, verb), thing = rng.choice(ACTIONS), rng.choice(OBJECTS)
        persona, qualifier = rng.choice(PERSONAS), rng.choice(QUALIFIERS)
        text = f"The system shall let {persona} {verb} {thing} {qualifier}."
        mentions = _earlier_ids(rng, "FR", i, width, probability=0.25)
        text += _mention_sentence(rng, mentions)
        requirements.append(
            Requirement(
                id=f"FR-{i + 1:0{width}d}",
                kind="FR",
                title=f"{title_verb} {thing}",
                text=text,
                priority=rng.choice(PRIORITIES),
                category="",  # set from the section it lands in
                target="",
                mentions=mentions,
            )
        )
    return tuple(requirements)


def _non_functional_requirements(
    rng: random.Random, count: int, width: int, functional: tuple[Requirement, ...]
) -> tuple[Requirement, ...]:
    categories = tuple(NFR_CATEGORIES)
    requirements = []
    for i in range(count):
        category = rng.choice(categories)
        thing = rng.choice(OBJECTS)
        target, text = NFR_CATEGORIES[category](rng, thing)
        mentions: tuple[str, ...] = ()
        if rng.random() < 0.3:
            mentions = (functional[rng.randrange(len(functional))].id,)
        text += _mention_sentence(rng, mentions)
        requirements.append(
            Requirement(
                id=f"NFR-{i + 1:0{width}d}",
                kind="NFR",
                title=f"{category} of {thing}",
                text=text,
                priority=rng.choice(PRIORITIES),
                category=category,
                target=target,
                mentions=mentions,
            )
        )
    return tuple(requirements)


def _earlier_ids(
    rng: random.Random, prefix: str, index: int, width: int, probability: float
) -> tuple[str, ...]:
    """One or two ids of requirements defined before `index`, or none."""
    if index == 0 or rng.random() >= probability:
        return ()
    picks = sorted({rng.randrange(index) for _ in range(rng.choice((1, 1, 2)))})
    return tuple(f"{prefix}-{p + 1:0{width}d}" for p in picks)


def _mention_sentence(rng: random.Random, mentions: tuple[str, ...]) -> str:
    if not mentions:
        return ""
    joined = " and ".join(mentions)
    return rng.choice((f" See {joined}.", f" Builds on {joined}.", f" Related: {joined}."))


def _shards(
    rng: random.Random,
    functional: tuple[Requirement, ...],
    non_functional: tuple[Requirement, ...],
    list_only: bool = False,
) -> tuple[Shard, ...]:
    total = len(functional) + len(non_functional)
    count = max(1, math.ceil(total / SHARD_SIZE))
    digits = len(str(count))
    fr_bounds = _even_bounds(len(functional), count)
    nfr_bounds = _even_bounds(len(non_functional), count)
    shards = []
    area_index = 0
    for k in range(count):
        frs = functional[fr_bounds[k] : fr_bounds[k + 1]]
        sections = []
        start = 0
        while start < len(frs):
            size = rng.randint(8, 24)
            area = FEATURE_AREAS[area_index % len(FEATURE_AREAS)]
            round_ = area_index // len(FEATURE_AREAS)
            title = area if round_ == 0 else f"{area} {round_ + 1}"
            area_index += 1
            chunk = tuple(replace(r, category=title) for r in frs[start : start + size])
            sections.append(_section(rng, title, chunk, list_only))
            start += size
        by_category: dict[str, list[Requirement]] = {name: [] for name in NFR_CATEGORIES}
        for requirement in non_functional[nfr_bounds[k] : nfr_bounds[k + 1]]:
            by_category[requirement.category].append(requirement)
        nfr_sections = tuple(
            _section(rng, name, tuple(items), list_only)
            for name, items in by_category.items()
            if items
        )
        shards.append(
            Shard(
                name=f"requirements-{k + 1:0{digits}d}",
                functional=tuple(sections),
                non_functional=nfr_sections,
            )
        )
    return tuple(shards)


def _even_bounds(length: int, parts: int) -> list[int]:
    return [length * k // parts for k in range(parts + 1)]


def _section(
    rng: random.Random, title: str, requirements: tuple[Requirement, ...], list_only: bool = False
) -> Section:
    """Split a section's requirements into list items, table rows and headings."""
    if list_only:
        return Section(title=title, listed=requirements, tabled=(), headed=())
    count = len(requirements)
    listed = round(count * rng.uniform(0.3, 0.5))
    tabled = round((count - listed) * rng.uniform(0.4, 0.6))
    return Section(
        title=title,
        listed=requirements[:listed],
        tabled=requirements[listed : listed + tabled],
        headed=requirements[listed + tabled :],
    )


def _is_proposed(decision_index: int) -> bool:
    return decision_index % 10 == 9


def _architecture(
    rng: random.Random,
    n: int,
    functional: tuple[Requirement, ...],
    non_functional: tuple[Requirement, ...],
    uncovered_frs: tuple[str, ...],
    uncovered_nfrs: tuple[str, ...],
    shape: Shape = Shape(),
) -> dict[str, Any]:
    """The architecture.yml content: every item names requirements; the gaps name none."""
    skip_frs, skip_nfrs = set(uncovered_frs), set(uncovered_nfrs)
    frs = [r.id for r in functional if r.id not in skip_frs]
    nfrs = [r.id for r in non_functional if r.id not in skip_nfrs]
    n_components, n_decisions = max(1, n // shape.per_component), max(1, n // shape.per_decision)
    n_entities, n_endpoints = max(1, n // shape.per_entity), max(1, n // shape.per_endpoint)
    width = max(4, len(str(max(n_components, n_decisions))))

    component_ids = [f"cmp-{i + 1:0{width}d}" for i in range(n_components)]
    components = []
    for i, component_id in enumerate(component_ids):
        area = FEATURE_AREAS[i % len(FEATURE_AREAS)]
        component: dict[str, Any] = {
            "id": component_id,
            "name": f"{area} service {i + 1}",
            "purpose": f"Owns the {area.lower()} capabilities of slice {i + 1}.",
            "responsibilities": [
                f"Serve {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}",
                f"Publish {area.lower()} events",
            ],
            "technology": rng.choice(("Python 3.12", "Go 1.23", "TypeScript on Node.js 22")),
            "location": f"services/{component_id}",
        }
        if i:
            component["depends_on"] = sorted(
                {component_ids[rng.randrange(i)] for _ in range(rng.choice((1, 1, 2)))}
            )
        # Round-robin: every covered FR lands on exactly one component.
        component["requirements"] = frs[i::n_components]
        components.append(component)

    # Every tenth decision is only proposed, which addresses nothing yet: the covered NFRs go
    # round-robin over the accepted ones, so the only NFR gaps are the deliberate ones.
    accepted = [i for i in range(n_decisions) if not _is_proposed(i)]
    nfrs_of = {i: nfrs[k :: len(accepted)] for k, i in enumerate(accepted)}
    decisions: list[dict[str, Any]] = []
    for i in range(n_decisions):
        technique = rng.choice(TECHNIQUES)
        decision: dict[str, Any] = {
            "id": f"ADR-{i + 1:0{width}d}",
            "title": f"{rng.choice(('Adopt', 'Use', 'Prefer', 'Introduce'))} {technique} "
            f"for {rng.choice(OBJECTS)}",
            "status": "proposed" if _is_proposed(i) else "accepted",
            "context": f"The {rng.choice(OBJECTS)} workload grows faster than planned.",
            "options": [
                {
                    "name": technique.capitalize(),
                    "pros": ["Meets the targets"],
                    "cons": ["New to the team"],
                },
                {"name": "Do nothing", "pros": ["No work"], "cons": ["Misses the targets"]},
            ],
            "decision": f"Apply {technique} behind a small interface owned by one component.",
            "rationale": "It meets the stated targets at the lowest operational cost.",
            "consequences": ["One more moving part to monitor", "Runbooks need an update"],
            "components": sorted({component_ids[rng.randrange(n_components)] for _ in range(2)}),
            "requirements": [
                *nfrs_of.get(i, [nfrs[rng.randrange(len(nfrs))]]),
                frs[rng.randrange(len(frs))],
            ],
        }
        if i % 25 == 23:
            # Neither this decision nor the one it supersedes is ever proposed (i % 10 is 3 or
            # 8); a superseded decision addresses nothing, so its successor takes over its NFRs.
            previous = decisions[-1]
            previous["status"] = "superseded"
            decision["supersedes"] = [previous["id"]]
            decision["requirements"] = previous["requirements"] + decision["requirements"]
        decisions.append(decision)

    entities = []
    for i in range(n_entities):
        thing = OBJECTS[i % len(OBJECTS)]
        name = f"{re.sub(r'[^A-Za-z]', '', thing.title())}{i + 1:0{width}d}"
        entity: dict[str, Any] = {
            "name": name,
            "purpose": f"Stores the {thing} of slice {i + 1}.",
            "component": component_ids[i % n_components],
            "attributes": [
                {
                    "name": "id",
                    "type": "uuid",
                    "constraints": ["primary key"],
                    "purpose": "Identity",
                },
                {
                    "name": "name",
                    "type": "text",
                    "constraints": ["not null"],
                    "purpose": "Display name",
                },
                {
                    "name": "created_at",
                    "type": "timestamptz",
                    "constraints": ["not null"],
                    "purpose": "Creation time",
                },
            ],
        }
        if i:
            parent = entities[rng.randrange(i)]["name"]
            entity["attributes"].append(
                {
                    "name": "parent_id",
                    "type": "uuid",
                    "constraints": [f"references {parent}(id)"],
                    "purpose": f"The {parent} it belongs to",
                }
            )
            entity["relationships"] = [
                {"target": parent, "kind": "many-to-one", "description": "belongs to"}
            ]
        entity["requirements"] = sorted({frs[rng.randrange(len(frs))] for _ in range(2)})
        entities.append(entity)

    endpoints = []
    for i in range(n_endpoints):
        thing = OBJECTS[i % len(OBJECTS)]
        method = ("GET", "POST", "PUT", "DELETE")[i % 4]
        endpoints.append(
            {
                "method": method,
                "path": f"/api/v1/{thing.replace(' ', '-').lower()}-{i + 1:0{width}d}",
                "purpose": f"Manage {thing} of slice {i + 1}.",
                "auth": "bearer",
                "component": component_ids[i % n_components],
                "responses": [{"status": 201 if method == "POST" else 200, "description": "Done"}],
                "requirements": sorted(
                    {frs[rng.randrange(len(frs))] for _ in range(rng.choice((1, 2)))}
                ),
            }
        )

    return {
        "product": f"Bench Product {n}",
        "version": "1.0",
        "status": "draft",
        "overview": {
            "purpose": "A synthetic product to measure the plugin at scale.",
            "goals": [{"goal": "Serve every feature area reliably", "requirements": nfrs[:2]}],
        },
        "stack": [
            {
                "layer": "backend",
                "name": "Python",
                "version": "3.12",
                "rationale": "The team's main language.",
                "requirements": nfrs[:1],
            },
            {
                "layer": "database",
                "name": "PostgreSQL",
                "version": "16",
                "rationale": "Transactions and mature tooling.",
                "requirements": nfrs[1:2],
            },
            {
                "layer": "cache",
                "name": "Redis",
                "version": "7",
                "rationale": "Hot reads under the latency targets.",
                "requirements": nfrs[2:3],
            },
        ],
        "pattern": {"name": "Modular services", "rationale": "One service per feature area slice."},
        "components": components,
        "entities": entities,
        "api": {"style": "REST", "endpoints": endpoints},
        "security": {"text": "Every endpoint requires a bearer token.", "requirements": nfrs[:1]},
        "decisions": decisions,
        "tradeoffs": [
            {
                "title": "Consistency against latency",
                "choice": "Eventual consistency for read models",
                "pros": ["Low read latency", "Independent scaling"],
                "cons": ["Stale reads for a few seconds"],
                "justification": "The latency targets matter more than instant consistency.",
                "requirements": nfrs[:2],
            }
        ],
    }


# --------------------------------------------------------------------------- writing


def write_site(
    site: BenchSite, out_dir: Path, *, sphinx: bool = False, theme: str = "material"
) -> SiteFiles:
    """Write the MkDocs site (and the sphinx-needs project) for `site` into `out_dir`."""
    root = Path(out_dir)
    docs_dir = root / "docs"
    prd_dir = docs_dir / "prd"
    prd_dir.mkdir(parents=True, exist_ok=True)

    (docs_dir / "index.md").write_text(
        f"# Bench Product {site.n}\n\nA generated site with {site.n:,} requirements: "
        "read [the PRD](prd/index.md).\n",
        encoding="utf-8",
    )
    (prd_dir / "index.md").write_text(_prd_index(site), encoding="utf-8")
    shard_paths = []
    for number, shard in enumerate(site.shards, start=1):
        path = prd_dir / f"{shard.name}.md"
        path.write_text(_prd_shard_markdown(shard, number, len(site.shards)), encoding="utf-8")
        shard_paths.append(path)

    architecture_yml = root / "architecture.yml"
    architecture_yml.write_text(
        "# Generated by bench/generate.py: the architecture of a synthetic product.\n"
        + dump_yaml(site.architecture),
        encoding="utf-8",
    )
    mkdocs_yml = root / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_config(f"Bench Product {site.n}", theme=theme), encoding="utf-8")

    files = SiteFiles(
        root=root,
        mkdocs_yml=mkdocs_yml,
        docs_dir=docs_dir,
        prd_dir=prd_dir,
        prd_shards=tuple(shard_paths),
        architecture_yml=architecture_yml,
    )
    if sphinx:
        files = _write_sphinx(site, root / "sphinx", files)
    return files


def generate(
    n: int,
    out_dir: Path,
    *,
    seed: int = 0,
    sphinx: bool = False,
    theme: str = "material",
    shape: str = "mixed",
) -> SiteFiles:
    """Generate and write the site for N requirements (the CLI's work, for importers)."""
    return write_site(make_site(n, seed, shape), out_dir, sphinx=sphinx, theme=theme)


def mkdocs_config(
    site_name: str,
    *,
    theme: str = "material",
    plugin: bool = True,
    docs_dir: str = "docs",
    hooks: tuple[str, ...] = (),
) -> str:
    """The site's mkdocs.yml; `plugin=False` gives the same site without archplugin."""
    lines = [
        f"site_name: {json.dumps(site_name)}",
        f"docs_dir: {json.dumps(docs_dir)}",
        "theme:",
        f"  name: {theme}",
    ]
    if theme == "material":
        # What Material recommends for a large nav: each page renders only its own branch.
        lines.append("  features: [navigation.prune]")
    lines += [
        "markdown_extensions:",
        "  - tables",
        "  - attr_list",
        "  - admonition",
        "  - toc:",
        "      permalink: true",
        "  - pymdownx.superfences:",
        "      custom_fences:",
        "        - name: mermaid",
        "          class: mermaid",
        "          format: !!python/name:pymdownx.superfences.fence_code_format",
        "plugins:",
        "  - search",
    ]
    if plugin:
        lines += [
            "  - archplugin:",
            "      prd: prd",
            "      decisions: architecture.yml",
            "      output_dir: architecture",
        ]
    if hooks:
        lines.append("hooks:")
        lines += [f"  - {json.dumps(hook)}" for hook in hooks]
    return "\n".join(lines) + "\n"


def _prd_index(site: BenchSite) -> str:
    n_fr = sum(1 for r in site.requirements if r.kind == "FR")
    return (
        f"# Product Requirements: Bench Product {site.n}\n\n"
        "## Overview\n\n"
        f"A synthetic product with {n_fr:,} functional and {site.n - n_fr:,} non-functional "
        f"requirements over {len(site.shards)} file(s), generated with seed {site.seed}.\n"
    )


def _prd_shard_markdown(shard: Shard, number: int, total: int) -> str:
    out = [f"# Requirements, part {number} of {total}\n", "## Functional Requirements\n"]
    for section in shard.functional:
        _write_section(out, section)
    if shard.non_functional:
        out.append("## Non-Functional Requirements\n")
        for section in shard.non_functional:
            _write_section(out, section)
    return "\n".join(out)


def _write_section(out: list[str], section: Section) -> None:
    out.append(f"### {section.title}\n")
    if section.listed:
        out.append("".join(f"- **{r.id}:** {r.title} — {r.text}\n" for r in section.listed))
    if section.tabled:
        rows = ["| ID | Title | Priority | Category | Description |", "|---|---|---|---|---|"]
        rows += [
            f"| {r.id} | {r.title} | {r.priority} | {r.category} | {r.text} |"
            for r in section.tabled
        ]
        out.append("\n".join(rows) + "\n")
    for r in section.headed:
        body = f"#### {r.id}: {r.title}\n\n{r.text}\n\n**Priority:** {r.priority}\n"
        if r.target:
            body += f"\n**Target:** {r.target}\n"
        out.append(body)


# YAML 1.1 words a plain scalar must not be, or PyYAML reads a bool or null.
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_PLAIN_SCALAR = re.compile(r"[A-Za-z][A-Za-z0-9 _./-]*[A-Za-z0-9]\Z|[A-Za-z]\Z")


def dump_yaml(data: dict[str, Any]) -> str:
    """Block-style YAML for plain data: several times faster than PyYAML's emitter at N=10,000."""
    out: list[str] = []
    _emit_mapping(data, 0, out)
    return "\n".join(out) + "\n"


def _emit_mapping(mapping: dict[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        if isinstance(value, dict):
            out.append(f"{pad}{key}:")
            _emit_mapping(value, indent + 2, out)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(f"{pad}{key}:")
            for item in value:
                lines: list[str] = []
                _emit_mapping(item, indent + 4, lines)
                out.append(f"{pad}  - {lines[0][indent + 4 :]}")
                out.extend(lines[1:])
        elif isinstance(value, list):
            out.append(f"{pad}{key}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            out.append(f"{pad}{key}: {_scalar(value)}")


def _scalar(value: object) -> str:
    if isinstance(value, bool) or value is None:
        raise TypeError(f"not emitted: {value!r}")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN_SCALAR.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text)


# --------------------------------------------------------------------------- sphinx-needs

#: sphinx-needs types: directive, title, id prefix, diagram colour.
NEED_TYPES = (
    ("fr", "Functional requirement", "FR-", "#BFD8D2"),
    ("nfr", "Non-functional requirement", "NFR-", "#FEDCD2"),
    ("component", "Component", "cmp-", "#DF744A"),
    ("decision", "Decision", "ADR-", "#DCB239"),
    ("entity", "Entity", "ent-", "#A0C4FF"),
    ("endpoint", "Endpoint", "api-", "#CAFFBF"),
)
NEED_FIELDS = {
    "priority": "Must, Should or Could",
    "category": "Feature area or quality category",
    "target": "Measurable NFR target",
}


def _sphinx_conf(project: str) -> str:
    types = [
        {"directive": directive, "title": title, "prefix": prefix, "color": color, "style": "node"}
        for directive, title, prefix, color in NEED_TYPES
    ]
    fields = {name: {"description": text, "nullable": True} for name, text in NEED_FIELDS.items()}
    return "\n".join(
        [
            '"""Sphinx + sphinx-needs configuration of the generated benchmark project."""',
            "",
            f"project = {project!r}",
            'extensions = ["sphinx_needs"]',
            'html_theme = "alabaster"',
            "# Our ids have dashes and lower-case slugs; the default wants [A-Z0-9_]{5,}.",
            'needs_id_regex = r"^[A-Za-z0-9_-]{5,}"',
            "needs_id_required = True",
            "needs_types = [",
            *(f"    {need_type!r}," for need_type in types),
            "]",
            "needs_fields = {",
            *(f"    {name!r}: {field!r}," for name, field in fields.items()),
            "}",
            "",
        ]
    )


def _write_sphinx(site: BenchSite, sphinx_dir: Path, files: SiteFiles) -> SiteFiles:
    """The same requirements, items and links as sphinx-needs sources, sharded the same way."""
    sphinx_dir.mkdir(parents=True, exist_ok=True)
    (sphinx_dir / "conf.py").write_text(_sphinx_conf(f"Bench Product {site.n}"), encoding="utf-8")
    shard_paths = []
    for number, shard in enumerate(site.shards, start=1):
        path = sphinx_dir / f"{shard.name}.rst"
        path.write_text(_sphinx_shard(shard, number, len(site.shards)), encoding="utf-8")
        shard_paths.append(path)
    architecture = sphinx_dir / "architecture.rst"
    architecture.write_text(_sphinx_architecture(site.architecture), encoding="utf-8")
    (sphinx_dir / "traceability.rst").write_text(
        _rst_title("Traceability", "=") + ".. needtable::\n"
        "   :types: fr; nfr\n"
        '   :columns: id; title; type; category; links; links_back as "Traced to"\n'
        "   :style: table\n",
        encoding="utf-8",
    )
    toctree = "\n".join(f"   {p.stem}" for p in shard_paths)
    (sphinx_dir / "index.rst").write_text(
        _rst_title(f"Bench Product {site.n}", "=")
        + f"A generated project with {site.n:,} requirements.\n\n"
        ".. toctree::\n   :maxdepth: 1\n\n"
        f"{toctree}\n   architecture\n   traceability\n",
        encoding="utf-8",
    )
    return replace(
        files,
        sphinx_dir=sphinx_dir,
        sphinx_shards=tuple(shard_paths),
        sphinx_architecture=architecture,
    )


def _rst_title(text: str, underline: str) -> str:
    return f"{text}\n{underline * len(text)}\n\n"


def _need(
    directive: str, title: str, need_id: str, links: list[str], options: dict[str, str], body: str
) -> str:
    lines = [f".. {directive}:: {title}", f"   :id: {need_id}"]
    lines += [f"   :{key}: {value}" for key, value in options.items() if value]
    if links:
        lines.append(f"   :links: {', '.join(links)}")
    return "\n".join(lines) + f"\n\n   {body}\n\n"


def _sphinx_shard(shard: Shard, number: int, total: int) -> str:
    out = [
        _rst_title(f"Requirements, part {number} of {total}", "="),
        _rst_title("Functional Requirements", "-"),
    ]
    for part, sections in (("fr", shard.functional), ("nfr", shard.non_functional)):
        if part == "nfr" and sections:
            out.append(_rst_title("Non-Functional Requirements", "-"))
        for section in sections:
            out.append(_rst_title(section.title, "~"))
            for r in section.requirements:
                options = {"priority": r.priority, "category": r.category, "target": r.target}
                out.append(_need(part, r.title, r.id, list(r.mentions), options, r.text))
    return "".join(out)


def _sphinx_architecture(architecture: dict[str, Any]) -> str:
    out = [_rst_title("Architecture", "="), _rst_title("Components", "-")]
    for c in architecture["components"]:
        links = c["requirements"] + c.get("depends_on", [])
        out.append(_need("component", c["name"], c["id"], links, {}, c["purpose"]))
    out.append(_rst_title("Decisions", "-"))
    for d in architecture["decisions"]:
        links = d["requirements"] + d["components"]
        out.append(
            _need("decision", d["title"], d["id"], links, {"status": d["status"]}, d["decision"])
        )
    out.append(_rst_title("Entities", "-"))
    for e in architecture["entities"]:
        out.append(
            _need(
                "entity", e["name"], f"ent-{e['name'].lower()}", e["requirements"], {}, e["purpose"]
            )
        )
    out.append(_rst_title("Endpoints", "-"))
    for i, p in enumerate(architecture["api"]["endpoints"], start=1):
        links = p["requirements"] + [p["component"]]
        out.append(
            _need("endpoint", f"{p['method']} {p['path']}", f"api-{i:05d}", links, {}, p["purpose"])
        )
    return "".join(out)


def edit_for_rebuild(path: Path, k: int) -> None:
    """Change a generated file's data, as an architect or a product manager saving it would.

    `architecture.yml` gets one more trade-off (its last list), addressing the first NFR:
    a change of the model, not a comment a cache could see through. A PRD or RST shard gets
    a sentence in the body of its last requirement. Edit `k` differs from every earlier one.
    """
    path = Path(path)
    if path.suffix in (".yml", ".yaml"):
        text = (
            f"  - title: Trade-off added by edit {k}\n"
            f"    choice: Option {k}\n"
            f"    justification: \"Added while the site is served.\"\n"
            f"    requirements: [{_first_nfr(path)}]\n"
        )
    elif path.suffix == ".rst":
        text = f"\n   Edited for rebuild {k}.\n"  # indented: the content of the last need
    else:
        text = f"\nEdited for rebuild {k}.\n"
    with path.open("a", encoding="utf-8") as out:
        out.write(text)


def _first_nfr(architecture_yml: Path) -> str:
    match = re.search(r"\bNFR-\d+", architecture_yml.read_text(encoding="utf-8"))
    return match.group(0) if match else "NFR-0001"


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, metavar="N", help="number of requirements")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--sphinx", action="store_true", help="also write the sphinx-needs project")
    parser.add_argument("--theme", default="material", help="MkDocs theme (default material)")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="mixed", help="default mixed")
    args = parser.parse_args(argv)
    if args.n < MIN_N:
        parser.error(f"N must be at least {MIN_N}")
    site = make_site(args.n, args.seed, args.shape)
    files = write_site(site, args.out_dir, sphinx=args.sphinx, theme=args.theme)
    arch = site.architecture
    print(
        f"{files.root}: {site.n:,} requirements in {len(files.prd_shards)} PRD shard(s), "
        f"{len(arch['components'])} components, {len(arch['decisions'])} decisions, "
        f"{len(arch['entities'])} entities, {len(arch['api']['endpoints'])} endpoints"
        + (f"; sphinx-needs project in {files.sphinx_dir}" if files.sphinx_dir else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
