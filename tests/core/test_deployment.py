"""Docker cannot run here: the deployment files are checked by reading them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_every_service_the_clinic_needs():
    services = _compose()["services"]
    assert {
        "web",
        "antrean-ws",
        "worker",
        "beat",
        "postgres",
        "redis",
        "sandbox",
        "migrate",
    } <= set(services)
    assert services["sandbox"]["profiles"] == ["dev"]
    assert "profiles" not in services["web"]
    assert "profiles" not in services["antrean-ws"]


def test_the_antrean_web_service_runs_apart_on_sync_workers():
    service = _compose()["services"]["antrean-ws"]
    command = service["command"]
    assert command[:2] == ["gunicorn", "clinic.wsgi:application"]
    assert command[command.index("--worker-class") + 1] == "sync"
    assert command[command.index("--bind") + 1] == "0.0.0.0:8002"
    assert service["ports"] == ["8002:8002"]
    assert "8002/healthz" in " ".join(service["healthcheck"]["test"])
    assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def _module_exists(dotted: str) -> bool:
    path = ROOT / Path(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _check_command(name: str, command: list[str]) -> None:
    program = command[0]
    if program == "gunicorn":
        module, _, attr = command[1].partition(":")
        assert _module_exists(module), f"{name}: {module} does not exist"
        source = (ROOT / Path(*module.split("."))).with_suffix(".py").read_text()
        assert re.search(rf"^{attr}\s*=", source, re.M), f"{name}: {attr} not defined in {module}"
    elif program == "celery":
        app = command[command.index("-A") + 1]
        assert (ROOT / app / "celery.py").is_file(), f"{name}: celery app {app} missing"
        assert command[command.index("-A") + 2] in {"worker", "beat"}
    elif program == "python":
        if command[1] == "manage.py":
            assert (ROOT / "manage.py").is_file()
            from django.core.management import get_commands

            assert command[2] in get_commands(), f"{name}: no management command {command[2]}"
        elif command[1] == "-m":
            assert _module_exists(command[2]), f"{name}: module {command[2]} missing"
            assert (ROOT / Path(*command[2].split(".")) / "__main__.py").is_file()
        else:
            raise AssertionError(f"{name}: unexpected python command {command}")
    else:
        raise AssertionError(f"{name}: unknown program {program}")


@pytest.mark.django_db
def test_every_service_command_names_something_in_the_repo():
    services = _compose()["services"]
    checked = 0
    for name, service in services.items():
        if "build" in service or service.get("image", "").startswith("klinik"):
            assert isinstance(service["command"], list), name
            _check_command(name, service["command"])
            checked += 1
    assert checked == 6  # migrate, web, antrean-ws, worker, beat, sandbox


def test_dockerfile_default_command_is_the_wsgi_app():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "clinic.wsgi:application" in dockerfile
    assert "FROM python:3.11" in dockerfile


def test_env_example_documents_every_variable_settings_read():
    settings_src = (ROOT / "clinic" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\(\))?\.\w+\(\s*"([A-Z_]+)"', settings_src))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no variables found: the pattern is wrong"
    assert read - documented == set()


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "CLINIC_ENV": "production",
        "SECRET_KEY": "p" * 20 + "-production-like-secret-key-for-the-check-0123456789",
        "FIELD_ENCRYPTION_KEY": "YnVpbGQtb25seS1idWlsZC1vbmx5LWJ1aWxkLW9ubHk=",
        "ALLOWED_HOSTS": "klinik.example.id",
        "CLINIC_VAR_DIR": str(tmp_path),
        "DEBUG": "false",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the test suite for browser tests
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "CLINIC_ENV": "production", "CLINIC_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
