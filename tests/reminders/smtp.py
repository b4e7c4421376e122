"""A real SMTP server on loopback for the integration tests: it keeps every mail it accepts.

The server answers each RCPT only after ``delay`` seconds, so a batch of mails takes a while
and a test can kill the sending worker while some sessions are open. The delay comes *before*
the server accepts the mail: a client killed during it has delivered nothing. A mail counts
as received once its DATA is accepted, as with a real mail server, whether or not the client
lives to read the reply.
"""

import asyncio
import logging
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO; the test's own lines are what matter.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Received:
    to: str
    reminder: str  # the X-Supervision-Reminder header: "rule/object/date"
    subject: str
    at: float  # time.monotonic() when the server accepted it


class Collector:
    """The aiosmtpd handler: records accepted mails; thread-safe to read from the test."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._waiting = 0  # sessions inside the RCPT delay: a client is mid-send

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._lock:
            self._waiting += 1
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
        finally:
            with self._lock:
                self._waiting -= 1
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        now = time.monotonic()
        with self._lock:
            for to in envelope.rcpt_tos:
                self._received.append(
                    Received(to, str(message.get("X-Supervision-Reminder", "")), str(message["Subject"]), now)
                )
        return "250 Message accepted for delivery"

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    @property
    def waiting(self) -> int:
        with self._lock:
            return self._waiting

    def counts(self, suffix: str = "") -> Counter:
        """(recipient, reminder header) → how many times it arrived, for headers ending in suffix."""
        return Counter((r.to, r.reminder) for r in self.received if r.reminder.endswith(suffix))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """``with SmtpServer(delay=0.3) as smtp: smtp.port, smtp.collector``"""

    def __init__(self, delay: float = 0.0):
        self.collector = Collector(delay)
        self.port = free_port()
        self._controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()
