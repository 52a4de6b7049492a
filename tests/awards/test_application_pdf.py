"""The application PDF (申报书): content read back with poppler, glyphs checked on the raster.

``realistic_document`` is also used by ``tests/bench/bench_application_pdf.py``.
"""

import io
import os
import subprocess
import sys
import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from awards.criteria_data import GB_T_19580_2012
from awards.pdf.document import (
    ApplicationDocument,
    AttachmentEntry,
    BasicInfo,
    CategoryEntry,
    CertificationEntry,
    ContactInfo,
    EligibilityEntry,
    FinancialYear,
    ItemEntry,
    OrganizationInfo,
)
from awards.pdf.inspect import (
    WordBox,
    pdf_font_rows,
    pdf_fonts,
    pdf_page_count,
    pdf_page_png,
    pdf_text,
    pdf_word_boxes,
)
from awards.pdf.render import (
    format_points,
    html_to_pdf,
    page_footer_css,
    render_application_pdf,
)

ORGANIZATION = "江西赣锋精密制造股份有限公司"
CYCLE_TITLE = "第五届井冈质量奖（2025 年度）"
SCRIPT = '<script>alert("申报")</script>'
TYPED_HTML = "领导层以 <b>bold</b> 标出重点。\n\n"
# 5 % steps giving 612.5: 60 % everywhere (600), 4.1.1 and 4.4.1 at 70 % (+5, +6), 4.4.5 at 75 % (+1.5).
SELF_PERCENT = {"4.1.1": 70, "4.4.1": 70, "4.4.5": 75}
SENTENCES = (
    "公司坚持“质量第一、用户至上”的经营理念，将卓越绩效模式作为提升管理水平的主要抓手。",
    "高层领导每季度组织经营分析会，对照战略目标和关键绩效指标评价进展，并形成改进项目。",
    "通过顾客满意度测评、走访和投诉分析，识别顾客需求变化，并在产品开发阶段加以落实。",
    "近三年主要产品一次交检合格率由 98.2% 提升至 99.6%，优于行业标杆水平。",
    "公司建立了覆盖研发、采购、制造、交付和服务的过程管理体系，关键过程均设有监测指标。",
    "员工培训覆盖率连续三年保持 100%，技能人才占比提高到 46%，员工满意度逐年上升。",
)


def self_assessment_text(length: int, seed: int) -> str:
    """Paragraphs of realistic Chinese prose, exactly ``length`` characters including breaks."""
    paragraphs, total, index = [], 0, seed
    while total < length:
        paragraph = "".join(SENTENCES[(index + k) % len(SENTENCES)] for k in range(4))
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
        index += 1
    return "\n\n".join(paragraphs)[:length]


def item_text(code: str, length: int, seed: int) -> str:
    prefix = TYPED_HTML if code == "4.1.1" else ""
    return prefix + self_assessment_text(length - len(prefix), seed)


