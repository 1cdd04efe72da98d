"""Former names of offices and organizations, with the days they were in use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import partial_date_checks, partial_date_fields, period_order_check

if TYPE_CHECKING:
    from models.office import Office
    from models.organization import Organization


class NamePeriod(Model):
    """A name an entity went by from ``valid_from`` to ``valid_to`` (inclusive; see ``models.dates``)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=255)
    valid_from_edtf, valid_from_earliest, valid_from_latest = partial_date_fields("first use of the name")
    valid_to_edtf, valid_to_earliest, valid_to_latest = partial_date_fields("last use of the name")
    source = fields.CharField(max_length=500, null=True)

    class Meta:
        abstract = True


class OfficeName(NamePeriod):
    """A former name of a UNODC office."""

    office: fields.ForeignKeyRelation[Office] = fields.ForeignKeyField("models.Office", related_name="former_names", on_delete=fields.CASCADE)
    office_id: int

    class Meta:
        table = "office_name"
        indexes = (("office_id", "valid_from_earliest"),)
        constraints = (
            *partial_date_checks("office_name", "valid_from", "valid_to"),
            period_order_check("office_name", "valid_from", "valid_to"),
        )


class OrganizationName(NamePeriod):
    """A former name of an organization."""

    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField("models.Organization", related_name="former_names", on_delete=fields.CASCADE)
    organization_id: int

    class Meta:
        table = "organization_name"
        indexes = (("organization_id", "valid_from_earliest"),)
        constraints = (
            *partial_date_checks("organization_name", "valid_from", "valid_to"),
            period_order_check("organization_name", "valid_from", "valid_to"),
        )
