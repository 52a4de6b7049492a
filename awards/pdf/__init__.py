"""PDFs printed by the portal: the application PDF (申报书) and the shared WeasyPrint set-up.

``document`` holds plain data, ``render`` the one WeasyPrint call, ``inspect`` poppler-based
readers for tests and operations. Nothing is imported here, so importing the package stays cheap.
"""
