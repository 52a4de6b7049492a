"""Moving a cycle through its statuses (筹备 → 申报 → 资格审查 → …) from the console."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from awards.enums import CycleStatus
from awards.permissions.views import OfficialOnlyMixin
from awards.queries import cycles_for
from awards.services.cycles import (
    ALLOWED_TRANSITIONS,
    change_cycle_status,
    early_change_effect,
    undo_cycle_status,
    undoable_status_change,
)


class CycleStatusView(OfficialOnlyMixin, View):
    """Officials of the cycle's authority only; anyone else gets a 404.

    A change that ends the call before its deadline is confirmed first, with its effect stated;
    the last change can be undone while nothing has happened to an application since."""

    template_name = "awards/console/cycle_status.html"
    scope = staticmethod(cycles_for)

    @property
    def cycle(self):
        return self.object

    def get(self, request, pk):
        targets = [CycleStatus(status) for status in ALLOWED_TRANSITIONS[self.cycle.status]]
        undoable = undoable_status_change(self.cycle)
        context = {
            "cycle": self.cycle,
            "targets": targets,
            "undo_to": CycleStatus(undoable.details["from"]) if undoable else None,
        }
        return TemplateResponse(request, self.template_name, context)

    def post(self, request, pk):
        if "undo" in request.POST:
            return self._undo(request)
        target = request.POST.get("to", "")
        if target not in CycleStatus.values:
            messages.error(request, _("未知的届次状态。"))
            return redirect("cycles:status", pk=self.cycle.pk)
        effect = early_change_effect(cycle=self.cycle, to=target)
        if effect and request.POST.get("confirm") != "1":
            context = {"cycle": self.cycle, "target": CycleStatus(target), "effect": effect}
            return TemplateResponse(request, "awards/console/cycle_status_confirm.html", context)
        try:
            change_cycle_status(cycle=self.cycle, to=target, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("cycles:status", pk=self.cycle.pk)
        messages.success(
            request, _("届次状态已改为“%(status)s”。") % {"status": CycleStatus(target).label}
        )
        return redirect("cycles:edit", self.cycle.pk)

    def _undo(self, request):
        try:
            cycle = undo_cycle_status(cycle=self.cycle, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("cycles:status", pk=self.cycle.pk)
        messages.success(
            request,
            _("已撤销上一次状态变更，届次状态恢复为“%(status)s”。")
            % {"status": cycle.get_status_display()},
        )
        return redirect("cycles:status", pk=self.cycle.pk)
