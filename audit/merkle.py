"""The Merkle tree hash of RFC 9162 (section 2.1.1), kept incrementally as the roots of its perfect subtrees."""

import hashlib

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def tree_hash(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) as the RFC defines it, recursively: the reference the incremental form is tested against."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    split = 1 << ((len(leaves) - 1).bit_length() - 1)  # the largest power of two smaller than n
    return node_hash(tree_hash(leaves[:split]), tree_hash(leaves[split:]))


class Frontier:
    """The roots of the perfect subtrees covering the first `size` leaves, largest first: O(log n) to extend."""

    def __init__(self, size: int = 0, hashes: list[bytes] | None = None):
        hashes = list(hashes or [])
        if len(hashes) != size.bit_count():
            raise ValueError(f"a tree of {size} leaves has {size.bit_count()} perfect subtrees, not {len(hashes)}")
        self.size, self.hashes = size, hashes

    def append(self, data: bytes) -> None:
        node, size = leaf_hash(data), self.size
        while size & 1:  # equal subtrees merge, as carries do in binary addition
            node = node_hash(self.hashes.pop(), node)
            size >>= 1
        self.hashes.append(node)
        self.size += 1

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        root = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            root = node_hash(left, root)
        return root

    def to_json(self) -> list[str]:
        return [h.hex() for h in self.hashes]

    @classmethod
    def from_json(cls, size: int, hashes: list[str]) -> "Frontier":
        return cls(size, [bytes.fromhex(h) for h in hashes])
