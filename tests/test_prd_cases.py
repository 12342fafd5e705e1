"""PRD snippets of every shape in PRODUCT.md 2.1, with the requirements they must yield."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mkdocs_archplugin.prd import assemble_prd, parse_markdown

CASES = [
    case
    for path in sorted((Path(__file__).parent / "prd_cases").glob("*.yml"))
    for case in yaml.safe_load(path.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_prd_case(case: dict) -> None:
    prd = assemble_prd([parse_markdown(case["markdown"], "prd.md")])
    assert [r.id for r in prd.requirements] == [e["id"] for e in case["expect"]]
    for req, expected in zip(prd.requirements, case["expect"]):
        for key, value in expected.items():
            if key == "line":
                assert req.source.line == value, req
            elif key == "text_contains":
                assert value in req.text, req
            elif key in ("targets", "acceptance"):
                assert list(getattr(req, key)) == value, req
            else:
                assert getattr(req, key) == value, (key, req)
    assert [d.code for d in prd.diagnostics] == case.get("diagnostics", [])
    assert [g.id for g in prd.groups] == case.get("groups", [])
