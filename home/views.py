"""Public views outside the page tree (pages render themselves through Wagtail's serve()), and
Wagtail's page-types-usage report scoped to what the user may see."""

from django.core.paginator import Paginator
from django.db.models import F
from django.template.response import TemplateResponse
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Site

from awards.permissions.rules import is_platform_admin
from home.queries import pages_choosable_by, search_public_pages

#: Results per page of the site search.
SEARCH_PAGE_SIZE = 10


def search(request):
    """Site search over live public pages; anyone may use it."""
    query = request.GET.get("q", "").strip()[:100]
    results = search_public_pages(query, site=Site.find_for_request(request)) if query else []
    page_obj = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "home/search_results.html",
        {"search_query": query, "page_obj": page_obj, "result_count": len(results)},
    )


class ScopedPageTypesUsageReportView(PageTypesUsageReportView):
    """Wagtail's "page types usage" report names the last edited page of each type and counts
    every page. For an official both are taken among the pages they may choose
    (``pages_choosable_by``: their own and live public ones), so another authority's unpublished
    page neither names a row nor adds to a count. Platform admins see Wagtail's report."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        user = self.request.user
        if is_platform_admin(user):
            return page_types
        choosable = pages_choosable_by(user=user).filter(depth__gt=1)
        site_root_path = self.filters.form.cleaned_data.get("site") if self.filters else None
        if site_root_path:
            choosable = choosable.filter(path__startswith=site_root_path)
        for item in page_types:
            of_type = choosable.filter(content_type_id=item.pk)
            item.count = of_type.count()
            item.last_edited_page = (
                of_type.order_by(
                    F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
                )
                .specific()
                .first()
            )
        return page_types


def scoped_report_urls() -> list:
    """Mounted in front of Wagtail's admin URLs (same paths and decorators), replacing its own
    page-types-usage report."""
    from django.urls import path
    from django.views.decorators.cache import never_cache
    from wagtail.admin.auth import require_admin_access

    def admin_view(**kwargs):
        return never_cache(require_admin_access(ScopedPageTypesUsageReportView.as_view(**kwargs)))

    return [
        path("admin/reports/page-types-usage/", admin_view()),
        path("admin/reports/page-types-usage/results/", admin_view(results_only=True)),
    ]
