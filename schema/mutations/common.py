"""What every mutation shares: ``UserError`` and its codes, and reading a write's result into a payload."""

from __future__ import annotations

from typing import Any

import strawberry

from domain import user_errors
from domain.ids import parse_global_id

UserErrorCode = strawberry.enum(
    user_errors.UserErrorCode,
    description="Why a write was refused; stable, so programs can branch on it.",
)


@strawberry.type(description="A problem with a mutation's input or with what it asks for; nothing was written.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path of the input field concerned, e.g. [\"input\", \"country\"]; null when about the whole request."
    )
    message: str = strawberry.field(description="What is wrong, in words a person can act on.")
    code: UserErrorCode = strawberry.field(description="What is wrong, as a stable code.")  # type: ignore[valid-type]


def user_errors_of(errors: list[user_errors.UserError]) -> list[UserError]:
    """The payload form of a write's problems."""
    return [UserError(field=list(error.field) if error.field else None, message=error.message, code=error.code) for error in errors]


def id_of(global_id: strawberry.ID, type_name: str) -> int:
    """The primary key of a global ID of ``type_name`` (an INVALID_ID error for anything else)."""
    return parse_global_id(global_id, type_name)[1]


def changes_of(input: Any) -> dict[str, Any]:
    """The fields an input object sets (omitted ones stay UNSET and are left out), by Python name."""
    return {name: value for name, value in vars(input).items() if value is not strawberry.UNSET}
