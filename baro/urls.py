from django.urls import include, path, re_path

from baro.api import api, unknown_address

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/", unknown_address),
    path("i18n/", include("django.conf.urls.i18n")),
    path("so-cai/", include("baro.web.ledger_urls")),
    path("to-chuc/", include("baro.org.urls")),
    path("lich-lam-viec/", include("baro.workdays.urls")),
    path("nhiem-vu/", include("baro.work.urls")),
    path("trien-khai/", include("baro.cascade.urls")),
    path("thong-bao/", include("baro.notify.urls")),
    path("giam-sat/", include("baro.oversight.urls")),
    path("", include("baro.web.urls")),
]
