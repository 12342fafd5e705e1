"""`archplugin check --format sarif|gitlab`: documents GitHub code scanning and GitLab's Code
Quality widget accept, checked against the published SARIF schema and GitLab's documented fields."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from sites import ARCHITECTURE, make_site

from mkdocs_archplugin.diagnostic_docs import DIAGNOSTICS
from mkdocs_archplugin.diagnostics import DEFAULT_SEVERITIES

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

#: GitLab's "Code Quality report format" (docs.gitlab.com/ci/testing/code_quality): a list of
#: issues, each with these fields required; `lines.begin` or `positions.begin.line` locates it.
GITLAB_CODE_QUALITY = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "not": {"pattern": "^(/|\\./)"}},
                    "lines": {"type": "object", "required": ["begin"],
                              "properties": {"begin": {"type": "integer", "minimum": 1}}},
                },
            },
        },
    },
}

#: One diagnostic of each severity: an unknown key (error), an NFR without decision (warn),
#: a dependency loop (info).
MIXED = (ARCHITECTURE.replace("requirements: [NFR-2]", "requirements: [FR-1]")
         .replace("    location: api/\n", "    location: api/\n    depends_on: [web]\n    owner: me\n"))


def _check(root: Path, fmt: str, workspace: Path | None = None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
    if workspace is not None:
        env["GITHUB_WORKSPACE"] = str(workspace)
    return subprocess.run([sys.executable, "-m", "mkdocs_archplugin", "check", "--format", fmt, *args],
                          cwd=root, capture_output=True, text=True, timeout=60, env=env)


def _sarif(root: Path, *args: str, workspace: Path | None = None) -> dict:
    result = _check(root, "sarif", workspace, *args)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(tmp_path: Path) -> None:
    site = make_site(tmp_path, architecture=MIXED)
    log = _sarif(site.root)
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert not errors, errors
    assert log["version"] == "2.1.0" and len(log["runs"][0]["results"]) >= 3


def test_an_invalid_sarif_document_fails_the_schema() -> None:
    """The schema copy really constrains: a result without a message is refused."""
    log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "a"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)


def test_sarif_rules_are_the_diagnostic_codes_with_the_reference_help(tmp_path: Path) -> None:
    site = make_site(tmp_path, architecture=MIXED)
    driver = _sarif(site.root)["runs"][0]["tool"]["driver"]
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == list(DEFAULT_SEVERITIES)
    by_id = {rule["id"]: rule for rule in rules}
    assert by_id["schema-drift"]["help"]["text"].endswith("Fix: " + DIAGNOSTICS["schema-drift"].fix)
    assert by_id["dependency-cycle"]["defaultConfiguration"]["level"] == "note"
    assert "](" not in json.dumps(rules), "relative docs links left in the rule help"


def test_sarif_results_locate_lines_from_the_repository_root_with_levels(tmp_path: Path) -> None:
    site = make_site(tmp_path / "handbook", architecture=MIXED)
    run = _sarif(site.root, workspace=tmp_path)["runs"][0]
    levels = {}
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        levels[result["ruleId"]] = result["level"]
    assert levels["schema-invalid"] == "error"
    assert levels["nfr-without-decision"] == "warning"
    assert levels["dependency-cycle"] == "note"
    nfr = next(r for r in run["results"] if r["ruleId"] == "nfr-without-decision")
    location = nfr["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "handbook/docs/prd.md"
    prd_lines = (site.docs / "prd.md").read_text(encoding="utf-8").splitlines()
    assert "NFR-2" in prd_lines[location["region"]["startLine"] - 1]
    assert location["region"]["startColumn"] >= 1


def test_sarif_when_the_prd_is_missing_is_still_a_valid_log(tmp_path: Path) -> None:
    site = make_site(tmp_path, prd=None)
    log = _sarif(site.root)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "prd-missing" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/prd.md"


def _gitlab(root: Path) -> list[dict]:
    result = _check(root, "gitlab")
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_gitlab_code_quality_has_the_documented_fields(tmp_path: Path) -> None:
    site = make_site(tmp_path, architecture=MIXED)
    issues = _gitlab(site.root)
    jsonschema.validate(issues, GITLAB_CODE_QUALITY)
    severities = {issue["check_name"]: issue["severity"] for issue in issues}
    assert severities["schema-invalid"] == "critical"
    assert severities["nfr-without-decision"] == "major"
    assert severities["dependency-cycle"] == "info"
    nfr = next(issue for issue in issues if issue["check_name"] == "nfr-without-decision")
    assert nfr["location"]["path"] == "docs/prd.md" and "NFR-2" in nfr["description"]


def test_gitlab_fingerprints_are_unique_and_survive_moved_lines(tmp_path: Path) -> None:
    site = make_site(tmp_path, architecture=MIXED)
    first = _gitlab(site.root)
    fingerprints = [issue["fingerprint"] for issue in first]
    assert len(set(fingerprints)) == len(fingerprints)
    assert [issue["fingerprint"] for issue in _gitlab(site.root)] == fingerprints
    prd = site.docs / "prd.md"
    prd.write_text(prd.read_text(encoding="utf-8").replace("# Shop PRD\n", "# Shop PRD\n\nIntro.\n"),
                   encoding="utf-8")
    moved = _gitlab(site.root)
    nfr = [issue for issue in moved if issue["check_name"] == "nfr-without-decision"]
    assert nfr[0]["fingerprint"] in fingerprints
    assert nfr[0]["location"]["lines"]["begin"] > next(
        i for i in first if i["check_name"] == "nfr-without-decision")["location"]["lines"]["begin"]
