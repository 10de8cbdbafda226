// Every service speaks the event contract, logs, counts and calls other services the same way;
// importing the kit brings all four.
@_exported import KoniEvents
@_exported import KoniLogging
@_exported import KoniMetrics
@_exported import KoniServiceClient
