"""Personal data: erasing a person's name, email and identity from an organisation's records."""
