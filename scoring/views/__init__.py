"""Views of the review side: the reviewer's pages under /review/."""
