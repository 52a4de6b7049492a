"""What every custom review page shares: officials only, objects looked up in their scope.

Wagtail's admin URL wrapper already sends people without admin access to the login page; here
anyone who is not an official (or superuser) and any object of another authority get a 404,
before the HTTP method is even considered.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from scoring.review.queries import officials as queries


def is_official(user) -> bool:
    return user.is_superuser or bool(getattr(user, "is_official", False))


class OfficialView(WagtailAdminTemplateMixin, TemplateView):
    """Subclasses name the scoped queryset their ``pk`` is looked up in, and the admin section
    (index URL name and label) their breadcrumbs start from."""

    scope = None  # a function user -> QuerySet, or None for pages without an object
    header_icon = "tasks"
    section_url_name = "review:index"
    section_label = _("评审工作")

    def dispatch(self, request, *args, **kwargs):
        if not is_official(request.user):
            raise Http404
        self.object = None
        if self.scope is not None:
            self.object = get_object_or_404(type(self).scope(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

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
