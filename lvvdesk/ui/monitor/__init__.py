"""The Monitor window: the national monitor tables of the vault at a reference date."""

from lvvdesk.ui.monitor.chart import Bar, BarChart, bars_for
from lvvdesk.ui.monitor.dialog import CHART_TABLES, MonitorDialog, MonitorTab, export_folder_name
from lvvdesk.ui.monitor.model import KEY_ROLE, VALUE_ROLE, Line, MonitorTableModel, short_title

__all__ = [
    "CHART_TABLES",
    "KEY_ROLE",
    "VALUE_ROLE",
    "Bar",
    "BarChart",
    "Line",
    "MonitorDialog",
    "MonitorTab",
    "MonitorTableModel",
    "bars_for",
    "export_folder_name",
    "short_title",
]
