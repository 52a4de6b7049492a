"""The officials\x27 console in the Wagtail admin, scoped to the official\x27s authority."""
