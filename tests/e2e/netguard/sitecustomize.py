"""Loaded by the app server under test (PYTHONPATH): logs every outgoing socket connection that leaves the machine.

The offline test reads the log and asserts it is empty. Loopback and Unix sockets are not logged.
"""

import ipaddress
import os
import socket

_LOG = os.environ.get("PBI_NETLOG")
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _outside(address) -> bool:
    if not isinstance(address, tuple) or not address:
        return False  # Unix socket path
    host = address[0]
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host not in ("localhost",)


def _log(address) -> None:
    if _LOG and _outside(address):
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{address!r}\n")


def connect(self, address):
    _log(address)
    return _connect(self, address)


def connect_ex(self, address):
    _log(address)
    return _connect_ex(self, address)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
