"""Production settings of the app server (gunicorn reads this file: `gunicorn -c gunicorn.conf.py`).

Sized from the machine's cores; each value can be overridden from the environment
(WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT, PORT/BIND). `make serve` uses it.
"""

import multiprocessing
import os

wsgi_app = "tptto_monitor.wsgi:application"
bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"

cores = multiprocessing.cpu_count()
# Pages are CPU-bound Python (templates, the cached figures), so about two processes per core keep
# every core busy while one waits on the database; a few threads each cover the short waits
# (database, cache) without the memory of more processes.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * cores)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 2)

# A summary PDF or a 5,000-row import must finish well inside this; a stuck request is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5  # seconds an idle connection from the reverse proxy stays open
# A fresh process now and then bounds the memory a long-running worker can gather.
max_requests = 2000
max_requests_jitter = 200

accesslog = "-"  # one line per request on stdout, for the service manager's journal
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
