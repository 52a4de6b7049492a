"""Upload checks against real files made here, and real impostors renamed to look harmless."""

import io
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from openpyxl import Workbook
from PIL import Image

from awards.uploads import (
    MB,
    DetectedFile,
    UploadRejected,
    check_application_total,
    inspect_upload,
    sanitize_filename,
)

LIMIT = 20 * MB
OOXML = "application/vnd.openxmlformats-officedocument."
NOT_ALLOWED = "文件“{name}”的内容不是 PDF、JPEG、PNG、DOCX 或 XLSX，而是{what}，已拒绝上传。"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def rejection(name: str, content: bytes, *, max_bytes: int = LIMIT) -> str:
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(upload(name, content), max_bytes=max_bytes)
    return caught.value.messages[0]


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<p>2023 年度审计报告</p>").write_pdf()


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["年度", "营业收入（万元）"])
    workbook.active.append([2023, 12345])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES_DOCX = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>承诺书</w:t></w:r></w:p></w:body></w:document>"
)


def zip_bytes(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part_name, data in parts.items():
            archive.writestr(part_name, data)
    return buffer.getvalue()


def docx_bytes(extra_parts: dict[str, bytes | str] | None = None) -> bytes:
    parts = {"[Content_Types].xml": CONTENT_TYPES_DOCX, "_rels/.rels": RELS}
    return zip_bytes(parts | {"word/document.xml": DOCUMENT} | (extra_parts or {}))


def test_a_real_pdf_is_accepted_and_the_file_is_left_at_its_start(pdf_bytes):
    uploaded = upload("2023年度审计报告.pdf", pdf_bytes)
    detected = inspect_upload(uploaded, max_bytes=LIMIT)
    assert detected == DetectedFile(
        kind="pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=len(pdf_bytes),
        safe_name="2023年度审计报告.pdf",
    )
    assert uploaded.read() == pdf_bytes


def test_real_images_and_office_files_are_accepted_by_content():
    png, jpeg, xlsx, docx = image_bytes("PNG"), image_bytes("JPEG"), xlsx_bytes(), docx_bytes()
    results = [
        inspect_upload(upload(name, content), max_bytes=LIMIT)
        for name, content in [
            ("厂区.png", png),
            ("证书扫描.JPEG", jpeg),
            ("财务数据.xlsx", xlsx),
            ("承诺书.docx", docx),
        ]
    ]
    assert results == [
        DetectedFile("png", "image/png", ".png", len(png), "厂区.png"),
        DetectedFile("jpeg", "image/jpeg", ".jpg", len(jpeg), "证书扫描.jpeg"),
        DetectedFile("xlsx", OOXML + "spreadsheetml.sheet", ".xlsx", len(xlsx), "财务数据.xlsx"),
        DetectedFile(
            "docx", OOXML + "wordprocessingml.document", ".docx", len(docx), "承诺书.docx"
        ),
    ]


@pytest.mark.parametrize("make", [docx_bytes, xlsx_bytes, lambda: image_bytes("PNG")])
def test_a_temporary_file_upload_stays_open_and_rewound(make):
    """Large uploads reach us as temporary files; zipfile and Pillow must not close or move them."""
    content = make()
    uploaded = TemporaryUploadedFile("证据", "application/octet-stream", len(content), None)
    uploaded.write(content)
    try:
        detected = inspect_upload(uploaded, max_bytes=LIMIT)
        assert (detected.size, uploaded.closed, uploaded.read()) == (len(content), False, content)
    finally:
        uploaded.close()


def test_a_name_that_contradicts_the_content_is_stored_under_the_detected_extension(pdf_bytes):
    names = [
        inspect_upload(upload(name, content), max_bytes=LIMIT).safe_name
        for name, content in [
            ("扫描件.jpg", image_bytes("PNG")),
            ("报告.exe", pdf_bytes),
            ("年报", pdf_bytes),
            ("年报.2023", pdf_bytes),
            ("表格.docx", xlsx_bytes()),
        ]
    ]
    assert names == ["扫描件.png", "报告.pdf", "年报.pdf", "年报.2023.pdf", "表格.xlsx"]


def test_a_file_opened_from_disk_without_a_size_attribute_is_inspected(tmp_path: Path, pdf_bytes):
    path = tmp_path / "自评报告.pdf"
    path.write_bytes(pdf_bytes)
    with path.open("rb") as opened:
        detected = inspect_upload(opened, max_bytes=LIMIT)
        assert opened.tell() == 0
    assert (detected.kind, detected.size, detected.safe_name) == (
        "pdf",
        len(pdf_bytes),
        "自评报告.pdf",
    )


def test_a_real_executable_renamed_to_pdf_is_rejected():
    elf = Path(shutil.which("true") or "/bin/true").read_bytes()
    assert elf[:4] == b"\x7fELF"
    assert rejection("报告.pdf", elf) == NOT_ALLOWED.format(name="报告.pdf", what="可执行程序")


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        (
            "setup.pdf",
            b"MZ\x90\x00\x03" + b"\x00" * 59 + b"This program cannot be run in DOS mode",
            "可执行程序",
        ),
        ("app.png", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 64, "可执行程序"),
        ("run.pdf", b"#!/bin/sh\nrm -rf ~\n", "脚本程序"),
        (
            "通知.pdf",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "网页（HTML）",
        ),
        ("page.pdf", b"\xef\xbb\xbf\n  <p>hi</p><script src=x></script>", "网页（HTML）"),
        (
            "logo.png",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "SVG 图片（可含脚本）",
        ),
        (
            "旧表.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
            "旧版 Office 文档（DOC/XLS）或加密的 Office 文档，请另存为 DOCX 或 XLSX",
        ),
        ("说明.pdf", "这是一段纯文本。".encode(), "纯文本"),
        ("动图.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "GIF 或 WebP 图片"),
        ("资料.pdf", b"Rar!\x1a\x07\x00" + b"\x00" * 32, "压缩包"),
    ],
)
def test_impostors_are_rejected_naming_what_they_are(name, content, what):
    assert rejection(name, content) == NOT_ALLOWED.format(name=name, what=what)


