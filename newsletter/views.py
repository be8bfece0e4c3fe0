from http import HTTPStatus

from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_filters.views import FilterView

from partners.access import partner_member_required

from .access import access_issue_for_user, access_membership_for_unsubscribe_token
from .filters import IssueFilter
from .models import Issue
from .services import membership_unsubscribe


@method_decorator([require_GET, partner_member_required], name="dispatch")
class IssueListView(FilterView):
    """The archive: every issue the partner's tier may read, newest first, in any language."""

    filterset_class = IssueFilter
    template_name = "newsletter/issue_list.html"
    context_object_name = "issues"
    paginate_by = 10

    def get_queryset(self):
        return Issue.objects.readable_by(self.request.partner).select_related("min_tier")


@require_GET
@partner_member_required
def issue_detail(request, pk: int):
    issue = access_issue_for_user(request.user, pk)
    return render(request, "newsletter/issue_detail.html", {"issue": issue})


# Mail providers send the RFC 8058 one-click POST without a CSRF token; the signed token
# in the URL is what proves the request comes from the email.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET asks (link scanners follow links and must not unsubscribe anybody); POST unsubscribes."""
    try:
        membership = access_membership_for_unsubscribe_token(token)
    except Http404:
        return render(request, "newsletter/unsubscribe.html", {"invalid": True}, status=HTTPStatus.NOT_FOUND)
    done = request.method == "POST"
    if done:
        membership_unsubscribe(membership=membership)
    return render(request, "newsletter/unsubscribe.html", {"membership": membership, "done": done})
