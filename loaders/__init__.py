"""Per-request DataLoaders, one per relationship, batched by key.

Build a fresh ``Loaders`` for every request: a loader caches what it loaded
for its whole life, and is bound to the event loop it was created on.
"""

from loaders.registry import Loaders

__all__ = ["Loaders"]
