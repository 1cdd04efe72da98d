"""The Relay ``Node`` interface as the directory's entities implement it."""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry import relay


class DirectoryNode(relay.Node):
    """Base of every entity: a global ID (base64 of ``Type:pk``) and a slug.

    Subclasses name their model in ``model`` and are resolved straight from
    model instances (no copying into another object).
    """

    model: ClassVar[type]

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, cls.model)
