"""Markdown → requirements: a walk over markdown-it-py's syntax tree, whose blocks know their lines.

A requirement *definition* is recognised in the four places real PRDs put one: a heading
(`### FR-1: Title`, body until the next heading of the same or higher level), a list item
(`- **FR1:** …`), a table row (an id column beside a title or text column) and a bold-led
paragraph (`**NFR-003** Availability: …`). Every other occurrence of an id is a mention.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from mkdocs_archplugin.diagnostics import Diagnostic
from mkdocs_archplugin.prd.attributes import (
    PRIORITY_FIELD_REGEX,
    category_from_segment,
    find_targets,
    known_category,
    normalise_priority,
    strip_numbering,
)
from mkdocs_archplugin.prd.model import PrdItem, Requirement, Source
from mkdocs_archplugin.prd.settings import ID_SHAPE, PrdSettings

# Block structure for the whole file; inline markup only for the text the parser reads, and
# only when it has markup at all (most table cells and list items are plain text): this
# halves the parse time of a large PRD.
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table").use(front_matter_plugin).disable("inline")
_INLINE = MarkdownIt("commonmark", {"html": True})
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]<&!]")
_SIMPLE_BOLD = re.compile(r"(\*\*|__)([^\\`*_\[\]<&!\n]+?)\1")
_BOLD_START = re.compile(r"\s*(?:\[[ xX]\]\s*)?[*_]")
_SIMPLE_LEADING_BOLD = re.compile(r"\s*(?:\[[ xX]\]\s+)?(\*\*|__)(?P<bold>[^\\`*_\[\]<&!\n]+?)\1(?![*_])")

_CHECKBOX = re.compile(r"^\s*\[[ xX]\]\s*")
#: What real PRDs put before an id: spaces, checkboxes, HTML anchors (raw or escaped, which
#: read as text), emoji and status marks, stray markup characters.
#: One character or one tag per repetition, the alternatives disjoint: a failed match costs
#: one pass, never a backtracking search (`(?:\s+|…)+` would be exponential).
_MARKS = r"\u2190-\u21ff\u2300-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f\u200d\u20e3"
_DECORATION = re.compile(rf"^(?:\s|\[[ xX]\]|<[^<>\n]{{0,300}}>|[{_MARKS}*_~`#>|])+")
#: Status marks after an id (`FR-4 ✅: …`, a cell `FR-06 ✅`).
_TRAILING_MARKS = re.compile(rf"[\s{_MARKS}]+$")
_LEADING_MARKS = re.compile(rf"^\s*[{_MARKS}]+")
_BRACKETED_ID = re.compile(r"^[\[(【〔［（]\s*")
_CLOSING_BRACKETS = ("]", ")", "】", "〕", "］", "）")
_LEADING_BRACKET_TAG = re.compile(r"^\[([^\]]{1,30})\]\s*")
_LABEL_CATEGORY = re.compile(r"^(?P<category>[^-–—:]{2,60}?)\s+[-–—]\s+(?P<title>\S.*)$")
_REFERENCE_TAG = re.compile(r"[#\d]")
_PRIORITY_LABEL = re.compile(r"^(?:priority|prio)\s*[:=]\s*", re.IGNORECASE)
#: `(a)`, `b)`, `(iv)`: an enumerated sub-point, the detail of the definition before it.
_SUB_POINT = re.compile(r"^\(?(?:[a-z]|[ivx]{1,4})\)\s")
#: Sub-headings of a requirement that hold its acceptance criteria.
_ACCEPTANCE_WORDS = ("acceptance", "验收", "受け入れ", "인수 조건", "수용 기준", "akzeptanz", "abnahme",
                     "aceptación", "aceitação", "critères d'acceptation", "приемк", "приёмк")
_TRAILING_ID = re.compile(r"\s?[(\[【（]\s*(?P<id>[^()\[\]【】（）\s]{2,40})\s*[)\]】）]\s*$")
_REQUIREMENTS_WORD = re.compile(r"\brequirements?\b", re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s*(?:\((?P<tag>[^)]{1,40})\)\s*)?(?:[:：.)]|[-–—]\s)\s*")
_BOLD_LEAD_REST = re.compile(r"^\s*(?:\((?P<tag>[^)]{1,40})\))?\s*[:：.\-–—]?\s*")
_TITLE_SPLIT = re.compile(r"^(?P<title>[^.:;!?]{2,80}?)\s*(?:[:：]|\s[-–—]\s)\s*(?P<text>\S.*)$", re.S)
_FIELD = re.compile(r"^\s*(?P<name>[A-Za-z][A-Za-z /]{1,40}?)\s*[:：]\s*(?P<value>.*)$", re.S)
_EPIC = re.compile(r"^Epic\s+(?P<num>\d+(?:\.\d+)*)\s*[:：.\-–—]?\s*(?P<title>.*)$", re.I)
_STORY = re.compile(r"^(?:User\s+)?Story\s+(?P<num>\d+(?:\.\d+)*)\s*[:：.\-–—]?\s*(?P<title>.*)$", re.I)
_ITEM_ID = re.compile(r"^(?P<id>[A-Z][A-Z0-9]{0,5}[-_]?\d+(?:\.\d+)*)\s*[:：.\-–—]?\s*(?P<title>.*)$")
#: Status marks that PRDs append to requirement lines (`… ✅`, `… ⚠️ (partial)`).
#: Searched patterns start with a lookbehind so a match can only begin where a run of spaces
#: or marks begins: a long run costs one scan, not one per character (quadratic otherwise).
_STATUS_MARKS = re.compile(r"(?<![\s✅✔✓⚠❌✗☑️\ufe0f])[\s✅✔✓⚠❌✗☑️\ufe0f]*[✅✔✓⚠❌✗☑️\ufe0f](?:\s*\([^)]{0,40}\))?\s*$")
_LEADING_TAG = re.compile(r"^\(([^)]{1,30})\)\s*")
_TRAILING_TAG = re.compile(r"(?<!\s)\s*[(\[]([^()\[\]]{1,20})[)\]]\.?\s*$")
_AS_A = re.compile(r"^\s*as an?\s", re.I)

#: Header words of table columns, matched on the lowercased header text.
_COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "req id", "req. id", "requirement id", "identifier", "ref", "ref.", "#", "no",
           "no.", "nr", "nr.", "編號", "编号", "番号", "번호", "código", "codigo", "code", "key", "req",
           "№", "n°", "nº"),
    "title": ("title", "titel", "titre", "título", "titulo", "name", "nombre", "nome", "summary",
              "feature", "名称", "标题", "名前", "이름", "제목", "название", "short name", "term"),
    "text": ("requirement", "description", "details", "statement", "specification", "需求",
             "要求", "描述", "说明", "要件", "内容", "説明", "요구사항", "설명", "내용", "story",
             "user story", "definition", "meaning", "rule", "exigence", "requisito", "anforderung",
             "beschreibung", "kebutuhan", "persyaratan", "yêu cầu", "mô tả", "deskripsi",
             "descripción", "descrição", "descricao", "описание", "требование"),
    "priority": ("priority", "prio", "pri", "priorität", "prioridad", "prioridade", "priorité", "moscow",
                 "优先级", "優先度", "우선순위", "приоритет", "importance"),
    "category": ("category", "type", "area", "类别", "分类", "quality attribute", "attribute",
                 "group", "domain"),
    "acceptance": ("acceptance", "acceptance criteria", "criteria", "验收", "验收标准", "fit criterion"),
    "target": ("target", "metric", "measure", "threshold", "目标", "指标"),
}


@dataclass
class _Section:
    """A heading and what the parser knows about the region it opens."""

    level: int
    title: str
    role: str | None  # from settings.section_words, inherited by sub-sections
    category: str | None  # the nearest heading usable as a category
    own_role: str | None = None  # the role the heading's own words give it
    line: int = 0
    quality: bool = False  # the title names a quality ("Security", "Performance")


@dataclass
class _Definition:
    """A requirement being read; frozen into a Requirement once its body is complete."""

    id: str
    kind: str
    title: str
    source: Source
    text_parts: list[str] = field(default_factory=list)
    category: str | None = None
    priority: str | None = None
    acceptance: list[str] = field(default_factory=list)
    derived_id: bool = False
    level: int = 0  # heading level of a heading definition
    shape: str = "list"
    end_line: int = 0
    #: The line of the heading titled functional / non-functional that holds the definition.
    role_section: int = 0

    def freeze(self) -> Requirement:
        text = " ".join(part for part in self.text_parts if part).strip()
        return Requirement(
            id=self.id,
            kind=self.kind,  # type: ignore[arg-type]
            title=_capitalised(_STATUS_MARKS.sub("", self.title or _first_sentence(text)).strip().rstrip(":：")),
            text=text,
            source=self.source,
            category=self.category,
            priority=self.priority,
            targets=find_targets(" ".join([self.title, text, *self.acceptance])),
            acceptance=tuple(self.acceptance),
            derived_id=self.derived_id,
            shape=self.shape,
            end_line=self.end_line or self.source.line,
        )


@dataclass
class FileParse:
    """What one Markdown file defines, before the files of a PRD are assembled."""

    file: str
    requirements: list[Requirement]
    items: list[PrdItem]
    diagnostics: list[Diagnostic]
    title: str | None
    #: Per requirement: the line of its functional / non-functional section (0: none).
    role_sections: list[int] = field(default_factory=list)
    #: Id-shaped tokens that open items in requirement sections, by family prefix: what
    #: family detection reads (`{"PF-": {"PF-001", "PF-002"}}`).
    family_leads: dict[str, set[str]] = field(default_factory=dict)
    #: The role given to each heading and the words that decided it: `--explain` prints it.
    section_roles: list[SectionRole] = field(default_factory=list)
    #: Leads of distractor families (`US-`, `AC-`): never requirements unless configured.
    distractor_leads: dict[str, set[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class SectionRole:
    """A heading, the role the parser gave it, and why."""

    line: int
    level: int
    title: str
    role: str | None
    own_role: str | None
    quality: bool
    #: The section word that gave `own_role` (`non-functional`, `risk`), if any.
    word: str | None = None
    #: The heading is itself a requirement definition (`### FR-1: …`).
    defines: bool = False


def parse_markdown(text: str, file: str, settings: PrdSettings | None = None) -> FileParse:
    """Parse one PRD file as the whole PRD: id families detected in it, then its definitions."""
    settings = settings or PrdSettings()
    parsed = walk_markdown(text, file, settings)
    families = detect_families([parsed], settings)
    if families:
        parsed = walk_markdown(text, file, settings.with_families(families))
    return parsed


def walk_markdown(text: str, file: str, settings: PrdSettings) -> FileParse:
    """One file's definitions, items and diagnostics with the id families `settings` knows."""
    return _FileWalker(text, file, settings).walk()


