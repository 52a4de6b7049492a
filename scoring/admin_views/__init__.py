"""The officials' review pages in the Wagtail admin (评审管理), scoped to their authority."""
