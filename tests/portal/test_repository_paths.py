"""Project files name only paths inside the repository: a path of one machine (a checkout, a
scratch directory) breaks on a fresh clone and leaks nothing useful. The team's design documents
beside the repository may be named by the README and docs/architecture.md, as documents to read, never by code."""

import os
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CHECKED_SUFFIXES = {".py", ".html", ".txt", ".md", ".toml", ".sh", ".css", ".js", ".cfg", ".ini"}
MACHINE_PATH = re.compile(r"(?<![\w.:/])/(?:" + "|".join(("work", "root", "tmp")) + r")/")
SIBLING_DOCUMENTS = re.compile(re.escape("..") + r"/shared\b")


def project_files() -> list[Path]:
    """Source, templates, static files, docs, settings and CI scripts; not the virtualenv,
    caches, collected or uploaded files (dot directories other than .ci, and var/)."""
    files = []
    for directory, subdirectories, names in os.walk(ROOT):
        here = Path(directory)
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if (name == ".ci" or not name.startswith(".")) and (here, name) != (ROOT, "var")
        )
        files += [
            here / name
            for name in sorted(names)
            if Path(name).suffix in CHECKED_SUFFIXES or here.name == ".ci"
        ]
    return files


def test_no_project_file_names_a_path_of_one_machine():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in project_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if MACHINE_PATH.search(line)
    ]
    assert found == []


def test_only_the_readme_and_the_architecture_note_point_at_the_team_documents():
    naming = sorted(
        str(path.relative_to(ROOT))
        for path in project_files()
        if SIBLING_DOCUMENTS.search(path.read_text(encoding="utf-8"))
    )
    assert naming == ["README.md", "docs/architecture.md"]


def test_the_check_sees_code_templates_and_ci_scripts():
    names = {str(path.relative_to(ROOT)) for path in project_files()}
    assert {"manage.py", "templates/base.html", "static/js/progress.js", ".ci/run"} <= names
