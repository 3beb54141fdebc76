"""The partner endpoints, registered on the API's router."""

from rest_framework.routers import BaseRouter

from partners.api import AlignmentDecisionViewSet, DeliveryViewSet, ImportViewSet, SnapshotViewSet, WebhookViewSet


def register(router: BaseRouter) -> None:
    router.register("alignment-decisions", AlignmentDecisionViewSet, basename="alignment-decision")
    router.register("imports", ImportViewSet, basename="import")
    router.register("webhooks", WebhookViewSet, basename="webhook")
    router.register("webhook-deliveries", DeliveryViewSet, basename="webhook-delivery")
    router.register("snapshots", SnapshotViewSet, basename="snapshot")
