"""The web dashboard at ``/dashboard``: see and change what the emulator holds.

Server-rendered Jinja2 pages (``templates/``) and one small script (``static/``),
shipped in the package, no build step. Live parts follow ``state.events`` over
Server-Sent Events (``stream``). Tabs and room panels are listed in ``registry``;
a later feature adds its view as a template and a small module under ``views/``.

Security (``guard``): the dashboard answers loopback clients only, asks no secret
key and never sends it to the browser; changes go through ``/dashboard/api/…``,
which runs the REST handlers server-side and needs a per-process token that only
a page of the dashboard itself can read (no CORS headers anywhere on it).
"""
