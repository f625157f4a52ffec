"""A small deployment on loopback, as deploy/ describes it: nginx (with deploy/nginx/exemplar-proxy.conf)
in front of two gunicorn app servers (deploy/gunicorn.conf.py), one RQ worker and one scheduler beside
each, all on one PostgreSQL database (a scratch one, made for the run) and one Redis (its own key prefix).

Nothing here is a test; tests/scaleout/test_scaleout.py drives it.
"""
from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from tests.security.rush_support import SECRET_KEY, free_port
from tests.security.server_db import wait_until_answering

REPO = Path(__file__).resolve().parents[2]
#: The stated delay of the page cache: each process re-reads the data version at most once a second
#: (app/web/pagecache.py, PAGE_CACHE_VERSION_TTL).
PAGE_CACHE_DELAY = 1.0
LOGIN_LIMIT = 10  # LOGIN_RATE_LIMIT "10 per minute", the default


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def port_is_free(port: int) -> bool:
    """Whether gunicorn could bind the port now: no process listens on it (connections of the
    dead server left in TIME_WAIT do not count: gunicorn binds with SO_REUSEADDR, as here)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _stop_group(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, wait: float = 15) -> None:
    """Stop a process started in its own session, and everything in its group (as systemd's
    KillMode=mixed does for a unit: the main process first, then whatever is left)."""
    if proc is None or proc.poll() is not None:
        try:
            if proc is not None:
                os.killpg(proc.pid, signal.SIGKILL)  # leftovers of a group whose leader died
        except ProcessLookupError:
            pass
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@dataclass
class AppServer:
    """One app server: gunicorn with deploy/gunicorn.conf.py on a fixed loopback port (so it can be
    restarted on the same one), in its own process group, plus a job worker and a scheduler."""

    name: str
    port: int
    env: dict
    logs: Path
    workers: int = 3
    proc: subprocess.Popen | None = None
    helpers: list = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.logs / f"{self.name}.log"

    def start(self, timeout: float = 90) -> None:
        env = dict(self.env, EXEMPLAR_BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY=str(self.workers),
                   EXEMPLAR_PIDFILE=str(self.logs / f"{self.name}.pid"))
        with open(self.log_file, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", str(REPO / "deploy" / "gunicorn.conf.py"),
                 "--no-control-socket", "wsgi:app"],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until_answering(self.proc, self.base, self.log_file, time.monotonic() + timeout)

    def start_background(self) -> None:
        """The job worker and the scheduler (every 2 s here, 30 s by default) of this server."""
        flask = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs"]
        for what, args in (("worker", ["worker"]), ("scheduler", ["scheduler", "--interval", "2"])):
            with open(self.logs / f"{self.name}-{what}.log", "ab") as log:
                self.helpers.append(subprocess.Popen(flask + args, cwd=REPO, env=self.env, stdout=log,
                                                     stderr=subprocess.STDOUT, start_new_session=True))

    def crash(self) -> None:
        """The master and its workers killed at once (SIGKILL to the group): a crash, or the
        machine's OOM killer, then systemd killing what is left of the unit's control group."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        _stop_group(self.proc)
        for p in self.helpers:
            _stop_group(p)


