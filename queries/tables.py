"""What the read statements need to know of each table: its columns and which of them point at organizations.

Derived from the Tortoise models, so a column added to a model is known here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from tortoise.models import Model

import models


@dataclass(frozen=True, eq=False)
class Table:
    """A table the directory reads."""

    model: type[Model]
    organization_columns: tuple[str, ...] = ()
    """Columns holding the id of an organization: a row is hidden with the organization it points at."""
    personal: bool = False
    """Rows are personal data (``domain.access``: only some viewers may read them)."""

    @property
    def name(self) -> str:
        return str(self.model._meta.db_table)

    @cached_property
    def archivable(self) -> bool:
        """Rows may be archived (``archived_at``): archived rows leave public reads."""
        return "archived_at" in self.columns

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """Every column, in the model's order."""
        return tuple(self.model._meta.db_fields)

    def instance(self, row: Any) -> Any:
        """A model instance of a row holding every column (for the resolvers, which read attributes)."""
        return self.model._init_from_db(**{column: row[column] for column in self.columns})


ORGANIZATION = Table(models.Organization)
OFFICE = Table(models.Office)
GOVERNING_BODY = Table(models.GoverningBody)
INSTRUMENT = Table(models.Instrument)
PROGRAMME = Table(models.Programme)
EVENT = Table(models.Event)
APPLICATION_CALL = Table(models.ApplicationCall)
THEMATIC_AREA = Table(models.ThematicArea)

MEMBERSHIP = Table(models.Membership, organization_columns=("member_id", "network_id"))
PARTNERSHIP = Table(models.Partnership, organization_columns=("partner_organization_id",))
EVENT_ORGANIZER = Table(models.EventOrganizer, organization_columns=("organization_id",))
PARTICIPATION = Table(models.Participation, organization_columns=("organization_id",))
FOCAL_POINT = Table(models.FocalPoint, organization_columns=("organization_id",), personal=True)
ORGANIZATION_LANGUAGE = Table(models.OrganizationLanguage)
ORGANIZATION_THEMATIC_AREA = Table(models.OrganizationThematicArea)
ORGANIZATION_NAME = Table(models.OrganizationName)
OFFICE_NAME = Table(models.OfficeName)
OFFICE_LOCATION = Table(models.OfficeLocation)
EVENT_DATE = Table(models.EventDate)
EVENT_LANGUAGE = Table(models.EventLanguage)
