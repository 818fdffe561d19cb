"""The outage the tests make: while cut, the proxy's port refuses connections (as a
stopped server's would), and it can be restored at once, whether or not a client tried
to connect meanwhile."""
import socket

import pytest

from tests.tcp_proxy import TcpProxy


@pytest.fixture
def echo_server():
    server = socket.create_server(("127.0.0.1", 0))
    yield server.getsockname()[1]
    server.close()


def test_a_cut_proxy_refuses_connections_and_restores_at_once(echo_server):
    proxy = TcpProxy("127.0.0.1", echo_server).start()
    try:
        proxy.cut()  # no client has come yet
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
        proxy.restore()
        socket.create_connection(("127.0.0.1", proxy.port), timeout=5).close()
        proxy.cut()
        proxy.restore()  # no client came in between: the port is free all the same
        socket.create_connection(("127.0.0.1", proxy.port), timeout=5).close()
    finally:
        proxy.stop()
