"""The audit log: who changed what, when, and the changed fields before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from resolvers import audit as resolve
from resolvers.arguments import AfterArg, FirstArg
from schema.enums import Role
from schema.pagination import Connection


@strawberry.type(description="One write: who made it, when, what it was, and the changed fields before and after.")
class AuditEntry:
    @strawberry.field(description="Number of the entry; later entries have larger numbers.")
    def number(self, root: strawberry.Parent[resolve.AuditRow]) -> int:
        return root.entry.id

    @strawberry.field(description="When the change was made.")
    def at(self, root: strawberry.Parent[resolve.AuditRow]) -> datetime:
        return root.entry.at

    @strawberry.field(description="The mutation, import or command, e.g. `officeUpdate`, `keys create`.")
    def operation(self, root: strawberry.Parent[resolve.AuditRow]) -> str:
        return root.entry.operation

    @strawberry.field(description="Kind of the changed object, e.g. `Office`, `FocalPoint`, `ApiKey`.")
    def object_type(self, root: strawberry.Parent[resolve.AuditRow]) -> str:
        return root.entry.object_type

    @strawberry.field(description="Global ID of the changed object; null for kinds without one (API keys, ties).")
    def object_id(self, root: strawberry.Parent[resolve.AuditRow]) -> strawberry.ID | None:
        value = resolve.object_id_of(root)
        return strawberry.ID(value) if value is not None else None

    @strawberry.field(description="Primary key of the changed object, e.g. the key id `manage.py keys list` shows.")
    def object_number(self, root: strawberry.Parent[resolve.AuditRow]) -> int | None:
        return root.entry.object_id

    @strawberry.field(description="Id of the API key that made the change; null for the command line.")
    def key_id(self, root: strawberry.Parent[resolve.AuditRow]) -> int | None:
        return root.entry.key_id

    @strawberry.field(description="Role of the writer (a command-line write is ADMIN without a key).")
    def role(self, root: strawberry.Parent[resolve.AuditRow]) -> Role:
        return Role(root.entry.role)

    @strawberry.field(description="Who wrote: the key's name, or the command line.")
    def actor(self, root: strawberry.Parent[resolve.AuditRow]) -> str:
        return root.entry.actor

    @strawberry.field(description="Whether `before` and `after` hold personal data (a focal point, a justification).")
    def personal(self, root: strawberry.Parent[resolve.AuditRow]) -> bool:
        return root.entry.personal

    @strawberry.field(
        description=(
            "The changed fields before the change (model field names; null for a creation). Personal data: null, with "
            "a FORBIDDEN error, unless the reader may read the personal data of the organization it belongs to."
        )
    )
    def before(self, root: strawberry.Parent[resolve.AuditRow], info: strawberry.Info) -> JSON | None:
        return resolve.values_of(root, info, "before")

    @strawberry.field(
        description="The changed fields after the change (null for a deletion); personal data as for `before`."
    )
    def after(self, root: strawberry.Parent[resolve.AuditRow], info: strawberry.Info) -> JSON | None:
        return resolve.values_of(root, info, "after")


@strawberry.input(description="Conditions an audit entry must meet; omitted ones are left out.")
class AuditLogFilter:
    object: strawberry.ID | None = strawberry.field(
        default=None, description="Global ID of an entity or record (an office, an event, a focal point...): its entries."
    )
    object_type: str | None = strawberry.field(default=None, description="Kind of the changed objects, e.g. `Office`, `ApiKey`.")
    key: int | None = strawberry.field(default=None, description="Id of the API key that made the changes.")
    operation: str | None = strawberry.field(default=None, description="The operation, e.g. `eventUpdate`, `keys revoke`.")
    role: Role | None = strawberry.field(default=None, description="Role of the writer.")
    since: datetime | None = strawberry.field(default=None, description="Entries at or after this instant (with a UTC offset).")
    until: datetime | None = strawberry.field(default=None, description="Entries before this instant (with a UTC offset).")


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description=(
            "Every write, newest first: for UNODC staff and administrators (anyone else: null with a FORBIDDEN error). "
            "Personal data in entries follows the rules of personal data everywhere."
        )
    )
    async def audit_log(
        self,
        info: strawberry.Info,
        filter: Annotated[AuditLogFilter | None, strawberry.argument(description="Conditions the entries must meet.")] = None,
        first: FirstArg = None,
        after: AfterArg = None,
    ) -> Connection[AuditEntry] | None:
        return Connection(page=await resolve.audit_log(info, filter, first, after))
