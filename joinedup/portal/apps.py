from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The person's own pages (issue 20, decision 022): sign-in without a password, their referral,
    plan, work, better-off results, consents, messages to their adviser, sharing and their data."""

    name = "joinedup.portal"
    label = "portal"
    verbose_name = "The person's own pages"
    default_auto_field = "django.db.models.BigAutoField"
