"""The README's demo as a newcomer runs it: `amu serve` refuses a taken port in one line,
and `amu ussd` talks to the running gateway, so a second run resumes the first one's
form (issue 9 items 6 and 9)."""
import socket

import pytest
from click.testing import CliRunner

from gateway.cli import main
from gateway.web import create_app
from payment_adapters.wsgi_thread import serve_wsgi_in_thread


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_serve_on_a_taken_port_says_so_in_one_line():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"amu: port {port} on 127.0.0.1 is already in use (another `amu serve`?): stop it or choose --port"
    ]


@pytest.fixture
def gateway(runtime, monkeypatch):
    """A running gateway, as `make run` leaves one, and the CLI's environment pointing at it."""
    url, stop = serve_wsgi_in_thread(create_app(runtime=runtime))
    for name, value in runtime.settings.raw.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AMU_PUBLIC_URL", url)
    yield url
    stop()


def test_a_second_run_resumes_the_form_the_first_one_left(gateway):
    first = run("ussd", "--phone", "90000071", "--input", "1*Kossi Test*01011990")
    assert first.exit_code == 0 and f"(the gateway at {gateway})" in first.output
    assert "Sexe:" in first.output  # hung up on the sex question
    second = run("ussd", "--phone", "90000071", input="")  # dialling again, then hanging up
    assert "Reprendre votre adhésion ?" in second.output and "1. Continuer" in second.output
    third = run("ussd", "--phone", "90000071", "--input", "1")
    assert "Sexe:" in third.output.split("> 1")[1]  # back where the first run stopped


def test_a_url_where_no_gateway_answers_is_a_one_line_error(runtime, monkeypatch):
    for name, value in runtime.settings.raw.items():
        monkeypatch.setenv(name, value)
    result = run("ussd", "--url", "http://127.0.0.1:9", "--input", "1")
    assert result.exit_code == 2
    assert result.output.strip() == "amu: no gateway answers at http://127.0.0.1:9: start one with `amu serve` or " \
                                    "leave out --url"
