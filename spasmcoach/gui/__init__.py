"""The Qt layer: widgets that display the core's state and forward the user's actions to it."""