#: A family is detected when this many of its distinct ids open items in requirement sections.
FAMILY_MIN_IDS = 2


def detect_families(parses: list[FileParse], settings: PrdSettings) -> tuple[str, ...]:
    """The id families (`PF-`, `F`, `R`) whose ids open items in the requirement sections."""
    if not settings.detect_families:
        return settings.families
    ids: dict[str, set[str]] = {}
    for parsed in parses:
        for prefix, found in parsed.family_leads.items():
            ids.setdefault(prefix, set()).update(found)
    found_families = sorted(prefix for prefix, members in ids.items() if len(members) >= FAMILY_MIN_IDS)
    return tuple(sorted(set(settings.families) | set(found_families)))


class _FileWalker:
    """One pass over the top-level blocks of a file, keeping the heading stack."""

    def __init__(self, text: str, file: str, settings: PrdSettings) -> None:
        self.text = text.lstrip("\ufeff")
        self.file = file
        self.settings = settings
        self.sections: list[_Section] = []
        self.requirements: list[Requirement] = []
        self.items: list[PrdItem] = []
        self.diagnostics: list[Diagnostic] = []
        self.title: str | None = None
        self.open_heading: _Definition | None = None
        self.open_heading_index = 0
        self.role_words: dict[str, tuple[str | None, str | None]] = {}
        self.last_list_definition: Requirement | None = None
        self.open_item: PrdItem | None = None
        self.in_acceptance = False
        self.in_aside = False  # a `**User Stories:**` or `**Rationale:**` list: not the requirement's text
        self.derived_ids: set[str] = set()
        self.next_suffix: dict[str, int] = {}
        self.role_sections: list[int] = []
        self.family_leads: dict[str, set[str]] = {}
        self.distractor_leads: dict[str, set[str]] = {}
        self.section_roles: list[SectionRole] = []
        self.requirements_document = False  # the document's title names requirements
        self.after_functional_section = False  # a section titled functional came before
        self.has_non_functional_section = False  # the file has a section titled non-functional
        #: A paragraph definition with nothing after its id (`**NFR-PERF-01**`): its text is
        #: the next paragraph.
        self.pending: _Definition | None = None

    # ---- the walk -------------------------------------------------------------------

    def walk(self) -> FileParse:
        root = _tree(_MARKDOWN.parse(self.text))
        self.has_non_functional_section = any(
            node.type == "heading" and node.children
            and self._role_word(_strip_decorations(strip_numbering(_inline_text(node.children[0]))))[0]
            == "non-functional"
            for node in root.children
        )
        for node in root.children:
            if node.type not in ("paragraph", "bullet_list", "ordered_list", "table"):
                self._close_pending()
            if node.type == "heading":
                self._heading(node)
            elif node.type == "paragraph":
                self._paragraph(node)
            elif node.type in ("bullet_list", "ordered_list"):
                self._list(node)
            elif node.type == "table":
                self._table(node)
            elif node.type == "blockquote":
                for child in node.children:
                    if child.type == "paragraph":
                        self._paragraph(child)
            # fence, code_block, html_block, front_matter, hr: never definitions.
        self._close_pending()
        self._close_heading_definition()
        self._close_item()
        return FileParse(self.file, self.requirements, self.items, self.diagnostics, self.title,
                         self.role_sections, self.family_leads, self.section_roles, self.distractor_leads)

    def _role_word(self, title: str) -> tuple[str | None, str | None]:
        """`settings.section_role_word`, once per title of the file (the prescan asks too)."""
        found = self.role_words.get(title)
        if found is None:
            found = self.role_words[title] = self.settings.section_role_word(title)
        return found

    def _add(self, definition: _Definition) -> None:
        self.requirements.append(definition.freeze())
        self.role_sections.append(definition.role_section)

    def _close_pending(self) -> None:
        if self.pending is not None:
            self._add(self.pending)
            self.pending = None

    @property
    def role_section(self) -> int:
        """The line of the innermost heading whose own title says functional / non-functional."""
        for section in reversed(self.sections):
            if section.own_role in ("functional", "non-functional"):
                return section.line
        return 0

    def kind_of(self, requirement_id: str) -> str:
        """The kind the id's prefix says, else the section's (see `section_kind`)."""
        return self.settings.kind_of(requirement_id) or self.section_kind

    @property
    def section_kind(self) -> str:
        """Functional / non-functional by the enclosing headings, for ids whose prefix does not say.

        A section titled functional or non-functional decides; else a heading naming a quality
        (security, performance, …); else a generic requirements section after one titled
        functional is non-functional (`## 8. AI Requirements` after `## 4. Functional
        Requirements`, as SRS documents order them), unless the file has a section titled
        non-functional (then it splits the kinds itself); else functional.
        """
        if self.role in ("functional", "non-functional"):
            return self.role  # type: ignore[return-value]
        if any(section.quality for section in self.sections):
            return "non-functional"
        if self.after_functional_section and not self.has_non_functional_section \
                and any(s.own_role == "requirements" for s in self.sections):
            return "non-functional"
        return "functional"

    @property
    def may_define_family(self) -> bool:
        """Whether ids of a detected family (not FR/NFR) may be defined here.

        In a section with a requirements role (or inside a document titled as requirements),
        never in mentions, "other", planning or knowledge sections.
        """
        role = self.role
        if role not in (None, "functional", "non-functional", "requirements"):
            return False
        return self.requirements_document or any(
            s.role in ("functional", "non-functional", "requirements") or s.quality for s in self.sections
        )

    def _is_family_id(self, requirement_id: str) -> bool:
        return bool(self.settings.families) and self.settings.kind_of(requirement_id) is None \
            and any(requirement_id.startswith(f) for f in self.settings.families) \
            and not any(re.fullmatch(p, requirement_id) for p in self.settings.id_patterns)

    def _note_family_lead(self, token: str) -> None:
        """An id-shaped token opening an item: a candidate member of an id family."""
        if not self.may_define_family or self.settings.id_regex.fullmatch(token):
            return
        if normalise_priority(token):
            return  # P0…P4 are priorities
        family = self.settings.family_of(token)
        if family is not None:
            leads = self.distractor_leads if self.settings.is_distractor(family) else self.family_leads
            leads.setdefault(family, set()).add(token)

    def _line(self, node: _Node) -> int:
        return (node.map[0] + 1) if node.map else 0

    @property
    def role(self) -> str | None:
        return self.sections[-1].role if self.sections else None

    @property
    def requirement_kind(self) -> str | None:
        """`functional` / `non-functional` when inside a section titled that way."""
        return self.role if self.role in ("functional", "non-functional") else None

    @property
    def section_category(self) -> str | None:
        for section in reversed(self.sections):
            if section.category:
                return section.category
        return None

    # ---- headings -------------------------------------------------------------------

    def _heading(self, node: _Node) -> None:
        level = int(node.tag[1])
        title = _inline_text(node.children[0]) if node.children else ""
        if self.title is None and level == 1:
            self.title = title
        if self.open_heading and level <= self.open_heading.level:
            self._close_heading_definition()
        self.in_acceptance = False
        if self.open_heading and self.settings.id_regex.match(_strip_decorations(strip_numbering(title))):
            self._close_heading_definition()  # FR1.1 as a sub-heading of FR1: a definition too
        if self.open_heading:
            # A sub-heading of a definition ("#### Acceptance Criteria") structures its body.
            self.in_acceptance = any(word in title.lower() for word in _ACCEPTANCE_WORDS)
            if not self.in_acceptance and title:
                self.open_heading.text_parts.append(title + ".")
            return
        self._close_item()
        while self.sections and self.sections[-1].level >= level:
            self.sections.pop()
        plain = _strip_decorations(strip_numbering(title))
        parent_role = self.role
        # A heading that defines a requirement is not a section title: its words give no role
        # ("Requirement 1: Risk assessment").
        definition = None if parent_role == "mentions" else self._heading_definition(plain, level, node)
        own_role, word = (None, None) if definition is not None else self._role_word(plain)
        is_title = level == 1 and not self.requirements_document and self.title == title and not self.sections
        if own_role == "requirements" and is_title:
            own_role = None  # the document's title ("Product Requirements Document")
            self.requirements_document = True
        if own_role in ("functional", "non-functional") and not self._names_requirements(plain, parent_role):
            own_role = None  # "Non-functional claims not yet verified" is not a requirements section
        if parent_role in ("functional", "non-functional") and own_role not in ("functional", "non-functional", "other"):
            own_role = None  # "### 3.4 Risk & controls" inside the functional requirements
        role = parent_role if own_role in (None, "requirements") and parent_role else own_role
        if own_role == "requirements" and parent_role is None:
            role = "requirements"
        category = None
        if level == 1:
            pass  # a document or shard title is not a category
        elif definition is None and own_role not in ("functional", "non-functional", "requirements", "other"):
            category = plain or None
        elif definition is None and own_role == "requirements" and self.settings.names_quality(plain):
            category = _REQUIREMENTS_WORD.sub("", plain).strip(" -–—:") or None  # "Performance Requirements"
        elif definition is not None:
            category = definition.title or None
        quality = definition is None and not is_title and own_role not in ("mentions", "other", "planning") \
            and self.settings.names_quality(plain)
        self.sections.append(_Section(level, plain, role, category, own_role, self._line(node), quality))
        if own_role == "functional":
            self.after_functional_section = True
        self.section_roles.append(SectionRole(self._line(node), level, plain, role, own_role, quality,
                                              word if own_role else None, definition is not None))
        if definition is not None:
            self.open_heading = definition
            self.open_heading_index = len(self.requirements)
            return
        self._heading_item(plain, role, node)

    def _names_requirements(self, title: str, parent_role: str | None) -> bool:
        """A functional / non-functional heading that really opens requirements."""
        words = self.settings.section_words.get("requirements", ())
        return (
            any(word in title.lower() for word in words)
            or parent_role in ("requirements", "functional", "non-functional")
            or len(title.split()) <= 2
        )

    def _heading_definition(self, title: str, level: int, node: _Node) -> _Definition | None:
        title, _ = _unbracket_id(title, self.settings)
        trailing = _TRAILING_ID.search(title)
        if trailing and self.settings.id_regex.fullmatch(trailing.group("id")) and self.role in (
                "functional", "non-functional", "requirements") and not self.settings.id_regex.match(title):
            # `### User login (FR-001)` in a requirements section: the id may close the heading.
            title = f"{trailing.group('id')}: {title[: trailing.start()].strip()}"
        match = self.settings.id_regex.match(title)
        if match and self._is_family_id(match.group(0)) and not self.may_define_family:
            match = None
        if match is None:
            shaped = ID_SHAPE.match(title)
            if shaped:
                self._note_family_lead(shaped.group(0))
        if match:
            rest = _SEPARATOR.match(title[match.end():]) or _BOLD_LEAD_REST.match(title[match.end():])
            tag = rest.group("tag") if rest else None
            heading_title = title[match.end() + (rest.end() if rest else 0):].strip()
            req_id = match.group(0)
            kind = self.kind_of(req_id)
        else:
            numbered = self.settings.numbered_heading_regex.match(title)
            if not numbered or self.requirement_kind is None and self.role != "requirements":
                return None
            req_id = f"REQ-{numbered.group(1)}"
            kind = self.requirement_kind or "functional"
            rest = _BOLD_LEAD_REST.match(title[numbered.end():])
            tag = None
            heading_title = title[numbered.end() + (rest.end() if rest else 0):].strip()
        definition = _Definition(req_id, kind, heading_title, Source(self.file, self._line(node)),
                                 level=level, shape="heading", role_section=self.role_section,
                                 end_line=node.map[1] if node.map else 0)
        self._apply_tag(definition, tag)
        if definition.category is None and kind == "non-functional":
            definition.category = known_category(heading_title)
        self._default_category(definition)
        return definition

    def _heading_item(self, title: str, role: str | None, node: _Node) -> None:
        """Headings that open an epic, a story, a user story, a use case or a persona."""
        source = Source(self.file, self._line(node))
        epic = _EPIC.match(title)
        story = _STORY.match(title)
        if epic:
            self.open_item = PrdItem("epic", epic.group("title") or title, "", source, f"Epic {epic.group('num')}")
        elif story:
            self.open_item = PrdItem("story", story.group("title") or title, "", source, f"Story {story.group('num')}")
        elif role in ("user-story", "use-case", "persona") and len(self.sections) >= 2 \
                and self.sections[-2].role == role:
            item_id = _ITEM_ID.match(title)
            item_title = item_id.group("title") if item_id else title
            self.open_item = PrdItem(role, item_title or title, "", source, item_id.group("id") if item_id else None)  # type: ignore[arg-type]

    def _close_heading_definition(self) -> None:
        if self.open_heading is not None:
            # In document order: before the sub-requirements its body defined (FR1 over FR1.1).
            self.requirements.insert(self.open_heading_index, self.open_heading.freeze())
            self.role_sections.insert(self.open_heading_index, self.open_heading.role_section)
            self.open_heading = None
            self.in_acceptance = self.in_aside = False

    def _close_item(self) -> None:
        if self.open_item is not None:
            self.items.append(self.open_item)
            self.open_item = None

    # ---- paragraphs -----------------------------------------------------------------

    def _paragraph(self, node: _Node) -> None:
        inline = node.children[0] if node.children else None
        if inline is None:
            return
        text = _inline_text(inline)
        if self.open_heading is not None:
            self._definition_field(self.open_heading, text)
            return
        if self.role != "mentions":
            definition = self._lead_definition(inline, node)
            if definition is not None:
                # Kept open: an id alone (`**FR-PAY-03**`) takes the next paragraph as its
                # text, and a list right after the paragraph is its detail.
                self._close_pending()
                self.pending = definition
                return
        if self.pending is not None:
            if _has_text(self.pending):
                self._close_pending()
            else:
                self.pending.text_parts.append(text)
                self.pending.end_line = node.map[1] if node.map else self.pending.end_line
                return
        bold = _leading_bold(inline)
        source = Source(self.file, self._line(node))
        if bold:
            epic, story = _EPIC.match(bold.rstrip(":")), _STORY.match(bold.rstrip(":"))
            rest = text[len(bold):].lstrip(" :-–—")
            if epic:
                self.items.append(PrdItem("epic", epic.group("title") or rest, rest, source, f"Epic {epic.group('num')}"))
                return
            if story:
                self.items.append(PrdItem("story", story.group("title") or _first_sentence(rest), rest, source, f"Story {story.group('num')}"))
                return
        if self.open_item is not None and not self.open_item.text:
            self.open_item = replace(self.open_item, text=_strip_field_name(text))

    def _definition_field(self, definition: _Definition, text: str) -> None:
        """A paragraph in a heading definition's body: a `**Field:** value` or prose."""
        field_match = _FIELD.match(text)
        name = field_match.group("name").strip().lower() if field_match else ""
        value = field_match.group("value").strip() if field_match else text
        self.in_acceptance = self.in_aside = False
        if name == "priority":
            definition.priority = normalise_priority(value) or definition.priority
        elif name in ("category", "type", "quality attribute"):
            definition.category = value or definition.category
        elif name.startswith("acceptance") or name in ("fit criterion", "verification"):
            self.in_acceptance = True
            if value:
                definition.acceptance.append(value)
        elif name in ("user stories", "rationale", "source", "status", "dependencies", "notes"):
            self.in_aside = True
        else:
            if name in ("user story",):
                value = text
            priority = PRIORITY_FIELD_REGEX.search(text)
            if priority and definition.priority is None:
                definition.priority = normalise_priority(priority.group(1))
            definition.text_parts.append(value if name in ("description", "requirement", "statement") else text)

    def _lead_definition(self, inline: _Node, block: _Node, parent: str | None = None) -> _Definition | None:
        """A definition that opens a paragraph or list item: `**FR1:** …`, `FR-1: …`, `[ ] NFR-2 (Security): …`.

        The id is the first token of the item's lead once decorations are set aside (anchors,
        emoji, checkboxes, brackets, emphasis); it must be marked (bold, code, link, brackets)
        or followed by a separator (`:`, `.`, `)`, a dash), else it is a mention; under a
        `parent` definition, an id that extends the parent's (`R2.1.1` under `R2.1`) needs neither.
        """
        text, marked, bracketed = _lead_parts(inline, _inline_text(inline), self.settings)
        match = self.settings.id_regex.match(text)
        if match and self._is_family_id(match.group(0)) and not self.may_define_family:
            match = None
        if not match:
            shaped = _id_token_lead(text, marked, bracketed)
            if shaped:
                self._note_family_lead(shaped)
            return None
        req_id = match.group(0)
        marked_id = bracketed or marked.startswith(req_id) or (
            parent is not None and req_id.startswith(parent + "."))
        label = ""
        if marked_id and not bracketed and len(marked) > len(req_id) and text.startswith(marked):
            # `**FR7: Label** text`, `**NFR-2 (Latency)**: text`: the span holds the id and a label.
            inside = marked[len(req_id):]
            label_rest = _SEPARATOR.match(inside) or _BOLD_LEAD_REST.match(inside)
            label = inside[label_rest.end():].strip() if label_rest else inside.strip()
            tag = label_rest.group("tag") if label_rest else None
            body = text[len(marked):].lstrip(" :：.-–—")
        else:
            after = _LEADING_MARKS.sub("", text[match.end():])
            rest = _SEPARATOR.match(after)
            if rest is None:
                if not marked_id:
                    return None
                rest = _BOLD_LEAD_REST.match(after)
            assert rest is not None
            body = after[rest.end():].strip()
            tag = rest.group("tag")
        leading_tag = _LEADING_TAG.match(body)
        if leading_tag and tag is None and not label:  # `**FR1:** (Must) …`
            tag, body = leading_tag.group(1), body[leading_tag.end():]
        trailing = _TRAILING_TAG.search(body)
        if trailing and normalise_priority(trailing.group(1)):  # `… (Must)` / `… [P1]`
            tag = f"{tag}, {trailing.group(1)}" if tag else trailing.group(1)
            body = body[: trailing.start()].rstrip()
        category = None
        if label and len(label.split()) > 12:
            # The whole statement is emphasised: it is the text, not a label.
            body, label = f"{label} {body}".strip(), ""
        if label:
            label, label_tag = _label_parts(label)
            tag = ", ".join(t for t in (tag, label_tag) if t) or None
            split = _LABEL_CATEGORY.match(label)
            if split:
                category, label = split.group("category").strip(), split.group("title").strip()
            title, text_body = label.rstrip(" .:"), body
        else:
            title, text_body = _split_title(body, inline)
        definition = _Definition(req_id, self.kind_of(req_id), title,
                                 Source(self.file, self._line(block)), [text_body],
                                 shape="paragraph" if block.type == "paragraph" else "list",
                                 end_line=inline.map[1] if inline.map else 0,
                                 category=category, role_section=self.role_section)
        self._apply_tag(definition, tag)
        lead_is_label = not label and body[len(title):].lstrip(" *").startswith((":", "："))
        if definition.kind == "non-functional" and lead_is_label and len(title.split()) <= 3:
            # `**NFR1:** Performance: p95 < 300 ms …`: the lead word is the NFR's category
            # (`Usability of sign-up — 95 % of users …` keeps its title).
            definition.category = definition.category or known_category(title) or title
            definition.title = _first_sentence(text_body)
        self._default_category(definition)
        field_priority = PRIORITY_FIELD_REGEX.search(body)
        if definition.priority is None and field_priority:
            definition.priority = normalise_priority(field_priority.group(1))
        return definition

    def _apply_tag(self, definition: _Definition, tag: str | None) -> None:
        """`(Security)`, `(Must)`, `(P1)`: an explicit tag after the id."""
        if not tag:
            return
        for part in re.split(r"[,/;|]", tag):
            part = _PRIORITY_LABEL.sub("", part.strip())
            priority = normalise_priority(part)
            if priority and len(part.split()) <= 2:
                definition.priority = definition.priority or priority
            elif part and not _REFERENCE_TAG.search(part):  # `(ticket #12)` is no category
                definition.category = definition.category or part

    def _default_category(self, definition: _Definition) -> None:
        """An id segment (`NFR-PERF-01`), else the nearest enclosing heading."""
        if definition.category:
            return
        segment = re.match(r"^[A-Z]+[-_ ]([A-Z][A-Z0-9]*)[-_]?\d", definition.id)
        if segment:
            definition.category = category_from_segment(segment.group(1))
        else:
            definition.category = self.section_category

    # ---- lists ----------------------------------------------------------------------

    def _list(self, node: _Node) -> None:
        if self.open_heading is not None:
            self._definition_list(self.open_heading, node)
            return
        if self.pending is not None:
            pending, self.pending = self.pending, None
            if not any(self._opens_with_id(_item_inline(item), _item_text(item)) for item in node.children):
                # The detail of the paragraph definition just above (`**FR-2.** Filters:` + bullets).
                for item in node.children:
                    text = _CHECKBOX.sub("", _item_text(item), count=1)
                    if text:
                        pending.acceptance.append(text)
                    pending.acceptance.extend(_nested_item_texts(item))
                self._add(pending)
                return
            self._add(pending)
        for item in node.children:
            before = len(self.requirements)
            text = _item_text(item)
            if _SUB_POINT.match(text) and self.last_list_definition is not None \
                    and self.requirements and self.requirements[-1] is self.last_list_definition:
                # `- **FR-04:** Issue a book when:` then `- (a) the account is active,`
                last = self.requirements[-1]
                self.requirements[-1] = self.last_list_definition = replace(
                    last, acceptance=(*last.acceptance, text))
                continue
            self._list_item(item, top_level=True, category=None)
            added = self.requirements[before:]
            self.last_list_definition = added[-1] if added and not added[-1].derived_id else None

    def _definition_list(self, definition: _Definition, node: _Node) -> None:
        """A list inside a heading definition: sub-requirements (FR1.1 under FR1) or body."""
        for item in node.children:
            paragraph = _first_paragraph(item)
            sub = self._lead_definition(paragraph.children[0], item) if paragraph and paragraph.children else None
            if sub is not None and sub.id != definition.id:
                if sub.category is None or sub.category == self.section_category:
                    sub.category = definition.title or sub.category
                self._add_with_nested(sub, item)
                continue
            text = _item_text(item)
            if self.in_acceptance:
                definition.acceptance.append(text)
            elif text and not self.in_aside:
                definition.text_parts.append(text if text.endswith((".", "!", "?", ":")) else text + ";")

    def _list_item(self, item: _Node, *, top_level: bool, category: str | None) -> None:
        paragraph = _first_paragraph(item)
        inline = paragraph.children[0] if paragraph and paragraph.children else None
        source = Source(self.file, self._line(item))
        if inline is not None and self.role != "mentions":
            definition = self._lead_definition(inline, item)
            if definition is not None:
                if category and (definition.category is None or definition.category == self.section_category):
                    definition.category = category
                self._add_with_nested(definition, item)
                return
        text = _inline_text(inline) if inline is not None else ""
        nested = [child for child in item.children if child.type in ("bullet_list", "ordered_list")]
        kind = self.requirement_kind
        if kind:
            label = inline is not None and (
                text.rstrip().endswith((":", "：")) or (_leading_bold(inline) or "") == text.strip()
            )
            if nested and (label or not text):
                for sub_list in nested:
                    for sub in sub_list.children:
                        self._list_item(sub, top_level=True, category=text.strip().rstrip(":：").strip("* ") or category)
                return
            if nested:
                self._note_nested_leads(nested, _id_token_lead(*_lead_parts(inline, text, self.settings)))
            if text and top_level and not self._opens_with_id(inline, text):
                self._requirement_without_id(kind, text, source, category or self.section_category,
                                             acceptance=_nested_item_texts(item), shape="list",
                                             end_line=inline.map[1] if inline is not None and inline.map else 0)
                return
        for sub_list in nested:
            for sub in sub_list.children:
                self._list_item(sub, top_level=False, category=category)
        if text and top_level:
            self._list_knowledge(text, inline, source)

    def _opens_with_id(self, inline: _Node | None, text: str) -> bool:
        """An item led by an id that is no definition: a mention (`FR-4/5/6 …`) or an item of
        another family (`**US-1:** As a …`). Neither is an id-less requirement."""
        lead, marked, bracketed = _lead_parts(inline, text, self.settings)
        return self.settings.id_regex.match(lead) is not None or _id_token_lead(lead, marked, bracketed) is not None

    def _note_nested_leads(self, lists: list[_Node], parent: str | None) -> None:
        """Family candidates among the nested items of an item that defines nothing itself
        (under a parent token, `R1.2` needs no separator: it extends `R1`)."""
        for sub_list in lists:
            for sub in sub_list.children:
                paragraph = _first_paragraph(sub)
                inline = paragraph.children[0] if paragraph and paragraph.children else None
                if inline is None:
                    continue
                lead, marked, bracketed = _lead_parts(inline, _inline_text(inline), self.settings)
                token = _id_token_lead(lead, marked, bracketed or parent is not None and lead.startswith(parent + "."))
                if token:
                    self._note_family_lead(token)
                self._note_nested_leads([c for c in sub.children if c.type in ("bullet_list", "ordered_list")], token)

    def _add_with_nested(self, definition: _Definition, item: _Node) -> None:
        """A list definition and its nested items: detail (its acceptance), or its own leaves.

        A nested item whose id extends the parent's (`R2.1.1` under `R2.1`) is a definition of
        its own; any other nested item is part of the parent.
        """
        leaves: list[tuple[_Definition, _Node]] = []
        for child in item.children:
            if child.type not in ("bullet_list", "ordered_list"):
                continue
            for sub in child.children:
                paragraph = _first_paragraph(sub)
                inline = paragraph.children[0] if paragraph and paragraph.children else None
                leaf = self._lead_definition(inline, sub, definition.id) if inline is not None and \
                    definition.id + "." in _strip_decorations(inline.content)[: len(definition.id) + 1] else None
                if leaf is not None and leaf.id.startswith(definition.id + "."):
                    leaves.append((leaf, sub))
                    continue
                text = _CHECKBOX.sub("", _item_text(sub), count=1)
                if text:
                    definition.acceptance.append(text)
        self._add(definition)
        for leaf, sub in leaves:
            if leaf.category is None or leaf.category == self.section_category:
                leaf.category = definition.title or leaf.category
            self._add_with_nested(leaf, sub)

    def _list_knowledge(self, text: str, inline: _Node | None, source: Source) -> None:
        """A list item in a persona / constraint / assumption / dependency / glossary / story section."""
        role = self.role
        bold = (_leading_bold(inline) if inline is not None else None) or ""
        rest = text[len(bold):].lstrip(" :：-–—") if bold and text.startswith(bold) else text
        if role in ("constraint", "assumption", "dependency"):
            self.items.append(PrdItem(role, bold.rstrip(":") or _first_sentence(text), text, source))  # type: ignore[arg-type]
        elif role == "glossary" and bold:
            self.items.append(PrdItem("glossary", bold.rstrip(":："), rest, source))
        elif role == "persona" and bold:
            self.items.append(PrdItem("persona", bold.rstrip(":："), rest, source))
        elif role == "user-story" and _AS_A.match(rest):
            self.items.append(PrdItem("user-story", _first_sentence(rest), rest, source))

    def _requirement_without_id(self, kind: str, text: str, source: Source, category: str | None,
                                *, acceptance: list[str] | None = None, title: str | None = None,
                                priority: str | None = None, shape: str = "table", end_line: int = 0) -> None:
        prefix = "NFR" if kind == "non-functional" else "FR"
        derived = self._derive_id(prefix, title or text)
        split_title, body = _split_title(text)
        definition = _Definition(
            derived, kind, title or split_title, source, [body if not title else text],
            category=category, priority=priority, acceptance=list(acceptance or ()), derived_id=True,
            shape=shape, end_line=end_line, role_section=self.role_section,
        )
        self._add(definition)
        section = self.sections[-1].title if self.sections else "requirements"
        self.diagnostics.append(
            Diagnostic(
                source.file, source.line, 0, "requirement-without-id",
                f"{kind} requirement without an id in section '{section}'; it is traced as {derived} until it has one",
                f"start the item with an id such as {prefix}-001: so that it keeps the same id when its text changes",
                derived,
            )
        )

    def _derive_id(self, prefix: str, title: str) -> str:
        """A stable id from the item's own words, so it survives reordering of the list."""
        slug = _slug_words(_first_sentence(title), limit=4)
        if not slug:
            slug = hashlib.sha1(title.encode("utf-8")).hexdigest()[:6].upper()
        # The next free suffix per base keeps N items with the same words linear.
        base = f"{prefix}-{slug}"
        n = self.next_suffix.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.derived_ids:  # `Login` twice, then an item titled `Login 2`
            n += 1
            candidate = f"{base}-{n}"
        self.next_suffix[base] = n + 1
        self.derived_ids.add(candidate)
        return candidate

    # ---- tables ---------------------------------------------------------------------

    def _table(self, node: _Node) -> None:
        rows = list(_table_rows(node))
        if not rows:
            return
        header = [cell.lower().strip(" *:") for cell in rows[0][1]]
        body = rows[1:]
        columns = _classify_columns(header)
        id_column = columns.get("id")
        if id_column is None:
            id_column = _id_column_by_cells(body, self.settings.id_regex)
        if self.pending is not None:
            pending, self.pending = self.pending, None
            if id_column is None or not self._defines_here(body, id_column):
                # A table right after a paragraph definition is its detail (columns, metrics).
                pending.acceptance.extend(" | ".join(c for c in cells if c) for _, cells in body)
                self._add(pending)
                return
            self._add(pending)
        if self.open_heading is None and self.role != "mentions":
            self._note_family_column(body, columns.get("id"))
        if id_column is not None and self.requirement_kind and not any(
                ID_SHAPE.fullmatch(_id_cell(cells[id_column])) for _, cells in body if id_column < len(cells)):
            # `| No. | Requirement |` numbered 1, 2, 3: a row number, not an id; the rows are
            # id-less requirements of the section.
            id_column = None
            columns = {role: index for role, index in columns.items() if role != "id"}
        if self.open_heading is not None:
            vertical = len(header) == 2 and (
                header[0] in ("attribute", "field", "property", "item")
                or self.settings.id_regex.fullmatch(rows[0][1][1].strip()) is not None
            )
            if id_column is None or vertical:
                self._attribute_table(self.open_heading, rows)
                return
            self._close_heading_definition()  # a table of sub-requirements under a group heading
        if self.role == "mentions":
            return
        if id_column is not None:
            if self._vertical_attribute_table(rows):
                return
            text_columns = [columns[k] for k in ("title", "text") if k in columns and columns[k] != id_column]
            if not text_columns and self._defines_here(body, id_column):
                # `| Nr | Beschreibung |`, `| ID | 기능 |`: no header word known, yet the rows are
                # requirements; the first other column is their text.
                taken = {id_column, *columns.values()}
                fallback = next((i for i in range(len(header)) if i not in taken), None)
                if fallback is not None:
                    columns = {**columns, "text": fallback}
                    text_columns = [fallback]
            if not text_columns:
                self._table_knowledge(header, body)
                return
            for line, cells in body:
                cell = _id_cell(cells[id_column]) if id_column < len(cells) else ""
                match = self.settings.id_regex.fullmatch(cell)
                if match and self._is_family_id(cell) and not self.may_define_family:
                    match = None
                if match:
                    self._table_definition(match.group(0), columns, cells, Source(self.file, line), id_column)
                elif self.requirement_kind and cell == "":
                    continue
                else:
                    self._table_knowledge(header, [(line, cells)])
            return
        if self._vertical_attribute_table(rows):
            return
        kind = self.requirement_kind
        if kind and ("text" in columns or "title" in columns):
            for line, cells in body:
                values = _row_values(columns, cells)
                text = values.get("text") or values.get("title") or ""
                if not text:
                    continue
                title = values.get("title") or values.get("category")
                if values.get("target"):  # `| Page load | < 2s |`: the target is part of the text
                    title, text = title or text, f"{text}: {values['target']}"
                self._requirement_without_id(
                    kind, text, Source(self.file, line), values.get("category") or self.section_category,
                    title=title,
                    priority=normalise_priority(values.get("priority", "")),
                    acceptance=[values["acceptance"]] if values.get("acceptance") else None,
                )
            return
        self._table_knowledge(header, body)

    def _defines_here(self, body: list[tuple[int, list[str]]], id_column: int) -> bool:
        """Whether a table's id column holds requirement ids (a row that would define one)."""
        return any(id_column < len(cells) and self.settings.id_regex.fullmatch(_id_cell(cells[id_column]))
                   for _, cells in body)

    def _note_family_column(self, body: list[tuple[int, list[str]]], id_column: int | None) -> None:
        """The cells of a table's id column (by header, else by cells) as family candidates."""
        column = id_column if id_column is not None else _id_column_by_cells(body, ID_SHAPE)
        if column is None:
            return
        for _, cells in body:
            if column < len(cells):
                cell = _id_cell(cells[column])
                if ID_SHAPE.fullmatch(cell):
                    self._note_family_lead(cell)

    def _table_definition(self, req_id: str, columns: dict[str, int], cells: list[str],
                          source: Source, id_column: int) -> None:
        values = _row_values(columns, cells)
        text = values.get("text", "")
        title = values.get("title", "")
        if not title:
            title, text = (_split_title(text) if text else ("", ""))
            if not title:
                title = _first_sentence(text)
        definition = _Definition(req_id, self.kind_of(req_id), title, source, [text], shape="table",
                                 role_section=self.role_section)
        definition.priority = normalise_priority(values.get("priority", ""))
        definition.category = values.get("category") or None
        if values.get("acceptance"):
            definition.acceptance.append(values["acceptance"])
        if values.get("target"):
            definition.text_parts.append(values["target"])
        self._default_category(definition)
        self._add(definition)

    def _vertical_attribute_table(self, rows: list[tuple[int, list[str]]]) -> bool:
        """An IEEE-830 attribute table (`| ID | FR-001 |`, `| Title | … |` rows) defines one requirement."""
        if any(len(cells) != 2 for _, cells in rows):
            return False
        fields = {cells[0].lower().strip(" *:"): (line, cells[1].strip()) for line, cells in rows}
        key = next((k for k in fields if k in _COLUMN_WORDS["id"]), None)
        if key is None:
            return False
        line, value = fields[key]
        match = self.settings.id_regex.fullmatch(value)
        if not match:
            return False
        definition = _Definition(match.group(0), self.kind_of(match.group(0)), "",
                                 Source(self.file, line), shape="table", role_section=self.role_section)
        self._attribute_table(definition, [(row, [k, v]) for k, (row, v) in fields.items()])
        self._default_category(definition)
        self._add(definition)
        return True

    def _attribute_table(self, definition: _Definition, rows: list[tuple[int, list[str]]]) -> None:
        """`| Priority | High |` rows filling in a definition's fields."""
        for _, cells in rows:
            if len(cells) < 2:
                continue
            name, value = cells[0].lower().strip(" *:"), cells[1].strip()
            role = next((r for r, words in _COLUMN_WORDS.items() if name in words), None)
            if role == "title" and not definition.title:
                definition.title = value
            elif role == "text":
                definition.text_parts.append(value)
            elif role == "priority":
                definition.priority = normalise_priority(value) or definition.priority
            elif role == "category":
                definition.category = value or definition.category
            elif role == "acceptance":
                definition.acceptance.append(value)
            elif role == "target":
                definition.text_parts.append(value)

    def _table_knowledge(self, header: list[str], body: list[tuple[int, list[str]]]) -> None:
        """Rows of a persona, glossary, use-case, user-story, constraint … table."""
        role = self.role
        if role not in ("persona", "glossary", "use-case", "user-story", "constraint", "assumption", "dependency"):
            return
        for line, cells in body:
            if not cells or not cells[0].strip():
                continue
            first = cells[0].strip().strip("*")
            rest = " ".join(c.strip() for c in cells[1:] if c.strip())
            item_id = _ITEM_ID.match(first) if role in ("use-case", "user-story") else None
            if item_id and not item_id.group("title"):
                self.items.append(PrdItem(role, _first_sentence(rest), rest, Source(self.file, line), first))  # type: ignore[arg-type]
            else:
                self.items.append(PrdItem(role, first, rest, Source(self.file, line)))  # type: ignore[arg-type]


