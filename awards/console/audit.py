"""The audit trail page (操作日志) of the officials' console: is each hash chain intact, and
the entries themselves. Read only: the page answers GET, nothing else; officials see their
authority's chain, platform administrators every chain."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views import View

from awards.permissions.rules import is_platform_admin
from awards.permissions.views import OfficialOnlyMixin
from awards.queries import audit_entries_for
from awards.services.audit import verify_chains


class AuditTrailView(OfficialOnlyMixin, View):
    template_name = "awards/console/audit.html"
    page_size = 100
    http_method_names = ["get", "head", "options"]

    def get(self, request):
        user = request.user
        reports = verify_chains(None if is_platform_admin(user) else [user.authority_id])
        entries = audit_entries_for(user).order_by("-id")
        page = Paginator(entries, self.page_size).get_page(request.GET.get("p"))
        return TemplateResponse(
            request,
            self.template_name,
            {"reports": reports, "page": page, "entries": page.object_list},
        )
