"""Interoperability: the MCP reference memory server loads the example site's knowledge graph.

Starts `@modelcontextprotocol/server-memory` (installed with npm into a cache folder, kept
between runs) with `MEMORY_FILE_PATH` pointing at the export, speaks MCP JSON-RPC 2.0 over
stdio (newline-delimited), and checks that `read_graph` returns every entity and relation of
the file and `search_nodes` finds an NFR with its relations.

The cache is `$ARCHPLUGIN_TEST_CACHE` or `~/.cache/archplugin-tests`; delete its
`server-memory/` folder to pick up a newer server. Skipped only where npm or Node.js is absent.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mkdocs_archplugin.project import ArchProject, ProjectConfig

from conftest import npm_installed

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example_site"
PACKAGE = "@modelcontextprotocol/server-memory"
CACHE = Path(os.environ.get("ARCHPLUGIN_TEST_CACHE", Path.home() / ".cache" / "archplugin-tests"))
SERVER_DIR = CACHE / "server-memory"
ENTRY = SERVER_DIR / "node_modules" / "@modelcontextprotocol" / "server-memory" / "dist" / "index.js"
INSTALL_TIMEOUT = 300
REPLY_TIMEOUT = 30
NFR = "NFR5"


@pytest.fixture(scope="session")
def memory_server_entry() -> Path:
    """The server's `dist/index.js`, installed into the cache on first use."""
    return npm_installed(PACKAGE, SERVER_DIR, ENTRY, INSTALL_TIMEOUT)


@pytest.fixture(scope="module")
def exported_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site's knowledge-graph.jsonl, written where the server will read it."""
    build = ArchProject().build(ProjectConfig(
        prd=(EXAMPLE / "docs" / "prd.md").resolve(),
        decisions=(EXAMPLE / "architecture.yml").resolve(),
        docs_dir=(EXAMPLE / "docs").resolve(),
        config_dir=EXAMPLE.resolve(),
        exports=("graph",),
    ))
    path = tmp_path_factory.mktemp("memory") / "knowledge-graph.jsonl"
    path.write_text(build.exports["architecture/knowledge-graph.jsonl"], encoding="utf-8")
    return path


class McpStdioClient:
    """A minimal MCP client: newline-delimited JSON-RPC 2.0 on a child process's stdio."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, text=True, encoding="utf-8", bufsize=1,
        )
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._stderr: list[str] = []
        self._next_id = 0
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.strip():
                self._messages.put(json.loads(line))
        self._messages.put(None)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        self._stderr.extend(self.process.stderr)

    def _send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        self._send({"jsonrpc": "2.0", "method": method, **({"params": params} if params else {})})

    def request(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """The result of one request; fails on an error reply, an exit or a timeout."""
        self._next_id += 1
        self._send({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params})
        while True:
            try:
                message = self._messages.get(timeout=REPLY_TIMEOUT)
            except queue.Empty:
                pytest.fail(f"no reply to {method} within {REPLY_TIMEOUT} s; stderr:\n{''.join(self._stderr)}")
            if message is None:
                pytest.fail(f"the server exited during {method}; stderr:\n{''.join(self._stderr)}")
            if message.get("id") == self._next_id:
                assert "error" not in message, f"{method} failed: {message['error']}"
                return message["result"]

    def call_tool(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """A tool's graph result: `{entities, relations}` as the server returns it."""
        result = self.request("tools/call", {"name": name, "arguments": arguments})
        assert not result.get("isError"), result
        return json.loads(result["content"][0]["text"])

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


@pytest.fixture(scope="module")
def client(memory_server_entry: Path, exported_graph: Path) -> Iterator[McpStdioClient]:
    node = shutil.which("node")
    assert node is not None
    env = {**os.environ, "MEMORY_FILE_PATH": str(exported_graph)}
    client = McpStdioClient([node, str(memory_server_entry)], env)
    try:
        result = client.request("initialize", {
            "protocolVersion": "2024-11-05",
            "capabilities": {},
            "clientInfo": {"name": "mkdocs-archplugin-tests", "version": "0"},
        })
        assert "tools" in result["capabilities"], result
        client.notify("notifications/initialized")
        yield client
    finally:
        client.close()


def exported(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(entities, relations) of the file, without the `type` key the server drops."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    entities = [{k: v for k, v in r.items() if k != "type"} for r in records if r["type"] == "entity"]
    relations = [{k: v for k, v in r.items() if k != "type"} for r in records if r["type"] == "relation"]
    return entities, relations


def test_server_offers_the_graph_tools(client: McpStdioClient) -> None:
    tools = {tool["name"] for tool in client.request("tools/list", {})["tools"]}
    assert {"read_graph", "search_nodes"} <= tools


def test_read_graph_returns_every_entity_and_relation(client: McpStdioClient, exported_graph: Path) -> None:
    entities, relations = exported(exported_graph)
    graph = client.call_tool("read_graph", {})
    assert len(entities) > 100 and len(relations) > 100
    assert graph["entities"] == entities
    assert graph["relations"] == relations


def test_search_nodes_finds_an_nfr_with_its_relations(client: McpStdioClient, exported_graph: Path) -> None:
    entities, relations = exported(exported_graph)
    found = client.call_tool("search_nodes", {"query": NFR})
    nfr = next(e for e in entities if e["name"] == NFR)
    assert nfr in found["entities"]
    touching = [r for r in relations if NFR in (r["from"], r["to"])]
    assert touching and all(r in found["relations"] for r in touching)
    assert {"from": "decision:ADR-003", "to": NFR, "relationType": "addresses"} in found["relations"]
