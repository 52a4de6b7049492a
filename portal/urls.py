from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home.views import scoped_report_urls
from portal.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    *scoped_report_urls(),  # before Wagtail's admin: its page-types report, scoped to the user
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("awards.urls.accounts")),
    path("portal/", include("awards.urls.portal")),
    path("portal/", include("scoring.certificates.urls")),
    path("portal/", include("scoring.review.applicant_urls")),
    path("review/", include("scoring.review.urls")),
    path("", include("home.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
