"""nianbao's spiders."""
