"""UNODC offices, where they are, and whom they work with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from models.base import ORIGIN_DESCRIPTION, Entity, partial_date_checks, partial_date_fields, period_order_check
from models.enums import OfficeKind, PartnershipKind
from models.validators import validate_country_code, validate_string_list

if TYPE_CHECKING:
    from models.governance import Programme
    from models.organization import Organization


class Office(Entity):
    """A UNODC division, branch, section, unit or field office."""

    kind = fields.CharEnumField(OfficeKind, max_length=30)
    parent: fields.ForeignKeyNullableRelation[Office] = fields.ForeignKeyField("models.Office", related_name="children", null=True, on_delete=fields.RESTRICT)
    parent_id: int | None
    project_codes: fields.JSONField[list[str]] = fields.JSONField(default=list, validators=[validate_string_list], description="UNODC project codes, e.g. GLOU68")
    established_edtf, established_earliest, established_latest = partial_date_fields("setting up of the office")

    class Meta:
        table = "office"
        indexes = (("parent_id",), ("kind",), ("name", "id"))
        constraints = (
            CheckConstraint(check="parent_id IS NULL OR parent_id <> id", name="office_not_own_parent"),
            *partial_date_checks("office", "established"),
        )


class OfficeLocation(Model):
    """Where an office sat during a period (valid_from and valid_to inclusive; see ``models.dates``)."""

    id = fields.IntField(primary_key=True)
    office: fields.ForeignKeyRelation[Office] = fields.ForeignKeyField("models.Office", related_name="locations", on_delete=fields.CASCADE)
    office_id: int
    city = fields.CharField(max_length=120, null=True, description="Null when the source names only the country")
    country = fields.CharField(max_length=2, validators=[validate_country_code])
    valid_from_edtf, valid_from_earliest, valid_from_latest = partial_date_fields("arrival at this place")
    valid_to_edtf, valid_to_earliest, valid_to_latest = partial_date_fields("last day at this place")
    source = fields.CharField(max_length=500, null=True)

    class Meta:
        table = "office_location"
        indexes = (("office_id", "valid_from_earliest"), ("country",))
        constraints = (
            *partial_date_checks("office_location", "valid_from", "valid_to"),
            period_order_check("office_location", "valid_from", "valid_to"),
        )


class Partnership(Model):
    """A UNODC office working with an organization or with another office."""

    id = fields.IntField(primary_key=True)
    office: fields.ForeignKeyRelation[Office] = fields.ForeignKeyField("models.Office", related_name="partnerships", on_delete=fields.CASCADE)
    office_id: int
    partner_organization: fields.ForeignKeyNullableRelation[Organization] = fields.ForeignKeyField("models.Organization", related_name="partnerships", null=True, on_delete=fields.CASCADE)
    partner_organization_id: int | None
    partner_office: fields.ForeignKeyNullableRelation[Office] = fields.ForeignKeyField("models.Office", related_name="partnered_by", null=True, on_delete=fields.CASCADE)
    partner_office_id: int | None
    programme: fields.ForeignKeyNullableRelation[Programme] = fields.ForeignKeyField("models.Programme", related_name="partnerships", null=True, on_delete=fields.SET_NULL)
    programme_id: int | None
    kind = fields.CharEnumField(PartnershipKind, max_length=30, default=PartnershipKind.COLLABORATION)
    basis = fields.CharField(max_length=300, null=True, description="Instrument the partnership rests on, e.g. an MoU")
    since_edtf, since_earliest, since_latest = partial_date_fields("start of the partnership")
    until_edtf, until_earliest, until_latest = partial_date_fields("end of the partnership")
    source = fields.CharField(max_length=500, null=True)
    origin = fields.CharField(max_length=120, null=True, description=ORIGIN_DESCRIPTION)

    class Meta:
        table = "partnership"
        indexes = (("office_id", "id"), ("partner_organization_id", "id"), ("partner_office_id", "id"), ("programme_id", "id"))
        constraints = (
            *partial_date_checks("partnership", "since", "until"),
            period_order_check("partnership", "since", "until"),
            CheckConstraint(
                check="(partner_organization_id IS NULL) <> (partner_office_id IS NULL)",
                name="partnership_one_partner",
            ),
            CheckConstraint(check="partner_office_id IS NULL OR partner_office_id <> office_id", name="partnership_not_self"),
        )
