"""The Open Referral UK 3.0 API at /openreferral/: open, read-only, JSON, CORS `*`.

Thin: parse the query, call a selector, shape with oruk.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import time
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import areas, oruk, selectors
from ..models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from .openapi_doc import served_openapi

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


class BadRequest(Exception):
    pass


def _json(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(message: str, status: int) -> JsonResponse:
    return _json({"error": message}, status=status)


def refusal(status: int, message: str) -> HttpResponse:
    """A request refused before it reached a view (core.refusals), in the feed's error shape."""
    return _error(message, status)


def _int(request: HttpRequest, name: str, default: int | None, *, lo: int, hi: int) -> int | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"'{name}' must be a whole number.") from None
    if not lo <= value <= hi:
        raise BadRequest(f"'{name}' must be between {lo} and {hi}.")
    return value


def _uuid(request: HttpRequest, name: str) -> uuid.UUID | None:
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise BadRequest(f"'{name}' must be a UUID.") from None


def _paged(request: HttpRequest, qs: QuerySet, shape: Callable[[Any], dict[str, Any]]) -> JsonResponse:
    page_number = _int(request, "page", 1, lo=1, hi=1_000_000)
    per_page = _int(request, "per_page", DEFAULT_PER_PAGE, lo=1, hi=MAX_PER_PAGE)
    total = qs.count()
    start = (page_number - 1) * per_page
    items = [shape(obj) for obj in qs[start : start + per_page]]
    return _json(oruk.page(items, total=total, page_number=page_number, per_page=per_page))


def _api(view: Callable[..., JsonResponse]) -> Callable[..., HttpResponse]:
    @require_GET
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return _error(str(exc), 400)
        except (Service.DoesNotExist, Taxonomy.DoesNotExist, TaxonomyTerm.DoesNotExist, ServiceAtLocation.DoesNotExist):
            return _error("Not found.", 404)

    wrapped.__name__ = view.__name__
    return wrapped


@_api
def index(request: HttpRequest) -> JsonResponse:
    return _json(
        {
            "version": oruk.VERSION,
            "profile": oruk.PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("openreferral:openapi")),
        }
    )


@_api
def openapi(request: HttpRequest) -> JsonResponse:
    """The ORUK OpenAPI document, mended and completed for this feed (openapi_doc.py says how)."""
    base = request.build_absolute_uri(reverse("openreferral:index")).rstrip("/")
    return _json(served_openapi(base, max_per_page=MAX_PER_PAGE))


def _time(request: HttpRequest, name: str) -> time | None:
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"'{name}' must be a time, like 09:30.") from None


def _day(request: HttpRequest) -> str | None:
    raw = (request.GET.get("day") or "").strip()
    if not raw:
        return None
    if raw.upper() in selectors.DAYS:
        return raw.upper()
    for code, name in selectors.DAYS.items():
        if name.lower() == raw.lower():
            return code
    raise BadRequest("'day' must be a day, like MO or Monday.")


def _filtered_services(request: HttpRequest, *, full: bool = False):
    """/services and /service_at_locations share the ORUK profile's filters."""
    text = request.GET.get("text") or request.GET.get("search") or ""
    return selectors.published_services(
        text=text[:200],
        taxonomy_term_id=_uuid(request, "taxonomy_term_id"),
        taxonomy_id=_uuid(request, "taxonomy_id"),
        minimum_age_at_least=_int(request, "minimum_age", None, lo=0, hi=150),
        maximum_age_at_most=_int(request, "maximum_age", None, lo=0, hi=150),
        opening=selectors.OpeningFilter(
            day=_day(request), opens_from=_time(request, "start_time"), closes_by=_time(request, "end_time")
        )
        or None,
        full=full,
    )


_SERVICE_FILTERS = (
    "text",
    "search",
    "taxonomy_term_id",
    "taxonomy_id",
    "minimum_age",
    "maximum_age",
    "day",
    "start_time",
    "end_time",
)


@_api
def services(request: HttpRequest) -> JsonResponse:
    return _paged(request, _filtered_services(request), oruk.service_list_item)


@_api
def service(request: HttpRequest, service_id: uuid.UUID) -> JsonResponse:
    return _json(oruk.service_full(selectors.published_service(service_id=service_id)))


@_api
def taxonomies(request: HttpRequest) -> JsonResponse:
    return _paged(request, selectors.taxonomies(), lambda t: oruk.taxonomy(t, with_terms=True))


@_api
def taxonomy(request: HttpRequest, taxonomy_id: uuid.UUID) -> JsonResponse:
    return _json(oruk.taxonomy(selectors.taxonomies().get(id=taxonomy_id), with_terms=True))


@_api
def taxonomy_terms(request: HttpRequest) -> JsonResponse:
    return _paged(request, selectors.taxonomy_terms(taxonomy_id=_uuid(request, "taxonomy_id")), oruk.taxonomy_term)


@_api
def taxonomy_term(request: HttpRequest, term_id: uuid.UUID) -> JsonResponse:
    return _json(oruk.taxonomy_term(selectors.taxonomy_terms().get(id=term_id)))


@_api
def service_at_locations(request: HttpRequest) -> JsonResponse:
    if request.GET.get("proximity"):
        raise BadRequest("'proximity' is not supported: this directory holds no coordinates for postcodes.")
    near = None
    if request.GET.get("postcode"):
        try:
            postcode = areas.parse_postcode(request.GET["postcode"])
        except areas.PostcodeProblem as exc:
            raise BadRequest(f"'postcode': {exc}.") from None
        near = areas.area_for_postcode(postcode)
        if near is None:
            raise BadRequest(f"'postcode': we do not know which area {areas.postcode_district(postcode)} is in.")
    filtered = any(request.GET.get(k) for k in _SERVICE_FILTERS)
    qs = selectors.service_at_locations(services=_filtered_services(request) if filtered else None, covering=near)
    return _paged(request, qs, oruk.service_at_location_list_item)


@_api
def service_at_location(request: HttpRequest, sal_id: uuid.UUID) -> JsonResponse:
    sal = selectors.service_at_locations().get(id=sal_id)
    data = oruk.service_at_location_list_item(sal)
    service = oruk.service_full(selectors.published_service(service_id=sal.service_id))
    data["service"] = service
    # The vendored OpenAPI document declares this response as compiled/service.json (which needs name
    # and status) while the profile's guide calls it a nested service_at_location: carry both, so the
    # response validates against either (both allow extra properties).
    data["name"], data["status"] = service["name"], service["status"]
    return _json(data)
