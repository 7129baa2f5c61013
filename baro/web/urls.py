from __future__ import annotations

from django.urls import path

from baro.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    # Browsers and tools ask for /favicon.ico whatever the page says: send them to Baro's own.
    path("favicon.ico", views.favicon, name="favicon"),
]
