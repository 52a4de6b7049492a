"""Generic Wagtail views narrowed to what the official may reach; anything else is a 404."""

from django.http import Http404
from wagtail.admin.views.generic import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    InspectView,
)
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView

from awards.exports import spreadsheet_safe
from awards.services.downloads import record_export


class SafeSpreadsheetExportMixin:
    """Every cell and heading of a listing's CSV/XLSX export passes through the one rule
    (:func:`awards.exports.spreadsheet_safe`): no exported text runs as a formula."""

    def preprocess_field_value(self, field, value, export_format):
        return spreadsheet_safe(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return spreadsheet_safe(super().get_heading(queryset, field))


class ExportIndexView(SafeSpreadsheetExportMixin, IndexView):
    """The listing of every console viewset (scoped or not)."""


class ScopedIndexMixin:
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")


class ScopedObjectMixin:
    """Looks the object up only among those the user may act on with this view's permission."""

    scope_action = "view"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        allowed = self.permission_policy.instances_user_has_permission_for(
            self.request.user, self.scope_action
        )
        if not allowed.filter(pk=obj.pk).exists():
            raise Http404
        return obj


class ScopedIndexView(ScopedIndexMixin, ExportIndexView):
    def as_spreadsheet(self, queryset, spreadsheet_format):
        """Export (CSV/XLSX) the filtered listing, audited: what, in which format, how many rows
        and with which filters."""
        response = super().as_spreadsheet(queryset, spreadsheet_format)
        filters = {k: v for k, v in self.request.GET.items() if k not in ("export", "p")}
        record_export(
            by=self.request.user,
            kind=self.export_filename or self.model._meta.model_name,
            file_format=spreadsheet_format,
            rows=len(queryset) if isinstance(queryset, list) else queryset.count(),
            filters=filters,
        )
        return response


class ScopedEditView(ScopedObjectMixin, EditView):
    scope_action = "change"


class ScopedDeleteView(ScopedObjectMixin, DeleteView):
    scope_action = "delete"


class ScopedInspectView(ScopedObjectMixin, InspectView):
    pass


class ScopedHistoryView(ScopedObjectMixin, HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, UsageView):
    pass


class ServiceCreateView(CreateView):
    """Create through a service function instead of saving the form directly."""

    def create_with_service(self, form):  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def save_instance(self):
        return self.create_with_service(self.form)
