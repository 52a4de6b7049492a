"""Load GB/T 19580-2012 as the national criteria framework (editable data, see criteria_data)."""

from django.db import migrations

from awards.criteria_data import GB_T_19580_2012


def load(apps, schema_editor):
    framework_model = apps.get_model("awards", "CriteriaFramework")
    category_model = apps.get_model("awards", "CriteriaCategory")
    item_model = apps.get_model("awards", "CriteriaItem")
    spec = GB_T_19580_2012
    framework, created = framework_model.objects.get_or_create(
        code=spec.code,
        version=spec.version,
        authority=None,
        defaults={"name": spec.name, "total_points": spec.total_points},
    )
    if not created:
        return
    order = 0
    for category in spec.categories:
        category_model.objects.create(
            framework=framework,
            code=category.code,
            name=category.name,
            name_en=category.name_en,
            points=category.points,
            sort_order=spec.categories.index(category),
        )
        for item in category.items:
            item_model.objects.create(
                framework=framework,
                code=item.code,
                name=item.name,
                points=item.points,
                kind=item.kind,
                guidance=item.guidance,
                sort_order=order,
            )
            order += 1


def unload(apps, schema_editor):
    framework_model = apps.get_model("awards", "CriteriaFramework")
    spec = GB_T_19580_2012
    framework_model.objects.filter(code=spec.code, version=spec.version, authority=None).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
