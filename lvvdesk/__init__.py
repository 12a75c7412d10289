"""lvvdesk: offline intake and case files for LVV caseworkers, kept in an encrypted vault."""

__version__ = "0.1.0"