# ---- helpers over syntax tree nodes --------------------------------------------------


class _Node:
    """A block of the syntax tree: what the walk reads of markdown-it's `SyntaxTreeNode`.

    Built in one pass over the tokens; `SyntaxTreeNode`'s general construction took half of
    the time of parsing a PRD.
    """

    __slots__ = ("type", "tag", "map", "content", "token", "children")

    def __init__(self, type_: str, token: Token | None) -> None:
        self.type = type_
        self.token = token
        self.tag = token.tag if token is not None else ""
        self.map = token.map if token is not None else None
        self.content = token.content if token is not None else ""
        self.children: list[_Node] = []


def _tree(tokens: list[Token]) -> _Node:
    """Nest the block tokens: an `_open`/`_close` pair becomes one node holding what is between."""
    root = _Node("root", None)
    open_nodes = [root]
    for token in tokens:
        if token.nesting == -1:
            open_nodes.pop()
            continue
        kind = token.type[:-5] if token.nesting == 1 and token.type.endswith("_open") else token.type
        node = _Node(kind, token)
        open_nodes[-1].children.append(node)
        if token.nesting == 1:
            open_nodes.append(node)
    return root


def _inline_tokens(node: _Node) -> list:
    """The inline tokens of an inline node, parsed on first use."""
    token = node.token
    if not token.meta.get("parsed"):
        token.children = _INLINE.parseInline(token.content)[0].children or []
        token.meta["parsed"] = True
    return token.children