def test_a_plain_zip_and_a_macro_document_are_rejected():
    plain = zip_bytes({"a.txt": "hello", "b/c.txt": "world"})
    macro = docx_bytes({"word/vbaProject.bin": b"\x00" * 100})
    assert rejection("材料.docx", plain) == NOT_ALLOWED.format(name="材料.docx", what="ZIP 压缩包")
    assert rejection("带宏.docx", macro) == NOT_ALLOWED.format(
        name="带宏.docx", what="含宏的 Office 文档（宏可能执行程序）"
    )


def test_a_zip_bomb_is_rejected_from_its_directory_without_inflating_it():
    bomb = docx_bytes({"word/media/zeros.bin": b"\x00" * (3 * MB)})
    assert len(bomb) < 20_000
    assert rejection("炸弹.docx", bomb) == (
        "文件“炸弹.docx”解压后共 3 MB（4 个部件），压缩比异常，疑似压缩炸弹，已拒绝上传。"
    )


def test_empty_truncated_and_damaged_files_are_rejected(pdf_bytes):
    truncated_pdf = pdf_bytes[: len(pdf_bytes) - 2048]
    damaged_png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    damaged_zip = b"PK\x03\x04" + b"\x00" * 64
    assert rejection("空.pdf", b"") == "文件“空.pdf”是空文件，已拒绝上传。"
    assert rejection("半截.pdf", truncated_pdf) == (
        "文件“半截.pdf”不是完整的 PDF（缺少结束标记），可能已损坏或未上传完整。"
    )
    assert (
        rejection("坏图.png", damaged_png)
        == "文件“坏图.png”看起来是 PNG 图片，但已损坏，无法读取。"
    )
    assert rejection("坏.docx", damaged_zip) == (
        "文件“坏.docx”是损坏的压缩格式文件，无法读取，已拒绝上传。"
    )


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge canvas: tiny on disk, gigabytes once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(("width", "height"), [(10_000, 9_000), (50_000, 50_000)])
def test_an_image_bomb_is_rejected_from_its_header(width, height):
    assert rejection("图.png", png_header_only(width, height)) == (
        "图片“图.png”的像素尺寸过大（上限 8000 万像素），请缩小后再上传。"
    )


def test_oversized_files_are_rejected_with_both_sizes_before_reading_the_content():
    big = b"\x7fELF" + b"\x00" * (int(25.3 * MB) - 4)
    just_over = b"\x00" * (LIMIT + 1)
    assert rejection("x.pdf", big) == "文件“x.pdf”大小为 25.3 MB，超过单个文件 20 MB 的上限。"
    assert rejection("y.pdf", just_over) == "文件“y.pdf”大小为 20.1 MB，超过单个文件 20 MB 的上限。"
    assert rejection("z.png", image_bytes("PNG"), max_bytes=100) == (
        f"文件“z.png”大小为 {len(image_bytes('PNG'))} 字节，超过单个文件 100 字节 的上限。"
    )


def test_a_file_exactly_at_the_limit_is_accepted(pdf_bytes):
    assert inspect_upload(upload("a.pdf", pdf_bytes), max_bytes=len(pdf_bytes)).size == len(
        pdf_bytes
    )


def test_messages_name_the_sanitized_file_not_the_raw_one():
    assert rejection("../../<b>报告.pdf", b"\x7fELF\x02\x01\x01") == NOT_ALLOWED.format(
        name="b_报告.pdf", what="可执行程序"
    )


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\evil\\a.pdf", "a.pdf"),
        ("<script>.pdf", "script.pdf"),
        ("  2023年度  审计\t报告 .PDF", "2023年度 审计 报告.pdf"),
        ("报告\u3000终稿.docx", "报告 终稿.docx"),
        (".htaccess", "htaccess"),
        ("...", "附件"),
        ("", "附件"),
        ("???.pdf", "附件.pdf"),
        ("a\x00b\x07c\x7f.pdf", "abc.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ('a:b*c?"d|e.xlsx', "a_b_c_d_e.xlsx"),
        ("CON.pdf", "_CON.pdf"),
        ("report.", "report"),
    ],
)
def test_sanitize_filename(raw, clean):
    assert sanitize_filename(raw) == clean


def test_a_300_character_chinese_name_is_cut_to_fit_the_byte_limit_keeping_the_extension():
    clean = sanitize_filename("质" * 300 + ".pdf")
    assert clean == "质" * 78 + ".pdf"
    assert len(clean.encode()) == 238


def test_a_long_latin_name_is_cut_to_120_characters_keeping_the_extension():
    assert sanitize_filename("a" * 300 + ".docx") == "a" * 115 + ".docx"


def test_application_total_within_the_limit_passes_and_over_it_names_both_sizes():
    assert check_application_total(150 * MB, 50 * MB, max_total=200 * MB) is None
    with pytest.raises(UploadRejected) as caught:
        check_application_total(185 * MB, int(25.3 * MB), max_total=200 * MB)
    assert caught.value.messages == [
        "本申报已上传附件 185 MB，加上此文件 25.3 MB 共 210.3 MB，超过每份申报附件总计 200 MB 的上限。"
    ]
    assert caught.value.code == "application_total"