def realistic_document(
    *, self_assessment_chars: int = 6_900, submitted: bool = True
) -> ApplicationDocument:
    """All 23 items of GB/T 19580-2012, the text spread evenly, self-scores summing to 612.5."""
    items = GB_T_19580_2012.items()
    per_item, extra = divmod(self_assessment_chars, len(items))
    lengths = {item.code: per_item + (1 if n < extra else 0) for n, item in enumerate(items)}
    categories = [
        CategoryEntry(
            code=category.code,
            name=category.name,
            points=category.points,
            items=[
                ItemEntry(
                    code=item.code,
                    name=item.name,
                    points=item.points,
                    kind=item.kind,
                    text=item_text(item.code, lengths[item.code], seed=n),
                    self_percent=SELF_PERCENT.get(item.code, 60),
                )
                for n, item in enumerate(category.items)
            ],
        )
        for category in GB_T_19580_2012.categories
    ]
    return ApplicationDocument(
        programme_name="井冈质量奖",
        cycle_title=CYCLE_TITLE,
        authority_name="江西省人民政府",
        application_code="JG-2025-0007",
        organization=OrganizationInfo(
            name=ORGANIZATION,
            credit_code="91360100MA35F6JX2D",
            region="江西省南昌市",
            industry="制造业",
            size="大型",
            registration_date=date(2009, 6, 18),
            legal_representative="李建国",
            address="江西省南昌市高新技术产业开发区艾溪湖北路 688 号",
        ),
        contact=ContactInfo(
            name="王晓梅", phone="0791-88126688", email="quality@ganfeng.example.cn"
        ),
        basic=BasicInfo(
            employees=3280,
            financials=[
                FinancialYear(2022, Decimal("356800.50"), Decimal("41230.00")),
                FinancialYear(2023, Decimal("402315.75"), Decimal("48810.20")),
                FinancialYear(2024, Decimal("455120.00"), Decimal("53002.80")),
            ],
            certifications=[
                CertificationEntry("ISO 9001 质量管理体系", "00121Q34567R3L", date(2011, 4, 2)),
                CertificationEntry("ISO 14001 环境管理体系", "00121E22345R2L", date(2014, 9, 15)),
            ],
            excellence_model_year=2016,
        ),
        eligibility=[
            EligibilityEntry(
                "在江西省注册登记的法人，经营满 5 年", "注册于 2009 年 6 月，已满 15 年", True
            ),
            EligibilityEntry("通过管理体系认证满 3 年", "ISO 9001 首次认证于 2011 年", True),
            EligibilityEntry("近 3 年无重大质量、安全、环境事故", "无", True),
            EligibilityEntry(
                "近 3 年无产品质量监督抽查不合格",
                "2023 年有一批次抽查不合格",
                False,
                "近 3 年内有抽查不合格记录。",
            ),
        ],
        recommending_unit="南昌市市场监督管理局",
        overview="公司是国家高新技术企业。" + SCRIPT + "\n\n" + self_assessment_text(1200, seed=3),
        categories=categories,
        attachments=[
            AttachmentEntry("近三年经审计的财务报表", "2022-2024年度审计报告.pdf", 3_456_789),
            AttachmentEntry("管理体系认证证书", "ISO9001证书.jpg", 845_120),
            AttachmentEntry("申报单位承诺书", "承诺书（盖章）.pdf", 1_048_576),
        ],
        submitted_at=datetime(2025, 3, 13, 18, 30, tzinfo=UTC) if submitted else None,
        framework_label="GB/T 19580-2012 卓越绩效评价准则",
    )


SUBMITTED_COVER_LINES = [
    "第五届井冈质量奖（2025 年度）",
    "申报书",
    "申报单位",
    ORGANIZATION,
    "统一社会信用代码",
    "91360100MA35F6JX2D",
    "推荐单位",
    "南昌市市场监督管理局",
    "申报编号",
    "JG-2025-0007",
    "提交日期",
    "2025年3月14日",
    "江西省人民政府",
    "评价准则：GB/T 19580-2012 卓越绩效评价准则",
]
LONG_DOCUMENT_PAGES = 25


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    """30,000 characters of self-assessment: the size the cycle allows at most."""
    return render_application_pdf(realistic_document(self_assessment_chars=30_000))


def lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def page_texts(pdf: bytes) -> list[str]:
    return pdf_text(pdf).split("\f")[:-1]


def test_the_30000_character_self_assessment_is_in_the_document():
    document = realistic_document(self_assessment_chars=30_000)
    texts = [item.text for category in document.categories for item in category.items]
    assert (len(texts), sum(len(text) for text in texts)) == (23, 30_000)
    assert document.self_score == Decimal("612.5")


def test_the_cover_page_lists_programme_title_organization_and_date_in_shanghai_time(long_pdf):
    assert lines(pdf_text(long_pdf, first_page=1)) == SUBMITTED_COVER_LINES


def test_a_draft_says_so_on_its_cover_instead_of_a_date():
    pdf = render_application_pdf(realistic_document(self_assessment_chars=500, submitted=False))
    cover = lines(pdf_text(pdf, first_page=1))
    assert cover[cover.index("提交日期") + 1] == "草稿（尚未提交）"


def test_every_font_is_an_embedded_subset_of_noto_cjk(long_pdf):
    rows = pdf_font_rows(long_pdf)
    assert sorted(row.name.split("+", 1)[1] for row in rows) == [
        "Noto-Sans-CJK-SC",
        "Noto-Sans-CJK-SC-Bold",
        "Noto-Serif-CJK-SC",
        "Noto-Serif-CJK-SC-Bold",
    ]
    assert all(row.embedded and row.subset and row.unicode_map for row in rows)
    assert any("NotoSerifCJK" in name.replace("-", "") for name in pdf_fonts(long_pdf))


