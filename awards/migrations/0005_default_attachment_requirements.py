"""Cycles created before attachment requirements existed get the default evidence list.

The list is copied here (not imported) so that this migration keeps meaning what it meant when
it was written; ``awards.services.application_attachments.DEFAULT_REQUIREMENTS`` is the live one.
"""

from django.db import migrations

DEFAULTS = (
    ("financial-statements", "近三年经审计的财务报表", True, "近三个会计年度经会计师事务所审计的财务报表及审计报告。"),
    ("certificates", "管理体系认证证书", True, "质量管理体系（ISO 9001 或行业体系）等认证证书的扫描件。"),
    ("recommendation", "推荐意见", None, "推荐单位盖章的推荐意见。"),
    ("commitment", "承诺书", True, "法定代表人签字并加盖单位公章的承诺书，承诺申报材料真实、准确。"),
    ("other", "其他证明材料", False, "获奖证书、专利、标准、用户评价等其他证明材料。"),
)


def add_defaults(apps, schema_editor):
    Cycle = apps.get_model("awards", "Cycle")
    AttachmentRequirement = apps.get_model("awards", "AttachmentRequirement")
    for cycle in Cycle.objects.select_related("programme").filter(
        attachment_requirements__isnull=True
    ):
        AttachmentRequirement.objects.bulk_create(
            AttachmentRequirement(
                cycle=cycle,
                code=code,
                name=name,
                required=cycle.programme.requires_recommendation if required is None else required,
                help=help_text,
                sort_order=index,
            )
            for index, (code, name, required, help_text) in enumerate(DEFAULTS)
        )


class Migration(migrations.Migration):
    dependencies = [("awards", "0004_application_drafts")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
