"""Choice fields of model rows that refuse an id the database cannot hold.

Django's model choice fields pass any digits to the query; a number beyond the database's
integer range then crashes it (SQLite's OverflowError, PostgreSQL's out-of-range error) instead
of missing. These fields answer such an id with the field's ordinary "invalid choice" message.
"""

from django import forms

from awards.validators import parse_id


def _holdable(value) -> bool:
    text = str(value).strip()
    return not (text.isascii() and text.isdigit()) or parse_id(text) is not None


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _holdable(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value or ():
            if not _holdable(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)
