"""The routine editor without Qt: the editable routine as plain data, its YAML text, checks, files and drafts."""
