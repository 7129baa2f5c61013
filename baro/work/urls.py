from __future__ import annotations

from baro.work.views import assign, collab, commands, directives, lines, lists, tasks

app_name = "work"

urlpatterns = [
    *lists.urlpatterns,
    *lines.urlpatterns,
    *directives.urlpatterns,
    *assign.urlpatterns,
    *tasks.urlpatterns,
    *commands.urlpatterns,
    *collab.urlpatterns,
]
