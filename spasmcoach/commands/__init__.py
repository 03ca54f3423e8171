"""Terminal commands (list, validate, show, log, report, timers): argument parsing and plain-text output, no widgets."""
