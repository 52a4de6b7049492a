"""Forms of the review side."""
