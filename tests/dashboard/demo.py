"""What the demo fixtures hold, read from fixtures/demo.json (so tests follow it as it grows)."""

from __future__ import annotations

import json
import pathlib

DEMO = json.loads((pathlib.Path(__file__).parents[2] / "fixtures" / "demo.json").read_text())
DEMO_ROOM_COUNT = len(DEMO["rooms"])
DEMO_ROOM_IDS = [room["id"] for room in DEMO["rooms"]]
