"""Loading the directory's data: idempotent, all or nothing, and what it loads reads back through the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import models
from datatools.fixture_loader import FixtureError, load_fixture
from tests.conftest import FIXTURE


async def _row_counts() -> dict[str, int]:
    return {name: await getattr(models, name).all().count() for name in models.__all__}


async def test_loading_twice_changes_nothing(app: Any) -> None:
    before = await _row_counts()
    report = await load_fixture(FIXTURE)
    assert not report.changed, str(report)
    assert report.total.unchanged > 100
    assert await _row_counts() == before


def _variant(tmp_path: Path, change: Any) -> Path:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "variant.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


async def test_a_membership_cycle_is_refused_and_nothing_is_written(app: Any, tmp_path: Path) -> None:
    before = await _row_counts()
    path = _variant(tmp_path, lambda d: d["memberships"].append({"member": "congo", "network": "gi-toc"}))
    with pytest.raises(FixtureError, match="cycle"):
        await load_fixture(path)
    assert await _row_counts() == before


async def test_an_unknown_reference_names_the_record(app: Any, tmp_path: Path) -> None:
    def break_reference(data: dict[str, Any]) -> None:
        data["events"][0]["governingBody"] = "no-such-body"
        data["offices"][0]["name"] = "Renamed before the failure"

    with pytest.raises(FixtureError, match="no-such-body"):
        await load_fixture(_variant(tmp_path, break_reference))
    assert (await models.Office.get(slug="unodc")).name != "Renamed before the failure"


async def test_former_names_load_and_answer_for_their_days(app: Any, gql: Any, tmp_path: Path) -> None:
    def rename(data: dict[str, Any]) -> None:
        office = next(o for o in data["offices"] if o["slug"] == "rab")
        office["formerNames"] = [
            {"name": "Former Branch Name", "validFrom": "1999", "validTo": "2020-12-31", "source": "test"}
        ]

    names_in_file = await models.OfficeName.all().count()
    try:
        report = await load_fixture(_variant(tmp_path, rename))
        assert report.section("offices.formerNames").created == 1
        data = await gql.data(
            """{ office(slug: "rab") {
                   name then: datedName(asOf: "2020-06-01") { name } later: datedName(asOf: "2021-01-01") { name }
                   formerNames { name validFrom { edtf } validTo { edtf } }
               } }"""
        )
    finally:
        await load_fixture(FIXTURE)
    office = data["office"]
    assert office["then"] == {"name": "Former Branch Name"}
    assert office["later"] == {"name": office["name"]} != {"name": "Former Branch Name"}
    assert office["formerNames"] == [{"name": "Former Branch Name", "validFrom": {"edtf": "1999"}, "validTo": {"edtf": "2020-12-31"}}]
    assert await models.OfficeName.all().count() == names_in_file, "reloading the file restores what it lists"
