import AthleteService

// `athlete-service`: the command (settings, logging, graceful shutdown) is AthleteServiceCommand.
await AthleteServiceCommand.runFromCommandLine()
