from __future__ import annotations

from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "baro.oversight"
    label = "oversight"
    verbose_name = "Đôn đốc, phát hiện né tránh, kiểm tra và xử lý người đứng đầu"
