"""clients/typescript: the committed TypeScript types are what GraphQL Code Generator makes from
schema/schema.graphql and the operations today, and the example client type-checks against them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES

CLIENT = Path(__file__).resolve().parents[1] / "clients" / "typescript"


def test_generated_types_are_in_sync_and_type_check() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed: the TypeScript client is not checked")
    if not (CLIENT / "node_modules" / ".bin" / "graphql-codegen").exists():
        reason = "run `npm ci` in clients/typescript first (.ci/run does)"
        if REQUIRE_SERVICES:
            pytest.fail(reason)
        pytest.skip(reason)
    # --check compares what it would write with the committed file; tsc then type-checks the
    # example client against it.
    checked = subprocess.run(
        ["npm", "run", "--silent", "check"],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert checked.returncode == 0, (
        "clients/typescript/src/generated/graphql.ts is stale or does not type-check: run "
        f"`make client-types`\n{checked.stdout[-2000:]}\n{checked.stderr[-2000:]}"
    )
