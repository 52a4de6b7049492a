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


#: Production (``DJANGO_DEBUG=false``) refuses what works in development but fails silently in
#: production: certificates printed with a local or plain-http verification address, data in a
#: SQLite file inside the container, background work (PDFs, e-mails, results) run inside the web
#: request, and certificates signed with no key of their own.
IMMEDIATE_TASKS = "django.tasks.backends.immediate.ImmediateBackend"


def database_engine() -> str:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"]


@register(Tags.security)
def check_production_configuration(app_configs=None, **kwargs):
    from django.conf import settings

    if settings.DEBUG:
        return []
    errors = []
    base_url = getattr(settings, "PORTAL_BASE_URL", "") or ""
    if not base_url.startswith("https://"):
        errors.append(
            Error(
                _("生产环境的 PORTAL_BASE_URL 未设置或不是 https 地址（证书二维码的验证链接）。"),
                hint=_("请设置 PORTAL_BASE_URL，例如 https://award.example.gov.cn"),
                id="awards.E101",
            )
        )
    if database_engine() == "django.db.backends.sqlite3":
        errors.append(
            Error(
                _("生产环境未设置 DATABASE_URL，数据会存进 SQLite 文件。"),
                hint=_("请设置 DATABASE_URL，例如 postgres://用户@主机:5432/数据库"),
                id="awards.E102",
            )
        )
    if settings.TASKS["default"]["BACKEND"] == IMMEDIATE_TASKS:
        errors.append(
            Error(
                _("生产环境的后台任务在请求中立即执行（immediate）。"),
                hint=_("请设置 DJANGO_TASKS_BACKEND=database 并运行 manage.py db_worker。"),
                id="awards.E103",
            )
        )
    if not getattr(settings, "CERTIFICATE_SIGNING_KEY", ""):
        errors.append(
            Error(
                _("生产环境未设置证书签名密钥 CERTIFICATE_SIGNING_KEY。"),
                hint=_("请设置一个与 DJANGO_SECRET_KEY 不同的随机长字符串。"),
                id="awards.E104",
            )
        )
    return errors
