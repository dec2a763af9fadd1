"""The desk's in-process fixtures (the real app over httpx), shared with tests/api/desk."""

from tests.api.desk.conftest import admin, app, as_admin, as_monitor, client, monitor  # noqa: F401
