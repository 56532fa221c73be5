"""Monthly Annex 2 reports and Annex 1 progress (models added by the reports feature)."""
