"""Django admin for administrators (staff users); personal data stays masked here too."""

from __future__ import annotations

from django.contrib import admin

from ccops.org.models import Organisation, Person, Profile, Queue, SeatType, Site, Team


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "level", "city", "seats"]
    search_fields = ["code", "name", "city"]


@admin.register(SeatType)
class SeatTypeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "min_knowledge_score", "min_typing_cpm", "max_lookup_seconds"]


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "seat_type"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "organisation", "site", "queue", "lead"]
    list_filter = ["organisation", "site"]
    raw_id_fields = ["lead"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "employee_no",
        "name",
        "organisation",
        "team",
        "position",
        "status",
        "phone_masked",
        "national_id_masked",
    ]
    list_filter = ["organisation", "status", "position"]
    search_fields = ["employee_no", "name", "acd_account"]
    exclude = ["phone", "national_id"]  # changed through the audited pages, never shown here
    readonly_fields = ["phone_masked", "national_id_masked", "version"]
    raw_id_fields = ["team"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "organisation", "role", "person"]
    list_filter = ["organisation", "role"]
    raw_id_fields = ["person"]
