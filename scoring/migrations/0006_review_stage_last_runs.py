"""The panels and advancement pages read the stage's last automatic assignment and last
advancement from the stage itself, no longer from the audit log; existing stages get them from
their latest audit entries so the pages show the same as before."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_last_runs_from_the_audit_log(apps, schema_editor):
    AuditEntry = apps.get_model("awards", "AuditEntry")
    ReviewStage = apps.get_model("scoring", "ReviewStage")
    latest = {}
    entries = AuditEntry.objects.filter(
        target_type="scoring.reviewstage", action__in=["auto_assign", "apply_advancement"]
    ).order_by("created_at", "id")
    for entry in entries.iterator():
        latest[entry.action, entry.target_id] = entry
    for (action, stage_id), entry in latest.items():
        stage = ReviewStage.objects.filter(pk=int(stage_id))
        if action == "auto_assign":
            stage.update(
                auto_assigned_at=entry.created_at,
                auto_assign_shortfalls=entry.details.get("shortfalls", []),
            )
        else:
            stage.update(
                advancement_applied_at=entry.created_at, advancement_applied_by_id=entry.actor_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0003_person_proxy"),
        ("scoring", "0005_assignment_removed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewstage",
            name="advancement_applied_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="上次确定晋级时间"
            ),
        ),
        migrations.AddField(
            model_name="reviewstage",
            name="advancement_applied_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="确定晋级人",
            ),
        ),
        migrations.AddField(
            model_name="reviewstage",
            name="auto_assign_shortfalls",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text="每项为一件申报的缺额及原因代码，页面按读者的语言说明。",
                verbose_name="上次自动分配后的缺额",
            ),
        ),
        migrations.AddField(
            model_name="reviewstage",
            name="auto_assigned_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="上次自动分配时间"
            ),
        ),
        migrations.RunPython(copy_last_runs_from_the_audit_log, migrations.RunPython.noop),
    ]
