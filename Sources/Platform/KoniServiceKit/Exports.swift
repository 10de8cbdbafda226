// Every service speaks the event contract and logs the same way; importing the kit brings both.
@_exported import KoniEvents
@_exported import KoniLogging
