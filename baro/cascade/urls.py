from __future__ import annotations

from django.urls import URLPattern, path

from baro.cascade import views

app_name = "cascade"

urlpatterns: list[URLPattern] = [
    path("can-quan-triet/", views.pending, name="pending"),
    path("van-ban/<int:directive_id>/", views.overview, name="overview"),
    path("van-ban/<int:directive_id>/gui/", views.send, name="send"),
    path("tiep-nhan/<int:receipt_id>/", views.receipt, name="receipt"),
    path("tiep-nhan/<int:receipt_id>/ke-hoach/", views.plan, name="plan"),
    path("tiep-nhan/<int:receipt_id>/trien-khai/", views.deploy, name="deploy"),
    path("tiep-nhan/<int:receipt_id>/chuyen/", views.forward, name="forward"),
    path("tiep-nhan/<int:receipt_id>/quan-triet/", views.acknowledge, name="acknowledge"),
]
