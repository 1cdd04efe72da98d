"""Who writes: API keys and the audit log of every change."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.enums import KeyRole
from models.organization import Organization


class ApiKey(Model):
    """A credential sent as ``Authorization: Bearer <key>``, of which only a keyed hash is stored."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200, description="Who or what uses the key, e.g. 'UNCAC Coalition secretariat'")
    role = fields.CharEnumField(KeyRole, max_length=20)
    network: fields.ForeignKeyNullableRelation[Organization] = fields.ForeignKeyField(
        "models.Organization",
        related_name="api_keys",
        null=True,
        on_delete=fields.RESTRICT,
        description="For a COALITION key: the network it speaks for",
    )
    network_id: int | None
    digest = fields.CharField(max_length=64, unique=True, description="HMAC-SHA-256 of the key, hex")
    prefix = fields.CharField(max_length=16, description="The key's first characters, to recognise it in lists")
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_key"


class AuditEntry(Model):
    """One write: who made it, when, what it was, and the changed fields before and after."""

    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True)
    key: fields.ForeignKeyNullableRelation[ApiKey] = fields.ForeignKeyField(
        "models.ApiKey", related_name="audit_entries", null=True, on_delete=fields.RESTRICT
    )
    key_id: int | None
    role = fields.CharField(max_length=20, description="The writer's role (a command-line write is ADMIN with no key)")
    actor = fields.CharField(max_length=200, description="The key's name, or the command that wrote")
    operation = fields.CharField(max_length=100, description="The mutation, import or command, e.g. organizationUpdate")
    object_type = fields.CharField(max_length=40)
    object_id = fields.IntField(null=True)
    before: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True, description="The changed fields before, null for a creation")
    after: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True, description="The changed fields after, null for a deletion")
    personal = fields.BooleanField(default=False, description="Whether before/after hold personal data")

    class Meta:
        table = "audit_entry"
        indexes = (("object_type", "object_id", "id"), ("at", "id"))
