"""``manage.py run_app``: the whole app on one machine, as ``make run`` starts it.

Migrates, collects the static files, loads the seed articles as demo data
(once: they are recognised when already there), starts a Celery worker
process and serves the site until interrupted, then stops the worker.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand

from newsapp.celery import worker_command
from quotes.permissions import EDITORS

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


class Command(BaseCommand):
    help = "Migrate, load the demo articles, and run the web server with a worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-demo", action="store_true", help="Do not load the seed articles.")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        # Pages name static files by their hashed names, which collecting makes.
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = subprocess.Popen(
            worker_command("--beat", "--loglevel=INFO", "--concurrency=1"), cwd=settings.BASE_DIR
        )
        server = None
        try:
            if not options["no_demo"]:
                call_command("import_articles", str(SEEDS), verbosity=0)
            url = f"http://{options['host']}:{options['port']}/"
            self.stdout.write(self.style.SUCCESS(f"Quotewise is running at {url}  (Ctrl-C stops it)"))
            if not User.objects.filter(groups__name=EDITORS).exists():
                self.stdout.write(
                    "Reading is open to all. To upload articles, create an editor in another terminal:\n"
                    "  .venv/bin/python manage.py create_editor YOUR-NAME"
                )
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "newsapp.wsgi",
                    "--bind",
                    f"{options['host']}:{options['port']}",
                    "--workers",
                    "2",
                    "--access-logfile",
                    "-",
                ],
                cwd=settings.BASE_DIR,
            )
            signal.signal(signal.SIGTERM, lambda *_: server.terminate())
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in (server, worker):
                if process and process.poll() is None:
                    process.terminate()
                    try:
                        process.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        process.kill()
