"""The files of deploy/ are what their tools accept: nginx's site (`nginx -t`), gunicorn's settings, the compose
file, the systemd units (`systemd-analyze verify`). In CI (CI=true, .ci/run installs nginx) none is skipped but
`systemd-analyze`, which a machine without systemd does not have."""

import os
import re
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import CI

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx" / "netevents.conf"
#: Where Debian's libnginx-mod-http-brotli-static puts its module (brotli_static in the site needs it).
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def nginx_or_skip() -> str:
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    missing = "nginx is not installed" if nginx is None else None
    if nginx and not BROTLI_MODULE.exists():
        missing = f"nginx's brotli_static module is not installed ({BROTLI_MODULE})"
    if missing:
        if CI:
            pytest.fail(f"CI needs {missing}: apt-get install nginx libnginx-mod-http-brotli-static (.ci/run)")
        pytest.skip(f"{missing}: apt-get install nginx libnginx-mod-http-brotli-static to check deploy/nginx")
    assert nginx
    return nginx


def nginx_main_config(tmp_path: Path, site: Path) -> Path:
    """A whole nginx.conf around the site, as Debian's /etc/nginx/nginx.conf includes it, with its own pid and logs."""
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"load_module {BROTLI_MODULE};\n"
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        f"    access_log {tmp_path}/access.log;\n"
        f"    client_body_temp_path {tmp_path}/body;\n"
        f"    proxy_temp_path {tmp_path}/proxy;\n"
        f"    include {site};\n"
        "}\n"
    )
    return config


def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = nginx_or_skip()
    # Port 80 needs no binding for a syntax check, but the test may not run as root: listen elsewhere.
    site = tmp_path / "site.conf"
    site.write_text(re.sub(r"listen (\[::\]:)?80;", r"listen \g<1>18080;", SITE.read_text()))
    config = nginx_main_config(tmp_path, site)
    result = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_nginx_site_caches_hashed_assets_for_a_year_and_proxies_the_rest():
    site = SITE.read_text()
    assets = site[site.index("location /static/assets/") :]
    assets = assets[: assets.index("}")]
    assert 'Cache-Control "public, max-age=31536000, immutable"' in assets
    assert "brotli_static on;" in assets and "gzip_static on;" in assets
    assert "proxy_pass http://netevents_app;" in site
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in site


def test_the_gunicorn_settings_load(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://netevents@db/netevents")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["workers"] == 3
    assert settings["threads"] == 2  # PostgreSQL: a second thread while a commit waits for the disk
    assert settings["timeout"] > settings["graceful_timeout"] > 0
    assert settings["logger_class"] == "netevents.redact.RedactingGunicornLogger"
    # gunicorn itself reads them: `gunicorn --check-config` imports the app as a worker would.
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-c",
            str(DEPLOY / "gunicorn.conf.py"),
            "--check-config",
            "wsgi:app",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "sqlite:///:memory:"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_compose_file_runs_the_app_workers_postgresql_and_redis():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "app1", "app2", "worker1", "worker2", "nginx"} <= set(services)
    assert services["worker1"]["command"] == ["flask", "mail", "work"]
    assert services["migrate"]["command"] == ["flask", "db", "upgrade"]
    environment = services["app1"]["environment"]
    assert environment["RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert environment["NETEVENTS_MAIL_WORKER"] == "0"  # the workers are services of their own
    for service in ("app1", "migrate", "nginx"):
        build = services[service]["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).is_file()


@pytest.mark.parametrize("unit", ["netevents-web@.service", "netevents-mail@.service"])
def test_the_systemd_units_pass_systemd_analyze_verify(unit, tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (no systemd on this machine)")
    # The units name /srv/netevents; verify checks that ExecStart exists, so point them at this checkout.
    text = (DEPLOY / "systemd" / unit).read_text().replace("/srv/netevents", str(ROOT))
    (tmp_path / unit).write_text(text)
    instance = unit.replace("@.", "@1.")
    (tmp_path / instance).write_text(text)
    result = subprocess.run(
        [analyze, "verify", str(tmp_path / instance)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
