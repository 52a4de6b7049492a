"""The notification outbox (消息发送记录) and message templates (消息模板) in the console.

An official sees their authority's messages (a platform administrator every one) and may send a
failed one again; another authority's message is a 404. Templates are edited per authority: an
official edits their own authority's, a platform administrator any authority's.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.viewsets.base import ViewSet

from awards.forms.errors import message_validation_error
from awards.models import AwardingAuthority
from awards.models.notifications import DeliveryStatus, MessageTemplate
from awards.permissions.rules import scope_to_authority
from awards.permissions.views import OfficialMenuItem, OfficialOnlyMixin
from awards.queries import outbox_for
from awards.services.notifications.catalogue import all_events, get_event
from awards.services.notifications.outbox import retry
from awards.services.notifications.templates import reset_template, save_template, wording


def authorities_for(user):
    return scope_to_authority(AwardingAuthority.objects.all(), user, "pk")


class OutboxView(OfficialOnlyMixin, View):
    template_name = "awards/console/outbox.html"
    http_method_names = ["get", "head", "options"]

    def get(self, request):
        rows = outbox_for(request.user).select_related("recipient").order_by("-created_at", "-pk")
        status = request.GET.get("status", "")
        if status in DeliveryStatus.values:
            rows = rows.filter(status=status)
        page = Paginator(rows, 50).get_page(request.GET.get("p"))
        return TemplateResponse(
            request,
            self.template_name,
            {"page": page, "statuses": DeliveryStatus.choices, "status": status},
        )


class OutboxDetailView(OfficialOnlyMixin, View):
    scope = staticmethod(outbox_for)
    template_name = "awards/console/outbox_detail.html"
    http_method_names = ["get", "head", "options"]

    def get(self, request, pk):
        event = self.object.event
        try:
            secret = get_event(event).secret
        except LookupError:
            secret = False
        return TemplateResponse(
            request, self.template_name, {"message": self.object, "secret": secret}
        )


class OutboxRetryView(OfficialOnlyMixin, View):
    scope = staticmethod(outbox_for)
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            retry(notification=self.object, by=request.user)
        except ValidationError as error:
            message_validation_error(request, error)
        else:
            messages.success(request, _("已重新发送。"))
        return redirect("notifications:detail", pk=self.object.pk)


class TemplateListView(OfficialOnlyMixin, View):
    template_name = "awards/console/message_templates.html"
    http_method_names = ["get", "head", "options"]

    def get(self, request):
        authorities = list(authorities_for(request.user).order_by("name"))
        chosen = request.GET.get("authority", "")
        authority = next((a for a in authorities if str(a.pk) == chosen), None)
        if authority is None and authorities:
            authority = authorities[0]
        own = set()
        if authority is not None:
            own = set(
                MessageTemplate.objects.filter(authority=authority).values_list("event", flat=True)
            )
        return TemplateResponse(
            request,
            self.template_name,
            {
                "authorities": authorities,
                "authority": authority,
                "events": [(event, event.code in own) for event in all_events()],
            },
        )


class TemplateEditView(OfficialOnlyMixin, View):
    template_name = "awards/console/message_template_edit.html"
    scope = staticmethod(authorities_for)
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        try:
            self.event = get_event(kwargs["code"])
        except LookupError:
            raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def _render(self, request, subject, body, errors=None):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "authority": self.object,
                "event": self.event,
                "subject": subject,
                "body": body,
                "errors": errors or {},
                "variables": sorted({"link", "name", *self.event.sample}),
                "customised": MessageTemplate.objects.filter(
                    authority=self.object, event=self.event.code
                ).exists(),
            },
        )

    def get(self, request, pk, code):
        subject, body = wording(self.event, self.object.pk)
        return self._render(request, subject, body)

    def post(self, request, pk, code):
        if "reset" in request.POST:
            reset_template(authority=self.object, event=self.event.code, by=request.user)
            messages.success(request, _("已恢复默认模板。"))
            return redirect("notifications:template", pk=self.object.pk, code=self.event.code)
        subject, body = request.POST.get("subject", ""), request.POST.get("body", "")
        try:
            save_template(
                authority=self.object,
                event=self.event.code,
                subject=subject,
                body=body,
                by=request.user,
            )
        except ValidationError as error:
            return self._render(request, subject, body, error.message_dict)
        messages.success(request, _("消息模板已保存。"))
        return redirect("notifications:template", pk=self.object.pk, code=self.event.code)


class NotificationViewSet(ViewSet):
    icon = "mail"
    menu_label = gettext_lazy("消息通知")
    menu_item_class = OfficialMenuItem

    def get_urlpatterns(self):
        return [
            path("", OutboxView.as_view(), name="index"),
            path("<int:pk>/", OutboxDetailView.as_view(), name="detail"),
            path("<int:pk>/retry/", OutboxRetryView.as_view(), name="retry"),
            path("templates/", TemplateListView.as_view(), name="templates"),
            path("templates/<int:pk>/<str:code>/", TemplateEditView.as_view(), name="template"),
        ]
