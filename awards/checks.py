"""Start-up checks for what PDFs silently need.

Without a CJK font WeasyPrint draws Chinese as empty boxes and raises nothing, so a missing font is
an error; without libharfbuzz-subset a certificate takes about twenty times longer, so that is a
warning. Both look at the system the way WeasyPrint does: fontconfig for fonts, the dynamic
loader for the library.
"""

import ctypes.util
import shutil
import subprocess

from django.core.checks import Error, Tags, Warning, register
from django.utils.translation import gettext as _

CJK_FONT_FIX = "apt-get install fonts-noto-cjk"
HARFBUZZ_SUBSET_FIX = "apt-get install libharfbuzz-subset0"


def find_cjk_fonts() -> list[str]:
    """Font families fontconfig knows that cover Chinese, as WeasyPrint would find them."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    completed = subprocess.run(
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=False
    )
    return sorted({line.strip() for line in completed.stdout.splitlines() if line.strip()})


def has_harfbuzz_subset(library: str = "harfbuzz-subset") -> bool:
    return ctypes.util.find_library(library) is not None


@register(Tags.compatibility, deploy=False)
def check_cjk_font(app_configs=None, **kwargs):
    if find_cjk_fonts():
        return []
    return [
        Error(
            _("没有安装中文（CJK）字体，PDF 中的汉字会显示为空白方框。"),
            hint=_("请安装中文字体，例如：%(fix)s") % {"fix": CJK_FONT_FIX},
            id="awards.E001",
        )
    ]


@register(Tags.compatibility)
def check_harfbuzz_subset(app_configs=None, library: str = "harfbuzz-subset", **kwargs):
    if has_harfbuzz_subset(library):
        return []
    return [
        Warning(
            _("未找到 libharfbuzz-subset，生成含中文字体的 PDF 会慢约 20 倍。"),
            hint=_("请安装：%(fix)s") % {"fix": HARFBUZZ_SUBSET_FIX},
            id="awards.W001",
        )
    ]
