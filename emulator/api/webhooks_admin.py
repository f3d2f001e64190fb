"""The webhooks admin API under ``/_emulator/webhooks`` (secret key): endpoints, and the
delivery log with every attempt, replayable. Emulator-only; no SDK calls it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.webhook_delivery import Delivery
from ..domain.webhook_endpoints import ENDPOINT_ID, WebhookEndpoint
from ..domain.webhook_events import EVENT_TYPES
from ..webhooks import Webhooks
from .endpoints import Endpoint, Feature
from .openapi_kit import (
    INVALID,
    NO_CONTENT,
    TIMESTAMP,
    Json,
    closed_object,
    error,
    nullable,
    ok,
    open_object,
    operation,
    path_parameter,
    ref,
    string,
)
from .requests import emulator_state, read_json
from .responses import JSONResponse, no_content

STATUSES = ("pending", "delivered", "failed")


def _webhooks(request: Request) -> Webhooks:
    return emulator_state(request).webhooks


def _endpoint(request: Request) -> WebhookEndpoint:
    endpoint_id = request.path_params["webhookId"]
    endpoint = _webhooks(request).dispatcher.endpoints.get(endpoint_id)
    if endpoint is None:
        raise NotFound(f"No webhook endpoint with id '{endpoint_id}'",
                       code="WEBHOOK_NOT_FOUND")
    return endpoint


def _delivery(request: Request) -> Delivery:
    delivery_id = request.path_params["deliveryId"]
    delivery = _webhooks(request).dispatcher.deliveries.get(delivery_id)
    if delivery is None:
        raise NotFound(f"No webhook delivery with id '{delivery_id}' (reset or never made)",
                       code="DELIVERY_NOT_FOUND")
    return delivery


async def list_endpoints(request: Request) -> Response:
    webhooks = _webhooks(request)
    return JSONResponse({
        "secret": webhooks.secret,
        "data": [endpoint.to_json() for endpoint in webhooks.dispatcher.endpoints.values()],
    })


async def add_endpoint(request: Request) -> Response:
    webhooks = _webhooks(request)
    endpoint = webhooks.endpoint(await read_json(request), "api")
    if endpoint.id in webhooks.dispatcher.endpoints:
        raise Conflict(f"A webhook endpoint with id '{endpoint.id}' already exists",
                       code="WEBHOOK_ALREADY_EXISTS")
    webhooks.dispatcher.add(endpoint)
    return JSONResponse(endpoint.to_json())


async def get_endpoint(request: Request) -> Response:
    return JSONResponse(_endpoint(request).to_json())


async def remove_endpoint(request: Request) -> Response:
    _webhooks(request).dispatcher.remove(_endpoint(request).id)
    return no_content()


async def list_deliveries(request: Request) -> Response:
    """Oldest first; ``endpointId``, ``type`` and ``status`` filter."""
    query = request.query_params
    status = query.get("status")
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}, got {status[:40]!r}")
    endpoint_id, event_type = query.get("endpointId"), query.get("type")
    deliveries = [
        delivery.to_json() for delivery in _webhooks(request).dispatcher.deliveries.values()
        if (status is None or delivery.status == status)
        and (endpoint_id is None or delivery.endpoint_id == endpoint_id)
        and (event_type is None or delivery.type == event_type)
    ]
    return JSONResponse({"data": deliveries})


async def get_delivery(request: Request) -> Response:
    return JSONResponse(_delivery(request).to_json())


async def replay_delivery(request: Request) -> Response:
    delivery = _delivery(request)
    webhooks = _webhooks(request)
    if delivery.endpoint_id not in webhooks.dispatcher.endpoints:
        raise Conflict(f"The endpoint of delivery '{delivery.id}' was removed",
                       code="WEBHOOK_NOT_FOUND")
    webhooks.dispatcher.replay(delivery)
    return JSONResponse(delivery.to_json())


# ------------------------------------------------------------------ OpenAPI

SECONDS: Json = {"type": "number", "minimum": 0, "maximum": 86400}
EVENT_TYPE: Json = {"enum": list(EVENT_TYPES)}
ENDPOINT_ID_SCHEMA = string(pattern=ENDPOINT_ID.pattern)
SCHEMAS: Json = {
    "WebhookEndpointInput": open_object(
        {
            "id": ENDPOINT_ID_SCHEMA,
            "url": string(1, description="http:// or https:// URL that receives the events"),
            "secret": string(pattern="^whsec_", description="Signing secret, whsec_ + "
                             "padded base64; default: the emulator's (--webhook-secret)"),
            "subscribedEvents": {"type": "array", "items": EVENT_TYPE,
                                 "description": "Default: all 18 types"},
            "storageUpdatedThrottleSeconds": SECONDS,
            "yDocUpdatedThrottleSeconds": SECONDS,
            "disabled": {"type": "boolean"},
        },
        ["url"],
        description="A webhook endpoint, with the Management API's field names; the same "
        "object goes in a fixture's 'webhooks' list",
    ),
    "WebhookEndpoint": closed_object(
        {
            "id": string(1),
            "url": string(1),
            "secret": string(pattern="^whsec_"),
            "subscribedEvents": {"type": "array", "items": EVENT_TYPE},
            "storageUpdatedThrottleSeconds": SECONDS,
            "yDocUpdatedThrottleSeconds": SECONDS,
            "disabled": {"type": "boolean"},
            "origin": {"enum": ["cli", "fixture", "api"]},
            "createdAt": TIMESTAMP,
        },
        ["id", "url", "secret", "subscribedEvents", "storageUpdatedThrottleSeconds",
         "yDocUpdatedThrottleSeconds", "disabled", "origin", "createdAt"],
    ),
    "WebhookDelivery": closed_object(
        {
            "id": string(pattern="^msg_", description="The webhook-id of every attempt"),
            "endpointId": string(1),
            "url": string(1),
            "type": EVENT_TYPE,
            "status": {"enum": list(STATUSES)},
            "createdAt": TIMESTAMP,
            "nextAttemptAt": nullable(TIMESTAMP),
            "attempts": {"type": "array", "items": closed_object(
                {
                    "startedAt": TIMESTAMP,
                    "webhookTimestamp": {"type": "integer",
                                         "description": "webhook-timestamp sent (seconds)"},
                    "durationMs": {"type": "number", "minimum": 0},
                    "statusCode": nullable({"type": "integer"}),
                    "error": nullable(string()),
                    "responseExcerpt": string(maxLength=500),
                },
                ["startedAt", "webhookTimestamp", "durationMs", "statusCode", "error",
                 "responseExcerpt"],
            )},
            "body": string(description="The exact JSON body that was signed"),
        },
        ["id", "endpointId", "url", "type", "status", "createdAt", "nextAttemptAt",
         "attempts", "body"],
    ),
}

WEBHOOKS = "/_emulator/webhooks"
DELIVERIES = WEBHOOKS + "/deliveries"
NO_ENDPOINT = error("404", "No such endpoint (WEBHOOK_NOT_FOUND)")
NO_DELIVERY = error("404", "No such delivery (DELIVERY_NOT_FOUND)")
FEATURE = Feature(
    "webhooks",
    [
        # The deliveries routes come first: "deliveries" is never an endpoint id.
        Endpoint("GET", DELIVERIES, list_deliveries, operation(
            "emulator", "Webhook deliveries, oldest first, with every attempt",
            {"200": ok(closed_object({"data": {"type": "array",
                                               "items": ref("WebhookDelivery")}}, ["data"])),
             "422": error("422", "An unknown status")},
            parameters=[
                {"name": "endpointId", "in": "query", "schema": string()},
                {"name": "type", "in": "query", "schema": string()},
                {"name": "status", "in": "query", "schema": {"enum": list(STATUSES)}},
            ],
        )),
        Endpoint("GET", DELIVERIES + "/{deliveryId}", get_delivery, operation(
            "emulator", "One webhook delivery",
            {"200": ok(ref("WebhookDelivery")), "404": NO_DELIVERY})),
        Endpoint("POST", DELIVERIES + "/{deliveryId}/replay", replay_delivery, operation(
            "emulator", "Send a delivery again now (same webhook-id, fresh retry schedule)",
            {"200": ok(ref("WebhookDelivery")), "404": NO_DELIVERY,
             "409": error("409", "Its endpoint was removed")})),
        Endpoint("GET", WEBHOOKS, list_endpoints, operation(
            "emulator", "Webhook endpoints, and the default signing secret",
            {"200": ok(closed_object(
                {"secret": string(pattern="^whsec_"),
                 "data": {"type": "array", "items": ref("WebhookEndpoint")}},
                ["secret", "data"]))})),
        Endpoint("POST", WEBHOOKS, add_endpoint, operation(
            "emulator", "Add a webhook endpoint (gone on reset)",
            {"200": ok(ref("WebhookEndpoint")), "409": error("409", "The id is taken"),
             "422": INVALID},
            body=ref("WebhookEndpointInput"))),
        Endpoint("GET", WEBHOOKS + "/{webhookId}", get_endpoint, operation(
            "emulator", "One webhook endpoint",
            {"200": ok(ref("WebhookEndpoint")), "404": NO_ENDPOINT})),
        Endpoint("DELETE", WEBHOOKS + "/{webhookId}", remove_endpoint, operation(
            "emulator", "Remove a webhook endpoint; its pending deliveries stop (failed)",
            {"204": NO_CONTENT, "404": NO_ENDPOINT})),
    ],
    schemas=SCHEMAS,
    parameters={
        "webhookId": path_parameter("webhookId", "A webhook endpoint id"),
        "deliveryId": path_parameter("deliveryId", "A delivery id (its webhook-id)"),
    },
)