def _inline_text(node: _Node | None) -> str:
    """The plain text of an inline node: markup dropped, entities decoded, HTML comments gone."""
    if node is None or node.type != "inline":
        return ""
    content = node.content
    if not _INLINE_SYNTAX.search(content):
        return " ".join(content.split())
    unbolded = _SIMPLE_BOLD.sub(r"\2", content)
    if not _INLINE_SYNTAX.search(unbolded):  # `**FR-1:** text`: no need for the inline parser
        return " ".join(unbolded.split())
    parts: list[str] = []
    for token in _inline_tokens(node):
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(token.content)
    return " ".join("".join(parts).split())


def _strip_decorations(text: str) -> str:
    """The lead of a text without what real PRDs put before an id (see `_DECORATION`)."""
    match = _DECORATION.match(text)
    return text[match.end():] if match else text


def _unbracket_id(text: str, settings: PrdSettings) -> tuple[str, bool]:
    """`[FR-3] Title` / `(FR-3) Title` → (`FR-3 Title`, True): a bracketed id marks a lead."""
    if text[:1] not in ("[", "(", "【", "〔", "［", "（"):
        return text, False
    opening = _BRACKETED_ID.match(text)
    assert opening is not None
    inner = text[opening.end():]
    match = settings.id_regex.match(inner) or ID_SHAPE.match(inner)
    if match is None:
        return text, False
    close = inner[match.end():].lstrip()
    if close[:1] not in _CLOSING_BRACKETS:
        return text, False
    return match.group(0) + " " + close[1:].lstrip(), True


