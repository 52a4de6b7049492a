"""A stale consensus status, and conflict waivers per review stage.

Each existing waiver is moved to the stage it was given for: the earliest stage (by order) in
which the reviewer sits, or sat, on the application's panel (a waiver was recorded when the
reviewer was first assigned; later stages reused it, which is what this change stops). A waiver
with no such assignment goes to the last stage opened when it was decided, else to the cycle's
first stage. A waiver of a cycle without any stage cannot have been used and is dropped.
"""

import django.db.models.deletion
from django.db import migrations, models


def waivers_to_their_stage(apps, schema_editor):
    ConflictOverride = apps.get_model("scoring", "ConflictOverride")
    Assignment = apps.get_model("scoring", "Assignment")
    ReviewStage = apps.get_model("scoring", "ReviewStage")
    for override in ConflictOverride.objects.select_related("application").order_by("pk"):
        cycle_id = override.application.cycle_id
        assigned = (
            Assignment.objects.filter(
                reviewer_id=override.reviewer_id,
                panel__application_id=override.application_id,
                panel__stage__cycle_id=cycle_id,
            )
            .order_by("panel__stage__order")
            .values_list("panel__stage_id", flat=True)
            .first()
        )
        stages = ReviewStage.objects.filter(cycle_id=cycle_id)
        stage_id = (
            assigned
            or stages.filter(opens_at__lte=override.decided_at)
            .order_by("-order")
            .values_list("pk", flat=True)
            .first()
            or stages.order_by("order").values_list("pk", flat=True).first()
        )
        if stage_id is None:
            override.delete()
        else:
            ConflictOverride.objects.filter(pk=override.pk).update(stage_id=stage_id)
    if schema_editor.connection.vendor == "postgresql":
        # Fire the deferred foreign-key checks now: the column is altered next.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ("scoring", "0007_honest_reached_stage"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consensus",
            name="status",
            field=models.CharField(
                choices=[("draft", "讨论中"), ("final", "已确定"), ("stale", "待重新确认")],
                default="draft",
                max_length=10,
                verbose_name="状态",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="conflictoverride",
            name="one_override_per_pair",
        ),
        migrations.AddField(
            model_name="conflictoverride",
            name="stage",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="conflict_overrides",
                to="scoring.reviewstage",
                verbose_name="评审阶段",
            ),
        ),
        migrations.RunPython(waivers_to_their_stage, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="conflictoverride",
            name="stage",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="conflict_overrides",
                to="scoring.reviewstage",
                verbose_name="评审阶段",
            ),
        ),
        migrations.AddConstraint(
            model_name="conflictoverride",
            constraint=models.UniqueConstraint(
                fields=("stage", "application", "reviewer"), name="one_override_per_stage_pair"
            ),
        ),
    ]
