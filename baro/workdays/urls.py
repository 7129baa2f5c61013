from __future__ import annotations

from django.urls import path

from baro.workdays import views
from baro.workdays.models import OverrideKind

app_name = "workdays"
urlpatterns = [
    path("", views.year_view, name="year"),
    path(
        "them-ngay-nghi/",
        views.override_set,
        {"kind": OverrideKind.HOLIDAY},
        name="add_holiday",
    ),
    path(
        "them-ngay-lam-viec-bu/",
        views.override_set,
        {"kind": OverrideKind.WORKING_DAY},
        name="add_working_day",
    ),
    path("dieu-chinh/<int:pk>/go-bo/", views.override_remove, name="override_remove"),
]