def _lead_parts(inline: _Node | None, text: str, settings: PrdSettings) -> tuple[str, str, bool]:
    """An item's lead: its text without decorations (brackets around an id removed), the text
    of the span that marks its start (bold, code, link), and whether the id was bracketed."""
    lead, bracketed = _unbracket_id(_strip_decorations(text), settings)
    marked = " ".join(_strip_decorations(_leading_marked(inline) or "").split())
    return lead, marked, bracketed


def _id_token_lead(lead: str, marked: str, bracketed: bool) -> str | None:
    """The id-shaped token that opens a lead as an id would (marked or separated), if any."""
    shaped = ID_SHAPE.match(lead)
    if shaped and (bracketed or marked.startswith(shaped.group(0)) or _SEPARATOR.match(lead[shaped.end():])):
        return shaped.group(0)
    return None


def _label_parts(label: str) -> tuple[str, str | None]:
    """`Latency (Must)` / `[Security] Login` → the label and its tag."""
    leading = _LEADING_TAG.match(label) or _LEADING_BRACKET_TAG.match(label)
    if leading:
        return label[leading.end():].strip(), leading.group(1)
    trailing = _TRAILING_TAG.search(label)
    if trailing:
        return label[: trailing.start()].strip(), trailing.group(1)
    return label, None


