"""Names answer for a day: the former name in use then, the current one after it, uncertain in between."""

from __future__ import annotations

from typing import Any

import models
from models.dates import partial_date_columns
from tests.factories import scratch

DATED = """query($slug: String!) { organization(slug: $slug) {
  name
  before: datedName(asOf: "2000-12-31") { name certainty candidates }
  during: datedName(asOf: "2010-06-30") { name certainty candidates }
  renaming: datedName(asOf: "2011-05-01") { name certainty candidates }
  after: datedName(asOf: "2012-01-01") { name certainty candidates }
} }"""


async def test_an_organization_answers_with_the_name_of_the_day(gql: Any) -> None:
    async with scratch("renamed") as rows:
        organization = await rows.organization("now")
        await models.OrganizationName.create(
            organization=organization,
            name="Old Name",
            **partial_date_columns("valid_from", "2001-01-01"),
            **partial_date_columns("valid_to", "2011"),
        )
        first = await gql(DATED, {"slug": organization.slug})
        plain = await gql('query($slug: String!) { organization(slug: $slug) { name } }', {"slug": organization.slug})
    answer = first["data"]["organization"]
    assert answer["name"] == "renamed now"
    assert answer["before"] == {"name": None, "certainty": "UNCERTAIN", "candidates": []}, "no name is known before 2001"
    assert answer["during"] == {"name": "Old Name", "certainty": "CERTAIN", "candidates": ["Old Name"]}
    assert answer["renaming"] == {
        "name": None,
        "certainty": "UNCERTAIN",
        "candidates": ["Old Name", "renamed now"],
    }, "renamed some day of 2011: both names are possible then"
    assert answer["after"] == {"name": "renamed now", "certainty": "CERTAIN", "candidates": ["renamed now"]}
    assert plain["extensions"]["stats"]["sqlStatements"] == 1, "the current name costs no extra query"


async def test_the_research_branch_went_by_its_2023_name_in_early_2023(gql: Any) -> None:
    data = await gql.data(
        """{ office(slug: "rab") {
               name aliases
               jan2023: datedName(asOf: "2023-01-24") { name certainty }
               mar2023: datedName(asOf: "2023-03-01") { name certainty candidates }
               today: datedName { name certainty }
               formerNames { name validTo { edtf precision earliest latest } }
           } }"""
    )
    rab = data["office"]
    assert rab["name"] == "Research and Analysis Branch"
    assert rab["jan2023"] == {"name": "Research and Trend Analysis Branch", "certainty": "CERTAIN"}
    assert rab["mar2023"] == {
        "name": None,
        "certainty": "UNCERTAIN",
        "candidates": ["Research and Trend Analysis Branch", "Research and Analysis Branch"],
    }, "the sources date the rename only between 24 January 2023 and 10 March 2025"
    assert rab["today"] == {"name": "Research and Analysis Branch", "certainty": "CERTAIN"}
    assert rab["formerNames"] == [
        {
            "name": "Research and Trend Analysis Branch",
            "validTo": {"edtf": "[2023-01-24..2025-03-09]", "precision": "DAY", "earliest": "2023-01-24", "latest": "2025-03-09"},
        }
    ]


async def test_the_civil_society_unit_was_the_civil_society_team_until_2020(gql: Any) -> None:
    data = await gql.data(
        """{ office(slug: "csu") {
               in2018: datedName(asOf: "2018-06-01") { name certainty }
               summer2020: datedName(asOf: "2020-09-01") { certainty candidates }
               in2021: datedName(asOf: "2021-01-01") { name certainty }
           } }"""
    )
    csu = data["office"]
    assert csu["in2018"] == {"name": "Civil Society Team", "certainty": "CERTAIN"}
    assert csu["summer2020"] == {"certainty": "UNCERTAIN", "candidates": ["Civil Society Team", "Civil Society Unit"]}
    assert csu["in2021"] == {"name": "Civil Society Unit", "certainty": "CERTAIN"}


async def test_a_name_answers_for_one_day_and_refuses_null(gql: Any) -> None:
    body = await gql('{ office(slug: "csu") { datedName(asOf: null) { name } } }', errors=True)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "answers for one day" in error["message"]


async def test_unodc_was_the_office_for_drug_control_and_crime_prevention_until_2002(gql: Any) -> None:
    data = await gql.data(
        """{ office(slug: "unodc") {
               in2000: datedName(asOf: "2000-01-01") { name certainty }
               in2002: datedName(asOf: "2002-06-01") { certainty candidates }
               in2003: datedName(asOf: "2003-01-01") { name certainty }
           } }"""
    )
    unodc = data["office"]
    assert unodc["in2000"] == {"name": "Office for Drug Control and Crime Prevention", "certainty": "CERTAIN"}
    assert unodc["in2002"] == {
        "certainty": "UNCERTAIN",
        "candidates": ["Office for Drug Control and Crime Prevention", "United Nations Office on Drugs and Crime"],
    }
    assert unodc["in2003"] == {"name": "United Nations Office on Drugs and Crime", "certainty": "CERTAIN"}
