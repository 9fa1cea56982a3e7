"""Production settings of the app server (gunicorn reads this file: `gunicorn -c gunicorn.conf.py`).

Sized from the machine's cores; each value can be overridden from the environment
(WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT, PORT/BIND). `make serve` uses it.
"""

import multiprocessing
import os

from gunicorn.glogging import Logger

from tptto_monitor.logs import loggable_url

wsgi_app = "tptto_monitor.wsgi:application"
bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"

cores = multiprocessing.cpu_count()
# Pages are CPU-bound Python, so about two processes per core (plus one) keep every core busy while
# others wait on the database. Sync workers: measured with `make loadtest` on 2 cores, 4 processes of
# 2 threads served the dashboards at 0.23-0.38 of the floor's rate, 4 single-threaded ones at
# 0.41-0.50 (threads of one process share one interpreter lock). GUNICORN_THREADS > 1 switches to
# threaded workers, for a deployment whose requests mostly wait.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * cores + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"

# A summary PDF or a 5,000-row import must finish well inside this; a stuck request is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5  # seconds an idle connection from the reverse proxy stays open (threaded workers)
# A fresh process now and then bounds the memory a long-running worker can gather. The app is loaded once, in the
# master, before the workers are forked: a fresh worker starts at once instead of importing Django and the app
# again (measured with `make loadtest`: five workers recycled within seconds of each other cost the pages served
# in those seconds a third of their rate), and the workers share the loaded code's memory.
preload_app = True
max_requests = 2000
max_requests_jitter = 200

accesslog = "-"  # one line per request on stdout, for the service manager's journal
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


class AccessLogWithoutSecrets(Logger):
    """The access line's request, path, query and referrer as the app's own log writes them: a password-reset
    link's user and token replaced, query parameters by name only (a `?token=tppo_…` is never written)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        uri = loggable_url(environ.get("RAW_URI") or environ.get("PATH_INFO") or "")
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {uri} {environ.get('SERVER_PROTOCOL')}"
        atoms["U"] = loggable_url(environ.get("PATH_INFO") or "")
        atoms["q"] = loggable_url("?" + (environ.get("QUERY_STRING") or ""))[1:]
        for name in ("f", "{referer}i"):
            if atoms.get(name) not in (None, "-"):
                atoms[name] = loggable_url(atoms[name])
        return atoms


logger_class = AccessLogWithoutSecrets
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
