"""A room's storage document: the node tree of PROTOCOL.md §4.1.

Every view of storage (Plain LSON, plain JSON, JSON Patch, realtime ops, schema
validation) reads and writes this one tree, so REST and WebSocket can never
disagree. Nodes are LiveObjects, LiveLists, LiveMaps and registers (scalar list
items and map values), each with an id; the root is the LiveObject ``"root"``.

Each container keeps an index ``key -> child`` (field name, map key or list
position); a LiveList also keeps its positions sorted, so the order of its items
is a bisect away. All mutations go through five primitives (add a node, delete a
subtree, set or delete a static field, move a list item) which record an undo
log while a transaction is open: the realtime layer rolls back a whole client
message that breaks the attached schema, and JSON Patch is all-or-nothing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Final, TypeVar

from emulator.domain.errors import NotFound

# CrdtType codes of the wire protocol (TEXT=4 and FILE=5 are not stored).
OBJECT: Final = 0
LIST: Final = 1
MAP: Final = 2
REGISTER: Final = 3

ROOT_ID: Final = "root"
# Prefix of ids the server makes; clients make "<actor>:<n>" with an int actor.
SERVER_ID_PREFIX: Final = "si:"

KIND_NAMES: Final[dict[int, str]] = {
    OBJECT: "LiveObject",
    LIST: "LiveList",
    MAP: "LiveMap",
    REGISTER: "LiveRegister",
}

# One step of a path from the root: (container kind, field name / map key / list index).
PathStep = tuple[str, str | int]

_MISSING: Final = object()
T = TypeVar("T")


class Node:
    """One storage node. ``data`` holds an object's static fields or a register's value."""

    __slots__ = ("children", "data", "id", "order", "parent_id", "parent_key", "seq", "type")

    def __init__(
        self, node_id: str, node_type: int, parent_id: str | None, parent_key: str, data: Any
    ) -> None:
        self.id = node_id
        self.type = node_type
        self.parent_id = parent_id
        self.parent_key = parent_key
        self.data = data
        # key -> child for containers; registers have no children.
        self.children: dict[str, Node] | None = None if node_type == REGISTER else {}
        # Sorted child positions, for lists only.
        self.order: list[str] | None = [] if node_type == LIST else None
        # When it was linked to its parent: object and map children stay in
        # this order, which lets a rollback put a deleted child back in place.
        self.seq = 0

    def __repr__(self) -> str:
        kind = KIND_NAMES[self.type]
        return f"Node({self.id!r}, {kind}, parent={self.parent_id!r}, key={self.parent_key!r})"

    @property
    def is_container(self) -> bool:
        return self.children is not None


def _by_seq(node: Node) -> int:
    return node.seq


class Transaction:
    """Handle given by ``StorageDocument.transaction()``; ``rollback()`` undoes the block."""

    __slots__ = ("_doc", "_done")

    def __init__(self, doc: StorageDocument) -> None:
        self._doc = doc
        self._done = False

    @property
    def rolled_back(self) -> bool:
        return self._done

    def rollback(self) -> None:
        if not self._done:
            self._done = True
            self._doc.rollback()


class StorageDocument:
    """The node tree with its parent index and an optional undo log."""

    __slots__ = ("_log", "_marks", "_memo", "_next_server_id", "_nodes", "_seq", "version")

    def __init__(self, first_server_id: int = 1) -> None:
        root = Node(ROOT_ID, OBJECT, None, "", {})
        self._nodes: dict[str, Node] = {ROOT_ID: root}
        self._next_server_id = first_server_id
        self._seq = 0
        # Bumped by every change (and every undo): derived views are valid for one version.
        self.version = 0
        self._memo: dict[str, tuple[int, Any]] = {}
        # Undo entries, only recorded while a transaction is open.
        self._log: list[tuple[Any, ...]] = []
        # One (log length, id counter) per open transaction, innermost last.
        self._marks: list[tuple[int, int]] = []

    @classmethod
    def empty(cls, first_server_id: int = 1) -> StorageDocument:
        """A document whose root is an empty LiveObject.

        ``first_server_id`` lets a room's next document continue the numbering of
        the one it replaces: a reconnecting client keeps nodes by id, so a reused
        id would keep a stale value.
        """
        return cls(first_server_id)

    @property
    def next_server_id(self) -> int:
        return self._next_server_id

    def memoized(self, name: str, compute: Callable[[], T]) -> T:
        """A view of the document (e.g. its JSON text), computed once per version.

        Reads far outnumber writes in tests and demos: a GET of an unchanged
        document costs a lookup.
        """
        cached = self._memo.get(name)
        if cached is not None and cached[0] == self.version:
            value: T = cached[1]
            return value
        value = compute()
        self._memo[name] = (self.version, value)
        return value

    # ------------------------------------------------------------------ reading

    @property
    def root(self) -> Node:
        return self._nodes[ROOT_ID]

    @property
    def node_count(self) -> int:
        return len(self._nodes)

    def get(self, node_id: str) -> Node | None:
        return self._nodes.get(node_id)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._nodes

    def node(self, node_id: str) -> Node:
        """The node with this id; NotFound if there is none."""
        found = self._nodes.get(node_id)
        if found is None:
            raise NotFound(f"Storage node '{node_id}' does not exist")
        return found

    def iter_nodes(self) -> Iterator[Node]:
        """All nodes, parents before children; list items in list order."""
        stack = [self.root]
        while stack:
            node = stack.pop()
            yield node
            if node.children:
                stack.extend(reversed(list(self.iter_children(node))))

    def iter_children(self, node: Node) -> Iterator[Node]:
        """Children in document order: list order for lists, insertion order otherwise."""
        children = node.children
        if not children:
            return iter(())
        if node.order is not None:
            return (children[pos] for pos in node.order)
        return iter(children.values())

    def child_at(self, node: Node, key: str) -> Node | None:
        return node.children.get(key) if node.children else None

    def list_items(self, node: Node) -> list[Node]:
        """The items of a LiveList, in order."""
        assert node.order is not None and node.children is not None
        children = node.children
        return [children[pos] for pos in node.order]

    def last_position(self, node: Node) -> str | None:
        """The greatest item position of a list, or None when it is empty."""
        assert node.order is not None
        return node.order[-1] if node.order else None

    def next_position(self, node: Node, pos: str) -> str | None:
        """The smallest item position of a list that sorts after ``pos`` (which may be free)."""
        order = node.order
        assert order is not None
        i = bisect_right(order, pos)
        return order[i] if i < len(order) else None

    def index_in_list(self, node: Node, pos: str) -> int:
        """Index a child at ``pos`` has (or would have) in its list."""
        assert node.order is not None
        return bisect_left(node.order, pos)

    def path_of(self, node_id: str) -> list[PathStep]:
        """Steps from the root to a node, e.g. ``[("LiveObject","todos"), ("LiveList", 2)]``."""
        node = self.node(node_id)
        steps: list[PathStep] = []
        nodes = self._nodes
        while node.parent_id is not None:
            parent = nodes[node.parent_id]
            steps.append(self._step(parent, node.parent_key))
            node = parent
        steps.reverse()
        return steps

    def slot_path(self, node_id: str, key: str) -> list[PathStep]:
        """Path of the slot ``key`` of container ``node_id`` (a list slot is given by position)."""
        path = self.path_of(node_id)
        path.append(self._step(self.node(node_id), key))
        return path

    def _step(self, container: Node, key: str) -> PathStep:
        if container.order is not None:
            return (KIND_NAMES[LIST], bisect_left(container.order, key))
        return (KIND_NAMES[container.type], key)

    def new_server_id(self) -> str:
        """A fresh id for a node the server makes; never clashes with ``"<actor>:<n>"``."""
        while True:
            n = self._next_server_id
            self._next_server_id = n + 1
            node_id = f"{SERVER_ID_PREFIX}{n}"
            # A rogue client may have used an "si:" id already: skip it.
            if node_id not in self._nodes:
                return node_id

    def verify(self) -> None:
        """Check the indexes agree with the nodes (for tests); AssertionError if not."""
        reachable = 0
        for node in self.iter_nodes():
            reachable += 1
            assert self._nodes.get(node.id) is node, f"{node.id} is not registered"
            if node.type == OBJECT:
                assert isinstance(node.data, dict), f"{node.id} has no data dict"
                for key in node.children or ():
                    assert key not in node.data, f"{node.id}: '{key}' is both data and child"
            for key, child in (node.children or {}).items():
                assert child.parent_id == node.id and child.parent_key == key, child
                assert node.type != OBJECT or child.type != REGISTER, child
            if node.order is not None:
                assert node.order == sorted(node.children or ()), f"{node.id} order"
        assert reachable == len(self._nodes), "unreachable nodes are registered"

    # -------------------------------------------------------------- transactions

    @property
    def in_transaction(self) -> bool:
        return bool(self._marks)

    def begin(self) -> None:
        """Open a (possibly nested) transaction: changes from here on can be rolled back."""
        self._marks.append((len(self._log), self._next_server_id))

    def commit(self) -> None:
        """Keep the changes of the innermost transaction."""
        if not self._marks:
            raise RuntimeError("commit() without begin()")
        self._marks.pop()
        if not self._marks:
            self._log.clear()

    def rollback(self) -> None:
        """Undo every change since the innermost ``begin()`` and close that transaction."""
        if not self._marks:
            raise RuntimeError("rollback() without begin()")
        mark, next_id = self._marks.pop()
        log = self._log
        reordered: dict[str, Node] = {}
        while len(log) > mark:
            entry = log.pop()
            self._undo(entry)
            if entry[0] == "del":
                reordered[entry[1].parent_id] = self._nodes[entry[1].parent_id]
        self._next_server_id = next_id
        # Children put back by _relink went to the end of their parent's dict.
        for parent in reordered.values():
            if parent.order is None and parent.children:
                children = sorted(parent.children.values(), key=_by_seq)
                parent.children = {child.parent_key: child for child in children}

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """``with doc.transaction() as tx: …`` commits at the end unless ``tx.rollback()``
        was called; an exception inside the block rolls back and propagates."""
        tx = Transaction(self)
        self.begin()
        try:
            yield tx
        except BaseException:
            tx.rollback()
            raise
        if not tx.rolled_back:
            tx._done = True
            self.commit()

    def _undo(self, entry: tuple[Any, ...]) -> None:
        self.version += 1
        kind = entry[0]
        if kind == "add":
            self._unlink(entry[1])
        elif kind == "del":
            self._relink(entry[1])
        elif kind == "set":
            _, node, key, old, index = entry
            if old is _MISSING:
                del node.data[key]
            elif index is None or index == len(node.data):
                node.data[key] = old
            else:
                # Put a deleted field back where it was, keeping the field order.
                items = list(node.data.items())
                items.insert(index, (key, old))
                node.data = dict(items)
        else:  # "move"
            _, node, old_key = entry
            self._reposition(node, old_key)

    # --------------------------------------------------------------- primitives

    def add_node(
        self, node_id: str, node_type: int, parent_id: str, parent_key: str, data: Any = None
    ) -> Node:
        """Create a node in a free slot of an existing container.

        ``data`` is an object's static fields (a dict, defaults to ``{}``) or a
        register's JSON value. The caller makes room first (ops decide what an
        occupied slot means); misuse raises ValueError.
        """
        if node_id in self._nodes:
            raise ValueError(f"node id '{node_id}' already exists")
        parent = self._nodes.get(parent_id)
        if parent is None or parent.children is None:
            raise ValueError(f"'{parent_id}' is not a container node")
        if parent_key in parent.children or (parent.type == OBJECT and parent_key in parent.data):
            raise ValueError(f"slot '{parent_key}' of '{parent_id}' is taken")
        if node_type == OBJECT and data is None:
            data = {}
        node = Node(node_id, node_type, parent_id, parent_key, data)
        self.version += 1
        node.seq = self._seq
        self._seq += 1
        self._link(parent, node)
        self._nodes[node_id] = node
        if self._marks:
            self._log.append(("add", node))
        return node

    def delete_subtree(self, node_id: str) -> Node | None:
        """Remove a node and all its descendants; the root and missing ids are no-ops."""
        node = self._nodes.get(node_id)
        if node is None or node.parent_id is None:
            return None
        self.version += 1
        self._unlink(node)
        if self._marks:
            self._log.append(("del", node))
        return node

    def set_data_key(self, node: Node, key: str, value: Any) -> None:
        """Set a static field of a LiveObject (the caller clears a child at ``key`` first)."""
        assert node.type == OBJECT
        self.version += 1
        if self._marks:
            self._log.append(("set", node, key, node.data.get(key, _MISSING), None))
        node.data[key] = value

    def delete_data_key(self, node: Node, key: str) -> bool:
        """Remove a static field of a LiveObject; False when it was not there."""
        if node.type != OBJECT or key not in node.data:
            return False
        self.version += 1
        if self._marks:
            index = list(node.data).index(key)
            self._log.append(("set", node, key, node.data[key], index))
        del node.data[key]
        return True

    def move_child(self, node: Node, new_pos: str) -> None:
        """Give a list item a new, free position."""
        parent = self._nodes[node.parent_id] if node.parent_id is not None else None
        if parent is None or parent.order is None:
            raise ValueError(f"'{node.id}' is not a list item")
        assert parent.children is not None
        if new_pos in parent.children:
            raise ValueError(f"position '{new_pos}' of '{parent.id}' is taken")
        self.version += 1
        if self._marks:
            self._log.append(("move", node, node.parent_key))
        self._reposition(node, new_pos)

    # ------------------------------------------------------------------ helpers

    def _link(self, parent: Node, node: Node) -> None:
        assert parent.children is not None
        parent.children[node.parent_key] = node
        if parent.order is not None:
            insort(parent.order, node.parent_key)

    def _unlink(self, node: Node) -> None:
        """Detach a subtree from its parent and forget its ids; the subtree stays intact."""
        nodes = self._nodes
        parent = nodes[node.parent_id]  # type: ignore[index]
        assert parent.children is not None
        del parent.children[node.parent_key]
        if parent.order is not None:
            del parent.order[bisect_left(parent.order, node.parent_key)]
        stack = [node]
        while stack:
            current = stack.pop()
            del nodes[current.id]
            if current.children:
                stack.extend(current.children.values())

    def _relink(self, node: Node) -> None:
        """Undo of ``_unlink``: hang the intact subtree back and register its ids."""
        self._link(self._nodes[node.parent_id], node)  # type: ignore[index]
        nodes = self._nodes
        stack = [node]
        while stack:
            current = stack.pop()
            nodes[current.id] = current
            if current.children:
                stack.extend(current.children.values())

    def _reposition(self, node: Node, new_pos: str) -> None:
        parent = self._nodes[node.parent_id]  # type: ignore[index]
        assert parent.children is not None and parent.order is not None
        del parent.children[node.parent_key]
        del parent.order[bisect_left(parent.order, node.parent_key)]
        node.parent_key = new_pos
        self._link(parent, node)
