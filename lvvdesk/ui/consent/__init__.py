"""The consent section of the case file: records, the consent wizard, withdrawal,
receipts and "what would a recipient see?"."""

from lvvdesk.ui.consent.page import consent_page_factory

__all__ = ["consent_page_factory"]
