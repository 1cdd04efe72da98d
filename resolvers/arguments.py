"""Arguments many fields share: the Relay pagination arguments."""

from __future__ import annotations

from typing import Annotated

import strawberry

FirstArg = Annotated[
    int | None, strawberry.argument(description="Page size counting from the start or from `after` (0 to 100, default 20).")
]
AfterArg = Annotated[str | None, strawberry.argument(description="Return items after this cursor.")]
LastArg = Annotated[int | None, strawberry.argument(description="Page size counting back from the end or from `before`.")]
BeforeArg = Annotated[str | None, strawberry.argument(description="Return items before this cursor.")]
