"""Finding 7: files uploaded to the sandbox never run as pages of the desk's origin, and the
sandbox (no authentication) is served to this machine only, unless a demo says otherwise."""

import logging

import httpx
import pytest

from api.main import create_app
from bot.sandbox import SandboxClient
from harmwatch.settings import Settings

EVIL = b"<html><script>fetch('/admin/users').then(r => r.text()).then(alert)</script></html>"


def local(app, address: str = "127.0.0.1") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 5000)),
                             base_url="http://127.0.0.1:8000")


@pytest.fixture
def settings_for(plain_settings):
    def make(host: str, **values) -> Settings:
        settings = plain_settings.model_copy(update=values)
        settings.listen_on(host)
        return settings

    return make


async def test_an_uploaded_html_file_is_served_as_an_inert_download(plain_settings):
    app = create_app(plain_settings)
    async with local(app) as http, SandboxClient("http://127.0.0.1:8000/sandbox", client=http) as sandbox:
        user = await sandbox.create_user("en")
        sent = await sandbox.send_document(user, EVIL, file_name="page.html", mime_type="text/html")
        response = await http.get(f"/sandbox/control/files/{sent['message']['message']['document']['file_id']}")
        bot_file = await http.get(f"/sandbox/file/bot7000000001:harmwatch-sandbox-token/"
                                  f"{(await sandbox_file_path(http, sent))}")
    for served in (response, bot_file):
        assert served.status_code == 200 and served.content == EVIL
        assert served.headers["content-disposition"] == "attachment"
        assert served.headers["x-content-type-options"] == "nosniff"
        assert served.headers["content-security-policy"].startswith("sandbox")


async def sandbox_file_path(http: httpx.AsyncClient, sent: dict) -> str:
    answer = await http.post("/sandbox/bot7000000001:harmwatch-sandbox-token/getFile",
                             json={"file_id": sent["message"]["message"]["document"]["file_id"]})
    return answer.json()["result"]["file_path"]


async def test_the_sandbox_answers_this_machine_only(plain_settings):
    app = create_app(plain_settings)
    async with local(app, "203.0.113.9") as stranger:
        for path in ("/sandbox/", "/sandbox/control/users", "/sandbox/control/files/x"):
            assert (await stranger.get(path)).status_code == 403, path
    async with local(app) as this_machine:
        assert (await this_machine.get("/sandbox/control/users")).status_code == 200


async def test_without_a_token_on_a_public_address_the_sandbox_is_not_served_and_start_warns(
        settings_for, caplog):
    app = create_app(settings_for("0.0.0.0"))
    with caplog.at_level(logging.WARNING):
        async with app.router.lifespan_context(app), local(app) as http:
            assert (await http.get("/sandbox/control/users")).status_code == 404
            assert (await http.get("/healthz")).status_code == 200
    assert any("HARMWATCH_TELEGRAM_TOKEN is not set" in r.getMessage() and "***" in r.getMessage()
               for r in caplog.records)


async def test_an_explicit_demo_serves_the_sandbox_to_anyone_and_warns(settings_for, caplog):
    app = create_app(settings_for("0.0.0.0", sandbox=True))
    with caplog.at_level(logging.WARNING):
        async with app.router.lifespan_context(app), local(app, "203.0.113.9") as http:
            assert (await http.get("/sandbox/control/users")).status_code == 200
    assert any("HARMWATCH_SANDBOX is on" in r.getMessage() for r in caplog.records)


def test_loopback_binds_serve_the_sandbox_as_make_run_does(settings_for):
    for host in ("127.0.0.1", "localhost", "::1"):
        assert settings_for(host).uses_sandbox and settings_for(host).sandbox_warning() is None
    assert not settings_for("0.0.0.0").uses_sandbox
    assert not settings_for("127.0.0.1", telegram_token="1:x").uses_sandbox
