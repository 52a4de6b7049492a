"""``manage.py check_restore``: after restoring a backup, is everything there?

Checks that the database answers and is fully migrated, then that every file the database refers
to (every ``FileField`` of every model: applicants' evidence, application PDFs, certificates,
objection evidence, Wagtail images, renditions and documents) is present in its storage, local
disk or object store alike. Prints the count per field and each missing file; exits non-zero when
the database is not usable or anything is missing (see docs/deployment.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models
from django.db.migrations.executor import MigrationExecutor


@dataclass
class FieldReport:
    label: str
    checked: int = 0
    missing: list[tuple[object, str]] = field(default_factory=list)


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every concrete file field of every installed model, in a stable order."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                found.append((model, model_field))
    return sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1].name))


def check_field(model: type[models.Model], model_field: models.FileField) -> FieldReport:
    report = FieldReport(label=f"{model._meta.label}.{model_field.name}")
    storage = model_field.storage
    names = (
        model._default_manager.exclude(**{model_field.name: ""})
        .exclude(**{f"{model_field.name}__isnull": True})
        .order_by("pk")
        .values_list("pk", model_field.name)
        .iterator()
    )
    for pk, name in names:
        report.checked += 1
        if not storage.exists(name):
            report.missing.append((pk, name))
    return report


class Command(BaseCommand):
    help = "Check a restored portal: database reachable and migrated, every stored file present."
    requires_system_checks = []

    def handle(self, *args, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            connection.ensure_connection()
            executor = MigrationExecutor(connection)
            unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            raise CommandError(f"Database not reachable: {error}") from error
        if unapplied:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in unapplied[:5])
            more = ", …" if len(unapplied) > 5 else ""
            raise CommandError(
                f"Database not fully migrated: {len(unapplied)} migration(s) unapplied ({names}{more})."
            )
        self.stdout.write(f"Database: reachable, migrated ({connection.vendor}).")

        total = missing = 0
        for model, model_field in file_fields():
            report = check_field(model, model_field)
            total += report.checked
            missing += len(report.missing)
            self.stdout.write(
                f"{report.label}: {report.checked} files, {len(report.missing)} missing"
            )
            for pk, name in report.missing:
                self.stdout.write(f"  MISSING {report.label} pk={pk}: {name}")
        self.stdout.write(
            f"Files: {total} referenced, {total - missing} present, {missing} missing."
        )
        if missing:
            raise CommandError(f"{missing} stored file(s) missing: the restore is incomplete.")
        self.stdout.write(self.style.SUCCESS("Restore check passed."))
