"""nianbao archive."""
