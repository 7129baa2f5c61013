"""`baro serve`'s production server (granian): integrations calling the API one request after
another keep their connection (a sync worker closed it after each answer, and every request
paid a new TCP connection), and an API error still comes back as JSON on that connection."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit


def test_requests_share_one_kept_alive_connection(baro_server: str) -> None:
    address = urlsplit(baro_server)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.request("GET", "/dang-nhap/")
        first = connection.getresponse()
        assert first.status == 200
        assert "Đăng nhập" in first.read().decode()
        assert first.getheader("Connection", "").lower() != "close"
        socket_after_first = connection.sock
        assert socket_after_first is not None

        connection.request(
            "GET", "/api/v1/work/tasks", headers={"Authorization": "Bearer baro_sai_ma"}
        )
        second = connection.getresponse()
        body = json.loads(second.read())
        assert second.status == 401
        assert body["code"] == "auth.required"
        assert connection.sock is socket_after_first, "the server closed the connection"

        connection.request("GET", "/dang-nhap/")
        third = connection.getresponse()
        assert third.status == 200
        third.read()
        assert connection.sock is socket_after_first
    finally:
        connection.close()
