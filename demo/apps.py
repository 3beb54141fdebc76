from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and benchmarks: what `make run` loads into an empty database and what the benchmark commands
    generate. The product never imports this app; `bootstrap` reaches `load_demo` by its command name."""

    name = "demo"
    verbose_name = "Demo data and benchmarks"
