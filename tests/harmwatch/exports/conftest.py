"""The NGO API's fixtures (a token, the known incidents) serve the export tests too."""

from tests.api.ngo.conftest import app, client, known, token  # noqa: F401
