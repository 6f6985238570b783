"""Forms for people pages: parsing GOV.UK date inputs and giving every error a plain message."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from outstanding.codes import CIN
from outstanding.people.models import Person


def date_from(data, prefix: str, *, required: bool = False, label: str = "date") -> date | None:
    """A date from the three GOV.UK date-input boxes `<prefix>-day`, `-month`, `-year`."""
    parts = [str(data.get(f"{prefix}-{p}", "")).strip() for p in ("day", "month", "year")]
    if not any(parts):
        if required:
            raise ValidationError(f"Enter the {label}.")
        return None
    if not all(p.isdigit() for p in parts):
        raise ValidationError(f"The {label} must be a real date, like 27 3 2019.")
    day, month, year = (int(p) for p in parts)
    if year < 1900:
        raise ValidationError(f"The {label} needs a four-digit year, like 2019.")
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ValidationError(f"The {label} must be a real date, like 27 3 2019.") from error


class ChildForm(forms.Form):
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, error_messages={"required": "Enter the child's surname."})
    sex = forms.ChoiceField(
        choices=Person.Sex.choices,
        error_messages={"required": "Choose the child's sex as the DfE records it."},
    )
    nhs_number = forms.CharField(max_length=14, required=False)
    upn = forms.CharField(max_length=13, required=False)
    ethnicity = forms.ChoiceField(
        choices=[("", "Not yet recorded"), *((c.code, f"{c.code} – {c.description}") for c in CIN.ETHNICITY)],
        required=False,
    )
    line_1 = forms.CharField(max_length=150, required=False)
    postcode = forms.CharField(max_length=8, required=False)
    confirm_new = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        self.date_errors: dict[str, str] = {}
        for name, label in (
            ("date_of_birth", "date of birth"),
            ("expected_date_of_birth", "expected date of birth"),
        ):
            try:
                data[name] = date_from(self.data, name, label=label)
            except ValidationError as error:
                self.date_errors[name] = error.messages[0]
        if data.get("line_1") and not data.get("postcode"):
            self.add_error("postcode", "Enter the postcode of the address.")
        return data

    def is_valid(self) -> bool:
        return super().is_valid() and not self.date_errors
