"""Checks on uploaded evidence, decided by what the bytes are, never by name or browser type.

An applicant's file is later opened by officials and reviewers, so a renamed executable, a web
page named ``.pdf`` (which a browser would run as HTML) or a zip bomb must never get in. The
checks are pure: they take any seekable file object (Django's ``UploadedFile`` or an open file),
read only the few kilobytes they need, put the position back at the start, and touch no database.
Services decide what to do with the result (store it, count it against the application total).
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024
DEFAULT_MAX_FILE_BYTES = 20 * MB
DEFAULT_MAX_APPLICATION_BYTES = 200 * MB

HEAD_BYTES = 8192
PDF_EOF_WINDOW = 1024
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_UNCOMPRESSED_BYTES = 512 * MB
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR_BYTES = MB
CONTENT_TYPES_MAX_BYTES = MB
IMAGE_MAX_PIXELS = 80_000_000

MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 240
FALLBACK_NAME = "附件"


@dataclass(frozen=True, slots=True)
class AllowedKind:
    kind: str
    content_type: str
    extension: str
    aliases: tuple[str, ...]


_OOXML = "application/vnd.openxmlformats-officedocument."
ALLOWED_KINDS: dict[str, AllowedKind] = {
    spec.kind: spec
    for spec in (
        AllowedKind("pdf", "application/pdf", ".pdf", (".pdf",)),
        AllowedKind("jpeg", "image/jpeg", ".jpg", (".jpg", ".jpeg", ".jpe", ".jfif")),
        AllowedKind("png", "image/png", ".png", (".png",)),
        AllowedKind("docx", _OOXML + "wordprocessingml.document", ".docx", (".docx",)),
        AllowedKind("xlsx", _OOXML + "spreadsheetml.sheet", ".xlsx", (".xlsx",)),
    )
}
ACCEPT_ATTRIBUTE = ",".join(
    [spec.content_type for spec in ALLOWED_KINDS.values()]
    + [alias for spec in ALLOWED_KINDS.values() for alias in spec.aliases]
)


@dataclass(frozen=True, slots=True)
class DetectedFile:
    """What an accepted upload really is.

    ``kind`` is one of ``ALLOWED_KINDS`` ("pdf", "jpeg", "png", "docx", "xlsx");
    ``content_type`` and ``extension`` (with the dot, e.g. ".jpg") follow the content;
    ``size`` is in bytes; ``safe_name`` is the sanitized original name carrying an extension
    that matches the content — store and serve the file under that name and type.
    """

    kind: str
    content_type: str
    extension: str
    size: int
    safe_name: str


class UploadRejected(ValidationError):
    """An upload refused for a reason the applicant can act on; the message says which."""


class UploadedFileLike(Protocol):
    name: str | None

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def tell(self) -> int: ...


_RESERVED = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_UNDERSCORES = re.compile(r"_{2,}")
_WHITESPACE = re.compile(r"\s+")
_EXTENSION = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,4}$")
_WINDOWS_DEVICE = re.compile(r"^(?:CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])$", re.IGNORECASE)


def format_size(size: int, *, round_up: bool = False) -> str:
    """Sizes as applicants read them: binary megabytes written "MB", one decimal, no ".0"."""
    if size < 1024:
        return _("%(size)d 字节") % {"size": size}
    value, unit = (size / MB, "MB") if size >= MB else (size / 1024, "KB")
    value = math.ceil(value * 10) / 10 if round_up else value
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def _format_over_limit(size: int, limit: int) -> str:
    """The size of something over a limit, never printed equal to the limit (20 MB + 1 byte)."""
    shown = format_size(size)
    return format_size(size, round_up=True) if shown == format_size(limit) else shown


def _split_extension(name: str) -> tuple[str, str]:
    """Split "报告.PDF" into ("报告", ".PDF"); "年报.2023" and ".bashrc" have no extension."""
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and _EXTENSION.match(suffix):
        return stem, "." + suffix
    return name, ""


def _fit(stem: str, extension: str) -> str:
    """Shorten the stem so the name stays within the character and UTF-8 byte limits.

    The byte limit matters because file systems cap a name at 255 bytes and 120 Chinese
    characters already take 360; the margin leaves room for the storage's de-duplication suffix.
    """
    stem = stem[: max(1, MAX_NAME_CHARS - len(extension))]
    budget = MAX_NAME_BYTES - len(extension.encode())
    while len(stem.encode()) > budget:
        stem = stem[:-1]
    stem = stem.rstrip(" ._")
    return (stem or FALLBACK_NAME) + extension


def sanitize_filename(name: str) -> str:
    """A name safe to store, show and send in a download header, keeping the readable part.

    Drops any directory part (both separators, so ``C:\\evil\\a.pdf`` gives ``a.pdf``), control
    and formatting characters (including right-to-left overrides that disguise ``exe`` as
    ``pdf``), characters reserved on Windows, leading dots (hidden files, ``..``) and trailing dots
    and spaces; collapses whitespace; keeps Chinese; limits the length while keeping the
    extension. Never returns an empty string.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _WHITESPACE.sub(" ", name)
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = _UNDERSCORES.sub("_", _RESERVED.sub("_", name)).strip(" ").rstrip(". ")
    stem, extension = _split_extension(name)
    stem = stem.lstrip("._ ").rstrip("._ ")
    if _WINDOWS_DEVICE.match(stem.split(".")[0]):
        stem = "_" + stem
    return _fit(stem or FALLBACK_NAME, extension.lower())


