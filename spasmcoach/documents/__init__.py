"""Printable documents drawn with QtGui alone (no widgets): the clinician's PDF report and the pain chart."""
