"""Template context of a wizard page: the progress indicator and what the current step adds."""

from __future__ import annotations

from django.utils.translation import gettext as _

from awards.views.application_autosave import autosave_messages
from awards.wizard.base import SavedWork


def wizard_context(wizard, form) -> dict:
    application = wizard.application
    steps = wizard.step_list
    step = steps.get(wizard.steps.current)
    saved = SavedWork.of(application)
    context = {
        "charcount_messages": {
            "over": _("超出 %(over)s 个字符（上限 %(limit)s 个字符，当前 %(length)s 个字符）"),
            "under": _("已输入 %(length)s / %(limit)s 个字符，还可输入 %(left)s 个字符"),
            "total": _("自评报告全文：%(text)s"),
            "item": _("本条已输入 %(length)s 个字符"),
        },
        "autosave_messages": autosave_messages(),
        "application": application,
        "cycle": application.cycle,
        "step": step.name,
        "wizard_step": step,
        "step_title": step.title,
        "step_number": steps.index(step) + 1,
        "step_count": len(steps),
        "prev_step": wizard.steps.prev,
        "next_step": wizard.steps.next,
        "nav": [
            {
                "name": each.name,
                "title": each.title,
                "number": number,
                "current": each is step,
                "saved": each.is_saved(saved),
            }
            for number, each in enumerate(steps, start=1)
        ],
    }
    context.update(step.context(application=application, form=form, steps=steps))
    return context
