"""nianbao's Scrapy extensions."""
