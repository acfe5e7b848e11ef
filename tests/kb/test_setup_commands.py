"""A development checkout runs every command the README shows; production stays strict."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(tmp_path, *args, env_file=None, **env):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(VAR_DIR=str(tmp_path / "var"), ENV_FILE=str(env_file or tmp_path / "none"))
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def dev_env_file(tmp_path):
    path = tmp_path / ".env"
    path.write_text("# written by make setup\nDEBUG=1\n")
    return path


def test_without_a_key_or_the_development_file_nothing_starts(tmp_path):
    result = _manage(tmp_path, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert "make setup" in result.stderr


def test_the_development_file_lets_commands_run_without_a_key(tmp_path, dev_env_file):
    assert _manage(tmp_path, "migrate", "--noinput", env_file=dev_env_file).returncode == 0
    loaded = _manage(tmp_path, "loadkb", env_file=dev_env_file)
    assert loaded.returncode == 0, loaded.stderr
    assert "articles loaded" in loaded.stdout
    paste = tmp_path / "paste.txt"
    paste.write_text("Operating system error {WIN32:231(All pipe instances are busy.)}")
    triaged = _manage(tmp_path, "triage", str(paste), env_file=dev_env_file)
    assert triaged.returncode == 0, triaged.stderr
    assert "/articles/exchange-linkage-pipe-busy/" in triaged.stdout
    # Scripts branch on the exit status: 1 when nothing fits.
    paste.write_text("java.lang.OutOfMemoryError: Java heap space")
    unmatched = _manage(tmp_path, "triage", str(paste), env_file=dev_env_file)
    assert unmatched.returncode == 1
    assert "No article in the knowledge base fits" in unmatched.stderr
    checked = _manage(tmp_path, "checkkb", env_file=dev_env_file)
    assert checked.returncode == 0, checked.stderr
    dumped = _manage(tmp_path, "dumpkb", str(tmp_path / "out"), env_file=dev_env_file)
    assert dumped.returncode == 0, dumped.stderr
    assert list((tmp_path / "out").glob("*.yaml"))
    # The development key is generated once and kept out of the repository.
    assert (tmp_path / "var" / "secret_key.txt").exists()


def test_the_environment_wins_over_the_development_file(tmp_path, dev_env_file):
    # make serve sets DEBUG off: a .env left in the checkout cannot turn it back on.
    result = _manage(tmp_path, "check", env_file=dev_env_file, DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    with_key = _manage(tmp_path, "check", env_file=dev_env_file, DEBUG="0", SECRET_KEY="k" * 50)
    assert with_key.returncode == 0, with_key.stderr


def test_the_development_file_is_kept_out_of_git():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".env"], cwd=ROOT, capture_output=True, check=False
    )
    assert ignored.returncode == 0
