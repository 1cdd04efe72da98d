"""Fields every directory entity shares."""

from tortoise import fields
from tortoise.models import Model

from models.validators import validate_slug, validate_string_list


class Entity(Model):
    """An entity the directory publishes: it has a slug, a name and provenance."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=100, unique=True, validators=[validate_slug], description="Stable, URL-safe identifier")
    name = fields.CharField(max_length=255, description="Current official name")
    acronym = fields.CharField(max_length=40, null=True, description="Short name, e.g. CND")
    aliases = fields.JSONField(default=list, validators=[validate_string_list], description="Other names found in sources")
    description = fields.TextField(null=True)
    source = fields.CharField(max_length=500, null=True, description="Where the facts come from (URL or citation)")
    verified = fields.BooleanField(default=False, description="Whether the facts were checked against the source")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        abstract = True
