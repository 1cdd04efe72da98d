"""What every mutation shares: ``UserError`` and its codes, and reading a write's result into a payload."""

from __future__ import annotations

from typing import Any

import strawberry

from domain import user_errors
from domain.ids import parse_global_id
from schema.enums import describe

UserErrorCode = user_errors.UserErrorCode
describe(
    UserErrorCode,
    "Why a write was refused; stable, so programs can branch on it.",
    {
        "REQUIRED": "A value is required and was missing or blank.",
        "INVALID": "The value is not acceptable (too long, malformed, out of range).",
        "NOT_FOUND": "What the input names does not exist (or the caller may not see it).",
        "FORBIDDEN": "The caller's role may not make this change.",
        "CONFLICT": "The object changed since the version the caller read.",
        "TAKEN": "The value must be unique and another object has it (e.g. a slug).",
        "INVALID_COUNTRY": "Not an ISO 3166-1 alpha-2 country code.",
        "INVALID_URL": "Not an http(s) web address.",
        "INVALID_EMAIL": "Not an e-mail address.",
        "INVALID_DATE": "Not a date in the accepted EDTF forms, or more precise than allowed.",
        "DATE_ORDER": "A period ends before it starts.",
        "INVALID_LANGUAGE": "Not one of the directory's languages.",
        "NOT_A_NETWORK": "The organization named as a network is not one.",
        "CYCLE": "The membership would make a network a member of itself.",
        "TOO_MANY": "More items than one request may carry.",
        "ARCHIVED": "The object is archived.",
        "AMBIGUOUS": "A row fits several known organizations equally well: pin it with a slug.",
        "DUPLICATE": "A row names the same organization as an earlier row of the same list.",
    },
)


@strawberry.type(description="A problem with a mutation's input or with what it asks for; nothing was written.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path of the input field concerned, e.g. [\"input\", \"country\"]; null when about the whole request."
    )
    message: str = strawberry.field(description="What is wrong, in words a person can act on.")
    code: UserErrorCode = strawberry.field(description="What is wrong, as a stable code.")


def user_errors_of(errors: list[user_errors.UserError]) -> list[UserError]:
    """The payload form of a write's problems."""
    return [UserError(field=list(error.field) if error.field else None, message=error.message, code=error.code) for error in errors]


def id_of(global_id: strawberry.ID, type_name: str) -> int:
    """The primary key of a global ID of ``type_name`` (an INVALID_ID error for anything else)."""
    return parse_global_id(global_id, type_name)[1]


def changes_of(input: Any) -> dict[str, Any]:
    """The fields an input object sets (omitted ones stay UNSET and are left out), by Python name."""
    return {name: value for name, value in vars(input).items() if value is not strawberry.UNSET}
