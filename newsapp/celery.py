import os
import sys

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsapp.settings")

app = Celery("newsapp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def worker_command(*options: str) -> list[str]:
    """The command line that starts a worker of this app, with ``options`` ("--concurrency=2")."""
    return [sys.executable, "-m", "celery", "-A", "newsapp", "worker", *options]
