"""Filling forms in the app: a renderer that builds its inputs from a form definition."""

from lvvdesk.ui.forms.renderer import FormRenderer

__all__ = ["FormRenderer"]