class Nginx:
    """Debian's nginx, run as the current user with its own prefix, pid file and logs in `home`,
    in the foreground (`daemon off`), balancing over `upstreams` with deploy/nginx/exemplar-proxy.conf."""

    def __init__(self, home: Path, upstreams: list[int]):
        self.home, self.upstreams = home, upstreams
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config(self) -> str:
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in self.upstreams)
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""  # as root, workers would be nobody
        h = self.home
        return f"""
{user}
worker_processes 1;
pid {h}/nginx.pid;
error_log {h}/error.log info;
events {{ worker_connections 2048; }}
http {{
    log_format upstream '$remote_addr "$request" $status $upstream_addr $upstream_status $request_time';
    access_log {h}/access.log upstream;
    client_body_temp_path {h}/client_body;
    proxy_temp_path {h}/proxy;
    fastcgi_temp_path {h}/fastcgi;
    uwsgi_temp_path {h}/uwsgi;
    scgi_temp_path {h}/scgi;
    upstream exemplar_app {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{self.port};
        server_name localhost;
        location / {{
            include {REPO}/deploy/nginx/exemplar-proxy.conf;
            # For the test only: which app server answered.
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""

    def start(self, timeout: float = 20) -> None:
        conf = self.home / "nginx.conf"
        conf.write_text(self.config())
        binary = nginx_binary()
        check = subprocess.run([binary, "-t", "-p", str(self.home), "-e", str(self.home / "error.log"), "-c", str(conf)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen([binary, "-p", str(self.home), "-e", str(self.home / "error.log"), "-c", str(conf),
                                      "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                                     stderr=open(self.home / "stderr.log", "ab"), start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, (self.home / "stderr.log").read_text()
            try:
                if requests.get(self.base + "/sign-in", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError("nginx did not answer in time")

    def stop(self) -> None:
        _stop_group(self.proc, signal.SIGQUIT)


@dataclass
class Cluster:
    database_url: str
    redis_url: str
    prefix: str
    nginx: Nginx
    servers: list[AppServer]
    home: Path

    @property
    def base(self) -> str:
        return self.nginx.base

    def by_port(self, upstream: str) -> AppServer:
        port = int(upstream.rsplit(":", 1)[1])
        return next(s for s in self.servers if s.port == port)


def server_env(database_url: str, redis_url: str, prefix: str, home: Path, nginx_port: int) -> dict:
    env = dict(os.environ)
    env.update(
        APP_ENV="development", DATABASE_URL=database_url, SECRET_KEY=SECRET_KEY,
        PUBLIC_BASE_URL=f"http://127.0.0.1:{nginx_port}", PROXY_FIX_HOPS="1",
        REDIS_URL=redis_url, REDIS_KEY_PREFIX=prefix, JOBS_BACKEND="rq",
        LOGIN_RATE_LIMIT=f"{LOGIN_LIMIT} per minute", SESSION_COOKIE_SECURE="0", LOG_LEVEL="INFO",
        MAIL_TRANSPORT="folder", MAIL_FOLDER=str(home / "mail"), DOCUMENT_STORAGE_PATH=str(home / "documents"))
    return env


def start_cluster(database_url: str, redis_url: str, home: Path, servers: int = 2) -> Cluster:
    prefix = f"scaleout-{uuid.uuid4().hex[:10]}:"
    ports = [free_port() for _ in range(servers)]
    nginx = Nginx(home, ports)
    env = server_env(database_url, redis_url, prefix, home, nginx.port)
    cluster = Cluster(database_url, redis_url, prefix, nginx,
                      [AppServer(f"app{i + 1}", p, env, home) for i, p in enumerate(ports)], home)
    try:
        for s in cluster.servers:
            s.start()
        for s in cluster.servers:
            s.start_background()
        nginx.start()
    except BaseException:
        stop_cluster(cluster)
        raise
    return cluster


def stop_cluster(cluster: Cluster) -> None:
    cluster.nginx.stop()
    for s in cluster.servers:
        s.stop()


# --- clients ----------------------------------------------------------------------------------

class _SourceAddress(HTTPAdapter):
    """Connect from another loopback address (127.0.0.0/8 is all loopback on Linux), so the app
    sees another client address through nginx's X-Forwarded-For."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client_from(address: str) -> requests.Session:
    s = requests.Session()
    s.mount("http://", _SourceAddress(address))
    return s


class FormValues(HTMLParser):
    """The values a browser would send for each form of a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.values: dict[str, str] = {}
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_form, self.values = True, {}
        elif not self._in_form:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values[a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.values[a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.values[self._textarea] = ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form = False
            self.forms.append(self.values)


def form_values(html: str) -> dict[str, str]:
    """The page's main form (the one with the most fields among those with a CSRF token: not the
    header's sign-out button)."""
    parser = FormValues()
    parser.feed(html)
    forms = [f for f in parser.forms if "csrf_token" in f]
    assert forms, "no form with a CSRF token on the page"
    return max(forms, key=len)
