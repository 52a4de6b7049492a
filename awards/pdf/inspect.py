"""Read PDFs back with poppler-utils, for tests and for operators checking a generated file.

Text extraction alone cannot prove that Chinese was drawn (a PDF can carry the right text over
empty boxes), so besides the text this module reports the embedded fonts and renders pages to
images. Each helper writes the bytes to a temporary file and runs one poppler tool without a
shell.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_SECONDS = 60


class PopplerMissing(RuntimeError):
    """A poppler tool is not installed (``apt-get install poppler-utils``)."""


@dataclass(frozen=True, slots=True)
class WordBox:
    """A word as pdftotext places it, in PDF points from the top-left corner of its page."""

    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@contextmanager
def _pdf_file(pdf_bytes: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="pdf-inspect-") as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(pdf_bytes)
        yield path


def _run(tool: str, *args: str) -> bytes:
    executable = shutil.which(tool)
    if executable is None:
        raise PopplerMissing(tool)
    completed = subprocess.run(
        [executable, *args], capture_output=True, timeout=TIMEOUT_SECONDS, check=True
    )
    return completed.stdout


@dataclass(frozen=True, slots=True)
class FontRow:
    """One line of ``pdffonts``: the name with its subset prefix ("LWGGBP+Noto-Serif-CJK-SC")."""

    name: str
    embedded: bool
    subset: bool
    unicode_map: bool


def pdf_font_rows(pdf_bytes: bytes) -> list[FontRow]:
    with _pdf_file(pdf_bytes) as path:
        output = _run("pdffonts", str(path)).decode()
    rows = [line.split() for line in output.splitlines()[2:] if line.strip()]
    return [
        FontRow(
            name=row[0],
            embedded=row[-5] == "yes",
            subset=row[-4] == "yes",
            unicode_map=row[-3] == "yes",
        )
        for row in rows
    ]


def pdf_fonts(pdf_bytes: bytes) -> list[str]:
    """Names of the fonts the PDF uses, subset prefix included."""
    return [row.name for row in pdf_font_rows(pdf_bytes)]


def pdf_text(pdf_bytes: bytes, *, first_page: int | None = None, layout: bool = False) -> str:
    """The text in reading order (or in physical layout), pages separated by form feeds."""
    args = ["-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if first_page is not None:
        args += ["-f", str(first_page), "-l", str(first_page)]
    with _pdf_file(pdf_bytes) as path:
        return _run("pdftotext", *args, str(path), "-").decode()


def pdf_page_count(pdf_bytes: bytes) -> int:
    with _pdf_file(pdf_bytes) as path:
        output = _run("pdfinfo", str(path)).decode()
    for line in output.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise ValueError("pdfinfo reported no page count")


def pdf_page_png(pdf_bytes: bytes, *, page: int = 1, dpi: int = 50) -> bytes:
    """One page rendered to a PNG, to look at or to count pixels in."""
    with _pdf_file(pdf_bytes) as path:
        return _run(
            "pdftoppm",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-png",
            "-singlefile",
            str(path),
        )


def pdf_word_boxes(pdf_bytes: bytes, *, page: int = 1) -> list[WordBox]:
    """Words on one page with their boxes, to find where a title was drawn."""
    with _pdf_file(pdf_bytes) as path:
        output = _run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-")
    root = ET.fromstring(output)
    return [
        WordBox(
            text=word.text or "",
            x_min=float(word.attrib["xMin"]),
            y_min=float(word.attrib["yMin"]),
            x_max=float(word.attrib["xMax"]),
            y_max=float(word.attrib["yMax"]),
        )
        for word in root.iter("{http://www.w3.org/1999/xhtml}word")
    ]
