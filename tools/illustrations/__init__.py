"""SpasmCoach's pose illustrations: one stick-figure model, the pictures posed from it, and their SVG text."""
