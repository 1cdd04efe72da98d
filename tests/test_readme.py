"""Every GraphQL example in README.md runs against the directory's data without errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("query", EXAMPLES, ids=[f"example-{i + 1}" for i in range(len(EXAMPLES))])
async def test_readme_example_runs(gql: Any, query: str) -> None:
    data = await gql.data(query)
    assert data and all(value is not None for value in data.values()), data
