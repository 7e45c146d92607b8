"""The rule tables (tariffs, KBK scheme, RPPT rules, column aliases) are edited here when the
regulations change; every row carries its legal source."""

from django.contrib import admin

from clinic.capitation.models import (
    CapitationProfile,
    CapitationReceipt,
    CapitationTariff,
    KbkBand,
    KbkIndicator,
    KbkPaymentBand,
    KbkScheme,
    ProlanisClub,
    ProlanisMember,
    RosterColumnAlias,
    RpptCriterion,
    RpptRuleSet,
)


@admin.register(CapitationTariff)
class CapitationTariffAdmin(admin.ModelAdmin):
    list_display = (
        "facility_type",
        "doctor_ratio",
        "participants_per_doctor_limit",
        "has_dentist",
        "amount",
        "legal_source",
        "legal_date",
        "valid_from",
        "valid_until",
    )
    list_filter = ("facility_type", "valid_from")


class KbkIndicatorInline(admin.TabularInline):
    model = KbkIndicator
    extra = 0


class KbkPaymentBandInline(admin.TabularInline):
    model = KbkPaymentBand
    extra = 0


@admin.register(KbkScheme)
class KbkSchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "legal_source", "legal_date", "valid_from", "is_active")
    inlines = [KbkIndicatorInline, KbkPaymentBandInline]


class KbkBandInline(admin.TabularInline):
    model = KbkBand
    extra = 0


@admin.register(KbkIndicator)
class KbkIndicatorAdmin(admin.ModelAdmin):
    list_display = ("scheme", "code", "weight", "target", "unit", "higher_is_better")
    inlines = [KbkBandInline]


class RpptCriterionInline(admin.TabularInline):
    model = RpptCriterion
    extra = 0


@admin.register(RpptRuleSet)
class RpptRuleSetAdmin(admin.ModelAdmin):
    list_display = ("name", "description", "is_active", "source")
    inlines = [RpptCriterionInline]


@admin.register(RosterColumnAlias)
class RosterColumnAliasAdmin(admin.ModelAdmin):
    list_display = ("header", "field")


@admin.register(CapitationProfile)
class CapitationProfileAdmin(admin.ModelAdmin):
    list_display = ("facility", "general_practitioners", "has_dentist", "kbk_applies")


@admin.register(CapitationReceipt)
class CapitationReceiptAdmin(admin.ModelAdmin):
    list_display = ("facility", "month", "amount", "received_on")


@admin.register(ProlanisClub)
class ProlanisClubAdmin(admin.ModelAdmin):
    list_display = ("name", "group", "pcare_club_id", "facility", "is_active")


@admin.register(ProlanisMember)
class ProlanisMemberAdmin(admin.ModelAdmin):
    list_display = ("facility", "condition", "is_active", "source")
    list_filter = ("condition", "is_active")
