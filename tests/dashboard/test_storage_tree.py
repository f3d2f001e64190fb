"""The storage tree's rows: every value with the JSON Pointer that JSON Patch takes, and a
budget so that a huge document renders in bounded time."""

from __future__ import annotations

from emulator.dashboard import storage_tree
from emulator.dashboard.storage_tree import Row, rows
from emulator.domain.storage_formats import from_plain_lson


def lson(data: dict[str, object]) -> dict[str, object]:
    return {"liveblocksType": "LiveObject", "data": data}


def test_rows_name_each_value_by_its_pointer() -> None:
    doc = from_plain_lson(lson({
        "title": "t",
        "a/b~c": 1,
        "list": {"liveblocksType": "LiveList", "data": ["x", lson({"done": True})]},
        "map": {"liveblocksType": "LiveMap", "data": {"k": None}},
    }))
    got = [(r.depth, r.key, r.pointer, r.kind, r.value, r.size) for r in rows(doc)]
    assert got == [
        (0, "", "", "LiveObject", None, 4),
        (1, "title", "/title", "string", "t", None),
        (1, "a/b~c", "/a~1b~0c", "number", 1, None),
        (1, "list", "/list", "LiveList", None, 2),
        (2, "0", "/list/0", "string", "x", None),
        (2, "1", "/list/1", "LiveObject", None, 1),
        (3, "done", "/list/1/done", "boolean", True, None),
        (1, "map", "/map", "LiveMap", None, 1),
        (2, "k", "/map/k", "null", None, None),
    ]


def test_big_containers_and_documents_are_cut_and_counted() -> None:
    items = list(range(storage_tree.MAX_CHILDREN + 5))
    doc = from_plain_lson(lson({"list": {"liveblocksType": "LiveList", "data": items}}))
    got = list(rows(doc))
    assert got[-1] == Row(2, "", "/list", "more", hidden=5)
    assert len(got) == 2 + storage_tree.MAX_CHILDREN + 1

    many = {f"k{i}": {"liveblocksType": "LiveList", "data": list(range(150))}
            for i in range(30)}
    got = list(rows(from_plain_lson(lson(many))))
    assert len(got) == storage_tree.MAX_ROWS + 1
    assert got[-1].kind == "more" and got[-1].hidden > 0
