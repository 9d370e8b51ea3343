"""The administrator's page of background jobs: queued, running, done, failed (with the error); retry."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render

from joinedup.core.pagination import paginate
from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from . import selectors, services
from .forms import RetryForm
from .models import JobStatus


@require_perm(Perm.JOBS_MANAGE)
def job_list(request: MemberRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in JobStatus.values else ""
    page = paginate(selectors.jobs_list(actor=request.membership, status=status), request.GET.get("page"))
    return render(
        request,
        "jobs/list.html",
        {
            "page": page,
            "jobs": page.rows,
            "status": status,
            "statuses": JobStatus.choices,
            "counts": selectors.jobs_counts(actor=request.membership),
            "query": f"status={status}" if status else "",
        },
    )


@require_perm(Perm.JOBS_MANAGE)
def job_detail(request: MemberRequest, pk: UUID) -> HttpResponse:
    job = selectors.job_get(actor=request.membership, pk=pk)
    form = RetryForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda f: services.job_retry(job=job, actor=request.membership),
        template="jobs/detail.html",
        context={"job": job},
        success="The job is back on the queue",
        redirect_to=("jobs:detail", job.pk),
    )
