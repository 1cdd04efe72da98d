"""Per-request DataLoaders of the resolvers, one per relation (and per arguments, for pages).

Build a fresh ``Loaders`` for every request: a loader caches what it loaded
for its whole life, and is bound to the event loop it was created on.
"""

from loaders.registry import Loaders

__all__ = ["Loaders"]
