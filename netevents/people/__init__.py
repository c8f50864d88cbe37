"""Meeting people: exchanges ("we met" badge scans in the room), connections, blocks, and the one visibility
policy (visibility.py) through which every surface shows a person."""
