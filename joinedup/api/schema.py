"""OpenAPI description of the API's authentication, so the schema declares the bearer scheme."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
