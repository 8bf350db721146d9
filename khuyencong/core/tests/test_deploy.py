import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_reports_nothing_in_production_mode():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-9f8e7d6c5b4a",
        "ALLOWED_HOSTS": "khuyencong.example.vn",
        "STATIC_MANIFEST": "1",
    }
    # Browser tests (khuyencong/browser.py) set this in the test process; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
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


def test_every_vendored_source_map_reference_names_a_shipped_file():
    """The manifest storage fails on a `sourceMappingURL` whose .map is missing (then every page answers
    500)."""
    import re

    missing = []
    for path in (ROOT / "static").rglob("*"):
        if path.suffix not in (".js", ".css") or not path.is_file():
            continue
        for name in re.findall(r"sourceMappingURL=([^\s*]+)", path.read_text(errors="replace")):
            if not name.startswith("data:") and not (path.parent / name).is_file():
                missing.append(f"{path.relative_to(ROOT)} → {name}")
    assert missing == []


def test_collectstatic_with_the_manifest_storage_succeeds(tmp_path):
    env = {**os.environ, "STATIC_MANIFEST": "1", "STATIC_ROOT": str(tmp_path / "static")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/chartjs/chart.umd.min.js" in manifest and "vendor/bootstrap/bootstrap.min.css" in manifest
