from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "tptto_monitor.bench"
    label = "bench"
    verbose_name = "Benchmarks"
