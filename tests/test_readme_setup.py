"""README's set-up line works for a normal user and for root where ``sudo`` is absent (issue 12 §10)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def setup_line() -> str:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## Set up and run.*?```sh\n(.*?)```", text, re.S)
    assert block is not None
    return block.group(1).splitlines()[0]


def test_the_setup_line_does_not_start_with_a_bare_sudo() -> None:
    assert not setup_line().startswith("sudo ")


def test_the_sudo_part_is_empty_without_sudo_and_sudo_with_it(tmp_path: Path) -> None:
    prefix = setup_line().split(" apt-get", 1)[0]
    (tmp_path / "sudo").write_text("#!/bin/sh\necho sudo-was-used\n")
    (tmp_path / "sudo").chmod(0o755)
    probe = f"{prefix} echo plain"
    without = subprocess.run(["/bin/sh", "-c", probe], env={"PATH": "/bin:/usr/bin"}, capture_output=True,
                             text=True, check=True)  # fmt: skip
    with_sudo = subprocess.run(["/bin/sh", "-c", probe], env={"PATH": f"{tmp_path}:/bin:/usr/bin"},
                               capture_output=True, text=True, check=True)  # fmt: skip
    if not any(Path(d, "sudo").exists() for d in ("/bin", "/usr/bin")):
        assert without.stdout == "plain\n"  # root in a container: runs apt-get itself
    assert with_sudo.stdout == "sudo-was-used\n"
    assert os.environ.get("PATH")  # the real environment is untouched
