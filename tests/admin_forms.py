"""Build the POST data that Wagtail's admin edit forms expect, from plain values."""


def inline_formset(prefix: str, rows: list[dict], initial: int | None = None) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(rows) if initial is None else initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data[f"{prefix}-{index}-ORDER"] = str(index + 1)
        for key, value in row.items():
            if key == "DELETE":
                if value:
                    data[f"{prefix}-{index}-DELETE"] = "on"
                continue
            data[f"{prefix}-{index}-{key}"] = "" if value is None else str(value)
    return data


def framework_form_data(framework, **overrides) -> dict:
    """The edit form of a framework as it stands; ``item_points`` overrides points by code."""
    item_points = overrides.pop("item_points", {})
    data = {
        "code": framework.code,
        "version": framework.version,
        "name": framework.name,
        "total_points": framework.total_points,
        "authority": framework.authority_id or "",
    }
    data.update(overrides)
    categories = [
        {"id": c.pk, "code": c.code, "name": c.name, "name_en": c.name_en, "points": c.points}
        for c in framework.categories.all()
    ]
    items = [
        {
            "id": i.pk,
            "code": i.code,
            "name": i.name,
            "points": item_points.get(i.code, i.points),
            "kind": i.kind,
            "guidance": i.guidance,
        }
        for i in framework.items.all()
    ]
    data.update(inline_formset("categories", categories))
    data.update(inline_formset("items", items))
    return data


def cycle_form_data(cycle, levels=None, **overrides) -> dict:
    """The edit form of a cycle; dates as ISO strings, the deadline as 'YYYY-MM-DD HH:MM'."""
    from django.utils import timezone

    deadline = timezone.localtime(cycle.application_deadline)
    data = {
        "programme": cycle.programme_id,
        "edition": cycle.edition,
        "year": cycle.year,
        "framework": cycle.framework_id,
        "applications_open": cycle.applications_open.isoformat(),
        "application_deadline": deadline.strftime("%Y-%m-%d %H:%M"),
        "deadline_extended_until": "",
        "screening_deadline": cycle.screening_deadline.isoformat(),
        "document_review_deadline": cycle.document_review_deadline.isoformat(),
        "onsite_review_deadline": cycle.onsite_review_deadline.isoformat(),
        "notice_start": cycle.notice_start.isoformat(),
        "announcement_date": cycle.announcement_date.isoformat(),
        "min_years_operating": cycle.min_years_operating,
        "min_years_certified": cycle.min_years_certified,
        "min_years_excellence_model": cycle.min_years_excellence_model,
        "lookback_years": cycle.lookback_years,
        "overview_char_limit": cycle.overview_char_limit,
        "self_assessment_char_limit": cycle.self_assessment_char_limit,
        "individual_framework": cycle.individual_framework_id or "",
        "recommendation_deadline": "",
        "min_years_quality_work": cycle.min_years_quality_work,
    }
    data.update(overrides)
    requirements = (
        [
            {
                "id": r.pk,
                "track": r.track,
                "code": r.code,
                "name": r.name,
                "required": "on" if r.required else "",
                "help": r.help,
            }
            for r in cycle.attachment_requirements.all()
        ]
        if cycle.pk
        else []
    )
    data.update(inline_formset("attachment_requirements", requirements))
    if levels is None:
        levels = [
            {
                "id": level.pk,
                "track": level.track,
                "name": level.name,
                "min_total": level.min_total,
                "quota": level.quota,
            }
            for level in cycle.levels.all()
        ]
        data.update(inline_formset("levels", levels))
    else:
        levels = [{"track": "organization", **level} for level in levels]
        data.update(inline_formset("levels", levels, initial=0))
    return data