def _name_for_content(safe_name: str, spec: AllowedKind) -> str:
    """The sanitized name with an extension that tells the truth about the content.

    A file whose name contradicts its content is accepted, not refused: phones and scanners
    often save a PNG as ``.jpg`` and applicants rename files carelessly, while the danger of a
    mismatch lies only in serving bytes under a misleading type. Storing and serving the file
    under the detected extension and content type removes that danger. An extension that is an
    accepted alias of the content ("照片.jpeg") is kept; any other (".exe", ".html") is replaced.
    """
    stem, extension = _split_extension(safe_name)
    if extension.lower() in spec.aliases:
        return safe_name
    return _fit(stem, spec.extension)


def _reject(message: str, code: str, **params: object) -> UploadRejected:
    return UploadRejected(message % params, code=code)


def _size_of(uploaded_file: UploadedFileLike) -> int:
    size = getattr(uploaded_file, "size", None)
    if isinstance(size, int):
        return size
    uploaded_file.seek(0, 2)
    end = uploaded_file.tell()
    uploaded_file.seek(0)
    return end


def inspect_upload(uploaded_file: UploadedFileLike, *, max_bytes: int) -> DetectedFile:
    """Accept a PDF, JPEG, PNG, DOCX or XLSX by its content, or raise ``UploadRejected``.

    Reads the first 8 KB, for a PDF the last 1 KB, for a ZIP container its central directory
    and ``[Content_Types].xml`` (bounded), and for an image its header; never the whole file.
    """
    safe_name = sanitize_filename(getattr(uploaded_file, "name", "") or "")
    size = _size_of(uploaded_file)
    if size == 0:
        raise _reject(_("文件“%(name)s”是空文件，已拒绝上传。"), "empty", name=safe_name)
    if size > max_bytes:
        raise _reject(
            _("文件“%(name)s”大小为 %(size)s，超过单个文件 %(limit)s 的上限。"),
            "too_large",
            name=safe_name,
            size=_format_over_limit(size, max_bytes),
            limit=format_size(max_bytes),
        )
    try:
        uploaded_file.seek(0)
        head = uploaded_file.read(HEAD_BYTES)
        kind = _detect(uploaded_file, head, size, safe_name)
    finally:
        uploaded_file.seek(0)
    spec = ALLOWED_KINDS[kind]
    return DetectedFile(
        kind=spec.kind,
        content_type=spec.content_type,
        extension=spec.extension,
        size=size,
        safe_name=_name_for_content(safe_name, spec),
    )


def _detect(uploaded_file: UploadedFileLike, head: bytes, size: int, name: str) -> str:
    if head.startswith(b"%PDF-"):
        uploaded_file.seek(max(0, size - PDF_EOF_WINDOW))
        if b"%%EOF" not in uploaded_file.read(PDF_EOF_WINDOW):
            raise _reject(
                _("文件“%(name)s”不是完整的 PDF（缺少结束标记），可能已损坏或未上传完整。"),
                "pdf_truncated",
                name=name,
            )
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        _check_image(uploaded_file, name, "JPEG")
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_image(uploaded_file, name, "PNG")
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return _detect_office(uploaded_file, name)
    raise _not_allowed(name, describe_content(head))


def _not_allowed(name: str, what: str) -> UploadRejected:
    return _reject(
        _("文件“%(name)s”的内容不是 PDF、JPEG、PNG、DOCX 或 XLSX，而是%(what)s，已拒绝上传。"),
        "type_not_allowed",
        name=name,
        what=what,
    )


def _check_image(uploaded_file: UploadedFileLike, name: str, label: str) -> None:
    """Read only the image header: it must parse, and its pixel count must not be a bomb."""
    from PIL import Image, UnidentifiedImageError

    uploaded_file.seek(0)
    try:
        with warnings.catch_warnings():
            # Our own limit below is lower than Pillow's warning threshold.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(uploaded_file) as image:  # type: ignore[arg-type]
                pixels = image.size[0] * image.size[1]
    except Image.DecompressionBombError:
        pixels = IMAGE_MAX_PIXELS + 1
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _reject(
            _("文件“%(name)s”看起来是 %(label)s 图片，但已损坏，无法读取。"),
            "image_damaged",
            name=name,
            label=label,
        ) from None
    if pixels > IMAGE_MAX_PIXELS:
        raise _reject(
            _("图片“%(name)s”的像素尺寸过大（上限 %(limit)d 万像素），请缩小后再上传。"),
            "image_too_large",
            name=name,
            limit=IMAGE_MAX_PIXELS // 10_000,
        )


