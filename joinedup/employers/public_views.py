"""The public jobs page and feed: open vacancies of employers who agreed to publish them. No sign-in."""

from __future__ import annotations

import json
from uuid import UUID

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from joinedup.core.urls import reverse

from . import feed, selectors


def _url(request: HttpRequest, vacancy_pk: object) -> str:
    return request.build_absolute_uri(reverse("vacancies:detail", args=[vacancy_pk]))


def _script(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> block: '<', '>' and '&' escaped so no text in
    it can close the script."""
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308


def jobs(request: HttpRequest) -> HttpResponse:
    vacancies = list(selectors.public_vacancies()[:200])
    return render(request, "employers/jobs.html", {"vacancies": vacancies})


def job(request: HttpRequest, pk: UUID) -> HttpResponse:
    vacancy = selectors.public_vacancy(pk=pk)
    posting = feed.job_posting(vacancy, url=_url(request, vacancy.pk))
    return render(request, "employers/job.html", {"vacancy": vacancy, "json_ld": _script(posting)})


def jobs_feed(request: HttpRequest) -> JsonResponse:
    vacancies = list(selectors.public_vacancies()[:1000])
    response = JsonResponse(
        feed.feed(vacancies, url_for=lambda v: _url(request, v.pk)), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Type"] = "application/ld+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response
