"""`harmwatch serve` with a Bot API that does not answer (nothing listening, or a server that takes
the connection and never replies): the desk and the NGO API serve all the same, /readyz says the
bot is not connected, the bot connects once the Bot API comes up, and a stop is prompt."""

import signal
import socket
import time

import httpx

from bot.sandbox import SandboxState, create_sandbox_app
from bot.sandbox.background import bound_socket, serve_in_thread
from tests.bot.conftest import TOKEN
from tests.conftest import one_database
from tests.live import running

GENEROUS = 60  # seconds: a bound on waiting, not a timing under test


def _answers_without_the_bot(url: str) -> None:
    assert httpx.get(f"{url}/healthz", timeout=10).json() == {"status": "ok"}
    login = httpx.get(f"{url}/login", timeout=10)
    assert login.status_code == 200 and "<form" in login.text
    ready = httpx.get(f"{url}/readyz", timeout=10)
    body = ready.json()
    assert ready.status_code == 503 and body["status"] == "not ready" and body["database"] == "ok"
    assert body["migrations"]["at_head"] is True
    assert body["bot"]["running"] is False and body["bot"]["connected"] is False


def _wait_for(served, line: str) -> None:
    deadline = time.monotonic() + GENEROUS
    while line not in served.log():
        assert time.monotonic() < deadline, served.log()
        time.sleep(0.2)


def _ready(url: str) -> dict:
    deadline = time.monotonic() + GENEROUS
    while True:
        response = httpx.get(f"{url}/readyz", timeout=10)
        if response.status_code == 200 or time.monotonic() > deadline:
            return response.json()
        time.sleep(0.2)


@one_database
def test_serve_answers_while_nothing_listens_for_the_bot_api_and_connects_once_it_comes_up(database_url, tmp_path):
    sock = bound_socket()  # bound, not listening: every connection is refused
    api_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with running(database_url, tmp_path, telegram_token=TOKEN, telegram_api_url=api_url) as served:
        _answers_without_the_bot(served.url)
        _wait_for(served, "Bot API not reachable (NetworkError)")  # a whole try failed: it tries again
        state = SandboxState(token=TOKEN)
        with serve_in_thread(create_sandbox_app(state), sock=sock):
            body = _ready(served.url)
            assert body["status"] == "ready" and body["bot"]["connected"] is True, body
            assert body["bot"]["receives_updates"] is True and body["bot"]["mode"] == "polling"
            _wait_for(served, "Bot connected to the Bot API (long polling)")  # its command menus are set
            status = served.stop()  # a long poll is open on the sandbox: it is ended, not waited out
    log = served.log()
    assert status == -signal.SIGTERM and "Finished server process" in log, log
    assert "Traceback" not in log, log


@one_database
def test_serve_answers_while_the_bot_api_never_replies_and_stops_promptly(database_url, tmp_path):
    blackhole = socket.socket()
    blackhole.bind(("127.0.0.1", 0))
    blackhole.listen(8)  # the kernel takes the connections; nothing ever reads or answers them
    api_url = f"http://127.0.0.1:{blackhole.getsockname()[1]}"
    try:
        with running(database_url, tmp_path, telegram_token=TOKEN, telegram_api_url=api_url) as served:
            _answers_without_the_bot(served.url)
            ngo = httpx.get(f"{served.url}/api/v1/incidents", timeout=10)
            assert ngo.status_code == 401  # the NGO API answers (no token given)
            status = served.stop()  # killed after 15 s: a clean SIGTERM exit means it did not hang
    finally:
        blackhole.close()
    log = served.log()
    assert status == -signal.SIGTERM and "Finished server process" in log, log
    assert "Traceback" not in log, log


@one_database
def test_serve_without_its_bot_leaves_telegram_alone_and_is_ready(database_url, tmp_path):
    sock = bound_socket()  # a Bot API that nobody should call
    api_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with running(database_url, tmp_path, telegram_token=TOKEN, telegram_api_url=api_url, serve_bot="false") as served:
        ready = httpx.get(f"{served.url}/readyz", timeout=10)
        assert ready.status_code == 200 and "bot" not in ready.json(), ready.json()
        status = served.stop()
    log = served.log()
    assert status == -signal.SIGTERM and "getMe" not in log and "Bot API not reachable" not in log, log
    sock.close()
