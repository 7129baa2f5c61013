from __future__ import annotations

from django.urls import URLPattern, path

from baro.notify import views

app_name = "notify"

urlpatterns: list[URLPattern] = [
    path("", views.notification_list, name="list"),
    path("da-doc/", views.mark_read, name="mark_read"),
    path("quan-tri/", views.webhooks, name="webhooks"),
    path("quan-tri/webhook/<int:pk>/tat/", views.webhook_disable, name="webhook_disable"),
    path("quan-tri/luot-gui/", views.deliveries, name="deliveries"),
    path("quan-tri/luot-gui/<int:pk>/gui-lai/", views.delivery_requeue, name="delivery_requeue"),
]
