from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo partnership and the synthetic partnership for benchmarks (no models of its own)."""

    name = "joinedup.demo"
    label = "demo"
