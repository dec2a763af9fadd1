"""The web chat page: a phone-sized Telegram look-alike over the control API, shipped as plain
HTML/CSS/JS in static/ (no CDN, no framework)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).parent / "static"


async def page(request: Request) -> Response:
    """The chat page. Its links are relative, so it works at / and mounted under /sandbox/."""
    if not request.url.path.endswith("/"):
        return RedirectResponse(request.url.replace(path=request.url.path + "/"), status_code=307)
    return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-store"})


routes = [
    Route("/", page, methods=["GET"]),
    Mount("/static", StaticFiles(directory=STATIC_DIR), name="sandbox-static"),
]
