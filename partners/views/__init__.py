"""The partners app's pages: the public programme and application, and the partner's extranet.

One module per concern; `partners/urls.py` routes to them.
"""
