"""Form fields for picking administrative units: every choice says which tree the unit belongs to."""

from django import forms


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picker whose options read "Tỉnh Đắk Lắk (trước 1/7/2025)" / "Tỉnh Đắk Lắk (hiện nay)"."""

    def label_from_instance(self, obj):
        return obj.label_with_era


def label_with_era(unit) -> str:
    """For choice fields built elsewhere: `field.label_from_instance = label_with_era`."""
    return unit.label_with_era
