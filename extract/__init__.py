"""nianbao extract."""
