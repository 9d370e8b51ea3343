"""The need pages: the list of authorities, an area's need page (with CSV export of each table),
the business case (HTML and PDF), its narrative sections and their versions."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from joinedup.core.errors import DomainError
from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.programmes.tables import Table

from . import business_case, selectors, services
from .figures import CLAIMANT_RATE_NOTE, PARTNERSHIP
from .forms import FingertipsUploadForm, NarrativeForm
from .loading import FileRefused
from .narrative import DEFAULTS, SECTIONS
from .pdf import html_to_pdf
from .suppression import HIDDEN, threshold


def _page(request: MemberRequest, code: str) -> selectors.NeedPage:
    try:
        return selectors.need_page(actor=request.membership, code=code, peers=request.GET.getlist("peer"))
    except DomainError as exc:
        raise Http404(exc.message) from exc


def _csv(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(table.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _context(request: MemberRequest) -> dict[str, object]:
    return {
        "hidden_mark": HIDDEN,
        "threshold": threshold(),
        "can_edit": has_perm(request.membership, Perm.NEED_WRITE),
        "claimant_note": CLAIMANT_RATE_NOTE,
    }


@require_perm(Perm.NEED_VIEW)
def index(request: MemberRequest) -> HttpResponse:
    areas = selectors.local_authorities(actor=request.membership)
    return render(request, "need/index.html", {"areas": areas, "partnership": PARTNERSHIP, **_context(request)})


@require_perm(Perm.NEED_VIEW)
def need(request: MemberRequest, code: str) -> HttpResponse:
    page = _page(request, code)
    if request.GET.get("export") == "csv":
        table = page.tables().get(request.GET.get("table", ""))
        if table is None:
            raise Http404("No such table")
        return _csv(table, f"need-{code}-{table.key}")
    query = "&".join(f"peer={p.code}" for p in page.peers) if page.peers_chosen else ""
    context = {
        "page": page,
        "code": code,
        "is_partnership": code == PARTNERSHIP,
        "query": query,
        "choices": selectors.peer_choices(),
        "chosen": {p.code for p in page.peers} if page.peers_chosen else set(),
    }
    return render(request, "need/area.html", {**context, **_context(request)})


def _case(request: MemberRequest, code: str) -> business_case.BusinessCase | HttpResponse:
    try:
        people = business_case.people_asked(request.GET.get("people"), 0) or None
        return business_case.business_case(actor=request.membership, scope=code, people=people)
    except DomainError as exc:
        if exc.field == "people":
            return render(
                request,
                "need/error.html",
                {"message": exc.message, "back": reverse("need:case", args=[code])},
                status=400,
            )
        raise Http404(exc.message) from exc


@require_perm(Perm.NEED_VIEW)
def case(request: MemberRequest, code: str) -> HttpResponse:
    found = _case(request, code)
    if isinstance(found, HttpResponse):
        return found
    return render(request, "need/case.html", {"case": found, "code": code, "pdf": False, **_context(request)})


@require_perm(Perm.NEED_VIEW)
def case_pdf(request: MemberRequest, code: str) -> HttpResponse:
    found = _case(request, code)
    if isinstance(found, HttpResponse):
        return found
    html = render_to_string("need/case.html", {"case": found, "code": code, "pdf": True, **_context(request)}, request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    stamp = found.generated_at.strftime("%Y-%m-%d") if hasattr(found.generated_at, "strftime") else "today"
    response["Content-Disposition"] = f'attachment; filename="business-case-{code}-{stamp}.pdf"'
    return response


@require_perm(Perm.NEED_VIEW)
def versions(request: MemberRequest, code: str) -> HttpResponse:
    page = _page(request, code)
    found = selectors.narrative_versions(actor=request.membership, scope=code)
    return render(request, "need/versions.html", {"page": page, "code": code, "versions": found, "sections": SECTIONS})


@require_perm(Perm.NEED_WRITE)
def section_edit(request: MemberRequest, code: str, section: str) -> HttpResponse:
    if section not in SECTIONS:
        raise Http404("No such section")
    page = _page(request, code)
    current = selectors.narrative(actor=request.membership, scope=code).get(section)
    initial = {"text": current.text if current else DEFAULTS[section]}
    form = NarrativeForm(request.POST if request.method == "POST" else None, initial=initial)
    return form_page(
        request,
        form,
        lambda f: services.narrative_save(
            actor=request.membership, scope=code, section=section, text=f.cleaned_data["text"]
        ),
        template="need/section.html",
        context={"page": page, "code": code, "heading": SECTIONS[section], "current": current},
        success=f"“{SECTIONS[section]}” saved as a new version",
        redirect_to=("need:case", code),
    )


SHOWN_PROBLEMS = 50  # a refused file's problems listed on the page (the rest counted)


def _load_upload(request: MemberRequest, form: FingertipsUploadForm) -> object:
    upload = form.cleaned_data["file"]
    data = upload.read(services.upload_limit() + 1)  # no more than one byte past the limit is read
    try:
        return services.fingertips_upload(actor=request.membership, name=upload.name or "", data=data)
    except FileRefused as refused:
        for problem in refused.problems[:SHOWN_PROBLEMS]:
            form.add_error("file", str(problem))
        more = len(refused.problems) - SHOWN_PROBLEMS
        if more > 0:
            form.add_error("file", f"and {more:,} more problem{'s' if more > 1 else ''}")
        raise DomainError(
            f"{refused.name} was not loaded, and nothing was changed: correct the lines below and load it again.",
            field="file",
        ) from refused


@require_perm(Perm.NEED_WRITE)
def fingertips_upload(request: MemberRequest) -> HttpResponse:
    form = FingertipsUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    return form_page(
        request,
        form,
        lambda f: _load_upload(request, f),
        template="need/fingertips.html",
        context=lambda: {
            "files": selectors.fingertips_files(actor=request.membership),
            "limit_mb": services.upload_limit() // 1_000_000,
        },
        success=lambda run: f"{run.file_name} loaded: {run.summary}",
        redirect_to=("need:fingertips",),
    )
