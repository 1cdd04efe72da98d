"""The data files: every dated fact sourced, and no more precise than its source's words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.evidence import problems, unsupported

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = ROOT / "data" / "unodc.json"


def _records(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for section, records in data.items():
        if isinstance(records, list):
            for index, record in enumerate(records):
                found.append((f"{section}[{record.get('slug', index)}]", record))
    return found


def test_every_dated_fact_of_the_data_file_has_evidence_at_its_precision() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    found = [problem for where, record in _records(data) for problem in problems(record, where)]
    assert found == []


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("until", "2010-12-31", "In 2011 the committee registered itself as an independent NGO"),
        ("founded", "2006-08-01", "Established in August 2006"),
        ("founded", "2006-08", "Established in 2006"),
        ("since", "2011", "It joined some years ago"),
    ],
)
def test_a_precision_the_words_do_not_state_is_refused(field: str, value: str, says: str) -> None:
    assert unsupported(field, value, {"says": says, "source": "https://example.org"}) is not None


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("until", "2011", "In 2011 the committee registered itself as an independent NGO"),
        ("founded", "2006-08", "Established in August 2006"),
        ("validTo", "2023-02-28", "on 1st March 2023 the office was relocated"),
        ("validFrom", "[2010..2011]", "Between 2010 and 2011 the office was moved"),
        ("since", "[..2020-05-20]", "[General Assembly of 20 May 2020:] members: GI TOC"),
    ],
)
def test_words_that_state_the_precision_are_accepted(field: str, value: str, says: str) -> None:
    assert unsupported(field, value, {"says": says, "source": "https://example.org"}) is None


def test_a_dated_fact_without_a_source_is_refused() -> None:
    assert unsupported("since", "2011", {"says": "since 2011"}) is not None
    assert problems({"since": "2011"}, "membership") != []
