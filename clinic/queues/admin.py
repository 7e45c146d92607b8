from django.contrib import admin

from clinic.queues.models import Doctor, DoctorSchedule, Poli


@admin.register(Poli)
class PoliAdmin(admin.ModelAdmin):
    list_display = ("name", "pcare_code", "queue_prefix", "is_sick_visit", "facility")


@admin.register(Doctor)
class DoctorAdmin(admin.ModelAdmin):
    list_display = ("name", "pcare_code", "facility")


@admin.register(DoctorSchedule)
class DoctorScheduleAdmin(admin.ModelAdmin):
    list_display = ("doctor", "poli", "weekday", "start_time", "end_time", "daily_quota")
