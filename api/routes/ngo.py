"""The NGO API under /api/v1 (incidents, places, taxonomy)."""

from fastapi import APIRouter, FastAPI

router = APIRouter(prefix="/api/v1")


def install(app: FastAPI) -> None:
    app.include_router(router)
