"""Pure text functions (str -> str or values), no I/O, importing nothing else from marsad."""
