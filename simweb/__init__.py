"""nianbao simweb."""
