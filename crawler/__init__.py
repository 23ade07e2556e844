"""nianbao crawler."""
