import GMSService

// `gms-service`: the command (settings, logging, graceful shutdown) is GMSServiceCommand.
await GMSServiceCommand.runFromCommandLine()
