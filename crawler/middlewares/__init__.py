"""nianbao's downloader middlewares."""
