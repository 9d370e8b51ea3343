"""OpenAPI description of the API's authentication (the bearer scheme), its rules and its errors."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from joinedup.people.validators import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "joinedup.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from `python manage.py api_token USERNAME`, sent as "
            "`Authorization: Bearer <token>`.",
        }


# The rules the referral service applies (referrals.intake), stated in the document as far as
# OpenAPI can say them (issue 17). What it cannot say (an NHS number's check digit, an age from 16 to
# 100, a route's own questions) is in the descriptions, and a request that breaks it gets a 400.
_RULES: dict[str, dict[str, Any]] = {
    "given_name": {
        "minLength": 1,
        "maxLength": NAME_MAX_LENGTH,
        "description": "Not blank; at most 100 characters; no control or text-direction characters.",
    },
    "family_name": {
        "minLength": 1,
        "maxLength": NAME_MAX_LENGTH,
        "description": "Not blank; at most 100 characters; no control or text-direction characters.",
    },
    "date_of_birth": {"description": "The person must be 16 to 100 years old."},
    "postcode": {"description": "A UK postcode, like NG18 1AB (spaces and case do not matter)."},
    "email": {"description": f"An email address, at most {EMAIL_MAX_LENGTH} characters; needed with notify_person."},
    "phone": {"maxLength": 20, "description": "A UK telephone number, 10 to 20 digits, spaces, brackets or dashes."},
    "nhs_number": {"description": "10 digits with a valid check digit; needed on the GP route."},
    "help_wanted": {"minLength": 1, "maxLength": 2000, "description": "Not blank; at most 2,000 characters."},
    "benefits": {"description": "One or more, or ['none'] alone; may be empty on clinical routes."},
    "consent_referral": {"description": "Must be true: the person agreed to be referred."},
    "details": {
        "description": "The route's own answers, only with `route`, and only its questions "
        '(for example {"months_on_benefits": 14} for a work coach).'
    },
}

_ERRORS = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["message"],
                "properties": {
                    "field": {"type": "string", "description": "The field the message is about, if one."},
                    "message": {"type": "string", "description": "What is wrong, in plain English."},
                },
            },
        }
    },
}
_ERROR_RESPONSES = {
    "400": "Refused: a rule was broken (each message names its field), the JSON is broken or nested too "
    "deeply, or the request holds a control character such as a NUL byte.",
    "401": "No token, or a token that is not valid.",
    "403": "The token's role does not allow this.",
    "404": "There is no such referral, or it is not yours to read.",
    "413": "The request body is too large.",
    "415": "The body is not JSON.",
    "503": "The service is unavailable for a moment (nothing was half-saved): retry after Retry-After seconds, "
    "with the same Idempotency-Key.",
}


def document_rules_and_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the referral's rules on its fields, and every error the
    API answers with (one shape, `Errors`) on every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Errors"] = _ERRORS
    for name in ("ReferralCreate", "ReferralCreateRequest"):
        properties = schemas.get(name, {}).get("properties", {})
        for field, rules in _RULES.items():
            if field in properties:
                properties[field].update(rules)
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in _ERROR_RESPONSES.items():
                responses.setdefault(code, {"description": description, "content": error})
            responses["503"]["headers"] = {
                "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before retrying."}
            }
    return result
