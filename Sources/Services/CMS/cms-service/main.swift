import CMSService

// `cms-service`: the command (settings, logging, graceful shutdown) is CMSServiceCommand.
await CMSServiceCommand.runFromCommandLine()