def test_long_text_wraps_and_paginates_with_running_header_and_page_footer(long_pdf):
    pages = page_texts(long_pdf)
    assert pdf_page_count(long_pdf) == len(pages) == LONG_DOCUMENT_PAGES
    assert not any("页 / 共" in line for line in lines(pages[0]))
    for number, text in enumerate(pages[1:], start=2):
        page_lines = lines(text)
        assert page_lines[:2] == [ORGANIZATION, CYCLE_TITLE]
        assert f"第 {number} 页 / 共 {LONG_DOCUMENT_PAGES} 页" in page_lines


def test_sections_appear_in_order(long_pdf):
    headings = [
        "一、基本信息",
        "二、资格条件声明",
        "三、组织概述",
        "四、自评报告",
        "4.7.6 领导方面的结果（50 分，自评得分率 60%）",
        "五、自评分表",
        "六、附件清单",
    ]
    all_lines = lines(pdf_text(long_pdf))
    positions = [all_lines.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_self_scores_table_has_item_category_and_overall_scores(long_pdf):
    table = lines(pdf_text(long_pdf, layout=True))
    assert "自评总分 612.5 分（满分 1000 分）" in lines(pdf_text(long_pdf))
    for row in [
        "编号 评分项 分值 自评得分率 自评得分",
        "4.1 领导 110 71.0",
        "4.1.1 高层领导的作用 50 70% 35.0",
        "4.4 资源 130 85.5",
        "4.4.5 基础设施 10 75% 7.5",
        "4.7 结果 400 240.0",
        "合计 1000 612.5",
    ]:
        assert row in table


def test_basic_information_eligibility_and_attachments_are_printed(long_pdf):
    table = lines(pdf_text(long_pdf, layout=True))
    for row in [
        "2023 402,315.75 48,810.20",
        "ISO 9001 质量管理体系 00121Q34567R3L 2011年4月2日",
        "4 近 3 年无产品质量监督抽查不合格 2023 年有一批次抽查不合格 不符合",
        "1 近三年经审计的财务报表 2022-2024年度审计报告.pdf 3.3 MB",
        "2 管理体系认证证书 ISO9001证书.jpg 825.3 KB",
        "3 申报单位承诺书 承诺书（盖章）.pdf 1 MB",
    ]:
        assert row in table


def test_typed_html_and_script_are_printed_as_text_not_interpreted(long_pdf):
    text = lines(pdf_text(long_pdf))
    assert '公司是国家高新技术企业。<script>alert("申报")</script>' in text
    assert "领导层以 <b>bold</b> 标出重点。" in text


def test_the_renderer_never_fetches_remote_urls():
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        pdf = html_to_pdf(
            f'<link rel="stylesheet" href="{base}/style.css"><p>申报书</p><img src="{base}/x.png">'
        )
    finally:
        server.shutdown()
        server.server_close()
    assert requests == []
    assert [line.replace(" ", "") for line in lines(pdf_text(pdf))] == ["申报书", "第1页/共1页"]


def test_page_footer_css_and_points_formatting():
    assert page_footer_css() == (
        '@page { @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; } }'
    )
    assert [format_points(v) for v in (Decimal("612.45"), Decimal("30"), None)] == [
        "612.5",
        "30.0",
        "—",
    ]


# Raster checks. Text extraction and pdffonts can both look right while the page shows empty
# boxes, and a box (.notdef) has dark pixels too, so counting ink proves little. What proves
# that Chinese was drawn is that each title glyph looks like that character: it matches the
# character rasterized by FreeType from the Noto font file far better than it matches other
# characters. The same check on a rendering made without any CJK font must fail.

TITLE = "申报书"
TITLE_EM_PT = 44
DPI = 100
OTHER_CHARACTERS = "质量奖评审"


def ink(image: Image.Image, size: int = 32) -> np.ndarray:
    """The dark pixels, cropped to their bounding box and scaled to a square boolean mask."""
    dark = np.asarray(image) < 128
    rows, columns = np.nonzero(dark)
    assert rows.size, "no ink at all"
    box = (columns.min(), rows.min(), columns.max() + 1, rows.max() + 1)
    return np.asarray(image.crop(box).resize((size, size))) < 128


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two masks."""
    return float((a & b).sum() / (a | b).sum())


def reference_glyph(character: str) -> np.ndarray:
    """The character as FreeType draws it from the font file fontconfig picks for the title."""
    found = subprocess.run(
        ["fc-match", "-f", "%{file}:%{index}", "Noto Serif CJK SC:bold"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path, index = found.rsplit(":", 1)
    font = ImageFont.truetype(path, size=96, index=int(index))
    canvas = Image.new("L", (140, 140), 255)
    ImageDraw.Draw(canvas).text((20, 0), character, font=font, fill=0)
    return ink(canvas)


def title_box(pdf: bytes) -> WordBox:
    """The title's box on the cover; pdftotext may split a line of boxes into several words."""
    by_line: dict[float, list[WordBox]] = {}
    for word in pdf_word_boxes(pdf, page=1):
        by_line.setdefault(round(word.y_min), []).append(word)
    words = next(words for words in by_line.values() if "".join(w.text for w in words) == TITLE)
    return WordBox(
        TITLE,
        min(w.x_min for w in words),
        min(w.y_min for w in words),
        max(w.x_max for w in words),
        max(w.y_max for w in words),
    )


def title_glyphs(pdf: bytes) -> list[tuple[int, np.ndarray]]:
    """Each title character's cell on the cover as (dark pixels, ink mask).

    The title has 0.25 em letter spacing, so whatever the glyph width, the box is
    n glyphs plus (n - 1) spacings and each glyph starts one advance after the previous.
    """
    page = Image.open(io.BytesIO(pdf_page_png(pdf, page=1, dpi=DPI))).convert("L")
    box = title_box(pdf)
    spacing = TITLE_EM_PT * 0.25
    advance = (box.x_max - box.x_min + spacing) / len(TITLE)
    scale = DPI / 72
    cells = []
    for position in range(len(TITLE)):
        left = (box.x_min + position * advance) * scale
        right = left + (advance - spacing) * scale
        cell = page.crop(
            (int(left) - 1, int(box.y_min * scale), int(right) + 2, int(box.y_max * scale) + 1)
        )
        cells.append((int((np.asarray(cell) < 128).sum()), ink(cell)))
    return cells


def recognise(pdf: bytes) -> list[tuple[str, float]]:
    """For each title cell: the best-matching character and its overlap with the right one."""
    references = {character: reference_glyph(character) for character in TITLE + OTHER_CHARACTERS}
    results = []
    for (_, glyph), expected in zip(title_glyphs(pdf), TITLE, strict=True):
        scores = {character: overlap(glyph, mask) for character, mask in references.items()}
        results.append((max(scores, key=scores.__getitem__), round(scores[expected], 2)))
    return results


def test_cover_title_glyphs_are_the_chinese_characters_not_boxes(long_pdf):
    cells = title_glyphs(long_pdf)
    assert all(dark > 800 for dark, _ in cells)
    recognised = recognise(long_pdf)
    assert [best for best, _ in recognised] == list(TITLE)
    assert all(score >= 0.7 for _, score in recognised)


FONTLESS_RENDER = """
import sys
import django
django.setup()
from awards.pdf.render import render_application_pdf
from tests.awards.test_application_pdf import realistic_document
sys.stdout.buffer.write(render_application_pdf(realistic_document(self_assessment_chars=300)))
"""


def test_the_glyph_check_fails_on_a_rendering_without_cjk_fonts(tmp_path: Path, long_pdf):
    """The negative control: the same code on a system with only DejaVu fonts draws boxes."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        "<?xml version='1.0'?><fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    completed = subprocess.run(
        [sys.executable, "-c", FONTLESS_RENDER],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **os.environ,
            "FONTCONFIG_FILE": str(config),
            "DJANGO_SETTINGS_MODULE": "tests.settings",
        },
        capture_output=True,
        timeout=300,
        check=True,
    )
    fontless = completed.stdout
    assert not any("CJK" in name for name in pdf_fonts(fontless))
    assert lines(pdf_text(fontless, first_page=1))[1].replace(" ", "") == TITLE
    boxes = title_glyphs(fontless)
    # Boxes are ink too: a dark-pixel count alone would have passed this broken rendering.
    assert all(dark > 300 for dark, _ in boxes)
    assert all(score < 0.3 for _, score in recognise(fontless))
    drawn = [glyph for _, glyph in title_glyphs(long_pdf)]
    assert all(overlap(box, glyph) < 0.3 for (_, box), glyph in zip(boxes, drawn, strict=True))
