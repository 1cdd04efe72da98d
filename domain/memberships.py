"""Rules about organizations belonging to networks."""

from collections.abc import Hashable, Iterable
from graphlib import CycleError, TopologicalSorter
from typing import TypeVar

Node = TypeVar("Node", bound=Hashable)


def find_cycle(edges: Iterable[tuple[Node, Node]]) -> list[Node] | None:
    """Return one cycle in the member -> network graph, or None when there is none.

    Networks may belong to networks, but never to themselves, directly or through
    other networks. A cycle is returned as a closed path from member to network,
    e.g. ``[a, b, c, a]`` for "a is a member of b, b of c and c of a". Membership
    periods are ignored: a cycle at any time is refused.
    """
    graph: dict[Node, set[Node]] = {}
    for member, network in edges:
        graph.setdefault(member, set()).add(network)
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        # graphlib lists each network before its member; read it member -> network.
        return list(reversed(error.args[1]))
    return None
