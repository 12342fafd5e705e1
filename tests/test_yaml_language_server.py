"""The shipped JSON Schema in a real editor engine: yaml-language-server over LSP (stdio).

`yaml-language-server` (installed with npm into the test cache) opens an architecture.yml
whose first line names the shipped schema, as `archplugin scaffold` writes it; the test asks
for completions inside the new keys and reads the diagnostics it publishes for wrong values.
Skipped only where npm or Node.js is absent (.ci/run installs npm).
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, npm_installed

SCHEMA = ROOT / "mkdocs_archplugin" / "architecture" / "architecture.schema.json"
SHARD_SCHEMA = ROOT / "mkdocs_archplugin" / "architecture" / "architecture-shard.schema.json"
PACKAGE = "yaml-language-server"


@pytest.fixture(scope="module")
def server_bin(test_cache: Path) -> Path:
    folder = test_cache / PACKAGE
    return npm_installed(PACKAGE, folder, folder / "node_modules" / PACKAGE / "bin" / PACKAGE)


class Lsp:
    """A minimal LSP client over stdio: requests, and the notifications the server sends."""

    def __init__(self, command: list[str]) -> None:
        #: The `yaml` settings the client answers the server's configuration requests with.
        self.settings: dict[str, Any] = {"validate": True, "completion": True}
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            headers = {}
            while (line := stream.readline().decode()) not in ("\r\n", ""):
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if not headers:
                return
            self.messages.put(json.loads(stream.read(int(headers["content-length"]))))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        self.process.stdin.flush()

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)["result"]

    def wait(self, wanted, timeout: float = 30) -> dict[str, Any]:
        while True:
            message = self.messages.get(timeout=timeout)
            if message.get("method") == "workspace/configuration":  # answer the settings pull
                self.send({"id": message["id"], "result": [self.settings] * len(message["params"]["items"])})
                continue
            if "method" in message and "id" in message:
                self.send({"id": message["id"], "result": None})
                continue
            if wanted(message):
                return message

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def lsp(server_bin: Path, tmp_path: Path):
    client = Lsp(["node", str(server_bin), "--stdio"])
    client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {
        "workspace": {"configuration": True},
        "textDocument": {"completion": {"completionItem": {"snippetSupport": False}}},
    }})
    client.send({"method": "initialized", "params": {}})
    client.send({"method": "workspace/didChangeConfiguration",
                 "params": {"settings": {"yaml": {"validate": True, "completion": True}}}})
    yield client
    client.close()


def _configure(lsp: Lsp, **settings: Any) -> None:
    """Change the client's `yaml` settings (as `.vscode/settings.json` would) and tell the server."""
    lsp.settings = {**lsp.settings, **settings}
    lsp.send({"method": "workspace/didChangeConfiguration", "params": {"settings": {"yaml": lsp.settings}}})


def _open(lsp: Lsp, tmp_path: Path, text: str, name: str = "architecture.yml", modeline: bool = True) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    content = (f"# yaml-language-server: $schema={SCHEMA.as_uri()}\n" if modeline else "") + text
    path.write_text(content, encoding="utf-8")
    uri = path.as_uri()
    lsp.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": content}}})
    return uri


def test_the_editor_validates_the_new_keys(lsp: Lsp, tmp_path: Path) -> None:
    uri = _open(lsp, tmp_path, (
        "components:\n  - id: web\n    name: Web\n    kind: webapp\n"
        "flows:\n  - id: f\n    title: F\n    steps:\n      - from: web\n        too: api\n        message: m\n"
        "risks:\n  - id: R-1\n    title: T\n    status: maybe\n"
        "interfaces:\n  - kind: queue\n    name: e\n"
    ))
    published = lsp.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri and m["params"]["diagnostics"])
    lines = sorted({d["range"]["start"]["line"] for d in published["params"]["diagnostics"]})
    # 0-based lines of the file with its schema comment: kind, too (unknown key), status, kind.
    assert {4, 10, 15, 17} <= set(lines), published["params"]["diagnostics"]


def test_the_editor_completes_the_new_keys(lsp: Lsp, tmp_path: Path) -> None:
    uri = _open(lsp, tmp_path, "components: []\nflows:\n  - id: f\n    \n")
    result = lsp.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                     "position": {"line": 4, "character": 4}})
    labels = {item["label"] for item in (result["items"] if isinstance(result, dict) else result)}
    assert {"title", "steps", "requirements"} <= labels, labels
    top = lsp.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                  "position": {"line": 5, "character": 0}})
    top_labels = {item["label"] for item in (top["items"] if isinstance(top, dict) else top)}
    assert {"context", "interfaces", "risks", "source_tree", "patterns"} <= top_labels, top_labels


SHARD = "decisions:\n  - id: ADR-001\n    title: PostgreSQL\n    status: done\n    requirements: [NFR-1]\n"


def _published(lsp: Lsp, uri: str) -> list[dict[str, Any]]:
    message = lsp.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                       and m["params"]["uri"] == uri and m["params"]["diagnostics"])
    return message["params"]["diagnostics"]


def test_a_shard_of_a_decisions_folder_validates_with_the_documented_glob_mapping(lsp: Lsp, tmp_path: Path) -> None:
    # The mapping of docs/architecture-yml.md ("A folder of YAML files"), with absolute URIs.
    _configure(lsp, schemas={SCHEMA.as_uri(): ["architecture.yml"],
                             SHARD_SCHEMA.as_uri(): ["architecture/*.yml", "architecture/*.yaml"]})
    uri = _open(lsp, tmp_path, SHARD, name="architecture/decisions.yml", modeline=False)
    diagnostics = _published(lsp, uri)
    # Only the wrong status (0-based line 3) is flagged: no "missing property components".
    assert [d["range"]["start"]["line"] for d in diagnostics] == [3], diagnostics
    assert not any("components" in d["message"] for d in diagnostics), diagnostics


def test_the_file_schema_on_a_shard_asks_for_components(lsp: Lsp, tmp_path: Path) -> None:
    """The control of the test above: the schema of architecture.yml marks a shard red."""
    _configure(lsp, schemas={SCHEMA.as_uri(): ["architecture/*.yml"]})
    uri = _open(lsp, tmp_path, SHARD, name="architecture/decisions.yml", modeline=False)
    diagnostics = _published(lsp, uri)
    assert any("components" in d["message"] for d in diagnostics), diagnostics
