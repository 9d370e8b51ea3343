from __future__ import annotations

import uuid

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.referrals import selectors, services

from .serializers import ReferralCreateSerializer, ReferralStatusSerializer


def _status_payload(referral) -> dict:
    loop = selectors.referral_closed_loop(referral=referral)
    return {
        "id": referral.pk,
        "reference": referral.reference,
        "status": loop.status.code,
        "status_label": loop.status.label,
        "received_at": referral.created_at,
        "progress_shared": loop.progress_shared,
        "steps": [s.__dict__ for s in loop.steps],
    }


class ReferralCreateView(APIView):
    @extend_schema(
        request=ReferralCreateSerializer,
        responses={201: ReferralStatusSerializer, 200: ReferralStatusSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="A UUID. Sending the same key again returns the first referral instead of a second.",
            )
        ],
        summary="Refer a person",
    )
    def post(self, request):
        if not has_perm(request.auth.membership, Perm.REFERRAL_CREATE):
            raise NotPermitted("You do not have permission to make referrals.")  # before reading the body
        key = request.headers.get("Idempotency-Key")
        submission_key = None
        if key:
            try:
                submission_key = uuid.UUID(key)
            except ValueError as exc:
                raise DomainError("Idempotency-Key must be a UUID.", field="Idempotency-Key") from exc
        serializer = ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral, created = services.referral_create(
            actor=request.auth.membership, data=serializer.to_input(), submission_key=submission_key, channel="api"
        )
        if not created:  # a replay: the first referral is shown again, and that is a read of it
            selectors.referral_read_audit(
                referral, actor=request.auth.membership, channel="api", payload={"replay": "Idempotency-Key"}
            )
        return Response(_status_payload(referral), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ReferralStatusView(APIView):
    @extend_schema(responses={200: ReferralStatusSerializer}, summary="What happened to a referral")
    def get(self, request, reference: str):
        actor = request.auth.membership
        referral = selectors.referral_by_reference_for(actor=actor, reference=reference)
        return Response(_status_payload(referral))
