"""Outstanding: children's social care for English councils, alone or in partnership."""
