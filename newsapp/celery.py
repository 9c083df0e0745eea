import logging
import os
import sys
from pathlib import Path

from celery import Celery
from celery.signals import heartbeat_sent

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsapp.settings")

app = Celery("newsapp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The sweep for stalled articles and the look for due sources run every
# minute: the lines saying each was sent, received and done would fill an
# INFO log with nothing to read (what they do, they log themselves).
MINUTELY_TASKS = ("quotes.tasks.requeue_stalled_articles", "quotes.tasks.poll_due_sources")


class QuietSweep(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        message = record.getMessage()
        return not any(task in message for task in MINUTELY_TASKS)


for _name in ("celery.beat", "celery.worker.strategy", "celery.app.trace"):
    logging.getLogger(_name).addFilter(QuietSweep())


def worker_command(*options: str) -> list[str]:
    """The command line that starts a worker of this app, with ``options`` ("--concurrency=2")."""
    return [sys.executable, "-m", "celery", "-A", "newsapp", "worker", *options]


@heartbeat_sent.connect
def _touch_heartbeat_file(**_kwargs) -> None:
    # A health check that reads this file's age costs a stat, where asking the
    # worker (`celery inspect ping`) would start the whole app every time.
    from django.conf import settings

    if settings.WORKER_HEARTBEAT_FILE:
        Path(settings.WORKER_HEARTBEAT_FILE).touch()
