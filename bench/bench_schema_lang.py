"""Benchmark of schema_lang: parse + check of growing schemas, validation of growing documents.

Run `python -m bench.bench_schema_lang`. Prints two tables; the per-unit
column should stay roughly flat as sizes grow tenfold (linear growth).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from schema_lang import load, parse, validate, validate_at


def best_of(repeats: int, action: Callable[..., object], *args: Any) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        action(*args)
        best = min(best, time.perf_counter() - start)
    return best


def schema_text(types: int) -> str:
    """`types` object types in a binary tree of LiveObject references, with varied fields."""
    lines = ["type Storage {", "  root: LiveObject<T0>", "  items: LiveList<LiveObject<T1>>", "}"]
    for i in range(types - 1):
        lines += [
            f"type T{i} {{",
            "  id: string",
            "  count?: number",
            "  done: boolean",
            "  tags: string[]",
            '  status: "open" | "done" | null',
            "  pos: { x: number, y: number }",
            "  extra: LiveMap<string, string | number>",
        ]
        lines += [f"  c{c}?: LiveObject<T{c}>" for c in (2 * i + 1, 2 * i + 2) if c < types - 1]
        lines.append("}")
    return "\n".join(lines) + "\n"


TODO_SCHEMA = """
type Storage { todos: LiveList<LiveObject<Todo>> }
type Todo {
  id: string
  done: boolean
  tags: string[]
  pos: { x: number, y: number }
  status?: "open" | "done"
}
"""
NODES_PER_TODO = 10  # LiveObject, id, done, tags, 2 tags, pos, x, y, status


def todo_document(nodes: int) -> dict[str, Any]:
    todos = [
        {
            "liveblocksType": "LiveObject",
            "data": {
                "id": f"t{i}",
                "done": i % 2 == 0,
                "tags": ["a", "b"],
                "pos": {"x": i, "y": 1.5},
                "status": "open",
            },
        }
        for i in range(nodes // NODES_PER_TODO)
    ]
    return {"liveblocksType": "LiveObject", "data": {"todos": {"liveblocksType": "LiveList",
                                                                "data": todos}}}


def bench_parse_and_check() -> None:
    print("parse + check")
    header = ("types", "fields", "chars", "parse ms", "load ms", "µs/type")
    print("{:>8} {:>7} {:>9} {:>10} {:>10} {:>9}".format(*header))
    for types in (10, 100, 1_000):
        text = schema_text(types)
        fields = sum(len(d.fields) for d in load(text).ast.definitions)  # also warms up
        parse_s = best_of(3, parse, text)
        load_s = best_of(3, load, text)
        row = (types, fields, len(text), parse_s * 1e3, load_s * 1e3, load_s / types * 1e6)
        print("{:>8} {:>7} {:>9} {:>10.1f} {:>10.1f} {:>9.1f}".format(*row))


def bench_validate() -> None:
    schema = load(TODO_SCHEMA)
    print("validate")
    print("{:>8} {:>11} {:>10} {:>9}".format("nodes", "violations", "ms", "µs/node"))
    for nodes in (1_000, 10_000, 100_000):
        document = todo_document(nodes)
        violations = validate(schema, document)
        seconds = best_of(3, validate, schema, document)
        row = (nodes, len(violations), seconds * 1e3, seconds / nodes * 1e6)
        print("{:>8} {:>11} {:>10.1f} {:>9.2f}".format(*row))

    todo = todo_document(NODES_PER_TODO)["data"]["todos"]["data"][0]
    path = [("LiveObject", "todos"), ("LiveList", 7)]
    per_op = best_of(3, lambda: [validate_at(schema, path, todo) for _ in range(10_000)]) / 10_000
    print(f"validate_at of one todo (one storage op): {per_op * 1e6:.1f} µs")


def main() -> None:
    bench_parse_and_check()
    print()
    bench_validate()


if __name__ == "__main__":
    main()
