"""Civil society organizations, the networks they form and their focal points."""

from __future__ import annotations

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint, UniqueConstraint
from tortoise.models import Model

from models.base import ORIGIN_DESCRIPTION, Entity, partial_date_checks, partial_date_fields, period_order_check
from models.enums import EcosocStatus, Language, MembershipType, OrganizationKind
from models.validators import validate_country_code


class Organization(Entity):
    """A civil society organization, network of organizations, or intergovernmental partner."""

    kind = fields.CharEnumField(OrganizationKind, max_length=40, null=True, description="Null when no source says")
    country = fields.CharField(max_length=2, null=True, validators=[validate_country_code], description="ISO 3166-1 alpha-2 code of the headquarters")
    city = fields.CharField(max_length=120, null=True)
    website = fields.CharField(max_length=300, null=True)
    founded_edtf, founded_earliest, founded_latest = partial_date_fields("founding")
    ecosoc_status = fields.CharEnumField(EcosocStatus, max_length=10, null=True, description="Null when unknown")
    ecosoc_since = fields.IntField(null=True, description="Year the current ECOSOC status was granted")
    hidden = fields.BooleanField(default=False, description="Withheld from public views (e.g. reprisal risk)")

    class Meta:
        table = "organization"
        indexes = (
            ("kind",),
            ("country",),
            ("name", "id"),
            ("kind", "name", "id"),
            ("country", "name", "id"),
            ("ecosoc_status", "name", "id"),
            ("founded_earliest", "name", "id"),
        )
        constraints = (
            *partial_date_checks("organization", "founded"),
            CheckConstraint(check="ecosoc_since IS NULL OR ecosoc_since BETWEEN 1946 AND 2100", name="organization_ecosoc_since_range"),
        )


class ThematicArea(Model):
    """A subject organizations work on, e.g. corruption or drug prevention."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=100, unique=True)
    name = fields.CharField(max_length=200)

    class Meta:
        table = "thematic_area"


class OrganizationThematicArea(Model):
    """Link between an organization and a thematic area it works on."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField("models.Organization", related_name="thematic_area_links", on_delete=fields.CASCADE)
    organization_id: int
    thematic_area: fields.ForeignKeyRelation[ThematicArea] = fields.ForeignKeyField("models.ThematicArea", related_name="organization_links", on_delete=fields.CASCADE)
    thematic_area_id: int

    class Meta:
        table = "organization_thematic_area"
        constraints = (UniqueConstraint(fields=("organization_id", "thematic_area_id"), name="organization_thematic_area_unique"),)
        indexes = (("thematic_area_id", "organization_id"),)


class OrganizationLanguage(Model):
    """A working language of an organization."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField("models.Organization", related_name="language_links", on_delete=fields.CASCADE)
    organization_id: int
    language = fields.CharEnumField(Language, max_length=2)

    class Meta:
        table = "organization_language"
        constraints = (UniqueConstraint(fields=("organization_id", "language"), name="organization_language_unique"),)
        indexes = (("language", "organization_id"),)


class Membership(Model):
    """An organization belonging to a network (itself an organization) for a period."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField("models.Organization", related_name="memberships", on_delete=fields.CASCADE)
    member_id: int
    network: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField("models.Organization", related_name="member_links", on_delete=fields.CASCADE)
    network_id: int
    type = fields.CharEnumField(MembershipType, max_length=20, default=MembershipType.ORDINARY)
    since_edtf, since_earliest, since_latest = partial_date_fields("start of membership")
    until_edtf, until_earliest, until_latest = partial_date_fields("end of membership")
    source = fields.CharField(max_length=500, null=True)
    origin = fields.CharField(max_length=120, null=True, description=ORIGIN_DESCRIPTION)

    class Meta:
        table = "membership"
        constraints = (
            CheckConstraint(check="member_id <> network_id", name="membership_not_self"),
            *partial_date_checks("membership", "since", "until"),
            period_order_check("membership", "since", "until"),
            UniqueConstraint(fields=("member_id", "network_id", "since_edtf"), name="membership_unique_period"),
        )
        # A page of members (or of networks) is an index scan in id order that stops at the page's end.
        indexes = (("network_id", "id"), ("member_id", "id"))


class FocalPoint(Model):
    """A person who speaks for an organization. Personal data: never public."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField("models.Organization", related_name="focal_points", on_delete=fields.CASCADE)
    organization_id: int
    name = fields.CharField(max_length=200)
    title = fields.CharField(max_length=200, null=True)
    email = fields.CharField(max_length=254, null=True)
    phone = fields.CharField(max_length=50, null=True)
    version = fields.IntField(default=1, db_default=1, description="Raised by every update: a write names the version it read")
    archived_at = fields.DatetimeField(null=True, description="When it was archived (archived rows leave every read but staff's)")

    class Meta:
        table = "focal_point"
