"""Data exchange: safe spreadsheet reading, register imports and exports, background jobs."""
