"""The one router of the API, mounted at /api/v1/, and the schema and its documentation pages.

Every app registers its endpoints here, in `register_endpoints`: viewsets on `router`, plain views in
`extra_paths`. Read-only viewsets build on `ogp_tracker.api_support.ReadOnlyApiViewSet`; everything not
stating its own permission classes is read-only (`ogp_tracker.api_access.ReadOnly`).
"""

from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

router = DefaultRouter(trailing_slash=True)
extra_paths: list[URLPattern | URLResolver] = []


def register_endpoints() -> None:
    """Where every app's endpoints are registered, in the order the API root lists them."""
    from commitments.api import views as commitments
    from partners import api as partners
    from resolutions import api as resolutions

    # What was asked.
    router.register("resolutions", resolutions.ResolutionViewSet, basename="resolution")
    router.register("eras", resolutions.EraViewSet, basename="era")
    router.register("action-items", resolutions.ActionItemViewSet, basename="action-item")
    router.register("meetings", resolutions.MeetingViewSet, basename="meeting")
    # What members promised and did.
    router.register("members", commitments.MemberViewSet, basename="member")
    router.register("action-plans", commitments.ActionPlanViewSet, basename="action-plan")
    router.register("commitments", commitments.CommitmentViewSet, basename="commitment")
    router.register("policy-areas", commitments.PolicyAreaViewSet, basename="policy-area")
    router.register("alignments", commitments.AlignmentViewSet, basename="alignment")
    router.register("process-evidence", commitments.ProcessEvidenceViewSet, basename="process-evidence")
    router.register("scores", commitments.ScoreViewSet, basename="score")
    router.register("methodologies", commitments.MethodologyViewSet, basename="methodology")
    extra_paths.append(path("compare/", commitments.ComparisonView.as_view(), name="compare"))
    # Partner systems: writes with a token, webhooks, snapshots (partners/api.py, docs/api.md).
    router.register("alignment-decisions", partners.AlignmentDecisionViewSet, basename="alignment-decision")
    router.register("imports", partners.ImportViewSet, basename="import")
    router.register("webhooks", partners.WebhookViewSet, basename="webhook")
    router.register("webhook-deliveries", partners.DeliveryViewSet, basename="webhook-delivery")
    router.register("snapshots", partners.SnapshotViewSet, basename="snapshot")


register_endpoints()


class NoSuchEndpoint(APIView):
    """Any other path under /api/v1/ answers 404 in the API's error shape, not an HTML page."""

    @extend_schema(exclude=True)
    def get(self, request: Request, rest: str) -> None:
        raise exceptions.NotFound(gettext("No such endpoint; /api/v1/ lists them."))

    post = put = patch = delete = get


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *extra_paths,
    path("", include(router.urls)),
    re_path(r"^(?P<rest>.*)$", NoSuchEndpoint.as_view()),
]
app_name = "api"
