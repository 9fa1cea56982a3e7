"""`manage.py db_worker`: django-tasks-db's worker, with a heartbeat and a sweep of its dead predecessors.

The same command and options as django-tasks-db's own (this one is found first: indicators comes before
django_tasks_db in INSTALLED_APPS). Before it takes a task it marks failed the jobs whose worker stopped
beating (killed, or its machine gone), and while it runs it beats (tptto_monitor.lib.queue), so `/healthz`
and the job pages know whether anyone is working.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from indicators.jobs.runner import reap
from tptto_monitor.lib.queue import heartbeat


class Command(DatabaseWorkerCommand):
    help = "Run the tasks of the database queue (imports, plan uploads, file builds), with a heartbeat."

    def handle(self, *args, **options) -> None:
        reap()
        with heartbeat(options["worker_id"]):
            super().handle(*args, **options)
