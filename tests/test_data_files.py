"""The data files: every dated fact sourced, and no more precise than its source's words.

The networks' member lists (``data/networks/*.json``, and the test lists of
``tests/data/networks``) are checked too: each reads with the member-list
parser (ISO 3166-1 countries, no organization twice, valid EDTF...), every
record and tie has a web address as its source and evidence of the
membership, the networks it is ``partOf`` exist, and every date is supported
at its precision by the words quoted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from domain.member_lists import parse
from tests.support.evidence import problems, unsupported

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = ROOT / "data" / "unodc.json"
LIST_FOLDERS = (ROOT / "data" / "networks", ROOT / "tests" / "data" / "networks")
"""The real member lists (absent until installed), and the loader tests' own."""
LIST_FILES = sorted(path for folder in LIST_FOLDERS for path in folder.glob("*.json"))


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


# ------- networks' member lists -------


def _is_address(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://")) and " " not in value.strip()


def _sourced(where: str, record: dict[str, Any], tie: bool) -> list[str]:
    """Problems of one record: nulls written out, a source that is no address, missing or loose evidence."""
    found = [f"{where}: {key} is null; leave the key out" for key, value in record.items() if value is None]
    if not _is_address(record.get("source")):
        found.append(f"{where}: source {record.get('source')!r} is not a web address")
    evidence = record.get("evidence") or {}
    if tie and not isinstance(evidence.get("membership"), dict):
        found.append(f"{where}: no evidence.membership quoting the source that states the tie")
    for key, item in evidence.items():
        if not isinstance(item, dict) or not item.get("says") or not _is_address(item.get("source")):
            found.append(f"{where}: evidence.{key} needs the source's words ('says') and its web address ('source')")
    for field in ("since", "until"):
        if record.get(field) is not None:
            problem = unsupported(field, record[field], evidence.get(field))
            if problem:
                found.append(f"{where}: {problem}")
    return found


def member_list_problems(path: Path, document: dict[str, Any], networks: set[str]) -> list[str]:
    """Everything wrong with a member list file, beside what the parser refuses."""
    found = _sourced(f"{path.name} network", document["network"], tie=False)
    if document["network"].get("slug") != path.stem:
        found.append(f"{path.name}: the network's slug is {document['network'].get('slug')!r}, not {path.stem!r}")
    for index, record in enumerate(document.get("partOf", [])):
        where = f"{path.name} partOf[{index}] ({record.get('network')})"
        found.extend(_sourced(where, record, tie=True))
        if record.get("network") not in networks:
            found.append(f"{where}: no network {record.get('network')!r} in data/unodc.json or a list of its own")
    for index, record in enumerate(document.get("members", [])):
        found.extend(_sourced(f"{path.name} members[{index}] ({record.get('name')})", record, tie=True))
    return found


def _networks(folder: Path) -> set[str]:
    """Slugs a ``partOf`` may name: the organizations of data/unodc.json and the lists beside it."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {record["slug"] for record in data["organizations"]} | {path.stem for path in folder.glob("*.json")}


@pytest.mark.parametrize("path", LIST_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_member_list_is_sourced_and_no_more_precise_than_its_sources(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    parse(document, path.stem)
    assert member_list_problems(path, document, _networks(path.parent)) == []


def test_a_loose_member_list_is_caught() -> None:
    path = LIST_FOLDERS[1] / "example-platform.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    member = document["members"][0]
    member.update(source="the coalition's page", since="2020-05-01", city=None)
    member["evidence"]["since"] = {"says": "Listed since May 2020", "source": "https://example.org"}
    del member["evidence"]["membership"]
    document["partOf"][0]["network"] = "nowhere"
    found = "\n".join(member_list_problems(path, document, _networks(path.parent)))
    assert "members[0] (Example Open Records): city is null" in found
    assert 'source "the coalition\'s page" is not a web address' in found
    assert "no evidence.membership" in found
    assert "since '2020-05-01' claims day precision" in found
    assert "no network 'nowhere'" in found