def _leading_marked(node: _Node | None) -> str | None:
    """The text of the span that opens an inline node once decorations are skipped.

    Bold or italic, a code span or a link: any of them marks the id that starts it.
    """
    if node is None or node.type != "inline":
        return None
    simple = _SIMPLE_LEADING_BOLD.match(node.content)
    if simple:
        return simple.group("bold").strip()
    if not _INLINE_SYNTAX.search(node.content):
        return None
    tokens = _inline_tokens(node)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type in ("html_inline", "image", "softbreak") or (
            token.type == "text" and (not token.content.strip() or _DECORATION.fullmatch(token.content))
        ):
            index += 1
            continue
        break
    if index >= len(tokens):
        return None
    token = tokens[index]
    if token.type == "code_inline":
        return token.content.strip()
    if token.type == "link_open":
        parts = []
        for inner in tokens[index + 1:]:
            if inner.type == "link_close":
                return "".join(parts).strip()
            if inner.type in ("text", "code_inline"):
                parts.append(inner.content)
        return None
    return _leading_bold_from(tokens, index)


def _leading_bold(node: _Node | None) -> str | None:
    """The text of a `**bold**` span that opens an inline node (after an optional checkbox)."""
    if node is None or node.type != "inline" or not _BOLD_START.match(node.content):
        return None
    simple = _SIMPLE_LEADING_BOLD.match(node.content)
    if simple:
        return simple.group("bold").strip()
    tokens = _inline_tokens(node)
    index = 0
    while index < len(tokens) and tokens[index].type == "text" and (
        not tokens[index].content.strip() or _CHECKBOX.fullmatch(tokens[index].content)
    ):
        index += 1
    return _leading_bold_from(tokens, index)