def _detect_office(uploaded_file: UploadedFileLike, name: str) -> str:
    """DOCX or XLSX by their parts and declared content types; anything else zipped is refused.

    Only the central directory and ``[Content_Types].xml`` are read. The declared sizes are
    capped before anything is decompressed; ``zipfile`` never inflates an entry beyond its
    declared size, so a lying header cannot make the bounded read below any larger.
    """
    try:
        archive = zipfile.ZipFile(uploaded_file)  # type: ignore[arg-type]
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _reject(
            _("文件“%(name)s”是损坏的压缩格式文件，无法读取，已拒绝上传。"),
            "zip_damaged",
            name=name,
        ) from None
    with archive:
        entries = archive.infolist()
        _check_zip_bomb(entries, name)
        names = {entry.filename for entry in entries}
        content_types = b""
        if "[Content_Types].xml" in names:
            try:
                with archive.open("[Content_Types].xml") as stream:
                    content_types = stream.read(CONTENT_TYPES_MAX_BYTES)
            except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
                raise _reject(
                    _("文件“%(name)s”是损坏的 Office 文档，无法读取，已拒绝上传。"),
                    "zip_damaged",
                    name=name,
                ) from None
    if b"macroEnabled" in content_types or any(n.endswith("vbaProject.bin") for n in names):
        what = _("含宏的 Office 文档（宏可能执行程序）")
    elif "word/document.xml" in names and b"wordprocessingml.document.main+xml" in content_types:
        return "docx"
    elif "xl/workbook.xml" in names and b"spreadsheetml.sheet.main+xml" in content_types:
        return "xlsx"
    elif content_types:
        what = _("其他 Office 文档")
    else:
        what = _("ZIP 压缩包")
    raise _not_allowed(name, what)


def _check_zip_bomb(entries: list[zipfile.ZipInfo], name: str) -> None:
    total = sum(entry.file_size for entry in entries)
    suspicious = (
        len(entries) > ZIP_MAX_ENTRIES
        or total > ZIP_MAX_UNCOMPRESSED_BYTES
        or any(
            entry.file_size > ZIP_RATIO_FLOOR_BYTES
            and entry.file_size > ZIP_MAX_RATIO * max(entry.compress_size, 1)
            for entry in entries
        )
    )
    if suspicious:
        raise _reject(
            _(
                "文件“%(name)s”解压后共 %(total)s（%(count)d 个部件），压缩比异常，"
                "疑似压缩炸弹，已拒绝上传。"
            ),
            "zip_bomb",
            name=name,
            total=format_size(total),
            count=len(entries),
        )


_EXECUTABLES = (
    b"\x7fELF",
    b"MZ",
    b"\xfe\xed\xfa",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
_ARCHIVES = (b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")
_HTML_TAG = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|object|embed|meta|title)[\s>/]",
    re.IGNORECASE,
)


def describe_content(head: bytes) -> str:
    """A Chinese name for what refused bytes are, so the message says what was found."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    if head.startswith(_EXECUTABLES):
        return _("可执行程序")
    if head.startswith(b"#!"):
        return _("脚本程序")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _("旧版 Office 文档（DOC/XLS）或加密的 Office 文档，请另存为 DOCX 或 XLSX")
    if head.startswith(_ARCHIVES):
        return _("压缩包")
    if head.startswith(b"GIF8") or (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        return _("GIF 或 WebP 图片")
    if re.search(rb"<svg[\s>]", text, re.IGNORECASE):
        return _("SVG 图片（可含脚本）")
    if _HTML_TAG.search(text):
        return _("网页（HTML）")
    if text.startswith(b"<?xml"):
        return _("XML 文档")
    if b"\x00" not in head:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            pass
        else:
            return _("纯文本")
    return _describe_with_puremagic(head)


def _describe_with_puremagic(head: bytes) -> str:
    import puremagic

    try:
        extension = puremagic.from_string(head)
    except (puremagic.PureError, ValueError):
        extension = ""
    if extension:
        return _("其他类型的文件（%(extension)s）") % {"extension": extension.lower()}
    return _("无法识别的类型")


def check_application_total(existing_bytes: int, new_bytes: int, *, max_total: int) -> None:
    """Refuse a file that would take the application's attachments over their total limit."""
    total = existing_bytes + new_bytes
    if total <= max_total:
        return
    raise _reject(
        _(
            "本申报已上传附件 %(existing)s，加上此文件 %(new)s 共 %(total)s，"
            "超过每份申报附件总计 %(limit)s 的上限。"
        ),
        "application_total",
        existing=format_size(existing_bytes),
        new=format_size(new_bytes),
        total=_format_over_limit(total, max_total),
        limit=format_size(max_total),
    )
