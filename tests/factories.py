"""Small, explicit builders of rows for tests that need more than the fixture data.

Every builder records what it creates in a ``Scratch`` so the test can remove
it again, leaving the database as the fixture file describes it.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import models
from models.dates import partial_date_columns
from models.enums import EventKind, OrganizationKind


def _edtf(value: str | dt.date | None) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


@dataclass
class Scratch:
    """Rows a test created, deleted in reverse order when the test ends."""

    prefix: str
    rows: list[Any] = field(default_factory=list)

    async def organization(self, name: str, founded: str | None = None, **values: Any) -> models.Organization:
        """An organization; ``founded`` is EDTF text ("1990", "2006-08")."""
        values.setdefault("kind", OrganizationKind.NGO)
        values.update(partial_date_columns("founded", founded))
        slug = f"{self.prefix}-{name}".lower().replace(" ", "-")
        return await self._keep(models.Organization.create(slug=slug, name=f"{self.prefix} {name}", **values))

    async def membership(
        self,
        member: models.Organization,
        network: models.Organization,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        **values: Any,
    ) -> models.Membership:
        """A membership; ``since``/``until`` are EDTF text ("2011", "2006-08") or days."""
        dated = {**partial_date_columns("since", _edtf(since)), **partial_date_columns("until", _edtf(until))}
        return await self._keep(models.Membership.create(member=member, network=network, **dated, **values))

    async def event(self, name: str, day: dt.date, **values: Any) -> models.Event:
        values.setdefault("kind", EventKind.WORKSHOP)
        slug = f"{self.prefix}-{name}".lower().replace(" ", "-")
        event = await self._keep(models.Event.create(slug=slug, name=name, first_date=day, **values))
        await models.EventDate.create(event=event, start_date=day, end_date=day)
        return event

    async def _keep(self, creation: Any) -> Any:
        row = await creation
        self.rows.append(row)
        return row

    async def delete(self) -> None:
        for row in reversed(self.rows):
            await row.delete()


@asynccontextmanager
async def scratch(prefix: str) -> AsyncIterator[Scratch]:
    """Rows for one test, removed afterwards even when the test fails."""
    rows = Scratch(prefix)
    try:
        yield rows
    finally:
        await rows.delete()


def unpaged(value: Any) -> Any:
    """An answer with every connection selected as ``{ nodes { ... } }`` read as the plain list of its nodes."""
    if isinstance(value, dict):
        if set(value) == {"nodes"} and isinstance(value["nodes"], list):
            return [unpaged(item) for item in value["nodes"]]
        return {key: unpaged(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unpaged(item) for item in value]
    return value
