"""The background worker: runs the queued jobs (django-tasks-db's worker) and, beside them, the
scheduler that claims what is due once a minute. Run one with `make run`; in production run it as
its own process, as many as you like: the database keeps every message to one send."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from outbound.scheduler import tick

log = logging.getLogger("outbound")


def scheduler_loop(stop: threading.Event, every: float) -> None:
    """Tick at the start of each period until `stop` is set; an error is logged, never fatal."""
    while not stop.is_set():
        try:
            tick()
        except Exception:
            log.exception("outbound: the scheduler's tick failed; trying again next minute")
        finally:
            close_old_connections()
        stop.wait(every - (time.time() % every))


class Command(BaseCommand):
    help = "Run the outbound worker: the task queue and the once-a-minute scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-scheduler", action="store_true", help="Run jobs only; claim nothing.")
        parser.add_argument(
            "--once", action="store_true", help="One tick, then every job waiting, then exit."
        )
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at the queue.")
        parser.add_argument("--tick-every", type=float, default=60.0, help="Seconds between scheduler ticks.")

    def handle(self, *args: Any, **options: Any) -> None:
        logging.getLogger("outbound").setLevel(logging.INFO)
        worker = Worker(
            queue_names=["default"],
            interval=options["interval"],
            batch=options["once"],
            backend_name="default",
            startup_delay=not options["once"],
            max_tasks=None,
            worker_id=f"outbound-{get_random_string(12)}",
            excluded_queue_names=[],
        )
        if options["once"]:
            if not options["no_scheduler"]:
                claimed = tick()
                self.stdout.write(f"Claimed {claimed} message(s).")
            worker.run()
            return
        stop = threading.Event()
        if not options["no_scheduler"]:
            threading.Thread(
                target=scheduler_loop,
                args=(stop, options["tick_every"]),
                name="outbound-scheduler",
                daemon=True,
            ).start()
        self.stdout.write("Outbound worker running (jobs and the scheduler). Ctrl-C stops it.")
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
