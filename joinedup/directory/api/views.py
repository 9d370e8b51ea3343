"""The Open Referral UK 3.0 API at /openreferral/: open, read-only, JSON, CORS `*`.

Thin: parse the query, call a selector, shape with oruk.py.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import oruk, selectors
from ..models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from ..standards import SCHEMA_DIR

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


class BadRequest(Exception):
    pass


def _json(data: Any, status: int = 200) -> JsonResponse:  # noqa: ANN401
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(message: str, status: int) -> JsonResponse:
    return _json({"error": message}, status=status)


def _int(request: HttpRequest, name: str, default: int, *, lo: int, hi: int) -> int:
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
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:  # noqa: ANN401
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
    return _json(json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8")))


@_api
def services(request: HttpRequest) -> JsonResponse:
    text = request.GET.get("text") or request.GET.get("search") or ""
    qs = selectors.published_services(
        text=text[:200], taxonomy_term_id=_uuid(request, "taxonomy_term_id"), taxonomy_id=_uuid(request, "taxonomy_id")
    )
    return _paged(request, qs, oruk.service_list_item)


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
    return _paged(request, selectors.service_at_locations(), oruk.service_at_location_list_item)


@_api
def service_at_location(request: HttpRequest, sal_id: uuid.UUID) -> JsonResponse:
    sal = selectors.service_at_locations().get(id=sal_id)
    data = oruk.service_at_location_list_item(sal)
    data["service"] = oruk.service_full(selectors.published_service(service_id=sal.service_id))
    return _json(data)
