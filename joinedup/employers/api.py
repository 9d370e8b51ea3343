"""JSON API for employers and vacancies (`/api/v1/employers/`), scoped like the pages: staff with
`employer.view` read every employer and vacancy; an employer's own token reads only theirs; the
owning organisation (or the employer) creates vacancies through the same service as the form."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .choices import AdjustmentKind, SicSection, SizeBand, VacancyKind, VacancyStatus, WagePeriod, WorkPattern
from .models import ContractType
from .wages import AgeBand


class SiteSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    postcode = serializers.CharField()


class EmployerSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    companies_house_number = serializers.CharField()
    sic_section = serializers.ChoiceField(choices=SicSection.choices)
    size_band = serializers.ChoiceField(choices=SizeBand.choices)
    disability_confident = serializers.CharField()
    disability_confident_expires_on = serializers.DateField(allow_null=True)
    health_award = serializers.CharField()
    owner = serializers.CharField(source="owner.name")
    sites = SiteSerializer(many=True, source="sites.all")


class VacancySerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    employer_id = serializers.UUIDField(read_only=True)
    site_id = serializers.UUIDField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    hours_min = serializers.DecimalField(max_digits=4, decimal_places=1)
    hours_max = serializers.DecimalField(max_digits=4, decimal_places=1)
    pattern = serializers.ChoiceField(choices=WorkPattern.choices)
    contract_type = serializers.ChoiceField(choices=ContractType.choices)
    wage = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0)
    wage_period = serializers.ChoiceField(choices=WagePeriod.choices)
    age_band = serializers.ChoiceField(choices=AgeBand.choices, default=AgeBand.ADULT)
    kind = serializers.ChoiceField(choices=VacancyKind.choices)
    openings = serializers.IntegerField(min_value=1, max_value=999)
    closing_on = serializers.DateField()
    how_to_apply = serializers.CharField(max_length=2000)
    adjustments_offered = serializers.ListField(
        child=serializers.ChoiceField(choices=AdjustmentKind.choices), max_length=10, default=list
    )
    guaranteed_interview = serializers.BooleanField(default=False)
    status = serializers.ChoiceField(choices=VacancyStatus.choices, default=VacancyStatus.DRAFT)


def _actor(request: Request) -> Any:
    return request.auth.membership


class EmployerListView(APIView):
    @extend_schema(responses={200: EmployerSerializer(many=True)}, summary="Employers you can see")
    def get(self, request: Request) -> Response:
        rows = selectors.employer_list(actor=_actor(request)).prefetch_related("sites")[:500]
        return Response(EmployerSerializer(rows, many=True).data)


class EmployerDetailView(APIView):
    @extend_schema(responses={200: EmployerSerializer}, summary="One employer")
    def get(self, request: Request, pk: UUID) -> Response:
        return Response(EmployerSerializer(selectors.employer_get(actor=_actor(request), pk=pk)).data)


class VacancyListView(APIView):
    @extend_schema(responses={200: VacancySerializer(many=True)}, summary="Vacancies you can see")
    def get(self, request: Request) -> Response:
        status_ = request.query_params.get("status", "")
        filters = selectors.VacancyFilters(status=status_ if status_ in VacancyStatus.values else "")
        rows = selectors.vacancy_list(actor=_actor(request), filters=filters)[:500]
        return Response(VacancySerializer(rows, many=True).data)


class EmployerVacancyCreateView(APIView):
    @extend_schema(request=VacancySerializer, responses={201: VacancySerializer}, summary="Add a vacancy")
    def post(self, request: Request, pk: UUID) -> Response:
        employer = selectors.employer_get(actor=_actor(request), pk=pk)
        serializer = VacancySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = services.VacancyInput(**serializer.validated_data)
        vacancy = services.vacancy_create(actor=_actor(request), employer=employer, data=data)
        return Response(VacancySerializer(vacancy).data, status=status.HTTP_201_CREATED)


class VacancyDetailView(APIView):
    @extend_schema(responses={200: VacancySerializer}, summary="One vacancy")
    def get(self, request: Request, pk: UUID) -> Response:
        return Response(VacancySerializer(selectors.vacancy_get(actor=_actor(request), pk=pk)).data)
