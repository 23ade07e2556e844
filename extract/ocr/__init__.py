"""Reading pictures of tables with Tesseract: ``engine`` runs it, ``tables`` rebuilds the grid."""
