"""The public partner directory: the listing, a partner's profile, its contact form and logo."""

from http import HTTPStatus

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_safe
from django_filters.views import FilterView

from partners.models import Partner

from . import contact_limits
from .access import access_listed_logo, access_listed_partner
from .filters import PartnerFilter
from .forms import ContactForm
from .listing_cache import listing_get, listing_set
from .logos import logo_response
from .search import MIN_TERM_LENGTH
from .seo import page_links, partner_json_ld
from .services import contact_request_send

PAGE_SIZE = 12
SELECT_FILTERS = ("tier", "country", "territory", "canton")
CONTACT_ANCHOR = "#contact"


class IdsFirstPaginator(Paginator):
    """Reads a page with a query whose subquery orders and slices the ids alone; the rows come by id.

    On PostgreSQL the ids of listed partners come from an index-only scan of migration 0002's
    partial index; ordering and slicing whole rows read one row per listed partner (~1 ms against
    ~47 ms on 100,000 partners, see docs/performance.md). `rows` is the unfiltered listing: its
    joins, prefetches and order for the page's partners, whose filters and search already ran in
    the subquery.
    """

    def __init__(self, object_list, per_page, *, rows):
        super().__init__(object_list, per_page)
        self.rows = rows

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(self.rows.filter(pk__in=object_list.values("pk")), number, paginator)


@method_decorator(require_safe, name="dispatch")
class PartnerListView(FilterView):
    """Listed partners, the highest tier first; search and filters in the URL.

    htmx requests from the filter form and the page links get only the results.
    """

    filterset_class = PartnerFilter
    paginate_by = PAGE_SIZE
    template_name = "directory/partner_list.html"

    def get_queryset(self):
        return Partner.objects.for_directory()

    def paginate_queryset(self, queryset, page_size):
        """A page number out of range shows the nearest page rather than an error."""
        paginator = IdsFirstPaginator(queryset, page_size, rows=self.get_queryset())
        number = self.request.GET.get("page")
        try:
            # Below 1 the nearest page is the first; Paginator.get_page would show the last.
            number = max(int(number), 1)
        except (TypeError, ValueError):
            pass  # not a whole number: get_page shows the first page
        page = paginator.get_page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def is_fragment(self) -> bool:
        """htmx swaps in the results; a history restore after a cache miss needs the whole page."""
        htmx = self.request.htmx
        return bool(htmx) and not htmx.history_restore_request

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            fragment=self.is_fragment(),
            # The query string of every page link: the search and filters, then "page=".
            page_query=f"{query.urlencode()}&" if query else "",
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            select_filters=SELECT_FILTERS,
            active_filters=len(self.used_parameters() & set(self.filterset.filters) - {"q"}),
            short_term=self.filterset.short_term,
            min_term_length=MIN_TERM_LENGTH,
        )
        return context

    def used_parameters(self) -> set[str]:
        return {key for key, values in self.request.GET.lists() if any(value.strip() for value in values)}

    def listing_render(self, *, fragment: bool) -> dict:
        """Run the search and filters and render the listing: the results alone, or filters and results."""
        self.filterset = self.get_filterset(self.get_filterset_class())
        valid = not self.filterset.is_bound or self.filterset.is_valid() or not self.get_strict()
        self.object_list = self.filterset.qs if valid else self.filterset.queryset.none()
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        template = "directory/_partner_results.html" if fragment else "directory/_listing.html"
        return {"html": render_to_string(template, context, self.request), "page_number": context["page_obj"].number}

    def get(self, request, *args, **kwargs):
        fragment = self.is_fragment()
        key, listing = listing_get(request, fragment=fragment)
        if listing is None:
            listing = self.listing_render(fragment=fragment)
            listing_set(key, listing)
        if fragment:
            response = HttpResponse(listing["html"])
        else:
            filtered = bool(self.used_parameters() - {"page"})
            path = reverse("directory:partner-list")
            if not filtered and listing["page_number"] > 1:
                path += f"?page={listing['page_number']}"
            context = {"listing": listing["html"], "page_number": listing["page_number"], "filtered": filtered}
            response = render(request, self.template_name, {**context, **page_links(request, path)})
        # The same URL answers with a fragment or a page: caches must tell them apart.
        patch_vary_headers(response, ["HX-Request"])
        return response


partner_list = PartnerListView.as_view()


def _profile(request: HttpRequest, partner: Partner, form: ContactForm) -> HttpResponse:
    return render(
        request,
        "directory/partner_detail.html",
        {
            "partner": partner,
            "form": form,
            "json_ld": partner_json_ld(request, partner),
            **page_links(request, reverse("directory:partner-detail", args=[partner.slug])),
        },
    )


@require_safe
def partner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _profile(request, access_listed_partner(slug), ContactForm())


@require_http_methods(["GET", "HEAD", "POST"])
def partner_contact(request: HttpRequest, slug: str) -> HttpResponse:
    """The contact form's target. A GET (a reload, a bookmark) goes back to the form."""
    partner = access_listed_partner(slug)
    detail_url = reverse("directory:partner-detail", args=[slug])
    if request.method != "POST":
        return redirect(detail_url + CONTACT_ANCHOR)
    if contact_limits.over_limit(request):
        response = render(
            request,
            "directory/contact_rate_limited.html",
            {"partner": partner, "hours": contact_limits.WINDOW_SECONDS // 3600},
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )
        response["Retry-After"] = str(contact_limits.WINDOW_SECONDS)
        return response
    form = ContactForm(request.POST)
    if form.is_bot:
        # Answer a bot as if it had succeeded, so it learns nothing; nothing is stored or sent.
        contact_limits.count(request)
        return redirect("directory:partner-contact-sent", slug=slug)
    if not form.is_valid():
        return _profile(request, partner, form)
    contact_limits.count(request)
    data = form.cleaned_data
    contact_request_send(
        partner=partner,
        name=data["name"],
        email=data["email"],
        company=data["company"],
        message=data["message"],
        language=translation.get_language(),
        ip=contact_limits.client_ip(request),
    )
    return redirect("directory:partner-contact-sent", slug=slug)


@require_safe
def partner_contact_sent(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "directory/contact_sent.html", {"partner": access_listed_partner(slug)})


@require_safe
def partner_logo(request: HttpRequest, slug: str) -> HttpResponse:
    return logo_response(request, access_listed_logo(slug))


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public pages; sign-in, admin and the extranet are no business of theirs."""
    prefixes = ["/"] + [f"/{code}/" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    private = ["extranet/", "admin/", "accounts/", "invitations/"]
    return render(
        request,
        "robots.txt",
        {
            "disallowed": [prefix + path for path in private for prefix in prefixes],
            "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
        },
        content_type="text/plain; charset=utf-8",
    )
