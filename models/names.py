"""Former names of offices and organizations, with the days they were in use."""

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model


class NamePeriod(Model):
    """A name an entity went by from ``valid_from`` to ``valid_to`` (inclusive, null = open)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=255)
    valid_from = fields.DateField(null=True)
    valid_to = fields.DateField(null=True)
    source = fields.CharField(max_length=500, null=True)

    class Meta:
        abstract = True


class OfficeName(NamePeriod):
    """A former name of a UNODC office."""

    office = fields.ForeignKeyField("models.Office", related_name="former_names", on_delete=fields.CASCADE)

    class Meta:
        table = "office_name"
        indexes = (("office_id", "valid_from"),)
        constraints = (
            CheckConstraint(check="valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to", name="office_name_date_order"),
        )


class OrganizationName(NamePeriod):
    """A former name of an organization."""

    organization = fields.ForeignKeyField("models.Organization", related_name="former_names", on_delete=fields.CASCADE)

    class Meta:
        table = "organization_name"
        indexes = (("organization_id", "valid_from"),)
        constraints = (
            CheckConstraint(
                check="valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to", name="organization_name_date_order"
            ),
        )
