"""The editor for any case field: ``editor_for(field, lang)``.

Every editor has ``value()``, ``set_value(v)``, ``set_read_only(bool)``, a ``changed``
signal and ``show_error(text | None)``; ``widget`` is what goes into a form, ``input`` the
widget that takes the keyboard focus. Single-valued kinds are in ``editors_basic``, the
records table in ``editors_records``.
"""

from __future__ import annotations

from lvvdesk.domain.fields import FieldDef, FieldType
from lvvdesk.ui.case_file.editors_basic import FieldEditor, InvalidInput, basic_editor_for
from lvvdesk.ui.case_file.editors_records import RecordDialog, RecordsEditor
from lvvdesk.ui.dialogs import Dialogs, QtDialogs

__all__ = ["FieldEditor", "InvalidInput", "RecordDialog", "RecordsEditor", "editor_for"]


def editor_for(field: FieldDef, lang: str, dialogs: Dialogs | None = None) -> FieldEditor:
    """The editor for ``field`` with labels and formats in ``lang``; ``dialogs`` asks the
    questions of a records editor (Qt's standard dialogs when not given)."""
    if field.kind is FieldType.RECORDS:
        return RecordsEditor(field, lang, dialogs if dialogs is not None else QtDialogs())
    return basic_editor_for(field, lang)
