"""tuanbot runtime: transports, dispatcher, outbox, scheduler and the command line."""
