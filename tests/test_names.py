"""Names answer for a day: the former name in use then, else the current one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import models
from tests.factories import scratch


async def test_an_organization_answers_with_the_name_of_the_day(gql: Any) -> None:
    async with scratch("renamed") as rows:
        organization = await rows.organization("now")
        await models.OrganizationName.create(
            organization=organization, name="Old Name", valid_from=dt.date(2001, 1, 1), valid_to=dt.date(2010, 6, 30)
        )
        query = """query($slug: String!) { organization(slug: $slug) {
                     name before: name(asOf: "2000-12-31") during: name(asOf: "2010-06-30") after: name(asOf: "2010-07-01")
                   } }"""
        first = await gql(query, {"slug": organization.slug})
        plain = await gql('query($slug: String!) { organization(slug: $slug) { name } }', {"slug": organization.slug})
    assert first["data"]["organization"] == {
        "name": "renamed now",
        "before": "renamed now",
        "during": "Old Name",
        "after": "renamed now",
    }
    assert plain["extensions"]["stats"]["sqlStatements"] == 1, "the current name costs no extra query"
