from __future__ import annotations

from django.urls import path

from baro.web import ledger_views as views

app_name = "ledger"
urlpatterns = [
    path("", views.index, name="index"),
    path("kiem-tra/", views.verify, name="verify"),
]
