from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from awards.permissions.views import OfficialMenuItem
from scoring.publication import admin_urls as publication_urls
from scoring.review.admin_views.viewsets import ReviewGroup


@hooks.register("register_admin_viewset")
def register_review_admin():
    return ReviewGroup()


@hooks.register("register_admin_viewset")
def register_results_admin():
    from scoring.results.admin_views.viewset import ResultsViewSet

    return ResultsViewSet("cycle-results")


@hooks.register("register_admin_urls")
def register_publication_urls():
    return [path("publication/", include(publication_urls, namespace="publication"))]


@hooks.register("register_admin_menu_item")
def register_publication_menu_item():
    return OfficialMenuItem(
        _("结果公示与表彰"), reverse("publication:index"), icon_name="doc-full", order=160
    )


@hooks.register("register_admin_urls")
def register_certificate_urls():
    from scoring.certificates import admin_views as certificates

    return certificates.admin_urls()


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    from scoring.certificates import admin_views as certificates

    return certificates.menu_item()


@hooks.register("construct_homepage_panels")
def add_scoring_desk_panels(request, panels):
    from scoring.desk import scoring_desk_panels

    scoring_desk_panels(request, panels)
