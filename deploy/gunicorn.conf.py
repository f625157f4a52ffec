"""gunicorn settings for one app server (`gunicorn --config deploy/gunicorn.conf.py wsgi:app`).

The systemd unit (deploy/systemd/exemplar-app@.service) passes the port as the unit's instance
name and runs one of these per port; nginx (deploy/nginx/exemplar.conf) balances across them.
Environment: EXEMPLAR_BIND (default 127.0.0.1:8001), WEB_CONCURRENCY (sync workers, default 4),
EXEMPLAR_PIDFILE (default none; the unit sets one under /run).
"""
import os

bind = os.environ.get("EXEMPLAR_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "sync"
# A slow request (an export) may take a while; a stuck one is killed and its worker replaced.
timeout = 60
# On SIGTERM (systemctl stop/restart) workers finish the request they are in for up to this long;
# systemd's TimeoutStopSec is longer, so a clean stop is never cut short.
graceful_timeout = 20
keepalive = 5  # nginx keeps connections to the app servers open (upstream keepalive)
backlog = 2048  # a deadline rush queues at the socket rather than being refused
pidfile = os.environ.get("EXEMPLAR_PIDFILE") or None
# Not reuse_port: with SO_REUSEPORT a new master could bind beside orphaned workers of an old one
# and the two would share the port, old code answering half the requests. The unit's
# KillMode=mixed makes sure no worker outlives its master instead.
reuse_port = False
accesslog = None  # each request is logged by the app (JSON, request id, duration)
errorlog = "-"
# Workers notice a dead master within a second and exit (gunicorn checks its parent each loop).
proc_name = "exemplar-app"
