"""Governing bodies, the legal instruments they serve, and UNODC programmes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint

from models.base import Entity, partial_date_checks, partial_date_fields
from models.enums import GoverningBodyKind, InstrumentKind, NgoAdmissionRule

if TYPE_CHECKING:
    from models.office import Office


class Instrument(Entity):
    """A convention or protocol. A protocol has a parent convention."""

    kind = fields.CharEnumField(InstrumentKind, max_length=20)
    parent: fields.ForeignKeyNullableRelation[Instrument] = fields.ForeignKeyField("models.Instrument", related_name="protocols", null=True, on_delete=fields.RESTRICT)
    parent_id: int | None
    adopted_edtf, adopted_earliest, adopted_latest = partial_date_fields("adoption")
    in_force_edtf, in_force_earliest, in_force_latest = partial_date_fields("entry into force")

    class Meta:
        table = "instrument"
        indexes = (("parent_id",), ("name", "id"))
        constraints = (
            *partial_date_checks("instrument", "adopted", "in_force"),
            CheckConstraint(
                check="adopted_earliest IS NULL OR in_force_latest IS NULL OR adopted_earliest <= in_force_latest",
                name="instrument_date_order",
            ),
        )


class GoverningBody(Entity):
    """An intergovernmental body such as the CND or the Conference of the States Parties to UNCAC."""

    kind = fields.CharEnumField(GoverningBodyKind, max_length=30)
    parent: fields.ForeignKeyNullableRelation[GoverningBody] = fields.ForeignKeyField("models.GoverningBody", related_name="subsidiary_bodies", null=True, on_delete=fields.RESTRICT)
    parent_id: int | None
    secretariat: fields.ForeignKeyNullableRelation[Office] = fields.ForeignKeyField("models.Office", related_name="secretariat_of", null=True, on_delete=fields.SET_NULL)
    secretariat_id: int | None
    instrument: fields.ForeignKeyNullableRelation[Instrument] = fields.ForeignKeyField("models.Instrument", related_name="governing_bodies", null=True, on_delete=fields.SET_NULL)
    instrument_id: int | None
    ngo_admission_rule = fields.CharEnumField(NgoAdmissionRule, max_length=20, null=True)
    established_by = fields.CharField(max_length=200, null=True, description="Resolution that created the body")

    class Meta:
        table = "governing_body"
        indexes = (("parent_id",), ("secretariat_id",), ("instrument_id",), ("name", "id"))


class Programme(Entity):
    """A UNODC programme or project, e.g. SE4U or GLOU68."""

    code = fields.CharField(max_length=40, null=True, unique=True, description="UNODC project code")
    office: fields.ForeignKeyNullableRelation[Office] = fields.ForeignKeyField("models.Office", related_name="programmes", null=True, on_delete=fields.SET_NULL)
    office_id: int | None
    started_edtf, started_earliest, started_latest = partial_date_fields("start of the programme")
    website = fields.CharField(max_length=300, null=True)

    class Meta:
        table = "programme"
        indexes = (("office_id",), ("name", "id"))
        constraints = partial_date_checks("programme", "started")