def _leading_bold_from(tokens: list, index: int) -> str | None:
    if index >= len(tokens) or tokens[index].type not in ("strong_open", "em_open"):
        return None
    close = tokens[index].type.replace("_open", "_close")
    parts = []
    for token in tokens[index + 1:]:
        if token.type == close:
            return "".join(parts).strip()
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
    return None


def _first_paragraph(item: _Node) -> _Node | None:
    for child in item.children:
        if child.type == "paragraph":
            return child
    return None


def _has_text(definition: _Definition) -> bool:
    return bool(definition.title or any(definition.text_parts))


def _item_inline(item: _Node) -> _Node | None:
    paragraph = _first_paragraph(item)
    return paragraph.children[0] if paragraph and paragraph.children else None


def _item_text(item: _Node) -> str:
    paragraph = _first_paragraph(item)
    return _inline_text(paragraph.children[0]) if paragraph and paragraph.children else ""


def _nested_item_texts(item: _Node) -> list[str]:
    """Texts of a list item's sub-items: the acceptance criteria of a list definition."""
    texts: list[str] = []
    for child in item.children:
        if child.type in ("bullet_list", "ordered_list"):
            for sub in child.children:
                text = _CHECKBOX.sub("", _item_text(sub), count=1)
                if text:
                    texts.append(text)
    return texts


