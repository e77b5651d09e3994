"""What the outbound tests share: a real SMTP server started for the test (aiosmtpd), people who may
be emailed, a clock at a chosen local time, and the real database-backed worker."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from leadership_os.models import Person


@dataclass
class SmtpSink:
    """An SMTP server's handler that keeps every message, or refuses them while `refuse` is set."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)
    refuse: bool = False
    port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 4.3.0 Try again later (refused by the test)"
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.envelopes.append(envelope)
            self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["To"]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def point_mail_at(settings: Any, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }


@contextmanager
def smtp_server(settings: Any) -> Iterator[SmtpSink]:
    """A real SMTP server on a free local port, and Django's SMTP backend pointed at it."""
    port = free_port()
    sink = SmtpSink(port=port)
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    point_mail_at(settings, port)
    settings.SITE_URL = "https://los.example.com"
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpSink]:
    with smtp_server(settings) as sink:
        yield sink


def mailable(user: Any, address: str | None = None) -> Person:
    """Give the person behind `user` an address, so that mail may reach them."""
    person = Person.objects.get(user=user)
    person.email = address or f"{user.username}@example.com"
    person.save()
    return person


def at(day: dt.date, hour: int = 8, minute: int = 0) -> dt.datetime:
    """A moment on `day` in the configured time zone."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def today() -> dt.date:
    return timezone.localdate()


def run_worker() -> None:
    """The real django-tasks-db worker, in this process, until the queue is empty."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"test-{threading.get_ident()}",
        excluded_queue_names=[],
    ).run()


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and the HTML part of a received message."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "both parts are there"
    return text.get_content(), html.get_content()


def links_in(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def prefer(user: Any, **choices: Any) -> Any:
    """The user's preferences: their role's defaults, every day of the week, and `choices`."""
    from outbound.services import preference_save

    return preference_save(user=user, **{"weekdays": "0123456", **choices})
