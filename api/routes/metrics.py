"""`/metrics` for Prometheus. Who may read it: with HARMWATCH_METRICS_TOKEN set, whoever sends
`Authorization: Bearer <that token>`; without it, clients on this machine only (a Prometheus
on the same host, or an SSH tunnel). The counts carry no personal data, but how many reports
wait, and how busy the bot is, is not for everyone."""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import PlainTextResponse, Response

from harmwatch import metrics

router = APIRouter(include_in_schema=False)


def _allowed(request: Request) -> bool:
    token = request.app.state.settings.metrics_token
    if token:
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    try:
        return request.client is not None and ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False


@router.get("/metrics")
async def metrics_page(request: Request) -> Response:
    """Counters of this process and the database's state, in the Prometheus text format."""
    if not _allowed(request):
        return PlainTextResponse("forbidden: set HARMWATCH_METRICS_TOKEN to read metrics from elsewhere\n",
                                 status_code=403)
    return Response(await metrics.exposition(request.app.state.db), media_type=metrics.CONTENT_TYPE)


def install(app: FastAPI) -> None:
    app.include_router(router)
