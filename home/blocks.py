"""The one StreamField block set shared by every page type.

Keeping a single set means editors meet the same blocks everywhere, templates render them the same
way, and the search index extracts text from them the same way. Rich text is limited to a few
features so that rules pages stay plain and accessible (no embeds, no inline images).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock

#: Rich-text features editors may use; headings are a block of their own to keep levels sane.
RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    """Only h2/h3: the page title is the h1, and deeper levels make rules hard to scan."""

    text = blocks.CharBlock(label=_("标题文字"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("级别"),
        choices=[("h2", _("二级标题")), ("h3", _("三级标题"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("标题")
        template = "blocks/heading.html"


class DocumentBlock(blocks.StructBlock):
    """A downloadable file (申报表模板, 管理办法…); the optional caption replaces its title."""

    document = DocumentChooserBlock(label=_("文件"))
    caption = blocks.CharBlock(label=_("说明"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("下载文件")
        template = "blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    """A boxed notice for what applicants must not miss (deadlines, disqualifying events)."""

    tone = blocks.ChoiceBlock(
        label=_("样式"),
        choices=[("info", _("提示")), ("warning", _("重要"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("标题"), required=False, max_length=120)
    text = blocks.RichTextBlock(label=_("内容"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("提示框")
        template = "blocks/callout.html"


class PortalStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("段落"), features=RICH_TEXT_FEATURES, template="blocks/paragraph.html"
    )
    table = TableBlock(label=_("表格"), template="blocks/table.html")
    document = DocumentBlock()
    callout = CalloutBlock()

    class Meta:
        label = _("正文")
