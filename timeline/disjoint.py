"""Disjoint sets (union-find) whose roots are the smallest members.

The merge and copy detection group items in a fixed order of precedence (the
more original document, the earlier statement); keeping the smallest index as
each set's root makes the grouping independent of the order unions come in.

>>> sets = DisjointSets(5)
>>> sets.union(3, 1), sets.union(4, 3), sets.find(4), sets.find(2)
(1, 1, 1, 2)
"""

from __future__ import annotations

from collections.abc import Iterable


class DisjointSets:
    """Sets over ``0..n-1`` (or given initial parents), with path halving."""

    def __init__(self, n_or_parents: int | Iterable[int]) -> None:
        self.parent = (list(range(n_or_parents)) if isinstance(n_or_parents, int)
                       else list(n_or_parents))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> int:
        """Join the sets of ``a`` and ``b``; returns the root, the smaller of the two."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        root, child = (ra, rb) if ra < rb else (rb, ra)
        self.parent[child] = root
        return root
