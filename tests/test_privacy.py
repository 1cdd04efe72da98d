"""Personal data and hidden organizations stay out of public answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import models
from tests.factories import global_id, scratch


async def test_focal_points_are_null_and_forbidden_for_public_callers(gql: Any) -> None:
    async with scratch("privacy") as rows:
        organization = await rows.organization("with-contact")
        await models.FocalPoint.create(organization=organization, name="A Person", email="person@example.org", phone="+43 1")
        body = await gql(
            "query($slug: String!) { organization(slug: $slug) { name focalPoints { nodes { name email phone } } } }",
            {"slug": organization.slug},
            errors=True,
        )
    assert body["data"]["organization"] == {"name": "privacy with-contact", "focalPoints": None}
    assert [(error["path"], error["extensions"]["code"]) for error in body["errors"]] == [
        (["organization", "focalPoints"], "FORBIDDEN")
    ]
    assert "person@example.org" not in str(body)


async def test_hidden_organizations_are_absent_everywhere(gql: Any) -> None:
    async with scratch("hidden") as rows:
        network = await rows.organization("network")
        secret = await rows.organization("at-risk", hidden=True)
        await rows.membership(secret, network)
        data = await gql.data(
            """query($slug: String!, $secret: String!, $id: ID!) {
                 organization(slug: $slug) { members { nodes { member { slug } } } }
                 hidden: organization(slug: $secret) { slug }
                 node(id: $id) { id }
                 organizations(first: 100) { nodes { slug } }
               }""",
            {"slug": network.slug, "secret": secret.slug, "id": global_id("Organization", secret.id)},
        )
    assert data["organization"] == {"members": {"nodes": []}}
    assert data["hidden"] is None
    assert data["node"] is None
    assert secret.slug not in {n["slug"] for n in data["organizations"]["nodes"]}


async def test_filters_do_not_reveal_what_hidden_organizations_are_linked_to(gql: Any) -> None:
    async with scratch("probe") as rows:
        secret_network = await rows.organization("secret-network", hidden=True)
        member = await rows.organization("visible-member")
        await rows.membership(member, secret_network)
        secret_organizer = await rows.organization("secret-organizer", hidden=True)
        event = await rows.event("probe-event", dt.date(2030, 1, 1))
        await models.EventOrganizer.create(event=event, organization=secret_organizer)
        data = await gql.data(
            """query($network: String!, $organizer: String!) {
                 direct: organizations(filter: { memberOf: { network: $network } }) { nodes { slug } }
                 deep: organizations(filter: { memberOf: { network: $network, depth: null } }) { nodes { slug } }
                 events(filter: { organizer: $organizer }) { nodes { slug } }
               }""",
            {"network": secret_network.slug, "organizer": secret_organizer.slug},
        )
    assert data == {"direct": {"nodes": []}, "deep": {"nodes": []}, "events": {"nodes": []}}
