"""gunicorn settings for `make run` and production; each can be overridden by environment."""

import multiprocessing
import os

bind = os.environ.get("NETEVENTS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))
worker_class = os.environ.get("NETEVENTS_WORKER_CLASS", "gthread")
threads = int(os.environ.get("NETEVENTS_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("NETEVENTS_ACCESS_LOG", "-")
# Bearer tokens travel in headers, never in URLs; magic-link codes travel in the fragment.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# No control socket: several servers on one host (tests, benchmarks) would fight over its one path.
control_socket_disable = True
