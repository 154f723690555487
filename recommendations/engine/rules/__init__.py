"""One module per section of the rules reference; ``catalogue.RULES`` collects them."""
