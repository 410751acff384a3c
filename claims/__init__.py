"""Reading articles, cleaning them and extracting typed claims."""
