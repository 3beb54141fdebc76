"""Settings for `bench_api`: the project's own, with the bare comparison views mounted beside the API."""

from ogp_tracker.settings import *  # noqa: F403

ROOT_URLCONF = "demo.bench_urls"
