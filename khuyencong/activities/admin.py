from django.contrib import admin

from .models import ActivityKind, EnergyFactor, KeyEnergyThreshold

# Catalogue data only: activities and their records are written through the services (pages, API, imports).
admin.site.register(ActivityKind)
admin.site.register(EnergyFactor)
admin.site.register(KeyEnergyThreshold)
