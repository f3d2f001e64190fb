"""The webhooks tab: endpoints (add, remove) and the delivery log (event, attempts with
status codes, timings and the start of each answer; replay), newest first, paged.

It reads what the admin API (``/_emulator/webhooks``) returns — the ``to_json`` of the
endpoints and deliveries the ``Webhooks`` object holds — and changes go through that API
(``/dashboard/api``), so how delivery is carried out can change under it.

Live: re-rendered on every webhook event (a delivery is made), on
``emulator.webhookAttempted`` (an attempt came back) and on ``emulator.restChange``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...api.requests import emulator_state
from ...domain.webhook_events import EVENT_TYPES
from ...webhooks import Webhooks
from ..paging import page_of
from ..registry import Tab, view
from ..render import fragment, page

DELIVERIES_PAGE = 50
STATUSES = ("", "pending", "delivered", "failed")
ATTEMPTED = "emulator.webhookAttempted"
REFRESH_ON = " ".join(["emulator.restChange", ATTEMPTED, *EVENT_TYPES])


def _endpoints(webhooks: Webhooks) -> list[dict[str, Any]]:
    return [endpoint.to_json() for endpoint in webhooks.dispatcher.endpoints.values()]


def _deliveries(request: Request) -> dict[str, Any]:
    webhooks = emulator_state(request).webhooks
    params = request.query_params
    status = params.get("status", "")
    status = status if status in STATUSES else ""
    endpoint_id = params.get("endpoint", "")
    event_type = params.get("type", "")
    chosen = [d for d in reversed(webhooks.dispatcher.deliveries.values())
              if (not status or d.status == status)
              and (not endpoint_id or d.endpoint_id == endpoint_id)
              and (not event_type or d.type == event_type)]
    shown = page_of(chosen, params.get("page"), DELIVERIES_PAGE)
    return {"deliveries": [d.to_json() for d in shown.items], "total": len(chosen),
            "page": shown.number, "pages": shown.pages, "status_filter": status,
            "endpoint": endpoint_id, "type": event_type,
            "statuses": STATUSES, "event_types": EVENT_TYPES,
            "endpoints": _endpoints(webhooks), "event_count": len(EVENT_TYPES),
            "query": request.url.query}


async def webhooks_page(request: Request) -> Response:
    webhooks = emulator_state(request).webhooks
    return page(request, "webhooks.html", tab="webhooks", secret=webhooks.secret,
                refresh_on=REFRESH_ON, **_deliveries(request))


async def endpoints_fragment(request: Request) -> Response:
    return fragment("webhook_endpoints.html", event_count=len(EVENT_TYPES),
                    endpoints=_endpoints(emulator_state(request).webhooks))


async def deliveries_fragment(request: Request) -> Response:
    return fragment("webhook_deliveries.html", **_deliveries(request))


TAB = Tab("webhooks", "Webhooks", [
    view("GET", "/dashboard/webhooks", webhooks_page),
    view("GET", "/dashboard/webhooks/endpoints", endpoints_fragment),
    view("GET", "/dashboard/webhooks/deliveries", deliveries_fragment),
], order=27)
