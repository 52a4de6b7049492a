"""The wizard's background save: the page's script posts a step's form here every few seconds.

The same services as the buttons (``Step.save``: the draft is kept as typed, each step locked on
its own), answered in JSON: the new version and the time saved, or the refusal (409 for a stale
tab or closed editing, 401 once the session has ended) with its message, so the page can keep
the typed text and say why.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.queries import own_applications
from awards.services.application_drafts import EditingClosed, StaleDraft
from awards.wizard.base import StepPost
from awards.wizard.tracks import steps_for


def autosave_messages() -> dict[str, str]:
    return {
        "saving": _("正在保存……"),
        "saved": _("已保存 %(time)s"),
        "failed": _("自动保存失败，请检查网络后点击“保存”。"),
        "session": _("登录已失效，本次输入尚未保存；内容已暂存在本浏览器中，请重新登录后保存。"),
        "leave": _("有尚未保存的内容，确定离开本页吗？"),
        "restore": _("本浏览器中暂存有您在 %(time)s 输入但尚未保存的内容。"),
        "restore_button": _("恢复这些内容"),
        "discard_button": _("放弃"),
    }


def session_ended_message() -> str:
    return _("登录已失效，本次输入尚未保存；内容已暂存在本浏览器中，请重新登录后保存。")


def refusal(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"ok": False, "error": message, **extra}, status=status)


def application_autosave(request, pk: int, step: str):
    if not request.user.is_authenticated:
        return refusal(session_ended_message(), 401, session_ended=True)
    application = get_object_or_404(own_applications(request.user), pk=pk)
    steps = steps_for(application.cycle, application)
    wizard_step = steps.get(step)
    if wizard_step is None or not wizard_step.autosaves:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    post = StepPost.read(request, application=application, step_names=steps.names(), next_step=None)
    form = wizard_step.form_class(
        data=request.POST, prefix=wizard_step.name, **wizard_step.form_kwargs(application)
    )
    try:
        valid = form.is_valid()
        wizard_step.save(post, form, valid=valid, resume_at=wizard_step.name)
    except (StaleDraft, EditingClosed) as error:
        return refusal(error.messages[0], 409, stale=isinstance(error, StaleDraft))
    except ValidationError as error:
        return refusal(error.messages[0], 400)
    return JsonResponse(
        {
            "ok": True,
            "version": wizard_step.page_version(application),
            "saved_at": timezone.localtime().strftime("%H:%M:%S"),
        }
    )
