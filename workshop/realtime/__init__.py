"""Socket.IO: broadcast.py emits, handlers.py authenticates and places sockets in rooms."""
