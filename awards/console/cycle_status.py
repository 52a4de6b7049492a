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
from awards.services.cycles import ALLOWED_TRANSITIONS, change_cycle_status


class CycleStatusView(OfficialOnlyMixin, View):
    """Officials of the cycle's authority only; anyone else gets a 404."""

    template_name = "awards/console/cycle_status.html"
    scope = staticmethod(cycles_for)

    @property
    def cycle(self):
        return self.object

    def get(self, request, pk):
        targets = [CycleStatus(status) for status in ALLOWED_TRANSITIONS[self.cycle.status]]
        return TemplateResponse(
            request, self.template_name, {"cycle": self.cycle, "targets": targets}
        )

    def post(self, request, pk):
        target = request.POST.get("to", "")
        if target not in CycleStatus.values:
            messages.error(request, _("未知的届次状态。"))
            return redirect("cycles:status", pk=self.cycle.pk)
        try:
            change_cycle_status(cycle=self.cycle, to=target, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("cycles:status", pk=self.cycle.pk)
        messages.success(
            request, _("届次状态已改为“%(status)s”。") % {"status": CycleStatus(target).label}
        )
        return redirect("cycles:edit", self.cycle.pk)
