"""Public views outside the page tree; pages render themselves through Wagtail's serve()."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Site

from home.queries import search_public_pages

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
