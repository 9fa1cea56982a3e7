"""What an uploaded document may be: its type read from its content, and the unpacking budget of office files."""
