"""The routine editor page: the routine's form, its steps, pictures, live checks and saving."""
