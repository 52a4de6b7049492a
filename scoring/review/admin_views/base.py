"""What every custom officials' page of ``scoring`` shares: the official-only mixin of
``awards.permissions`` (404 for anyone else and for another authority's object) and the admin
section its breadcrumbs start from. A service's refusal is shown with ``awards.forms.errors``.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from awards.permissions.views import OfficialOnlyMixin
from scoring.review.queries import officials as queries


class OfficialView(OfficialOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """Subclasses name the scoped queryset their ``pk`` is looked up in (``scope``, a function
    user → QuerySet, or None for pages without an object) and the admin section (index URL name
    and label) their breadcrumbs start from."""

    header_icon = "tasks"
    section_url_name = "review:index"
    section_label = _("评审工作")

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse(self.section_url_name), "label": self.section_label},
            *self.extra_breadcrumbs(),
            {"url": "", "label": self.get_page_title()},
        ]

    def extra_breadcrumbs(self) -> list[dict]:
        return []


class StageView(OfficialView):
    """Pages about one review stage."""

    scope = staticmethod(queries.stages_for)

    @property
    def stage(self):
        return self.object

    def get_page_subtitle(self):
        return f"{self.stage.cycle} · {self.stage.get_kind_display()}"

    def extra_breadcrumbs(self) -> list[dict]:
        return [
            {
                "url": reverse("review:stages", args=[self.stage.cycle_id]),
                "label": str(self.stage.cycle),
            }
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stage"] = self.stage
        context["sibling_stages"] = list(self.stage.cycle.stages.order_by("order"))
        return context