def _table_rows(node: _Node) -> Iterator[tuple[int, list[str]]]:
    for section in node.children:
        for row in section.children:
            cells = [_inline_text(cell.children[0]) if cell.children else "" for cell in row.children]
            yield ((row.map[0] + 1) if row.map else 0), cells


def _classify_columns(header: list[str]) -> dict[str, int]:
    """Column roles by header: a header that is a word of a role, else one that contains a
    word of the text, priority, acceptance or title role (`Requirement description`,
    `Descrição do Requisito`); the first such column of a role wins."""
    columns: dict[str, int] = {}
    assigned: set[int] = set()
    for index, name in enumerate(header):
        for role, words in _COLUMN_WORDS.items():
            if role not in columns and name in words:
                columns[role] = index
                assigned.add(index)
                break
    for role in ("acceptance", "priority", "text", "title"):
        if role in columns:
            continue
        words = [w for w in _COLUMN_WORDS[role] if len(w) > 2]
        for index, name in enumerate(header):
            if index not in assigned and name and any(word in name for word in words):
                columns[role] = index
                assigned.add(index)
                break
    return columns


def _id_column_by_cells(body: list[tuple[int, list[str]]], id_regex: re.Pattern[str]) -> int | None:
    """The first column whose every non-empty cell is exactly one id (decorations aside)."""
    if not body:
        return None
    width = max(len(cells) for _, cells in body)
    for column in range(width):
        values = [_id_cell(cells[column]) for _, cells in body if column < len(cells) and cells[column].strip()]
        if values and all(id_regex.fullmatch(v) for v in values):
            return column
    return None


def _id_cell(cell: str) -> str:
    """`✅ FR-1`, `[FR-1]`, `**FR-1**` → `FR-1`."""
    return _TRAILING_MARKS.sub("", _strip_decorations(cell)).strip().strip("[]()【】").strip()


def _row_values(columns: dict[str, int], cells: list[str]) -> dict[str, str]:
    return {role: cells[i].strip().strip("*").strip() for role, i in columns.items() if i < len(cells) and cells[i].strip()}


def _split_title(body: str, inline: _Node | None = None) -> tuple[str, str]:
    """`User registration — Users can …` → (`User registration`, `Users can …`); else a short title.

    A colon inside a code span (`file:line`) never splits.
    """
    masked = body
    for code in _code_spans(inline):
        masked = masked.replace(code, "\x00" * len(code))
    match = _TITLE_SPLIT.match(masked)
    if match and len(match.group("title").split()) <= 8 and "\x00" not in match.group("title"):
        return body[: match.end("title")].strip(" *"), body[match.start("text"):].strip()
    return _first_sentence(body), body


def _code_spans(node: _Node | None) -> list[str]:
    if node is None or node.type != "inline":
        return []
    if "`" not in node.content:
        return []
    return [t.content for t in _inline_tokens(node) if t.type == "code_inline" and t.content]


def _first_sentence(text: str, limit: int = 100) -> str:
    # A sentence ends at `. ! ?` and a space, but not inside an ellipsis (`PRD... [--json]`)
    # or after e.g. / i.e.
    sentence = re.split(r"(?<!\.\.)(?<=[.!?。])(?<!\be\.g\.)(?<!\bi\.e\.)\s", text.strip(), maxsplit=1)[0].rstrip(".。")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return (cut if len(cut) > limit // 2 else sentence[:limit]).rstrip(" ,;:-–—") + "…"


def _capitalised(title: str) -> str:
    """`dispatch board reads …` (the sentence after `Performance:`) → `Dispatch board reads …`.

    A title that starts with a command or identifier (`archplugin scaffold …`) keeps its case.
    """
    first_word = title.split(" ", 1)[0]
    if title[:1].islower() and first_word.isalpha() and first_word.isascii() and len(first_word) < 10:
        return title[:1].upper() + title[1:]
    return title


def _strip_field_name(text: str) -> str:
    match = _FIELD.match(text)
    return match.group("value").strip() if match and len(match.group("name").split()) <= 3 else text


def _slug_words(text: str, limit: int) -> str:
    """Upper-case words joined by hyphens; letters of any script are kept."""
    normal = unicodedata.normalize("NFKC", text)
    words = re.findall(r"[^\W_]+", normal)
    return "-".join(words[:limit]).upper()[:40].strip("-")
