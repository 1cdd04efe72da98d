"""Fields every directory entity shares."""

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from models.validators import validate_slug, validate_string_list

FIXTURE_ORIGIN = "fixture"
"""``origin`` of the ties ``data/unodc.json`` lists."""

ORIGIN_DESCRIPTION = (
    "Which list maintains the row: 'list:<network slug>' for a network's member list, 'fixture' for "
    "data/unodc.json, null for rows added otherwise (synthetic data, API writes)"
)
"""Meaning of the ``origin`` column of memberships and partnerships."""


def list_origin(network_slug: str) -> str:
    """``origin`` of the ties a network's member list maintains: ``list:<network slug>``."""
    return f"list:{network_slug}"


class Entity(Model):
    """An entity the directory publishes: it has a slug, a name and provenance."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=100, unique=True, validators=[validate_slug], description="Stable, URL-safe identifier")
    name = fields.CharField(max_length=255, description="Current official name")
    acronym = fields.CharField(max_length=40, null=True, description="Short name, e.g. CND")
    aliases: fields.JSONField[list[str]] = fields.JSONField(default=list, validators=[validate_string_list], description="Other names found in sources")
    description = fields.TextField(null=True)
    source = fields.CharField(max_length=500, null=True, description="Where the facts come from (URL or citation)")
    verified = fields.BooleanField(default=False, description="Whether the facts were checked against the source")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    version = fields.IntField(default=1, db_default=1, description="Raised by every update: a write names the version it read")
    archived_at = fields.DatetimeField(null=True, description="When it was archived (archived entities leave public reads)")

    class Meta:
        abstract = True


def partial_date_fields(what: str) -> tuple[fields.CharField, fields.DateField, fields.DateField]:
    """The three columns of a date as precise as its source (see ``models.dates``): its EDTF text,
    and the earliest and latest day it can be. Declare them as ``x_edtf, x_earliest, x_latest = ...``.
    """
    return (
        fields.CharField(max_length=40, null=True, description=f"When the {what} was, in EDTF, as precise as the source"),
        fields.DateField(null=True, description=f"Earliest day the {what} can be, null when unknown or open"),
        fields.DateField(null=True, description=f"Latest day the {what} can be, null when unknown"),
    )


def partial_date_checks(table: str, *prefixes: str) -> tuple[CheckConstraint, ...]:
    """Check constraints of column triples: a text has its last day, and the window is in order."""
    checks = []
    for prefix in prefixes:
        checks.append(
            CheckConstraint(check=f"({prefix}_edtf IS NULL) = ({prefix}_latest IS NULL)", name=f"{table}_{prefix}_known")
        )
        checks.append(
            CheckConstraint(
                check=f"{prefix}_earliest IS NULL OR {prefix}_earliest <= {prefix}_latest", name=f"{table}_{prefix}_window"
            )
        )
    return tuple(checks)


def period_order_check(table: str, start: str, end: str) -> CheckConstraint:
    """A period cannot end before the earliest day it can start."""
    return CheckConstraint(
        check=f"{start}_earliest IS NULL OR {end}_latest IS NULL OR {start}_earliest <= {end}_latest",
        name=f"{table}_period_order",
    )
