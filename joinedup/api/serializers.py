"""The API's shapes. Parsing only: the rules live in the referrals services."""

from __future__ import annotations

from rest_framework import serializers

from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition
from joinedup.referrals.routes import FORM_ROUTES, ROUTES
from joinedup.referrals.services import ReferralInput


class ReferralCreateSerializer(serializers.Serializer):
    given_name = serializers.CharField(allow_blank=True, trim_whitespace=True)
    family_name = serializers.CharField(allow_blank=True, trim_whitespace=True)
    date_of_birth = serializers.DateField(
        error_messages={"invalid": "Date of birth must be a real date in the form YYYY-MM-DD."}
    )
    postcode = serializers.CharField(allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    nhs_number = serializers.CharField(required=False, allow_blank=True, default="")
    employment_status = serializers.ChoiceField(choices=EmploymentStatus.choices)
    benefits = serializers.ListField(child=serializers.ChoiceField(choices=Benefit.choices), allow_empty=True)
    health_condition = serializers.ChoiceField(choices=HealthCondition.choices)
    help_wanted = serializers.CharField(allow_blank=True)
    consent_referral = serializers.BooleanField()
    consent_share_progress = serializers.BooleanField()
    route = serializers.ChoiceField(
        choices=[(code, ROUTES[code].label) for code in FORM_ROUTES],
        required=False,
        allow_blank=True,
        default="",
        help_text="How the referral is made (each route has its own questions, sent in `details`).",
    )
    details = serializers.DictField(
        required=False,
        default=dict,
        help_text='The route\'s own answers, for example {"months_on_benefits": 14} for a work coach.',
    )
    national_insurance_number = serializers.CharField(required=False, allow_blank=True, default="")
    notify_person = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The person asked to be told by email how the referral is going (needs `email`).",
    )

    def to_input(self) -> ReferralInput:
        return ReferralInput(**self.validated_data)


class LoopStepSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    done = serializers.BooleanField()
    on = serializers.DateField(allow_null=True, help_text="The day it happened.")
    detail = serializers.CharField()


class ReferralStatusSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_at = serializers.DateTimeField()
    progress_shared = serializers.BooleanField(help_text="Whether the person agreed to share progress with you.")
    steps = LoopStepSerializer(many=True)
