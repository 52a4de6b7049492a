"""The signed-in user's notices (消息通知): the portal channel of the notification outbox."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from awards.queries import notices_for
from awards.services.notifications.outbox import mark_read


@login_required
def notice_list(request):
    page = Paginator(notices_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "awards/notices.html", {"page": page})


@login_required
@require_POST
def notice_read(request):
    """Mark one notice (``id``) or all of them read; another user's notice is simply not found."""
    notice_id = request.POST.get("id", "")
    ids = [int(notice_id)] if notice_id.isdigit() else None
    mark_read(user=request.user, ids=ids)
    return redirect(
        request.POST.get("next") == "dashboard" and "awards:dashboard" or "awards:notices"
    )
