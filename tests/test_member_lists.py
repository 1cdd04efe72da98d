"""Networks' member lists: read and checked (``domain.member_lists``), then loaded with the data (``load-data``).

The loading tests load small lists of their own (``tests/data/networks``)
into the session database, and put it back as the data files describe it
afterwards (``loaded``).
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

import pytest

import models
from datatools.fixture_loader import FixtureError, LoadReport, load_fixture
from domain.member_lists import MemberListError, parse
from models import Membership, Organization
from models.enums import MembershipType, OrganizationKind
from services.member_lists import MembershipCycle, apply_member_list
from services.search_index import reindex
from tests.conftest import FIXTURE

LISTS = Path(__file__).resolve().parent / "data" / "networks"
COALITION = json.loads((LISTS / "example-coalition.json").read_text(encoding="utf-8"))


# ------- reading a list -------


def _document(change: Callable[[dict[str, Any]], Any] | None = None) -> dict[str, Any]:
    document = copy.deepcopy(COALITION)
    if change:
        change(document)
    return document


def test_a_list_reads_into_typed_records() -> None:
    member_list = parse(_document())
    assert member_list.origin == "list:example-coalition"
    assert member_list.network.facts.kind is OrganizationKind.UMBRELLA_NETWORK
    [part_of] = member_list.part_of
    assert (part_of.network, part_of.tie.type, part_of.tie.since and part_of.tie.since.edtf) == (
        "uncac-coalition",
        MembershipType.ORDINARY,
        "2019-05",
    )
    assert [(m.facts.name, m.facts.slug, m.tie.type) for m in member_list.members] == [
        ("Transparency International", None, MembershipType.FOUNDING),
        ("Example Open Records", None, MembershipType.MEMBER),
        ("The Example Watch", None, MembershipType.ORDINARY),
        ("GI TOC", "gi-toc", MembershipType.MEMBER),
    ]
    assert member_list.members[0].tie.evidence["membership"].says == "Founding members: Transparency International"


def test_keys_left_null_are_read_as_left_out() -> None:
    member_list = parse(_document(lambda d: d["members"][2].update({"country": None, "since": None})))
    assert member_list.members[2].facts.country is None and member_list.members[2].tie.since is None


def _member(index: int, **values: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda d: d["members"][index].update(values)


@pytest.mark.parametrize(
    ("change", "record", "problem"),
    [
        (_member(1, country="XX"), "members[1] ('Example Open Records')", "country: 'XX' is not an ISO 3166-1"),
        (_member(1, country="es"), "members[1]", "country: 'es'"),
        (_member(2, type="PARTNER"), "members[2] ('The Example Watch')", "type: 'PARTNER' is not one of"),
        (_member(2, since="2019-13"), "members[2]", "since: '2019-13': there is no month 13"),
        (_member(2, since="2020", until="2019"), "members[2]", "until: '2019' ends before since '2020'"),
        (_member(2, kind="CLUB"), "members[2]", "kind: 'CLUB' is not one of"),
        (_member(2, source=""), "members[2]", "source: expected a non-empty string"),
        (lambda d: d["members"][2].pop("source"), "members[2]", "source: required"),
        (lambda d: d["members"][2].pop("type"), "members[2]", "type: required"),
        (_member(2, founded="2001"), "members[2]", "unknown keys ['founded']"),
        (_member(2, slug="Not A Slug"), "members[2]", "slug: 'Not A Slug' is not a slug"),
        (_member(2, website="not a website"), "members[2]", "website: 'not a website' is not a web address"),
        (_member(2, evidence={"country": {"says": "x", "source": "y"}}), "members[2]", "quotes a fact the record"),
        (_member(2, evidence={"membership": {"says": "x"}}), "members[2]", "evidence.membership: expected"),
        (_member(2, evidence={"founding": {"says": "x", "source": "y"}}), "members[2]", "unknown key 'founding'"),
        (lambda d: d["partOf"][0].update(type=None), "partOf[0] ('uncac-coalition')", "type: required"),
        (lambda d: d["partOf"].append(d["partOf"][0]), "partOf[1]", "listed twice in partOf"),
        (lambda d: d["partOf"][0].update(network="example-coalition"), "partOf[0]", "cannot be part of itself"),
        (lambda d: d["network"].pop("source"), "network 'example-coalition'", "source: required"),
        (lambda d: d["network"].pop("slug"), "network", "slug: required"),
        (lambda d: d.update(notes="x"), "member list", "unknown keys ['notes']"),
    ],
)
def test_a_bad_record_is_named_with_its_field(
    change: Callable[[dict[str, Any]], Any], record: str, problem: str
) -> None:
    with pytest.raises(MemberListError) as raised:
        parse(_document(change))
    assert record in raised.value.record
    assert problem in raised.value.problem


@pytest.mark.parametrize(
    ("twin", "rule"),
    [
        ({"name": "the example watch", "type": "MEMBER", "source": "https://example.org"}, "by name"),
        (
            {"name": "EOR", "website": "open-records.example/", "type": "MEMBER", "source": "https://e.org"},
            "by website",
        ),
        ({"name": "GI-TOC", "slug": "gi-toc", "type": "MEMBER", "source": "https://example.org"}, "slug: 'gi-toc'"),
        ({"name": "Example Anti-Corruption Coalition", "type": "MEMBER", "source": "https://e.org"}, "the network"),
    ],
)
def test_an_organization_listed_twice_is_refused(twin: dict[str, Any], rule: str) -> None:
    with pytest.raises(MemberListError, match=rule) as raised:
        parse(_document(lambda d: d["members"].append(twin)))
    assert "members[4]" in raised.value.record


def test_the_same_name_in_two_countries_is_two_organizations() -> None:
    twins = [
        {"name": "Centre for Governance", "country": "KE", "type": "MEMBER", "source": "https://example.org"},
        {"name": "Centre for Governance", "country": "UG", "type": "MEMBER", "source": "https://example.org"},
    ]
    assert len(parse(_document(lambda d: d["members"].extend(twins))).members) == 6


# ------- loading lists -------


async def _snapshot() -> tuple[set[int], set[int]]:
    # Tortoise types a flat values_list as tuples; it is the values themselves.
    organizations = cast(list[int], await Organization.all().values_list("id", flat=True))
    memberships = cast(list[int], await Membership.all().values_list("id", flat=True))
    return set(organizations), set(memberships)


@asynccontextmanager
async def restored() -> AsyncIterator[None]:
    """Whatever a test loads, the database is as the data files describe it afterwards."""
    organizations, memberships = await _snapshot()
    try:
        yield
    finally:
        await Membership.exclude(id__in=memberships).delete()
        added = cast(list[int], await Organization.exclude(id__in=organizations).values_list("id", flat=True))
        await Organization.filter(id__in=added).delete()
        await reindex("Organization", added)
        await load_fixture(FIXTURE)


@asynccontextmanager
async def loaded(networks: Path, data: Path = FIXTURE) -> AsyncIterator[LoadReport]:
    """The report of loading ``data`` and the lists in ``networks``; the database is restored afterwards."""
    async with restored():
        yield await load_fixture(data, networks)


def _lists(tmp_path: Path, change: Callable[[dict[str, dict[str, Any]]], Any] | None = None) -> Path:
    """A copy of the test lists in ``tmp_path``, changed (documents by network slug)."""
    folder = tmp_path / "networks"
    shutil.copytree(LISTS, folder, dirs_exist_ok=True)
    if change:
        documents = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("*.json")}
        change(documents)
        for path in folder.glob("*.json"):
            path.unlink()
        for slug, document in documents.items():
            (folder / f"{slug}.json").write_text(json.dumps(document), encoding="utf-8")
    return folder


async def _ties(slug: str) -> set[tuple[str, str, str, str | None]]:
    """(member, network, type, origin) of every membership of the organization ``slug``, either side."""
    organization = await Organization.get(slug=slug)
    rows = [*await Membership.filter(member_id=organization.id), *await Membership.filter(network_id=organization.id)]
    slugs = dict(await Organization.all().values_list("id", "slug"))
    return {(slugs[m.member_id], slugs[m.network_id], m.type.value, m.origin) for m in rows}


async def _row_counts() -> dict[str, int]:
    return {name: await getattr(models, name).all().count() for name in models.__all__}


async def test_lists_load_once_and_a_second_load_writes_nothing(app: Any) -> None:
    async with loaded(LISTS) as report:
        assert {slug: (n.matched, n.created, n.ties.created) for slug, n in report.networks.items()} == {
            "example-coalition": (2, 2, 5),
            "example-platform": (2, 1, 4),
        }
        stamps = dict(await Organization.all().values_list("slug", "updated_at"))
        counts = await _row_counts()
        again = await load_fixture(FIXTURE, LISTS)
        assert not again.changed, str(again)
        assert {slug: (n.matched, n.created, n.ties.unchanged) for slug, n in again.networks.items()} == {
            "example-coalition": (4, 0, 5),
            "example-platform": (3, 0, 4),
        }
        assert dict(await Organization.all().values_list("slug", "updated_at")) == stamps
        assert await _row_counts() == counts
        assert "example-coalition" in str(again) and "ties unchanged" in str(again)


async def test_an_organization_two_lists_name_is_one_organization_with_two_ties(app: Any) -> None:
    async with loaded(LISTS):
        names = ["Example Open Records", "Example Watch", "The Example Watch"]
        records = await Organization.filter(name__in=names).order_by("slug")
        assert [o.slug for o in records] == ["example-open-records", "example-watch"]
        open_records, watch = records
        # The first list that states a field gives it: the platform names the acronym, the coalition the country.
        assert (open_records.acronym, open_records.country, open_records.city) == ("EOR", "ES", "Madrid")
        assert open_records.website == "https://www.open-records.example" and open_records.kind is None
        assert (watch.name, watch.country) == ("The Example Watch", "KE")
        assert await _ties("example-open-records") == {
            ("example-open-records", "example-coalition", "MEMBER", "list:example-coalition"),
            ("example-open-records", "example-platform", "LISTED", "list:example-platform"),
        }
        ti = await _ties("ti")
        assert ("ti", "example-coalition", "FOUNDING", "list:example-coalition") in ti
        assert any(network == "uncac-coalition" for _, network, _, _ in ti), "and its tie of data/unodc.json"
        # data/unodc.json's values win; a list fills what it leaves empty.
        ti_row = await Organization.get(slug="ti")
        assert (ti_row.name, ti_row.acronym, ti_row.kind) == ("Transparency International", "TI", OrganizationKind.NGO)
        assert ti_row.website == "https://www.transparency.org/en/"


async def test_a_removed_member_loses_its_tie_and_other_ties_stay(app: Any, tmp_path: Path) -> None:
    async with restored():
        await load_fixture(FIXTURE, LISTS)
        gi_toc, ti = await Organization.get(slug="gi-toc"), await Organization.get(slug="ti")
        synthetic = await Membership.create(member=gi_toc, network=ti, type=MembershipType.MEMBER, source="synthetic")
        fixture_ties = await Membership.filter(origin="fixture").count()

        def drop_the_watch(documents: dict[str, dict[str, Any]]) -> None:
            members = documents["example-coalition"]["members"]
            members[:] = [m for m in members if m["name"] != "The Example Watch"]

        report = await load_fixture(FIXTURE, _lists(tmp_path, drop_the_watch))
        coalition, platform = report.networks["example-coalition"], report.networks["example-platform"]
        assert (coalition.ties.deleted, coalition.ties.unchanged, platform.ties.unchanged) == (1, 4, 4)
        assert await _ties("example-watch") == {
            ("example-watch", "example-platform", "LISTED", "list:example-platform")
        }
        assert await Membership.filter(id=synthetic.id).exists(), "a tie no list maintains stays"
        assert await Membership.filter(origin="fixture").count() == fixture_ties


async def test_a_tie_moves_from_the_data_file_to_a_list_in_one_load(app: Any, tmp_path: Path) -> None:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["organizations"] += [
        {"slug": "moving-member", "name": "Moving Member", "kind": "NGO"},
        {"slug": "moving-network", "name": "Moving Network", "kind": "UMBRELLA_NETWORK"},
    ]
    tie = {"type": "FOUNDING", "since": "2006-08", "source": "https://example.org/founders"}
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    after.write_text(json.dumps(data), encoding="utf-8")
    data["memberships"].append({"member": "moving-member", "network": "moving-network", **tie})
    before.write_text(json.dumps(data), encoding="utf-8")
    moving = {
        "network": {"slug": "moving-network", "name": "Moving Network", "source": "https://example.org"},
        "members": [{"name": "Moving Member", "slug": "moving-member", **tie}],
    }
    lists = _lists(tmp_path, lambda documents: documents.update({"moving-network": moving}))
    async with restored():
        await load_fixture(before, lists.parent / "no-lists")
        report = await load_fixture(after, lists)
        assert report.section("memberships").deleted == 1
        assert report.networks["moving-network"].ties.created == 1
        [row] = await Membership.filter(member__slug="moving-member", network__slug="moving-network")
        assert (row.origin, row.since_edtf, row.type) == ("list:moving-network", "2006-08", MembershipType.FOUNDING)


@pytest.mark.parametrize(
    ("change", "record", "problem"),
    [
        (
            lambda d: d["example-platform"]["members"][1].update(country="XX"),
            "example-platform members[1] ('Example Watch')",
            "country: 'XX' is not an ISO 3166-1",
        ),
        (
            lambda d: d["example-platform"]["partOf"][0].update(network="no-such-network"),
            "example-platform partOf[0] ('no-such-network')",
            "no organization has the slug 'no-such-network'",
        ),
        (
            lambda d: d["example-platform"]["members"].append(
                {"name": "GI", "slug": "no-such-slug", "type": "MEMBER", "source": "https://example.org"}
            ),
            "example-platform members[3] ('GI')",
            "no organization has the slug 'no-such-slug'",
        ),
        (
            lambda d: d["example-coalition"]["members"].append(
                {"name": "Platform", "slug": "example-platform", "type": "MEMBER", "source": "https://example.org"}
            ),
            "example-platform in example-coalition",
            "tied in example-coalition.json and in example-platform.json",
        ),
        (
            lambda d: d["example-coalition"]["partOf"].append(
                {"network": "example-platform", "type": "MEMBER", "source": "https://example.org"}
            ),
            "example-",
            "memberships form a cycle",
        ),
        (
            lambda d: d.update({"misnamed": d["example-platform"]}),
            "misnamed.json",
            "must be named example-platform.json",
        ),
    ],
)
async def test_a_bad_list_names_the_record_and_changes_nothing(
    app: Any, tmp_path: Path, change: Callable[[dict[str, Any]], Any], record: str, problem: str
) -> None:
    before = await _row_counts()
    with pytest.raises(FixtureError) as raised:
        await load_fixture(FIXTURE, _lists(tmp_path, change))
    assert record in raised.value.slug, str(raised.value)
    assert problem in raised.value.problem, str(raised.value)
    assert await _row_counts() == before
    assert not await Organization.filter(slug="example-coalition").exists()


async def test_a_cycle_through_a_list_and_the_data_file_is_refused(app: Any, tmp_path: Path) -> None:
    def congo_in_a_member_of_its_member(documents: dict[str, dict[str, Any]]) -> None:
        # The data: GI-TOC belongs to the Alliance, the Alliance to CoNGO. Now CoNGO in the coalition, in GI-TOC.
        coalition = documents["example-coalition"]
        coalition["members"] = [member for member in coalition["members"] if member.get("slug") != "gi-toc"]
        coalition["members"].append({"name": "CoNGO", "slug": "congo", "type": "MEMBER", "source": "https://e.org"})
        coalition["partOf"].append({"network": "gi-toc", "type": "MEMBER", "source": "https://example.org"})

    before = await _row_counts()
    with pytest.raises(FixtureError, match="memberships form a cycle") as raised:
        await load_fixture(FIXTURE, _lists(tmp_path, congo_in_a_member_of_its_member))
    assert all(slug in raised.value.problem for slug in ("congo", "example-coalition", "gi-toc", "alliance"))
    assert await _row_counts() == before


async def test_the_import_applies_one_list_and_keeps_known_values(app: Any) -> None:
    async with restored():
        report = await apply_member_list(parse(_document()))
        assert (report.matched, report.created, report.ties.created) == (2, 2, 5)
        ti = await Organization.get(slug="ti")
        assert ti.website == "https://www.transparency.org/en/", "an empty field is filled"
        assert ti.name == "Transparency International"
        again = await apply_member_list(parse(_document(_member(0, name="Transparency International", acronym="X"))))
        assert again.ties.unchanged == 5 and not again.ties.changed
        assert (await Organization.get(slug="ti")).acronym == "TI", "a known value is kept"
        uncac = {"name": "UNCAC Coalition", "slug": "uncac-coalition", "type": "MEMBER", "source": "https://e.org"}
        cycle = _document(lambda d: d["members"].append(uncac))
        with pytest.raises(MembershipCycle):
            await apply_member_list(parse(cycle))


# ------- reading what was loaded -------

MEMBERS = """
query Members($slug: String!) {
  organization(slug: $slug) {
    members(first: 100, asOf: null) {
      totalCount
      nodes { type since { edtf } until { edtf } source member { slug name kind country { code } } }
    }
  }
}
"""


async def test_a_list_reads_back_as_the_networks_members(app: Any, gql: Any) -> None:
    async with loaded(LISTS):
        members = (await gql.data(MEMBERS, {"slug": "example-coalition"}))["organization"]["members"]
        open_records = (await gql.data(MEMBERS, {"slug": "example-platform"}))["organization"]["members"]
    assert members["totalCount"] == 5
    found = {(node["member"]["slug"], node["type"], (node["since"] or {}).get("edtf")) for node in members["nodes"]}
    assert found == {
        ("ti", "FOUNDING", "2015"),
        ("example-open-records", "MEMBER", None),
        ("example-watch", "ORDINARY", None),
        ("gi-toc", "MEMBER", None),
        ("example-platform", "AFFILIATED", None),
    }
    assert {node["member"]["slug"] for node in open_records["nodes"]} == {
        "example-open-records",
        "example-watch",
        "example-integrity-kenya",
    }
    kenya = next(node for node in open_records["nodes"] if node["member"]["slug"] == "example-watch")
    assert kenya["member"]["country"] == {"code": "KE"} and kenya["type"] == "LISTED"


async def test_a_record_that_would_name_another_organization_next_time_is_refused(app: Any, tmp_path: Path) -> None:
    """A load must match the way the next one will, from the organizations it stores."""

    def centres(documents: dict[str, dict[str, Any]], country: str | None = None) -> None:
        source = "https://example.org/centres"
        centre = {"name": "Centre X", "country": country, "type": "MEMBER", "source": source}
        documents["example-coalition"]["members"].append({k: v for k, v in centre.items() if v is not None})
        documents["example-platform"]["members"] += [
            {"name": "Centre X", "country": "UG", "type": "LISTED", "source": source},
            {"name": "Centre X", "country": "KE", "type": "LISTED", "source": f"{source}/ke"},
        ]

    before = await _row_counts()
    with pytest.raises(FixtureError) as raised:
        await load_fixture(FIXTURE, _lists(tmp_path / "ambiguous", centres))
    assert "example-coalition members[4] ('Centre X')" in raised.value.slug
    assert "could be any of 'centre-x' (Centre X, UG), 'centre-x-2' (Centre X, KE)" in raised.value.problem
    assert await _row_counts() == before

    lists = _lists(tmp_path / "with-country", lambda documents: centres(documents, "KE"))
    async with loaded(lists) as first:
        assert (first.networks["example-platform"].matched, first.networks["example-platform"].created) == (3, 2)
        countries = dict(await Organization.filter(name="Centre X").values_list("slug", "country"))
        assert countries == {"centre-x": "KE", "centre-x-2": "UG"}
        again = await load_fixture(FIXTURE, lists)
        assert not again.changed, str(again)


DATA_LISTS = FIXTURE.parent / "networks"


def _ties_in_the_files(network: str) -> list[tuple[str, str | None, str]]:
    """(type, since, source) of every tie to ``network`` that data/unodc.json and data/networks state."""
    ties = [
        (tie["type"], tie.get("since"), tie["source"])
        for tie in json.loads(FIXTURE.read_text(encoding="utf-8")).get("memberships", [])
        if tie["network"] == network
    ]
    for path in sorted(DATA_LISTS.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        records = document.get("members", []) if path.stem == network else []
        records += [tie for tie in document.get("partOf", []) if tie["network"] == network]
        ties.extend((record["type"], record.get("since"), record["source"]) for record in records)
    return sorted(ties, key=str)


@pytest.mark.parametrize("network", ["uncac-coalition", "congo", "alliance", "vngoc"])
async def test_a_network_lists_the_members_its_files_name(gql: Any, network: str) -> None:
    members = (await gql.data(MEMBERS, {"slug": network}))["organization"]["members"]
    expected = _ties_in_the_files(network)
    assert members["totalCount"] == len(expected) == len(members["nodes"])
    found = [(node["type"], (node["since"] or {}).get("edtf"), node["source"]) for node in members["nodes"]]
    assert sorted(found, key=str) == expected
