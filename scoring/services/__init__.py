"""State changes of the review side; each is a keyword-only function and is audited."""
